"""The Team screens' and invitations' sentences."""

from __future__ import annotations

from html import escape
from typing import Final

from bot.features.team.membership import InviteProblem, Joinable, Member, Refusal, Team
from bot.i18n import _, long_date, plural
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
        _("👥 <b>Team of « {name} »</b>").format(name=escape(shown.name)),
        "",
        *(f"• {_person(member)}: {role(member)}" for member in shown.members),
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
    return _("Join « {name} » in NGO Bridge").format(name=name[:NAME_MAX])


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
        "You are no longer a member of « {name} » in NGO Bridge. You can register your own "
        "organisation with /start."
    ).format(name=escape(organisation))


def invite_revoked() -> str:
    """After revoking a link."""
    return _("🚫 The link is revoked: nobody else can join with it.")


def confirm_leave(others: int, name: str) -> str:
    """Before leaving; the only member is told that the organisation goes too."""
    if others == 0:
        return _(
            "You are the only member of « {name} ». If you leave, the organisation is deleted "
            "from NGO Bridge: its card, its contact requests and its badge. This cannot be "
            "undone. Leave and delete it?"
        ).format(name=escape(name))
    return _(
        "Leave « {name} »? You will no longer receive its requests and news; the "
        "organisation stays with the other members."
    ).format(name=escape(name))


def left(name: str, deleted: bool) -> str:
    """After leaving."""
    if deleted:
        return _("« {name} » is deleted, and you have left it.").format(name=escape(name))
    return _("You have left « {name} ».").format(name=escape(name))


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
        case Refusal.WITHDRAWN:
            return _("This request was withdrawn by the person who sent it.")
        case Refusal.CLOSED:
            return _("This request is closed: the person has joined or registered an organisation.")
        case Refusal.ANSWERED:
            return _("This request is no longer waiting: look for the owners' answer in this chat.")
    raise AssertionError(reason)


def join_offer(found: Joinable) -> str:
    """The invitation, opened."""
    return _("Join « {name} », {city} as a member?").format(
        name=escape(found.name), city=escape(found.city)
    )


def joined(found: Joinable) -> str:
    """After joining."""
    return _(
        "✅ You are now a member of « {name} ». Its contact requests and news will reach you too."
    ).format(name=escape(found.name))


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
            return _("You are already a member of « {name} ».").format(name=escape(name))
        case InviteProblem.WAITING:
            return _(
                "Your request to join is waiting for an answer from the organisation's owners."
            )
        case InviteProblem.ELSEWHERE:
            return _(
                "You are a member of « {name} ». A person belongs to one organisation: leave it "
                "in 👥 Team first, then open the invitation again."
            ).format(name=escape(name))
    raise AssertionError(problem)


def already_here(name: str, city: str) -> str:
    """At onboarding: an organisation of the same name exists in that country."""
    return _(
        "« {name} », {city} is already in NGO Bridge. Is it yours? If so, ask to join it: its "
        "owners will let you in, and you will not need to fill in the questionnaire."
    ).format(name=escape(name), city=escape(city))


def join_waiting(name: str) -> str:
    """To the person who asked to join."""
    return _(
        "🙋 We have asked the owners of « {name} » to let you in. You will get a message here "
        "when one of them answers. If they do not know you, send /start to register your own "
        "organisation."
    ).format(name=escape(name))


def join_request(first_name: str, username: str | None, organisation: str) -> str:
    """To the owners: someone asks to join."""
    person = escape((first_name or "Telegram")[:NAME_MAX])
    if username:
        person += " (@" + escape(username[:NAME_MAX]) + ")"
    return _(
        "🙋 {person} asks to join « {name} » as a member. They found your organisation while "
        "registering in NGO Bridge. Accept only if you know them."
    ).format(person=person, name=escape(organisation))


def join_decided(first_name: str, accepted: bool) -> str:
    """To the owner who answered."""
    name = escape((first_name or "Telegram")[:NAME_MAX])
    if accepted:
        return _("✅ {name} is now a member of your team.").format(name=name)
    return _("You declined the request of {name}.").format(name=name)


def join_accepted(name: str) -> str:
    """To the person, accepted."""
    return _(
        "✅ The owners of « {name} » let you in: you are now a member. Send /menu to begin."
    ).format(name=escape(name))


def join_declined(name: str) -> str:
    """To the person, declined."""
    return _(
        "The owners of « {name} » declined your request. To register your own organisation, "
        "send /start."
    ).format(name=escape(name))


def join_answered_by(name: str, accepted: bool) -> str:
    """Another owner's copy of a join request, once one owner answered it."""
    if accepted:
        return _("✅ Accepted by {name}.").format(name=escape(name[:NAME_MAX]))
    return _("✖️ Declined by {name}.").format(name=escape(name[:NAME_MAX]))


def join_pending(name: str) -> str:
    """/start while the person's join request waits."""
    return _(
        "⏳ Your request to join « {name} » is waiting for an answer from its owners. You can "
        "keep waiting, or withdraw it and fill in the questionnaire to register your own "
        "organisation."
    ).format(name=escape(name))


def join_still_waiting(name: str) -> str:
    """After "Keep waiting"."""
    return _("⏳ We will write to you here when an owner of « {name} » answers.").format(
        name=escape(name)
    )


def join_withdrawn(name: str) -> str:
    """To the person, after withdrawing their request."""
    return _("↩️ You withdrew your request to join « {name} ».").format(name=escape(name))


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
