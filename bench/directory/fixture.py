"""The directory bench's fixture: synthetic organisations (names, cities and descriptions in
five languages, tags, masks, words, members), deterministic for a seed."""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Final

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncEngine

from bench.common import (
    JSON,
)
from bot.indexing import barrier_mask_of, masks_of, words_of
from bot.taxonomy import BARRIERS, COUNTRIES, FOCUS_AREAS, FORMATS, TOPICS, WORK_LANGUAGES
from db import directory
from db.models import (
    MaskValue,
    Membership,
    Organisation,
    OrganisationTag,
    OrganisationWord,
    User,
)

USER_ID_BASE: Final = 800_000_000
COLLEAGUE_ID_BASE: Final = 900_000_000  # members besides the owner: 0 to 4 per organisation
CHUNK: Final = 10_000  # organisations per transaction of the fixture
# -- synthetic organisations ---------------------------------------------------------------------


@dataclass(frozen=True)
class Script:
    """Word lists of one language: organisation kinds and names, cities, description
    phrases. `pattern` puts a kind and a name together as that language does."""

    code: str
    share: float  # of the organisations
    pattern: str
    kinds: tuple[str, ...]
    names: tuple[str, ...]
    phrases: tuple[str, ...]
    cities: dict[str, tuple[str, ...]]  # country -> cities, in this script
    country_weights: dict[str, int]


# fmt: off
SCRIPTS: Final = (
    Script(
        code="ru",
        share=0.4,
        pattern="{kind} «{name}»",
        kinds=(
            "Фонд", "Центр", "Ассоциация", "Союз", "Движение", "Клуб", "Общество",
        ),
        names=(
            "Надежда", "Радуга", "Милосердие", "Родник", "Солнце", "Будущее", "Вера", "Забота",
            "Маяк", "Дорога", "Крылья", "Исток", "Ковчег", "Свеча", "Лучик", "Открытое сердце",
            "Добрые руки", "Зелёный город",
        ),
        phrases=(
            "помогаем детям и семьям", "поддержка пожилых людей", "обучение волонтёров",
            "экологические проекты", "инклюзивное образование", "защита животных",
            "развитие местного сообщества", "помощь мигрантам", "культурное наследие",
            "бесплатные консультации юристов", "сбор средств", "социальное предпринимательство",
            "реабилитация после болезни", "летние лагеря для подростков",
            "горячая линия психологической помощи", "продуктовые наборы нуждающимся",
            "работа с государственными органами", "наставничество для молодых специалистов",
        ),
        cities={
            "RU": ("Москва", "Казань", "Новосибирск", "Екатеринбург", "Самара", "Пермь", "Томск"),
            "BY": ("Минск", "Гомель", "Брест"),
            "KZ": ("Алматы", "Астана", "Караганда"),
            "KG": ("Бишкек", "Ош"),
            "UZ": ("Ташкент", "Самарканд"),
            "TJ": ("Душанбе", "Худжанд"),
            "AZ": ("Баку", "Гянджа"),
            "MD": ("Кишинёв", "Бельцы"),
            "TM": ("Ашхабад",),
            "OTHER": ("Тбилиси", "Берлин"),
        },
        country_weights={
            "RU": 55, "BY": 10, "KZ": 10, "KG": 5, "UZ": 6, "TJ": 4, "AZ": 3, "MD": 4, "TM": 2,
            "OTHER": 1,
        },
    ),
    Script(
        code="kk",
        share=0.2,
        pattern="«{name}» {kind}",
        kinds=(
            "қоры", "орталығы", "қауымдастығы", "одағы", "қозғалысы", "клубы",
        ),
        names=(
            "Үміт", "Нұр", "Шапағат", "Бақыт", "Жарық", "Мейірім", "Қамқор", "Болашақ", "Ақ жол",
            "Дәрумен", "Қаһарман", "Сенім", "Бірлік", "Өркен", "Көктем",
        ),
        phrases=(
            "балаларға және отбасыларға көмек", "қарт адамдарды қолдау", "еріктілерді оқыту",
            "экологиялық жобалар", "инклюзивті білім беру", "жануарларды қорғау",
            "жергілікті қауымдастықты дамыту", "көші-қон өкілдеріне көмек", "мәдени мұра",
            "тегін заң кеңестері", "қаражат жинау", "әлеуметтік кәсіпкерлік",
            "мүгедектігі бар адамдарды оңалту", "жасөспірімдерге арналған жазғы лагерьлер",
            "психологиялық көмек желісі", "мұқтаж жандарға азық-түлік", "шаһар тұрғындарына қызмет",
            "мемлекеттік органдармен жұмыс",
        ),
        cities={
            "KZ": (
                "Алматы", "Астана", "Шымкент", "Қарағанды", "Ақтөбе", "Павлодар", "Өскемен",
                "Семей", "Тараз", "Атырау",
            ),
        },
        country_weights={
            "KZ": 1,
        },
    ),
    Script(
        code="hy",
        share=0.15,
        pattern="«{name}» {kind}",
        kinds=(
            "հիմնադրամ", "կենտրոն", "ասոցիացիա", "միություն", "շարժում", "ակումբ",
        ),
        names=(
            "Հույս", "Արև", "Լույս", "Ապագա", "Կամուրջ", "Ծիածան", "Աղբյուր", "Սեր", "Հավատ",
            "Բարություն", "Երազ", "Արագիլ", "Նռնենի",
        ),
        phrases=(
            "օգնություն երեխաներին և ընտանիքներին", "տարեցների աջակցություն",
            "կամավորների ուսուցում", "բնապահպանական ծրագրեր", "ներառական կրթություն",
            "կենդանիների պաշտպանություն", "համայնքի զարգացում", "աջակցություն միգրանտներին",
            "մշակութային ժառանգություն", "անվճար իրավաբանական խորհրդատվություն", "դրամահավաք",
            "սոցիալական ձեռնարկատիրություն", "վերականգնողական ծառայություններ",
            "ամառային ճամբարներ դեռահասների համար", "հոգեբանական աջակցության թեժ գիծ",
            "սննդի փաթեթներ կարիքավորներին", "համագործակցություն պետական մարմինների հետ",
        ),
        cities={
            "AM": (
                "Երևան", "Գյումրի", "Վանաձոր", "Էջմիածին", "Աբովյան", "Կապան", "Հրազդան", "Արմավիր",
                "Գորիս", "Դիլիջան",
            ),
        },
        country_weights={
            "AM": 1,
        },
    ),
    Script(
        code="ky",
        share=0.15,
        pattern="«{name}» {kind}",
        kinds=(
            "коомдук фонду", "борбору", "ассоциациясы", "бирикмеси", "кыймылы", "клубу",
        ),
        names=(
            "Үмүт", "Нур", "Мээрим", "Келечек", "Ынтымак", "Жарык", "Күн", "Ак жол", "Береке",
            "Өрнөк", "Чолпон", "Айкөл", "Тилек", "Жаңы муун",
        ),
        phrases=(
            "балдарга жана үй-бүлөлөргө жардам", "карыларды колдоо", "ыктыярчыларды окутуу",
            "экологиялык долбоорлор", "инклюзивдүү билим берүү", "жаныбарларды коргоо",
            "жергиликтүү коомчулукту өнүктүрүү", "мигранттарга жардам", "маданий мурас",
            "акысыз юридикалык кеңештер", "каражат чогултуу", "социалдык ишкердик",
            "ден соолукту чыңдоо жана реабилитация", "өспүрүмдөр үчүн жайкы лагерлер",
            "психологиялык жардам линиясы", "муктаж адамдарга азык-түлүк",
            "тоолуу айылдардагы мектептер", "мамлекеттик органдар менен кызматташтык",
        ),
        cities={
            "KG": (
                "Бишкек", "Ош", "Жалал-Абад", "Каракол", "Токмок", "Нарын", "Талас", "Баткен",
                "Кара-Балта", "Өзгөн",
            ),
        },
        country_weights={
            "KG": 1,
        },
    ),
    Script(
        code="en",
        share=0.1,
        pattern="{name} {kind}",
        kinds=(
            "Foundation", "Centre", "Association", "Alliance", "Network", "Initiative",
        ),
        names=(
            "Hope", "Bright Future", "Open Hearts", "Rainbow", "Lighthouse", "Bridges",
            "New Horizons", "Green Steppe", "Silk Road", "Helping Hands", "Sunrise",
            "Kind Neighbours",
        ),
        phrases=(
            "help for children and families", "support for older people", "volunteer training",
            "environmental projects", "inclusive education", "animal protection",
            "local community development", "support for migrants", "cultural heritage",
            "free legal advice", "fundraising campaigns", "social entrepreneurship",
            "rehabilitation services", "summer camps for teenagers",
            "psychological support hotline", "food parcels for families in need",
            "mentoring for young professionals",
        ),
        cities={
            "RU": ("Moscow", "Kazan"),
            "KZ": ("Almaty", "Astana"),
            "AM": ("Yerevan", "Gyumri"),
            "KG": ("Bishkek", "Osh"),
            "BY": ("Minsk",),
            "UZ": ("Tashkent", "Samarkand"),
            "TJ": ("Dushanbe",),
            "AZ": ("Baku",),
            "MD": ("Chisinau",),
            "TM": ("Ashgabat",),
            "OTHER": ("Tbilisi", "Berlin"),
        },
        country_weights=dict.fromkeys(COUNTRIES.codes, 1),
    ),
)
# fmt: on


def query_words(script: Script) -> list[str]:
    """Normalised words of a script's lists long enough to be searched by a 3-letter prefix."""
    texts = [*script.kinds, *script.names, *script.phrases]
    texts += [city for cities in script.cities.values() for city in cities]
    return sorted(word for word in words_of(*texts) if len(word) >= 3)


@dataclass
class Fixture:
    """What the measurement needs to know of the fixture, and how long it took."""

    viewers: list[int] = field(default_factory=list)  # owners of active organisations
    rows: dict[str, int] = field(default_factory=dict)
    build_s: float = 0.0
    insert_s: float = 0.0


def _pick(rng: random.Random, codes: tuple[str, ...], low: int, high: int) -> list[str]:
    return rng.sample(codes, rng.randint(low, high))


def _script_of(rng: random.Random) -> Script:
    return rng.choices(SCRIPTS, weights=[script.share for script in SCRIPTS])[0]


def _country_of(rng: random.Random, script: Script) -> str:
    return rng.choices(list(script.country_weights), list(script.country_weights.values()))[0]


def team_rows(index: int, owner: JSON, org_id: int) -> tuple[list[JSON], list[JSON]]:
    """The users and memberships of an organisation's team: its owner and 0 to 4
    colleagues (spread evenly by index, so that the other rows stay as they were)."""
    colleagues = [
        {**owner, "id": COLLEAGUE_ID_BASE + index * 4 + k, "first_name": f"Colleague {k}",
         "username": None}
        for k in range((index * 7919) % 5)
    ]  # fmt: skip
    memberships = [
        {"user_id": user["id"], "organisation_id": org_id, "role": "owner" if k == 0 else "member",
         "joined_at": owner["created_at"]}
        for k, user in enumerate([owner, *colleagues])
    ]  # fmt: skip
    return colleagues, memberships


def organisation_rows(
    rng: random.Random, index: int, count: int, now: datetime
) -> tuple[JSON, JSON, list[JSON], list[JSON]]:
    """The owner, organisation, tag and word rows of the `index`-th of `count` organisations
    (1-based ids; ids grow with created_at, as they do in the bot)."""
    org_id = index + 1
    owner_id = USER_ID_BASE + index
    script = _script_of(rng)
    country = _country_of(rng, script)
    cities = script.cities.get(country) or script.cities[next(iter(script.cities))]
    city = rng.choice(cities)
    name = script.pattern.format(kind=rng.choice(script.kinds), name=rng.choice(script.names))
    if rng.random() < 0.3:
        name = f"{name} {city}"
    phrases = rng.sample(script.phrases, rng.randint(3, 5))
    description = ", ".join(phrases).capitalize() + "."
    answers: dict[str, list[str]] = {
        "focus_areas": _pick(rng, FOCUS_AREAS.codes, 1, 3),
        "can_share": _pick(rng, TOPICS.codes, 2, 4),
        "formats": _pick(rng, FORMATS.codes, 1, 3),
        "barriers": _pick(rng, BARRIERS.codes, 0, 2),
    }
    answers["want_learn"] = _pick(
        rng, tuple(c for c in TOPICS.codes if c not in answers["can_share"]), 2, 4
    )
    languages = {script.code}
    if rng.random() < 0.5:
        languages.add(rng.choice(WORK_LANGUAGES.codes))
    answers["languages"] = sorted(languages)
    cross_border = rng.random() < 0.3
    if cross_border:
        others = tuple(code for code in COUNTRIES.codes if code != country)
        answers["cross_border_countries"] = _pick(rng, others, 1, 3)

    created = now - timedelta(days=1095) * (count - index) / count
    verified_at = verified_until = None
    badge = rng.random()
    if badge < 0.20:  # valid: verified within the last year, for a year
        verified_at = now - timedelta(days=rng.uniform(1, 364))
        verified_until = verified_at + timedelta(days=365)
    elif badge < 0.25:  # lapsed
        verified_at = now - timedelta(days=rng.uniform(366, 730))
        verified_until = verified_at + timedelta(days=365)
    moderation = rng.random()
    status = "hidden" if moderation < 0.01 else "banned" if moderation < 0.015 else "active"
    reach = rng.random()
    audience = "all" if reach < 0.85 else "verified" if reach < 0.93 else "country"

    user = {
        "id": owner_id,
        "first_name": f"User {index}",
        "username": f"user_{index}",
        "language": script.code,
        "is_active": True,
        "created_at": created,
        "updated_at": created,
    }
    organisation = {
        "id": org_id,
        "name": name,
        "country": country,
        "city": city,
        "cross_border": cross_border,
        "description": description,
        "website": f"https://ngo{org_id}.example.org" if rng.random() < 0.5 else None,
        "contact": f"@ngo_{org_id}",
        "listed": rng.random() >= 0.03,
        "audience": audience,
        "status": status,
        "verified_at": verified_at,
        "verified_until": verified_until,
        "badge_reminded_at": None,
        **masks_of(answers),
        "barrier_mask": barrier_mask_of(answers),
        "created_at": created,
        "updated_at": created,
    }
    kinds = {
        "focus_areas": "focus",
        "can_share": "share",
        "want_learn": "learn",
        "formats": "format",
        "cross_border_countries": "xb_country",
        "barriers": "barrier",
        "languages": "language",
    }
    tags = [
        {"organisation_id": org_id, "kind": kind, "code": code}
        for step, kind in kinds.items()
        for code in answers.get(step, ())
    ]
    words = [
        {"word": word, "organisation_id": org_id}
        for word in sorted(words_of(name, city, description))
    ]
    return user, organisation, tags, words


async def build_fixture(engine: AsyncEngine, count: int, seed: int, now: datetime) -> Fixture:
    """Insert `count` organisations with their owners, tags and words, in chunks of
    CHUNK organisations per transaction, through Core executemany."""
    rng = random.Random(seed)
    fixture = Fixture()
    rows = dict.fromkeys(
        ("users", "organisations", "organisation_tags", "organisation_words", "memberships"), 0
    )
    mask_values: set[tuple[str, int]] = set()
    start = time.perf_counter()
    for low in range(0, count, CHUNK):
        users: list[JSON] = []
        organisations: list[JSON] = []
        tags: list[JSON] = []
        words: list[JSON] = []
        members: list[JSON] = []
        for index in range(low, min(count, low + CHUNK)):
            user, organisation, its_tags, its_words = organisation_rows(rng, index, count, now)
            colleagues, its_members = team_rows(index, user, organisation["id"])
            users += [user, *colleagues]
            members += its_members
            organisations.append(organisation)
            tags += its_tags
            words += its_words
            if organisation["status"] == "active":
                fixture.viewers.append(user["id"])
        began = time.perf_counter()
        async with engine.begin() as connection:
            await connection.execute(insert(User), users)
            await connection.execute(insert(Organisation), organisations)
            await connection.execute(insert(OrganisationTag), tags)
            await connection.execute(insert(OrganisationWord), words)
            await connection.execute(insert(Membership), members)
        fixture.insert_s += time.perf_counter() - began
        for table, chunk in zip(rows, (users, organisations, tags, words, members), strict=True):
            rows[table] += len(chunk)
        for kind in directory.MATCHED:  # as save_profile records them
            mask_values.update((kind, organisation[kind]) for organisation in organisations)
    began = time.perf_counter()
    async with engine.begin() as connection:
        values = [{"kind": kind, "value": value} for kind, value in sorted(mask_values)]
        await connection.execute(insert(MaskValue), values)
    fixture.insert_s += time.perf_counter() - began
    rows["mask_values"] = len(mask_values)
    fixture.build_s = time.perf_counter() - start
    fixture.rows = rows
    return fixture


def database_size(path: Path) -> JSON:
    """Bytes of the database file and its WAL as they are on disk now."""
    wal = path.with_name(path.name + "-wal")
    db_bytes = path.stat().st_size
    wal_bytes = wal.stat().st_size if wal.exists() else 0
    return {
        "db_bytes": db_bytes,
        "wal_bytes": wal_bytes,
        "total_mb": round((db_bytes + wal_bytes) / 2**20, 1),
    }
