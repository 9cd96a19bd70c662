"""Events: the admin wizard, announcements, RSVPs, reminders."""

# What other features may use of this one (tests/test_layout.py holds them to it).
PUBLIC: frozenset[str] = frozenset(
    {
        "callbacks.EventAction",
        "callbacks.EventAdminPress",
        "callbacks.EventPress",
        "drafts.EventInfo",
        "listings.recent",
        "preferences.EventSettings",
        "preferences.set_digest_on",
        "preferences.set_events_on",
        "preferences.set_zone",
        "preferences.settings_of",
        "preferences.toggle_kind",
        "preferences.toggle_topic",
        "preferences.zone_of",
        "texts.button",
        "texts.kind_label",
        "texts.text_expected",
        "texts.when",
    }
)
