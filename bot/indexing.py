"""What the directory indexes about an organisation: normalised words and tag bit masks
(`Vocabulary.mask` turns codes into bits).

Pure functions, shared by the profile service (on every save) and the migration that
back-fills existing organisations.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Any, Final

from bot.taxonomy import BARRIERS, FOCUS_AREAS, FORMATS, TOPICS, Vocabulary

WORD_MAX: Final = 64
_WORD = re.compile(r"\w+")

# Which answer goes into which mask column, over which vocabulary.
MASKS: Final[dict[str, tuple[str, Vocabulary]]] = {
    "share_mask": ("can_share", TOPICS),
    "learn_mask": ("want_learn", TOPICS),
    "focus_mask": ("focus_areas", FOCUS_AREAS),
    "format_mask": ("formats", FORMATS),
}


def normalise(text: str) -> str:
    """Fold case and compatibility forms the same way for stored and searched words
    (Cyrillic incl. ә ғ қ ң ө ұ ү һ і, Armenian, Latin); ё is searched as е.
    Changing this needs a migration that rebuilds `organisation_words`."""
    # Armenian և is "ԵՎ" in capitals (reformed spelling): search it as ե + վ, not NFKC's ե + ւ.
    folded = unicodedata.normalize("NFKC", text.replace("և", "եվ")).casefold()
    return folded.replace("ё", "е").replace("եւ", "եվ")


def words_of(*texts: str | None) -> set[str]:
    """The distinct normalised words of `texts` (underscores split words too)."""
    found: set[str] = set()
    for text in texts:
        if text:
            for word in _WORD.findall(normalise(text).replace("_", " ")):
                found.add(word[:WORD_MAX])
    return found


def masks_of(answers: Mapping[str, Any]) -> dict[str, int]:
    """The four mask columns for a profile's answers."""
    return {
        column: vocabulary.mask(answers.get(step) or ())
        for column, (step, vocabulary) in MASKS.items()
    }


def barrier_mask_of(answers: Mapping[str, Any]) -> int:
    """The barriers' mask column (/stats sums it; migration 0019 filled it in from the
    tags): apart from MASKS, which are the directory's and migration 0002's."""
    return BARRIERS.mask(answers.get("barriers") or ())
