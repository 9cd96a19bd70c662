"""An organisation is a team: members and owners, invitations, leaving and handing over."""

# What other features may use of this one (tests/kernel/test_layout.py holds them to it).
PUBLIC: frozenset[str] = frozenset(
    {
        "callbacks.TeamAction",
        "callbacks.TeamPress",
        "invitations.JOIN_LINK",
        "invitations.PendingInvitation",
        "queries.leave",
        "queries.successor",
        "texts.button",
        "views.offer_join",
        "views.offer_waiting",
    }
)
