"""Catalog completeness: every message in every language, same placeholders, right plurals;
each language in its own letters, and one term per concept (tests/glossary)."""

from __future__ import annotations

import gettext
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

from bot.i18n import LOCALES_DIR
from bot.languages import LANGUAGES
from bot.taxonomy import ALL_VOCABULARIES

PLACEHOLDER = re.compile(r"\{(\w*)\}")
TAG = re.compile(r"</?(\w+)[^>]*>")
PLURAL_FORMS = {"ru": 3, "kk": 2, "hy": 2, "ky": 2, "en": 2}
PLURAL_RULE_SAMPLES = {
    "ru": {1: 0, 2: 1, 5: 2, 11: 2, 21: 0, 22: 1},
    "hy": {0: 0, 1: 0, 2: 1},
    "kk": {1: 0, 2: 1},
    "ky": {1: 0, 2: 1},
    "en": {1: 0, 2: 1},
}


GLOSSARY_DIR = Path(__file__).resolve().parents[1] / "glossary"

CYRILLIC = "\u0400-\u04ff"
ARMENIAN = "\u0530-\u058f\ufb13-\ufb17"  # letters, ։ ՝ ՞ and the ligatures
KAZAKH_ONLY = "әғқұһіӘҒҚҰҺІ"  # Kazakh letters Kyrgyz does not have (ң ө ү are in both)
KAZAKH_KYRGYZ = "әғқңөұүһіӘҒҚҢӨҰҮҺІ"  # the letters Kazakh and Kyrgyz add to Russian
# Letters that have no place in a language's texts (placeholders and HTML tags aside).
FOREIGN_LETTERS: dict[str, dict[str, str]] = {
    "ru": {"Kazakh or Kyrgyz": KAZAKH_KYRGYZ, "Armenian": ARMENIAN},
    "kk": {"Armenian": ARMENIAN},
    "ky": {"Kazakh-only": KAZAKH_ONLY, "Armenian": ARMENIAN},
    "hy": {"Cyrillic": CYRILLIC},
    "en": {"Cyrillic": CYRILLIC, "Armenian": ARMENIAN},
}


def _catalog(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def _ids(catalog: Catalog) -> set[str]:
    return {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id}


def _forms(message: Message) -> list[str]:
    if isinstance(message.string, tuple | list):
        return [str(form or "") for form in message.string]
    return [str(message.string or "")]


def _sources(message: Message) -> list[str]:
    return list(message.id) if isinstance(message.id, tuple | list) else [message.id]


def _translations(language: str) -> list[tuple[str, str]]:
    """(msgid, msgstr form) for every form of every message of `language`."""
    catalog = _catalog(LOCALES_DIR / language / "LC_MESSAGES" / "messages.po", language)
    return [(_sources(m)[0], form) for m in catalog if m.id for form in _forms(m)]


@dataclass(frozen=True)
class Term:
    """A glossary line: the term to use for a concept, and the variants not to use."""

    concept: str
    preferred: str
    forbidden: tuple[str, ...]


VARIANT = re.compile(r"\s*(/(?:[^/\\]|\\.)+/|[^,]+?)\s*(?:,|$)")


def _pattern(variant: str) -> re.Pattern[str]:
    """`/regex/`, or words where `*` stands for any letters; case is ignored."""
    if len(variant) > 2 and variant.startswith("/") and variant.endswith("/"):
        return re.compile(variant[1:-1], re.IGNORECASE)
    return re.compile(re.escape(variant).replace(r"\*", r"\w*"), re.IGNORECASE)


def _glossary(language: str) -> list[Term]:
    """tests/glossary/<language>.txt: `concept: preferred | forbidden, forbidden` lines."""
    terms = []
    text = (GLOSSARY_DIR / f"{language}.txt").read_text(encoding="utf-8")
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        concept, colon, rest = line.partition(": ")
        preferred, bar, forbidden = rest.partition(" | ")
        variants = [m.group(1) for m in VARIANT.finditer(forbidden) if m.group(1)]
        if not (colon and bar and preferred.strip() and variants):
            raise ValueError(f"glossary/{language}.txt:{number}: not `concept: term | variants`")
        terms.append(Term(concept, preferred.strip(), tuple(variants)))
    return terms


TEMPLATE = _catalog(LOCALES_DIR / "messages.pot")


def test_template_matches_the_code(tmp_path: Path) -> None:
    """A string added to the code but not extracted into the catalogs fails here."""
    fresh = tmp_path / "fresh.pot"
    subprocess.run(
        [str(Path(sys.executable).parent / "pybabel"), "-q", "extract", "--no-location",
         "-k", "_:1,1t", "-k", "_:1,2", "-k", "__", "-k", "N_", "-k", "plural:1,2", "-k", "pgettext:1c,2", "-k", "NC_:1c,2",
         "--input-dirs=bot", "-o", str(fresh)],
        check=True, cwd=LOCALES_DIR.parent.parent, capture_output=True,
    )  # fmt: skip
    assert _ids(_catalog(fresh)) == _ids(TEMPLATE), "run `make extract` and translate"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated_with_the_same_placeholders(language: str) -> None:
    catalog = _catalog(LOCALES_DIR / language / "LC_MESSAGES" / "messages.po", language)
    assert _ids(catalog) >= _ids(TEMPLATE), f"{language}: missing messages, run `make extract`"
    problems = []
    for message in catalog:
        if not message.id:
            continue
        sources = _sources(message)
        wanted_placeholders = set().union(*(set(PLACEHOLDER.findall(s)) for s in sources))
        wanted_tags = sorted(TAG.findall(sources[0]))
        if "fuzzy" in message.flags:
            problems.append(f"fuzzy: {sources[0]!r}")
        forms = _forms(message)
        if isinstance(message.id, tuple | list) and len(forms) != PLURAL_FORMS[language]:
            problems.append(f"{len(forms)} plural forms: {sources[0]!r}")
        for form in forms:
            if not form or not form.strip():
                problems.append(f"untranslated: {sources[0]!r}")
            elif set(PLACEHOLDER.findall(form)) != wanted_placeholders:
                problems.append(f"placeholders differ: {sources[0]!r} -> {form!r}")
            elif sorted(TAG.findall(form)) != wanted_tags:
                problems.append(f"HTML tags differ: {sources[0]!r} -> {form!r}")
    assert problems == [], f"{language}:\n" + "\n".join(problems)


@pytest.mark.parametrize("language", LANGUAGES)
def test_plural_rule_is_right_for_the_language(language: str) -> None:
    catalog = _catalog(LOCALES_DIR / language / "LC_MESSAGES" / "messages.po", language)
    assert catalog.num_plurals == PLURAL_FORMS[language]
    rule = gettext.c2py(catalog.plural_expr)
    for count, index in PLURAL_RULE_SAMPLES[language].items():
        assert rule(count) == index, (language, count)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_taxonomy_code_has_a_label(language: str) -> None:
    catalog = _catalog(LOCALES_DIR / language / "LC_MESSAGES" / "messages.po", language)
    missing = [
        f"{vocabulary.name}.{code}"
        for vocabulary in ALL_VOCABULARIES
        for code, label in vocabulary.labels.items()
        if not getattr(catalog.get(label), "string", None)
    ]
    assert missing == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_texts_use_only_the_letters_of_their_language(language: str) -> None:
    """No Kazakh-only letter in Kyrgyz, no Cyrillic in Armenian, no Armenian elsewhere..."""
    problems = [
        f"{script} {sorted(set(found))} in {msgid!r} -> {form!r}"
        for msgid, form in _translations(language)
        for script, letters in FOREIGN_LETTERS[language].items()
        if (found := re.findall(f"[{letters}]", PLACEHOLDER.sub("", TAG.sub("", form))))
    ]
    assert problems == [], f"{language}:\n" + "\n".join(problems)


@pytest.mark.parametrize("language", LANGUAGES)
def test_one_term_per_concept(language: str) -> None:
    """tests/glossary/<language>.txt: the preferred term is used, no forbidden variant is."""
    translations = _translations(language)
    problems = []
    for term in _glossary(language):
        if not any(_pattern(term.preferred).search(form) for _, form in translations):
            problems.append(f"{term.concept}: {term.preferred} is used nowhere")
        for variant in term.forbidden:
            pattern = _pattern(variant)
            problems += [
                f"{term.concept}: {variant} (use {term.preferred}) in {msgid[:40]!r}: "
                f"…{form[max(found.start() - 20, 0) : found.end() + 20]}…"
                for msgid, form in translations
                if (found := pattern.search(form))
            ]
    assert problems == [], f"{language}:\n" + "\n".join(problems)


def test_extracting_with_nothing_changed_changes_nothing(tmp_path: Path) -> None:
    """`make extract` on an untouched checkout leaves every catalog byte for byte."""
    from tools import extract

    copy = tmp_path / "locales"
    shutil.copytree(LOCALES_DIR, copy, ignore=shutil.ignore_patterns("*.mo"))
    extract.main(copy)
    for original in LOCALES_DIR.rglob("*.po*"):
        assert (copy / original.relative_to(LOCALES_DIR)).read_bytes() == original.read_bytes(), (
            original
        )


QUOTED_PLACEHOLDER = re.compile(r"[«\"“„]\s*\{(?:name|title|filter|partner)\}\s*[»\"”“]")
SPACED_IN_QUOTES = re.compile(r"«\s+\{\w*\}|\{\w*\}\s+»")
QUOTE_TEMPLATE = "“{name}”"  # shared_texts.quoted: the one place a name gets its quotes


@pytest.mark.parametrize("language", LANGUAGES)
def test_names_are_quoted_by_the_code_not_by_the_texts(language: str) -> None:
    """A name may hold quotes of its own («Фонд «Надёжный берег»»): the code decides whether
    to add the language's, so no text wraps a name in quotes, nor « {name} » with spaces."""
    problems = [
        f"{msgid!r} -> {form!r}"
        for msgid, form in _translations(language)
        if msgid != QUOTE_TEMPLATE
        and (QUOTED_PLACEHOLDER.search(form) or SPACED_IN_QUOTES.search(form))
    ]
    assert problems == [], f"{language}:\n" + "\n".join(problems)
