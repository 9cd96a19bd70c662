"""Events: the admin wizard, announcements, RSVPs, reminders."""

# What other features may use of this one (tests/kernel/test_layout.py holds them to it).
PUBLIC: frozenset[str] = frozenset(
    {
        "attending.confirm_going",
        "callbacks.EventAction",
        "callbacks.EventAdminPress",
        "callbacks.EventPress",
        "drafts.EventInfo",
        "listings.known_to",
        "listings.recent",
        "listings.upcoming",
        "preferences.EventSettings",
        "preferences.set_digest_on",
        "preferences.set_events_on",
        "preferences.set_zone",
        "preferences.settings_of",
        "preferences.toggle_kind",
        "preferences.toggle_topic",
        "preferences.zone_of",
        "rsvps.Answer",
        "rsvps.rsvp",
        "texts.button",
        "texts.kind_label",
        "texts.rsvp_refused",
        "texts.text_expected",
        "texts.upcoming",
        "texts.when",
    }
)
