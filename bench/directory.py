"""Partner directory latency: 100,000 synthetic organisations in SQLite on disk.

    python -m bench.directory [--orgs 100000] [--queries 200] [--warmup 10] [--seed 1]
                              [--json bench/results/search.json] [--db-dir DIR]
                              [--analyze] [--keep]

The fixture is written with SQLAlchemy Core `insert()` executemany, one transaction per
10,000 organisations: users, organisations (tag mask columns from `indexing.masks_of`),
organisation_tags and organisation_words (from `indexing.words_of`), with names, cities
and descriptions in Russian, Kazakh, Armenian, Kyrgyz and English. It is deterministic
for a seed. The engine is `db.engine.create_engine`, configured as the bot's (WAL, …).

Then every shape of query runs `--queries` times through the public service
(`bot.handlers.directory.search.find` / `suggest`), each time for another viewer (the owner of a
random active organisation) and other filter values, after `--warmup` unmeasured runs
per shape; shapes take turns so that noise spreads evenly. Latency is the time around the
service call (its own transaction, the `me` lookup of `find`, count, ids, cards). The
viewer's `me` for "suggested for you" is looked up before the clock starts, as the bot
holds it already when it suggests.

Also recorded per shape: SQL statements per call and the most organisations loaded into
Python by one call (ORM load events), which shows that no shape loads the directory;
and the SQLite query plan of the main statement of each shape.
Exit status 1 when the run was wrong (a call loaded more organisations than its page and
the viewer's own, or a viewer had no profile), not when a target is missed. `--analyze`
gathers planner statistics after the build (the bot gathers none) to compare plans;
`--keep` leaves the database file for experiments.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import random
import sqlite3
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Final

import sqlalchemy
from sqlalchemy import event, insert
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession

from bench.common import (
    JSON,
    RESULTS,
    CpuMeter,
    SqlCounter,
    argument_parser,
    environment,
    finish,
    is_noisy,
    latency_summary,
    machine_load,
    peak_rss_mb,
    print_failures,
)
from bot.handlers.directory import search
from bot.handlers.directory.search import PAGE_SIZE, Filters, Page, parse_text
from bot.indexing import masks_of, words_of
from bot.runner import run_event_loop
from bot.taxonomy import BARRIERS, COUNTRIES, FOCUS_AREAS, FORMATS, TOPICS, WORK_LANGUAGES
from db import directory
from db.engine import Sessions, create_engine, create_session_maker
from db.migrate import upgrade
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
TARGET_P95_MS: Final = 20.0
FAR_PAGE: Final = 99  # the 100th page (0-based)
# The covering indexes "suggested for you" may read (never the table's wide rows); the last
# is the primary key of `mask_values`, the small table of mask values present.
COVERING_INDEXES: Final = (
    "ix_organisations_by_share",
    "ix_organisations_by_learn",
    "sqlite_autoindex_mask_values_1",
)


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


# -- query shapes --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Query:
    """One call: a search with `filters`, or "suggested for you" when filters is None."""

    user_id: int
    filters: Filters | None
    number: int = 0


SHAPES: Final[dict[str, str]] = {
    "one_filter": "one filter (topic)",
    "three_filters": "three filters (topic+country+format)",
    "free_text": "free text (one prefix)",
    "text_filters": "text + filters (topic+country)",
    "suggested": "suggested for you",
    "page100_filter": "100th page, one filter",
    "page100_suggested": "100th page, suggested",
}


class QueryMaker:
    """Random viewers and filter values for each shape."""

    def __init__(self, rng: random.Random, viewers: list[int]) -> None:
        self.rng = rng
        self.viewers = viewers
        self.words = {script.code: query_words(script) for script in SCRIPTS}

    def _text(self) -> tuple[str, Script]:
        script = self.rng.choice(SCRIPTS)  # every script as often
        word = self.rng.choice(self.words[script.code])
        return parse_text(word[: self.rng.randint(3, 5)]), script  # as the handler would

    def make(self, shape: str) -> Query:
        """A query of `shape` for a random viewer."""
        rng = self.rng
        viewer = rng.choice(self.viewers)
        topic = rng.choice(TOPICS.codes)
        if shape == "one_filter":
            return Query(viewer, Filters(topic=topic))
        if shape == "three_filters":
            country, form = rng.choice(COUNTRIES.codes), rng.choice(FORMATS.codes)
            return Query(viewer, Filters(topic=topic, country=country, format=form))
        if shape == "free_text":
            return Query(viewer, Filters(text=self._text()[0]))
        if shape == "text_filters":
            text, script = self._text()
            return Query(viewer, Filters(topic=topic, country=_country_of(rng, script), text=text))
        if shape == "suggested":
            return Query(viewer, None)
        if shape == "page100_filter":
            return Query(viewer, Filters(topic=topic), FAR_PAGE)
        if shape == "page100_suggested":
            return Query(viewer, None, FAR_PAGE)
        raise ValueError(shape)


@dataclass
class ShapeStats:
    """What one shape's measured calls gave."""

    latencies: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)  # process CPU time (both threads) per call
    cards: int = 0
    empty: int = 0
    moved: int = 0
    statements: int = 0
    loaded_max: int = 0
    no_profile: int = 0
    slowest: tuple[float, JSON] = (0.0, {})

    def summary(self) -> JSON:
        calls = max(1, len(self.latencies))
        ms = latency_summary(self.latencies)
        return {
            "n": len(self.latencies),
            "latency_ms": ms,
            "cpu_ms": latency_summary(self.cpu),
            "target_p95_ms": TARGET_P95_MS,
            "met": ms["p95"] is not None and ms["p95"] < TARGET_P95_MS,
            "mean_cards": round(self.cards / calls, 2),
            "empty_pages": self.empty,
            "moved_pages": self.moved,
            "sql_statements_per_call": round(self.statements / calls, 2),
            "max_organisations_loaded_per_call": self.loaded_max,
            "slowest": {"ms": round(self.slowest[0] * 1000, 3), **self.slowest[1]},
        }


class GcMeter:
    """Pauses of Python's cyclic garbage collector, per generation (a full collection
    over many objects shows as a latency outlier)."""

    def __init__(self) -> None:
        self.pauses: dict[int, list[float]] = {0: [], 1: [], 2: []}
        self._start = 0.0

    def _callback(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._start = time.perf_counter()
        else:
            self.pauses[info["generation"]].append(time.perf_counter() - self._start)

    def __enter__(self) -> GcMeter:
        gc.callbacks.append(self._callback)
        return self

    def __exit__(self, *_exc: object) -> None:
        gc.callbacks.remove(self._callback)

    def summary(self) -> JSON:
        return {
            f"gen{generation}": {
                "collections": len(pauses),
                "max_ms": round(max(pauses, default=0.0) * 1000, 3),
            }
            for generation, pauses in self.pauses.items()
        }


class LoadCounter:
    """Counts organisations built in Python: Organisation objects made from rows (ORM load
    events) and the listings `db.directory.load` reads for cards."""

    def __init__(self) -> None:
        self.loaded = 0
        self._load = directory.load

    def _count(self, _target: Any, _context: Any) -> None:
        self.loaded += 1

    async def _listings(self, session: AsyncSession, ids: Sequence[int]) -> list[directory.Listing]:
        found = await self._load(session, ids)
        self.loaded += len(found)
        return found

    def __enter__(self) -> LoadCounter:
        event.listen(Organisation, "load", self._count)
        directory.load = self._listings
        return self

    def __exit__(self, *_exc: object) -> None:
        event.remove(Organisation, "load", self._count)
        directory.load = self._load


async def run_query(
    sessions: Sessions, query: Query, now: datetime
) -> tuple[float, float, Page | None]:
    """Wall and process CPU time of the service call of one query; no page when the viewer
    has no profile. CPU time (the loop's and aiosqlite's threads) hardly depends on what
    else the machine runs, so it shows the cost when wall-clock figures are noisy."""
    # The handler looks the viewer up first, then asks for the page: both are timed.
    start, cpu = time.perf_counter(), time.process_time()
    mine = await search.me(sessions, query.user_id, now)
    if query.filters is None:
        if mine is None:
            return 0.0, 0.0, None
        page = await search.suggest(sessions, mine, query.number, now)
    else:
        page = await search.find(sessions, mine, query.filters, query.number, now)
    return time.perf_counter() - start, time.process_time() - cpu, page


async def measure(
    engine: AsyncEngine,
    sessions: Sessions,
    maker: QueryMaker,
    args: argparse.Namespace,
    now: datetime,
) -> tuple[dict[str, ShapeStats], JSON]:
    """Warm up, then run every shape `args.queries` times, shapes taking turns."""
    for _ in range(args.warmup):
        for shape in SHAPES:
            await run_query(sessions, maker.make(shape), now)
    stats = {shape: ShapeStats() for shape in SHAPES}
    with SqlCounter(engine) as sql, LoadCounter() as loads, CpuMeter() as cpu, GcMeter() as gcm:
        for _ in range(args.queries):
            for shape in SHAPES:
                query = maker.make(shape)
                statements, loaded = sql.statements, loads.loaded
                latency, cpu_time, page = await run_query(sessions, query, now)
                shape_stats = stats[shape]
                if page is None:
                    shape_stats.no_profile += 1
                    continue
                shape_stats.latencies.append(latency)
                shape_stats.cpu.append(cpu_time)
                if latency > shape_stats.slowest[0]:
                    shape_stats.slowest = (latency, _filters_json(query))
                shape_stats.statements += sql.statements - statements
                shape_stats.loaded_max = max(shape_stats.loaded_max, loads.loaded - loaded)
                shape_stats.cards += len(page.cards)
                shape_stats.empty += not page.cards
                shape_stats.moved += page.moved
    calls = sum(len(s.latencies) for s in stats.values())
    return stats, {**cpu.summary(calls), "gc": gcm.summary()}


# -- query plans ---------------------------------------------------------------------------------


@contextlib.contextmanager
def captured(engine: AsyncEngine) -> Iterator[list[tuple[str, Any]]]:
    """The statements (and their parameters) sent to the database inside the block."""
    statements: list[tuple[str, Any]] = []

    def capture(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_args: Any) -> None:
        statements.append((statement, parameters))

    event.listen(engine.sync_engine, "before_cursor_execute", capture)
    try:
        yield statements
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", capture)


def plan_tree(rows: list[Any]) -> list[str]:
    """EXPLAIN QUERY PLAN rows (id, parent, notused, detail) as indented lines."""
    depth: dict[int, int] = {0: -1}
    lines = []
    for node, parent, _unused, detail in rows:
        depth[node] = depth.get(parent, -1) + 1
        lines.append("  " * depth[node] + detail)
    return lines


async def explain(connection: AsyncConnection, statement: str, parameters: Any) -> list[str]:
    """The SQLite query plan of one captured statement."""
    result = await connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)
    return plan_tree(list(result))


async def query_plans(
    engine: AsyncEngine,
    sessions: Sessions,
    maker: QueryMaker,
    now: datetime,
) -> JSON:
    """For one query of each shape: the SQL of its ids query (and count) and their plans."""
    plans: JSON = {}
    for shape in SHAPES:
        query = maker.make(shape)
        with captured(engine) as statements:
            await run_query(sessions, query, now)
        main = [
            (sql, params)
            for sql, params in statements
            if "ORDER BY" in sql or "count(*)" in sql.lower()
        ]
        shown: list[JSON] = []
        async with engine.connect() as connection:
            for sql, params in main:
                shown.append(
                    {
                        "sql": " ".join(sql.split()),
                        "parameters": list(params),
                        "plan": await explain(connection, sql, params),
                    }
                )
        plans[shape] = {"filters": _filters_json(query), "statements": shown}
    suggestion = plans["suggested"]["statements"]
    lines = [line for statement in suggestion for line in statement["plan"]]
    # Every step of the suggestion must read a covering index: no wide rows, no profiles.
    reads = [line for line in lines if line.lstrip().startswith(("SEARCH", "SCAN"))]
    plans["suggested_uses_covering_index"] = bool(reads) and all(
        any(f"COVERING INDEX {name} " in line for name in COVERING_INDEXES) for line in reads
    )
    return plans


def _filters_json(query: Query) -> JSON:
    if query.filters is None:
        return {"suggested": True, "page": query.number}
    return {**query.filters.dump(), "page": query.number}


# -- the benchmark -------------------------------------------------------------------------------


async def benchmark(args: argparse.Namespace, url: str, path: Path) -> JSON:
    """Build the fixture, measure every shape, read the query plans."""
    engine = create_engine(url)
    sessions = create_session_maker(engine)
    now = datetime.now(UTC)
    try:
        fixture = await build_fixture(engine, args.orgs, args.seed, now)
        size = database_size(path)
        async with engine.connect() as connection:
            page_size = await connection.scalar(sqlalchemy.text("PRAGMA page_size"))
            pages = await connection.scalar(sqlalchemy.text("PRAGMA page_count"))
        size["pages_bytes"] = int(page_size or 0) * int(pages or 0)
        analyze_s = None
        if args.analyze:  # planner statistics (sqlite_stat1), which the bot does not gather
            began = time.perf_counter()
            async with engine.begin() as connection:
                await connection.exec_driver_sql("ANALYZE")
            analyze_s = round(time.perf_counter() - began, 2)
        maker = QueryMaker(random.Random(args.seed + 1), fixture.viewers)
        gc.collect()
        gc.freeze()  # as `python -m bot` does after its imports
        stats, cpu = await measure(engine, sessions, maker, args, now)
        plans = await query_plans(engine, sessions, maker, now)
    finally:
        await engine.dispose()
    return {
        "fixture": {
            "organisations": args.orgs,
            "rows": fixture.rows,
            "build_s": round(fixture.build_s, 2),
            "insert_s": round(fixture.insert_s, 2),
            "organisations_per_transaction": CHUNK,
            "analyze_s": analyze_s,
            "database": size,
        },
        "shapes": {shape: {"label": SHAPES[shape], **s.summary()} for shape, s in stats.items()},
        "no_profile_viewers": sum(s.no_profile for s in stats.values()),
        "cpu": cpu,
        "noisy": is_noisy(cpu),
        "query_plans": plans,
    }


def print_report(result: JSON, config: JSON) -> None:
    """A readable table of the figures and the plan of "suggested for you"."""
    fixture = result["fixture"]
    size = fixture["database"]
    print(
        f"\nDirectory benchmark: {fixture['organisations']} organisations, "
        f"{config['queries']} queries per shape, {config['cpus']} CPUs, "
        f"Python {config['python']}, SQLite {config['sqlite']}, code {config['code']}"
    )
    rows = fixture["rows"]
    print(
        f"fixture: built in {fixture['build_s']:.1f} s ({fixture['insert_s']:.1f} s in the "
        f"database): {rows['users']} users, {rows['organisations']} organisations, "
        f"{rows['organisation_tags']} tags, {rows['organisation_words']} words"
    )
    if fixture["analyze_s"] is not None:
        print(f"ANALYZE after the build: {fixture['analyze_s']:.2f} s")
    print(
        f"database: {size['total_mb']} MB on disk (db {size['db_bytes'] / 2**20:.1f} MB + "
        f"WAL {size['wal_bytes'] / 2**20:.1f} MB; pages in use {size['pages_bytes'] / 2**20:.1f}"
        " MB)"
    )
    header = f"{'shape':<38}{'p50 ms':>8}{'p95 ms':>8}{'max ms':>8}{'cpu p50':>8}"
    print("\n" + header + f"{'SQL':>5}{'loaded':>7}  target p95 < {TARGET_P95_MS:g} ms")
    for shape in result["shapes"].values():
        ms = shape["latency_ms"]
        print(
            f"{shape['label']:<38}{ms['p50']:>8.2f}{ms['p95']:>8.2f}{ms['max']:>8.2f}"
            f"{shape['cpu_ms']['p50']:>8.2f}{shape['sql_statements_per_call']:>5.1f}"
            f"{shape['max_organisations_loaded_per_call']:>7}  "
            + ("met" if shape["met"] else "MISSED")
        )
    print(
        "(cpu: process CPU time per call; SQL: statements "
        "per call, BEGIN included; loaded: most organisations built in Python by one call)"
    )
    cpu = result["cpu"]
    load = machine_load(cpu)
    if load:
        print(load + ("  WARNING: figures are noisy" if result["noisy"] else ""))
    full = cpu["gc"]["gen2"]
    print(
        f"full garbage collections during the run: {full['collections']}, the longest "
        f"{full['max_ms']:.0f} ms (they make the max column)"
    )
    plans = result["query_plans"]
    print('\nquery plan of "suggested for you" (page 0):')
    for statement in plans["suggested"]["statements"]:
        print("  " + statement["sql"])
        for line in statement["plan"]:
            print("    " + line)
    print(f"every step reads a covering index: {plans['suggested_uses_covering_index']}")
    print_failures(result)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argument_parser(__doc__)
    parser.add_argument("--orgs", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200, help="measured calls per shape")
    parser.add_argument("--warmup", type=int, default=10, help="unmeasured calls per shape")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", default=str(RESULTS / "search.json"))
    parser.add_argument("--db-dir", default=None, help="where the temporary SQLite file goes")
    parser.add_argument(
        "--analyze",
        action="store_true",
        help="run ANALYZE after the build, to see plans with statistics (the bot runs none)",
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the database file (its path is printed)"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Create the schema (before the event loop, as `python -m bot` does), run, report."""
    args = parse_args(argv)
    config: JSON = {
        "organisations": args.orgs,
        "queries": args.queries,
        "warmup": args.warmup,
        "seed": args.seed,
        "analyze": args.analyze,
        "page_size": PAGE_SIZE,
        **environment(sqlite=sqlite3.sqlite_version),
    }
    with contextlib.ExitStack() as stack:
        if args.keep:
            directory_path = Path(tempfile.mkdtemp(prefix="ngo-bench-", dir=args.db_dir))
        else:
            directory_path = Path(
                stack.enter_context(
                    tempfile.TemporaryDirectory(prefix="ngo-bench-", dir=args.db_dir)
                )
            )
        path = directory_path / "search.db"
        url = f"sqlite+aiosqlite:///{path}"
        upgrade(url)
        result = run_event_loop(benchmark(args, url, path))
        if args.keep:
            print(f"database kept: {path}")

    failures = []
    for name, shape in result["shapes"].items():
        if shape["max_organisations_loaded_per_call"] > PAGE_SIZE + 1:  # the page and `me`
            failures.append(f"{name} loaded {shape['max_organisations_loaded_per_call']}")
    if result["no_profile_viewers"]:
        failures.append(f"{result['no_profile_viewers']} viewers without a profile")
    result["peak_rss_mb"] = peak_rss_mb()
    result = {"config": config, **result}
    return finish(result, config, failures, args.json, print_report)


if __name__ == "__main__":
    sys.exit(main())
