"""The Team screens' and invitations' sentences."""

from __future__ import annotations

from html import escape
from typing import Final

from bot.handlers.team.membership import (
    InviteProblem,
    Joinable,
    Joined,
    Member,
    Refusal,
    Team,
)
from bot.i18n import _, long_date, plural
from bot.shared_texts import quoted
from bot.taxonomy import N_

NAME_MAX: Final = 64

BUTTONS: Final[dict[str, str]] = {
    "team": N_("👥 Team"),
    "invite": N_("➕ Invite a colleague"),
    "share": N_("📤 Share the invitation"),
    "revoke": N_("🚫 Revoke link {n}"),
    "remove": N_("➖ Remove from the team"),
    "make_owner": N_("⭐ Make an owner"),
    "leave": N_("🚪 Leave the organisation"),
    "leave_ok": N_("🚪 Yes, leave"),
    "delete_ok": N_("🗑 Yes, leave and delete"),
    "remove_ok": N_("➖ Yes, remove"),
    "owner_ok": N_("⭐ Yes, make an owner"),
    "to_team": N_("« Back to the team"),
    "join": N_("✅ Join"),
    "ask_join": N_("🙋 Ask to join"),
    "not_ours": N_("No, ours is another one"),
    "accept": N_("✅ Accept"),
    "decline": N_("✖️ Decline"),
    "withdraw": N_("↩️ Withdraw the request"),
    "keep_waiting": N_("⏳ Keep waiting"),
}


def button(key: str, **params: object) -> str:
    """The label of a button of these screens."""
    return _(BUTTONS[key]).format(**params)


def _person(member: Member) -> str:
    name = escape((member.first_name or "Telegram")[:NAME_MAX])
    if member.username:
        name += " (@" + escape(member.username[:NAME_MAX]) + ")"
    return name


def role(member: Member) -> str:
    """A member's role."""
    return _("owner") if member.owner else _("member")


def member_label(member: Member) -> str:
    """A member's button on the owner's Team screen."""
    return f"{'⭐' if member.owner else '👤'} {(member.first_name or 'Telegram')[:NAME_MAX]}"


def team(shown: Team) -> str:
    """The Team screen: the members with their roles, the open links for owners."""
    lines = [
        _("👥 <b>Team of {name}</b>").format(name=escape(quoted(shown.name))),
        "",
        *(
            _("• {person}: {role}").format(person=_person(member), role=role(member))
            for member in shown.members
        ),
        "",
    ]
    if shown.me.owner:
        lines.append(
            _(
                "Owners change the profile, the badge and who can find you, and manage the "
                "team. Members search, ask for contacts, answer requests and get the "
                "organisation's news."
            )
        )
        if shown.invites:
            lines.append("")
            lines.append(_("Open invitation links:"))
            for number, invite in enumerate(shown.invites, start=1):
                uses = plural("{n} use left", "{n} uses left", invite.uses_left)
                lines.append(
                    _("{number}. until {date}, {uses}").format(
                        number=number, date=long_date(invite.expires_at), uses=uses
                    )
                )
    else:
        lines.append(
            _(
                "You are a member: you search, ask for contacts on your organisation's behalf "
                "and answer its requests. Its owners change the profile and manage the team."
            )
        )
    return "\n".join(lines)


def invitation(link: str) -> str:
    """A new invitation link, to send to colleagues."""
    return (
        _("➕ <b>Invitation to your team</b>")
        + "\n\n"
        + _(
            "Send this link to a colleague. It works for 7 days and for up to 10 people; you "
            "can revoke it on the Team screen."
        )
        + "\n\n"
        + f"<code>{escape(link)}</code>"
    )


def share_text(name: str) -> str:
    """The text that goes with a shared invitation."""
    return _("Join {name} in NGO Bridge").format(name=quoted(name[:NAME_MAX]))


def member_screen(member: Member) -> str:
    """One member, as an owner sees them."""
    return _("{person}: {role}").format(person=_person(member), role=role(member))


def confirm_remove(member: Member) -> str:
    """Before removing a member."""
    return _(
        "Remove {person} from the team? They will no longer act for your organisation."
    ).format(person=_person(member))


def confirm_owner(member: Member) -> str:
    """Before making a member an owner."""
    return _(
        "Make {person} an owner? Owners change the profile and manage the team, including you."
    ).format(person=_person(member))


def removed(member_name: str) -> str:
    """To the owner, after removing someone."""
    return _("{name} is no longer in the team.").format(name=escape(member_name[:NAME_MAX]))


def made_owner(member: Member) -> str:
    """To the owner, after handing over."""
    return _("⭐ {person} is now an owner.").format(person=_person(member))


def you_were_removed(organisation: str) -> str:
    """To the person removed."""
    return _(
        "You are no longer a member of {name} in NGO Bridge. You can register your own "
        "organisation with /start."
    ).format(name=escape(quoted(organisation)))


def invite_revoked() -> str:
    """After revoking a link."""
    return _("🚫 The link is revoked: nobody else can join with it.")


def confirm_leave(others: int, name: str) -> str:
    """Before leaving; the only member is told that the organisation goes too."""
    if others == 0:
        return _(
            "You are the only member of {name}. If you leave, the organisation is deleted "
            "from NGO Bridge: its card, its contact requests and its badge. This cannot be "
            "undone. Leave and delete it?"
        ).format(name=escape(quoted(name)))
    return _(
        "Leave {name}? You will no longer receive its requests and news; the "
        "organisation stays with the other members."
    ).format(name=escape(quoted(name)))


def left(name: str, deleted: bool) -> str:
    """After leaving."""
    if deleted:
        return _("{name} is deleted, and you have left it.").format(name=escape(quoted(name)))
    return _("You have left {name}.").format(name=escape(quoted(name)))


def refusal(reason: Refusal, by: str = "") -> str:
    """Why a team action was refused (`by`: who answered a join request first)."""
    match reason:
        case Refusal.NOT_MEMBER:
            return _("You are not a member of an organisation any more.")
        case Refusal.NOT_OWNER:
            return _("Only the owners of your organisation can do this.")
        case Refusal.GONE:
            return _("This is out of date: the team has changed. Open 👥 Team again.")
        case Refusal.SELF:
            return _("To step down, make someone else an owner and leave the team.")
        case Refusal.LAST_OWNER:
            return _(
                "You are the last owner. Make another member an owner first, then you can leave."
            )
        case Refusal.TOO_MANY:
            return _("Too many links are open. Revoke one on the Team screen first.")
        case Refusal.DECIDED:
            return _("{name} has already answered this request.").format(
                name=(by or "Telegram")[:NAME_MAX]
            )
        case Refusal.YOU_DECIDED:
            return _("You have already answered this request.")
        case Refusal.WITHDRAWN:
            return _("This request was withdrawn by the person who sent it.")
        case Refusal.CLOSED:
            return _("This request is closed: the person has joined or registered an organisation.")
        case Refusal.ANSWERED:
            return _("This request is no longer waiting: look for the owners' answer in this chat.")
    raise AssertionError(reason)


def join_offer(found: Joinable) -> str:
    """The invitation, opened."""
    return _("Join {name}, {city} as a member?").format(
        name=escape(quoted(found.name)), city=escape(found.city)
    )


def joined(found: Joinable) -> str:
    """After joining."""
    return _(
        "✅ You are now a member of {name}. Its contact requests and news will reach you too."
    ).format(name=escape(quoted(found.name)))


def invite_problem(problem: InviteProblem, name: str = "") -> str:
    """Why an invitation cannot be used."""
    match problem:
        case InviteProblem.UNKNOWN:
            return _("This invitation link is not valid. Ask your colleague for a new one.")
        case InviteProblem.EXPIRED:
            return _("This invitation has expired. Ask your colleague for a new link.")
        case InviteProblem.REVOKED:
            return _("This invitation was revoked. Ask your colleague for a new link.")
        case InviteProblem.USED_UP:
            return _(
                "This invitation has been used by as many people as it allows. Ask for a new link."
            )
        case InviteProblem.MEMBER:
            return _("You are already a member of {name}.").format(name=escape(quoted(name)))
        case InviteProblem.WAITING:
            return _(
                "Your request to join is waiting for an answer from the organisation's owners."
            )
        case InviteProblem.ELSEWHERE:
            return _(
                "You are a member of {name}. A person belongs to one organisation: leave it "
                "in 👥 Team first, then open the invitation again."
            ).format(name=escape(quoted(name)))
    raise AssertionError(problem)


def already_here(name: str, city: str) -> str:
    """At onboarding: an organisation of the same name exists in that country."""
    return _(
        "{name}, {city} is already in NGO Bridge. Is it yours? If so, ask to join it: its "
        "owners will let you in, and you will not need to fill in the questionnaire."
    ).format(name=escape(quoted(name)), city=escape(city))


def join_waiting(name: str) -> str:
    """To the person who asked to join."""
    return _(
        "🙋 We have asked the owners of {name} to let you in. You will get a message here "
        "when one of them answers. If they do not know you, send /start to register your own "
        "organisation."
    ).format(name=escape(quoted(name)))


def _asker(first_name: str, username: str | None) -> str:
    person = escape((first_name or "Telegram")[:NAME_MAX])
    if username:
        person += " (@" + escape(username[:NAME_MAX]) + ")"
    return person


def join_request_head(first_name: str, username: str | None, organisation: str) -> str:
    """A join request's first line (who asks, to join what): kept on closed copies."""
    return _("🙋 {person} asks to join {name} as a member.").format(
        person=_asker(first_name, username), name=escape(quoted(organisation))
    )


def join_request(first_name: str, username: str | None, organisation: str) -> str:
    """To the owners: someone asks to join."""
    return (
        join_request_head(first_name, username, organisation)
        + " "
        + _(
            "They found your organisation while registering in NGO Bridge. Accept only if "
            "you know them."
        )
    )


def closed_copy(head: str, outcome: str) -> str:
    """A copy of a request once it is answered: its first line, then what became of it."""
    return f"{head}\n\n{outcome}"


def join_decided(first_name: str, accepted: bool) -> str:
    """To the owner who answered."""
    name = escape((first_name or "Telegram")[:NAME_MAX])
    if accepted:
        return _("✅ {name} is now a member of your team.").format(name=name)
    return _("You declined the request of {name}.").format(name=name)


def join_accepted(name: str) -> str:
    """To the person, accepted (the main menu follows in the same message)."""
    return _("✅ The owners of {name} let you in: you are now a member.").format(
        name=escape(quoted(name))
    )


def join_declined(name: str) -> str:
    """To the person, declined."""
    return _(
        "The owners of {name} declined your request. To register your own organisation, "
        "send /start."
    ).format(name=escape(quoted(name)))


def join_answered_by(name: str, accepted: bool) -> str:
    """Another owner's copy of a join request, once one owner answered it (below the
    request's first line)."""
    if accepted:
        return _("✅ Accepted by {name}.").format(name=escape(name[:NAME_MAX]))
    return _("✖️ Declined by {name}.").format(name=escape(name[:NAME_MAX]))


def join_answered_by_you(accepted: bool) -> str:
    """Another copy of the presser's own, once they answered the request elsewhere."""
    if accepted:
        return _("✅ You accepted this request.")
    return _("✖️ You declined this request.")


def made_owner_for_them(organisation: str, by: str) -> str:
    """To the member made an owner."""
    return _(
        "⭐ {person} made you an owner of {name}. You can now change its profile and manage "
        "the team in 👥 Team."
    ).format(person=escape((by or "Telegram")[:NAME_MAX]), name=escape(quoted(organisation)))


def owner_left(first_name: str, organisation: str, only: bool) -> str:
    """To the owners who remain after an owner left (`only`: just one remains)."""
    text = _("🚪 {person}, an owner, has left {name}.").format(
        person=escape((first_name or "Telegram")[:NAME_MAX]), name=escape(quoted(organisation))
    )
    if only:
        text += " " + _(
            "You are now its only owner: to share the work, make another member an owner in "
            "👥 Team."
        )
    return text


def member_joined(joined: Joined) -> str:
    """To the owners: someone joined by an invitation link, and through which one."""
    uses = plural("{n} use left", "{n} uses left", joined.uses_left)
    return _(
        "👋 {person} has joined {name} by the invitation link {inviter} created (it works "
        "until {date}, {uses})."
    ).format(
        person=_asker(joined.first_name, joined.username),
        name=escape(quoted(joined.organisation.name)),
        inviter=escape((joined.inviter or "Telegram")[:NAME_MAX]),
        date=long_date(joined.expires_at),
        uses=uses,
    )


def join_pending(name: str) -> str:
    """/start while the person's join request waits."""
    return _(
        "⏳ Your request to join {name} is waiting for an answer from its owners. You can "
        "keep waiting, or withdraw it and fill in the questionnaire to register your own "
        "organisation."
    ).format(name=escape(quoted(name)))


def join_still_waiting(name: str) -> str:
    """After "Keep waiting"."""
    return _("⏳ We will write to you here when an owner of {name} answers.").format(
        name=escape(quoted(name))
    )


def join_withdrawn(name: str) -> str:
    """To the person, after withdrawing their request."""
    return _("↩️ You withdrew your request to join {name}.").format(name=escape(quoted(name)))


def join_withdrawn_copy(first_name: str) -> str:
    """The owners' copies of a request its author withdrew."""
    name = escape((first_name or "Telegram")[:NAME_MAX])
    return _("↩️ {name} withdrew this request.").format(name=name)


def join_closed(first_name: str, here: bool) -> str:
    """To the owners: the person joined (this or another) organisation before the answer."""
    name = escape((first_name or "Telegram")[:NAME_MAX])
    if here:
        return _(
            "{name} has meanwhile joined your team by an invitation, so this request is closed."
        ).format(name=name)
    return _(
        "{name} has meanwhile joined or registered another organisation, so this request is closed."
    ).format(name=name)
