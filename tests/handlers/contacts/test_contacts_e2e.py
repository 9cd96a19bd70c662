"""Introductions through the real bot: two users in different languages, limits, blocked
users, deep links and every visibility choice."""

from __future__ import annotations

import functools
from urllib.parse import quote

import pytest
from sqlalchemy import func, select

from bot.config import Settings
from bot.handlers.directory.callbacks import ContactAction, ContactPress, SearchAction, SearchPress
from db.engine import Sessions, reading
from db.models import ContactRequest, User
from tests.conversation import Conversation
from tests.directory_helpers import (
    FrozenClock,
    bot_with_clock,
    make_org,
    more_alerts,
    search_words,
    set_org,
)
from tests.fake_telegram import FakeTelegram, TgUser
from tests.i18n_helpers import plain, quoted, tr, trn

pytestmark = pytest.mark.databases("sqlite", "postgresql")

ASKER, OWNER = 300, 301


async def _open_card(chat: Conversation, org_id: int) -> None:
    await chat.send(f"/start org_{org_id}")


async def test_contacts_only_after_accept_each_side_in_its_language(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    await make_org(sessions, ASKER, language="kk", name="Asker Fund", contact="asker@example.kz",
                   first_name="Aigerim", username="aigerim_kz")  # fmt: skip
    owner_org = await make_org(sessions, OWNER, language="hy", name="Owner NGO", country="AM",
                               contact="+374 10 123456", website="https://owner.am")  # fmt: skip
    asker = Conversation(
        fake_telegram, TgUser(ASKER, "Aigerim", username="aigerim_kz", language_code="kk")
    )
    owner = Conversation(fake_telegram, TgUser(OWNER, "Ashot", language_code="hy"))
    async with bot_with_clock(settings, sessions, fake_telegram, FrozenClock()):
        await _open_card(asker, owner_org)
        card = asker.last_text()
        assert "Owner NGO" in card and "+374" not in card and "owner.am" not in card
        share = next(
            b["url"]
            for row in asker.messages()[-1]["reply_markup"]["inline_keyboard"]
            for b in row
            if b["text"] == tr("kk", "📤 Share this card")
        )
        link = f"https://t.me/{fake_telegram.bot_username}?start=org_{owner_org}"
        assert share.startswith("https://t.me/share/url?url=" + quote(link, safe=""))
        await asker.click(tr("kk", "📨 Request contact"))
        sent = tr(
            "kk",
            "📨 Your request has been sent to {name}. We will tell you when they answer.",
            name=quoted("kk", "Owner NGO"),
        )
        assert sent in asker.alerts
        # The owner gets the asker's card in Armenian, with no contacts yet.
        incoming = owner.last_text()
        assert (
            plain(
                tr(
                    "hy",
                    "📨 <b>{name}</b> would like to get in touch with your organisation.",
                    name="Asker Fund",
                )
            )
            in incoming
        )
        assert "asker@example.kz" not in incoming
        assert "+374" not in "".join(asker.texts())
        # Asking again while it waits: refused, nothing new is sent.
        await asker.click(tr("kk", "📨 Request contact"))
        assert asker.alerts[-1] == tr(
            "kk", "A request between your organisations is already waiting for an answer."
        )
        await owner.click(tr("hy", "✅ Accept"))
        mine = owner.last_text()
        assert tr("hy", "✅ You accepted the request. Their contacts:") in mine
        assert "asker@example.kz" in mine and "@aigerim_kz" in mine
        theirs = asker.last_text()
        assert (
            tr(
                "kk",
                "🎉 {name} accepted your request. Their contacts:",
                name=quoted("kk", "Owner NGO"),
            )
            in theirs
        )
        assert "+374 10 123456" in theirs and "https://owner.am" in theirs
        # Asking again once connected: refused.
        await asker.click(tr("kk", "📨 Request contact"), message_id=_card_message(asker))
        assert asker.alerts[-1] == tr(
            "kk", "You are already connected: look for their contacts in our earlier messages."
        )


def _card_message(chat: Conversation) -> int:
    for message in reversed(chat.messages()):
        if "Owner NGO" in str(message.get("text", "")) and message.get("reply_markup"):
            return int(message["message_id"])
    raise AssertionError("no card message")


async def test_decline_is_polite_and_forged_answers_are_refused(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    await make_org(sessions, ASKER, language="ru", name="Asker")
    owner_org = await make_org(sessions, OWNER, language="ky", name="Owner")
    third = Conversation(fake_telegram, TgUser(302, "Third", language_code="en"))
    await make_org(sessions, 302, name="Third")
    asker = Conversation(fake_telegram, TgUser(ASKER, "A", language_code="ru"))
    owner = Conversation(fake_telegram, TgUser(OWNER, "O", language_code="ky"))
    async with bot_with_clock(settings, sessions, fake_telegram, FrozenClock()):
        await _open_card(asker, owner_org)
        await asker.click(tr("ru", "📨 Request contact"))
        async with reading(sessions) as session:
            request_id = await session.scalar(select(ContactRequest.id))
        assert request_id is not None
        # Someone else presses a forged Accept for that request: refused, nothing changes.
        forged = ContactPress(action=ContactAction.ACCEPT, request=request_id).pack()
        await third.send("/menu")
        message_id = third.messages()[-1]["message_id"]
        fake_telegram.push_callback(third.user, message_id, forged)
        await fake_telegram.wait_for(lambda: third.alerts)
        assert third.alerts[-1] == tr("en", "This request is not addressed to your organisation.")
        await owner.click(tr("ky", "✖️ Decline"))
        assert (
            tr("ky", "You declined the request. The other organisation will not see your contacts.")
            in owner.last_text()
        )
        assert "cannot take up your request" in tr(
            "en",
            "{name} cannot take up your request at the moment. Thank you for reaching out: « Suggested for you » may show other organisations that fit.",
        )
        assert (
            tr(
                "ru",
                "{name} cannot take up your request at the moment. Thank you for reaching out: « Suggested for you » may show other organisations that fit.",
                name=quoted("ru", "Owner"),
            )
            in asker.last_text()
        )
        # Requests to oneself are refused.
        mine = await make_org(sessions, 303, name="Me")
        me = Conversation(fake_telegram, TgUser(303, "Me", language_code="en"))
        await _open_card(me, mine)
        assert tr("en", "📨 Request contact") not in me.last_buttons()  # our own card
        assert tr("en", "👤 My profile") in me.last_buttons()
        forged = ContactPress(action=ContactAction.REQUEST, org=mine).pack()
        fake_telegram.push_callback(me.user, me.messages()[-1]["message_id"], forged)
        await fake_telegram.wait_for(lambda: me.alerts)
        assert me.alerts[-1] == tr("en", "This is your own organisation.")


async def test_daily_limit_and_a_recipient_who_blocked_the_bot(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    clock = FrozenClock()
    await make_org(sessions, ASKER, name="Busy")
    targets = [await make_org(sessions, 400 + i, name=f"T{i}") for i in range(11)]
    fake_telegram.blocked.add(400)  # the first recipient blocked the bot
    asker = Conversation(fake_telegram, TgUser(ASKER, "A", language_code="en"))
    async with bot_with_clock(settings, sessions, fake_telegram, clock):
        for org_id in targets[:10]:
            await _open_card(asker, org_id)
            await asker.click(tr("en", "📨 Request contact"))
            clock.advance(minutes=1)
        assert len(asker.alerts) == 10 and all("has been sent" in a for a in asker.alerts)
        await _open_card(asker, targets[10])
        await asker.click(tr("en", "📨 Request contact"))
        assert asker.alerts[-1].startswith("Your organisation has already sent 10 contact requests")
        clock.advance(days=1)
        await asker.click(tr("en", "📨 Request contact"))
        assert "has been sent" in asker.alerts[-1]
    async with reading(sessions) as session:
        assert await session.scalar(select(func.count()).select_from(ContactRequest)) == 11
        blocked = await session.get(User, 400)
        assert blocked is not None and blocked.is_active is False
    # Another request to them waits in their inbox without a try to reach them.
    await make_org(sessions, 450, name="Later")
    later = Conversation(fake_telegram, TgUser(450, "L", language_code="en"))
    async with bot_with_clock(settings, sessions, fake_telegram, clock):
        await _open_card(later, targets[0])
        await later.click(tr("en", "📨 Request contact"))
        assert "has been sent" in later.alerts[-1]
    tries = [c for c in fake_telegram.method_calls("sendMessage") if c["chat_id"] == 400]
    assert len(tries) == 1  # the first request's, which found them gone


async def test_each_visibility_choice_from_inside_and_outside(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    clock = FrozenClock()
    # It can teach what everyone else wants to learn (impact), so it is also suggested.
    target = await make_org(sessions, 500, name="Careful NGO", country="KZ", can_share=["impact"])
    await make_org(sessions, 501, name="Neighbour", country="KZ")
    verified = await make_org(sessions, 502, name="Verified abroad", country="AM")
    await set_org(sessions, verified, verified_at=clock.now(),
                  verified_until=clock.now().replace(year=2027))  # fmt: skip
    await make_org(sessions, 503, name="Unverified abroad", country="AM")
    owner = Conversation(fake_telegram, TgUser(500, "Owner", language_code="en"))
    viewers = {
        "neighbour": Conversation(fake_telegram, TgUser(501, "N", language_code="en")),
        "verified": Conversation(fake_telegram, TgUser(502, "V", language_code="en")),
        "unverified": Conversation(fake_telegram, TgUser(503, "U", language_code="en")),
        "no profile": Conversation(fake_telegram, TgUser(504, "X", language_code="en")),
    }
    expected = {
        tr("en", "Everyone in the directory"): {
            "neighbour",
            "verified",
            "unverified",
            "no profile",
        },
        tr("en", "Only organisations from our country"): {"neighbour"},
        tr("en", "Only verified organisations"): {"verified"},
        tr("en", "Nobody: not listed"): set(),
    }
    async with bot_with_clock(settings, sessions, fake_telegram, clock):
        await viewers["no profile"].send("/start")
        await viewers["no profile"].click("English")
        await viewers["no profile"].send("/cancel")
        for choice, who in expected.items():
            await owner.send("/profile")
            await owner.click(tr("en", "👁 Who can find us"))
            await owner.click(choice)
            assert tr("en", "Now: {choice}", choice=choice) in owner.last_text()
            for name, chat in viewers.items():
                await _open_card(chat, target)
                sees_link = "Careful NGO" in chat.last_text()
                sees_search = "Careful NGO" in await search_words(chat, "en", "careful")
                assert sees_link == sees_search == (name in who), (choice, name)
                if name != "no profile":
                    await chat.send("/menu")
                    await chat.click(tr("en", "⭐ Suggested for you"))
                    assert ("Careful NGO" in chat.last_text()) == (name in who), (choice, name)
            # The owner can still search while hidden.
            await owner.send("/menu")
            await owner.click(tr("en", "🔎 Find partners"))
            await owner.click(tr("en", "🔎 Show results"))
            assert "Neighbour" in owner.last_text()


async def test_a_stale_or_forged_card_button_is_refused(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    hidden = await make_org(sessions, 600, name="Gone", consent=False)
    await make_org(sessions, 601, name="Viewer")
    chat = Conversation(fake_telegram, TgUser(601, "V", language_code="en"))
    async with bot_with_clock(settings, sessions, fake_telegram, FrozenClock()):
        await chat.send("/menu")
        message_id = chat.messages()[-1]["message_id"]
        for data in (
            SearchPress(action=SearchAction.CARD, org=hidden).pack(),
            SearchPress(action=SearchAction.CARD, org=999999).pack(),
            ContactPress(action=ContactAction.REQUEST, org=hidden).pack(),
            SearchPress(action=SearchAction.SET, name="country", value="XX").pack(),
            SearchPress(action=SearchAction.CHOOSE, name="owner_id").pack(),
            "s:card:::0:notanumber:",
            f"s:card:::0:{10**30}:",  # beyond any database integer
            f"c:request:{10**30}:0",
            f"s:results:::{-5}:0:",
        ):
            before = len(chat.alerts)
            fake_telegram.push_callback(chat.user, message_id, data)
            await fake_telegram.wait_for(functools.partial(more_alerts, chat, before))
            assert "Sorry" not in chat.alerts[-1]
        assert not fake_telegram.unanswered_callbacks


async def test_a_request_missed_while_blocked_survives_a_restart_in_the_inbox(
    settings: Settings, sessions: Sessions, fake_telegram: FakeTelegram
) -> None:
    clock = FrozenClock()
    await make_org(sessions, ASKER, language="en", name="Asker", contact="asker@example.org")
    owner_org = await make_org(sessions, OWNER, language="ru", name="Owner")
    asker = Conversation(fake_telegram, TgUser(ASKER, "A", language_code="en"))
    owner = Conversation(fake_telegram, TgUser(OWNER, "O", language_code="ru"))
    fake_telegram.blocked.add(OWNER)
    async with bot_with_clock(settings, sessions, fake_telegram, clock):
        await _open_card(asker, owner_org)
        await asker.click(tr("en", "📨 Request contact"))
        assert "has been sent" in asker.alerts[-1]
    assert owner.messages() == []  # the notification could not be delivered
    fake_telegram.blocked.discard(OWNER)
    async with bot_with_clock(settings, sessions, fake_telegram, clock):  # a new process
        await owner.send("/menu")
        await owner.click(tr("ru", "📨 Contact requests"))
        text = owner.last_text()
        assert trn("ru", "📨 {n} request is waiting for your answer.",
                   "📨 {n} requests are waiting for your answer.", 1) in text  # fmt: skip
        assert "Asker" in text and "asker@example.org" not in text
        await owner.click(tr("ru", "✅ Accept"))
        assert "asker@example.org" in owner.last_text()
        assert tr("en", "🎉 {name} accepted your request. Their contacts:", name="“Owner”") in (
            asker.last_text()
        )
        await owner.send("/menu")
        await owner.click(tr("ru", "📨 Contact requests"))
        inbox = owner.last_text()
        assert inbox.startswith(tr("ru", "📨 No contact requests are waiting for your answer."))
        assert "Asker" in inbox and "asker@example.org" in inbox  # the introduction stays
    async with reading(sessions) as session:
        owner_row = await session.get(User, OWNER)
    assert owner_row is not None and owner_row.is_active  # writing again re-activated them
