"""The directory bench's query shapes: which filters, page and viewer each measured call uses."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Final

from bench.common import (
    JSON,
)
from bench.directory.fixture import SCRIPTS, Script, _country_of, query_words
from bot.handlers.directory.search import Filters, parse_text
from bot.taxonomy import COUNTRIES, FORMATS, TOPICS

FAR_PAGE: Final = 99  # the 100th page (0-based)
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


def filters_json(query: Query) -> JSON:
    """A query's filters and page as the JSON report shows them."""
    if query.filters is None:
        return {"suggested": True, "page": query.number}
    return {**query.filters.dump(), "page": query.number}
