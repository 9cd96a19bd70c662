""" "Already here?": an organisation of the same name in the same country, whatever the
quotes, the case, ё or е, the spaces and the legal form the name is written with."""

from __future__ import annotations

import re
from typing import Final

from bot.handlers.team import queries
from bot.indexing import normalise, words_of
from db.engine import Sessions, reading

# Legal forms in the five languages (and their usual abbreviations), as normalised words;
# longer phrases first, so that "общественный фонд" goes before "фонд".
_FORM_SET: Final = {
    # Russian
    "общественное объединение", "общественный фонд", "благотворительный фонд",
    "некоммерческая организация", "автономная некоммерческая организация",
    "некоммерческое партнерство", "общественная организация", "частное учреждение",
    "корпоративный фонд", "фонд", "оо", "оф", "ано", "нко", "бф", "кф", "нп",
    # Kazakh
    "қоғамдық қоры", "қоғамдық қор", "қоғамдық бірлестігі", "қоғамдық бірлестік",
    "қайырымдылық қоры", "корпоративтік қоры", "коммерциялық емес ұйым", "үкіметтік емес ұйым",
    "қоры", "қор", "ққ", "қб", "қф", "үеұ", "кеұ",
    # Kyrgyz
    "коомдук бирикме", "коомдук бирикмеси", "коомдук фонд", "коомдук фонду", "кайрымдуулук фонду",
    "коммерциялык эмес уюм", "өкмөттүк эмес уюм", "фонду", "кб", "кбу", "өэу",
    # Armenian
    "հասարակական կազմակերպություն", "բարեգործական հիմնադրամ", "հիմնադրամ", "հկ", "հմ", "բհ",
    # English
    "non governmental organisation", "non governmental organization", "non profit organisation",
    "non profit organization", "public foundation", "public association", "charitable foundation",
    "foundation", "charity", "fund", "ngo", "npo", "ngos", "inc",
}  # fmt: skip
LEGAL_FORMS: Final = tuple(sorted(_FORM_SET, key=lambda form: (-len(form.split()), form)))
_FORMS: Final = [re.compile(rf"(?:^| ){re.escape(form)}(?= |$)") for form in LEGAL_FORMS]
CANDIDATES_MAX: Final = 500


def name_key(name: str) -> str:
    """A name as compared: normalised (case, ё/е), without quotes, punctuation, legal
    forms and repeated spaces ("" when nothing but a legal form is left)."""
    words = " ".join(re.findall(r"\w+", normalise(name).replace("_", " ")))
    for form in _FORMS:
        words = form.sub(" ", f" {words} ").strip()
        words = " ".join(words.split())
    return words


async def find_existing(sessions: Sessions, name: str, country: str) -> tuple[int, str, str] | None:
    """`(id, name, city)` of an organisation of `country` whose name matches `name`, not
    banned; None if there is none. Looked up by the name's longest word in the word index,
    then compared whole, so that it stays fast with many organisations."""
    key = name_key(name)
    if not key:
        return None
    longest = max(key.split(), key=len)
    indexed = words_of(longest)
    if not indexed:
        return None
    async with reading(sessions) as session:
        rows = await queries.namesakes(session, next(iter(indexed)), country, CANDIDATES_MAX)
        for organisation_id, found, city in rows:
            if name_key(found) == key:
                return organisation_id, found, city
    return None
