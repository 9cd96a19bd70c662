"""Events: the admin wizard, announcements, RSVPs, reminders."""

# What other features may use of this one (tests/kernel/test_layout.py holds them to it).
PUBLIC: frozenset[str] = frozenset(
    {
        "attending.confirm_going",
        "callbacks.EventAction",
        "callbacks.EventPress",
        "drafts.EventInfo",
        "listings.known_to",
        "listings.recent",
        "listings.upcoming",
        "preferences.Subscription",
        "preferences.set_events_on",
        "preferences.subscription_of",
        "preferences.toggle_kind",
        "preferences.toggle_topic",
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
