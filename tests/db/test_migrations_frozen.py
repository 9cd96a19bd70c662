"""Migrations never import live code: each keeps a frozen copy of what it needs, and the
copy in 0002 (the directory back-fill) indexes exactly as the live code does."""

from __future__ import annotations

import ast
import importlib
import importlib.util
from itertools import combinations
from pathlib import Path
from types import ModuleType

import pytest

VERSIONS = Path(__file__).resolve().parents[2] / "db" / "migrations" / "versions"
FORBIDDEN = {"bot", "db", "."}  # the project's packages; "." a relative import

NAMES = [
    # Russian
    "Фонд «Надежда»",
    "Ёлка Надежды, г. Екатеринбург",
    "БЛАГОТВОРИТЕЛЬНЫЙ ФОНД помощи детям",
    # Kazakh
    "Қамқор қоғамдық қоры",
    "Әлеуметтік көмек, Өскемен, Ұлытау, Үміт, Һ Һ і І Ғ ғ Ң ң",
    "ШЫМКЕНТ ҚАЛАСЫ: ӘЙЕЛДЕР ҮЙІ",
    # Kyrgyz
    "Бишкек шаарындагы Үмүт коомдук бирикмеси",
    "Жаңы Өнүгүү, Ысык-Көл",
    # Armenian, with և in lower case, ԵՎ in capitals and the older եւ spelling
    "Երևան",
    "ԵՐԵՎԱՆ ԵՎ ԳՅՈՒՄՐԻ",
    "Երեւան եւ Գյումրի",
    "Հայաստանի երեխաների և ընտանիքների աջակցության հիմնադրամ",
    # English and mixed scripts
    "Hope for Children Foundation",
    "STRASSE straße Straße",
    "open_data_lab, ﬁnance ＦＵＬＬＷＩＤＴＨ №5 ½",
    "Bridge-Kazakhstan / Мост-Армения / Կամուրջ",
    "x" * 70 + " " + "қ" * 65,
    "",
    "   ,,, ---",
]

TEXTS: list[tuple[str | None, ...]] = [
    ("Қамқор Fund", "Алматы", "Helping children"),
    ("Фонд «Надежда»", None, "Помогаем детям и пожилым людям"),
    ("Երևանի կանաչ", "Գյումրի", None),
    ("Үмүт", "Бишкек", "Жаштар үчүн долбоорлор; ӨНҮГҮҮ"),
    (None, None, None),
    ("", "Astana", ""),
]


def _migration(filename: str) -> ModuleType:
    """A migration module loaded from its file, as Alembic does (not through a package)."""
    path = VERSIONS / filename
    spec = importlib.util.spec_from_file_location(f"frozen_migration_{path.stem}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _live_indexing() -> ModuleType:
    return importlib.import_module("bot.indexing")


@pytest.fixture(scope="module")
def frozen() -> ModuleType:
    return _migration("0002_directory_contacts_and_trust.py")


@pytest.fixture(scope="module")
def live() -> ModuleType:
    return _live_indexing()


def _imported_packages(tree: ast.AST) -> set[str]:
    """Top-level packages a module imports anywhere in it ('.' for relative imports)."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            found.add("." if node.level else (node.module or "").split(".")[0])
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", None))
            in {"import_module", "__import__"}
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            found.add(node.args[0].value.split(".")[0])
    return found


def test_no_migration_imports_the_project() -> None:
    files = sorted(VERSIONS.glob("*.py"))
    assert len(files) >= 6
    offenders = {}
    for path in files:
        imported = _imported_packages(ast.parse(path.read_text(encoding="utf-8")))
        if imported & FORBIDDEN:
            offenders[path.name] = sorted(imported & FORBIDDEN)
    assert offenders == {}


def test_the_import_check_sees_project_imports() -> None:
    source = (
        "import bot.taxonomy\n"
        "def f():\n    from db.models import Organisation\n"
        "from . import sibling\n"
        "importlib.import_module('bot.services.indexing')\n"
        "import sqlalchemy as sa\nfrom alembic import op\n"
    )
    assert _imported_packages(ast.parse(source)) == {"bot", "db", ".", "sqlalchemy", "alembic"}


def test_the_frozen_normalisation_matches_the_live_one(
    frozen: ModuleType, live: ModuleType
) -> None:
    assert frozen.WORD_MAX == live.WORD_MAX
    for name in NAMES:
        assert frozen.normalise(name) == live.normalise(name), name
        assert frozen.words_of(name) == live.words_of(name), name
    for texts in TEXTS:
        assert frozen.words_of(*texts) == live.words_of(*texts), texts
    assert frozen.words_of(*NAMES) == live.words_of(*NAMES)
    # The special cases themselves, so that the equalities above are not vacuous.
    assert frozen.words_of("Ёлка ԵՐԵՎԱՆ ԵՎ Երեւան Երևան straße ﬁ_ＸＹ ҚҺІ") == {
        "елка", "երեվան", "եվ", "strasse", "fi", "xy", "қһі",
    }  # fmt: skip
    assert {len(word) for word in frozen.words_of("x" * 70, "қ" * 65)} == {frozen.WORD_MAX}


def test_the_frozen_vocabularies_are_the_live_stored_order(
    frozen: ModuleType, live: ModuleType
) -> None:
    assert set(frozen.MASKS) == set(live.MASKS)
    for column, (step, codes) in frozen.MASKS.items():
        live_step, vocabulary = live.MASKS[column]
        assert step == live_step
        assert vocabulary.codes[: len(codes)] == codes, column  # live codes are append-only


def _tag_sets(codes: tuple[str, ...]) -> list[list[str]]:
    """Empty, each code alone, every pair, all codes, and some with an unknown code."""
    return [
        [],
        *([code] for code in codes),
        *(list(pair) for pair in combinations(codes, 2)),
        list(codes),
        list(reversed(codes)),
        [codes[0], codes[0], codes[-1]],
        ["no_such_code", codes[1]],
    ]


def test_the_frozen_masks_match_the_live_ones(frozen: ModuleType, live: ModuleType) -> None:
    for column, (step, codes) in frozen.MASKS.items():
        vocabulary = live.MASKS[column][1]
        for tags in _tag_sets(codes):
            assert frozen.mask(codes, tags) == vocabulary.mask(tags), (column, tags)
            one = {step: tags}
            assert frozen.masks_of(one) == live.masks_of(one), one
    answers: dict[str, object] = {
        "can_share": ["fundraising", "digital"],
        "want_learn": ["impact", "management"],
        "focus_areas": ["children", "health", "other"],
        "formats": ["webinars", "mentoring"],
        "name": "ignored",
    }
    assert frozen.masks_of(answers) == live.masks_of(answers)
    assert frozen.masks_of({}) == live.masks_of({}) == dict.fromkeys(frozen.MASKS, 0)
    nones = dict.fromkeys(("can_share", "want_learn", "focus_areas", "formats"))
    assert frozen.masks_of(nones) == live.masks_of(nones)


def test_the_barrier_mask_migration_keeps_the_live_stored_order() -> None:
    """0019 fills `barrier_mask` in from the tags with its own copy of the barriers' order;
    the profile service writes it with the live one (`indexing.barrier_mask_of`)."""
    barriers = importlib.import_module("bot.taxonomy").BARRIERS
    frozen_order = _migration("0019_barrier_mask.py").BARRIERS
    assert frozen_order == barriers.codes
    indexing = _live_indexing()
    assert indexing.barrier_mask_of({"barriers": ["platforms", "other"]}) == 2 | 128
    assert indexing.barrier_mask_of({"barriers": None}) == indexing.barrier_mask_of({}) == 0
