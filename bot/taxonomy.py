"""The shared vocabulary (docs/design.md, section 4): stable codes with translatable labels.

Labels are English msgids marked with `N_` so that pybabel extracts them; they are
translated when rendered, in the reader's language.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final


def N_(message: str) -> str:
    """Mark a string for extraction without translating it now."""
    return message


@dataclass(frozen=True)
class Vocabulary:
    """One list of the taxonomy: ordered codes and their label msgids."""

    name: str
    labels: dict[str, str]

    @property
    def codes(self) -> tuple[str, ...]:
        """The codes in display order."""
        return tuple(self.labels)

    def __contains__(self, code: object) -> bool:
        return code in self.labels

    def mask(self, codes: Iterable[str]) -> int:
        """Codes as bits: bit i is the i-th code (see STORED ORDER below: append-only)."""
        chosen = set(codes)
        return sum(1 << index for index, code in enumerate(self.labels) if code in chosen)


COUNTRIES: Final = Vocabulary(
    "country",
    {
        "RU": N_("Russia"),
        "KZ": N_("Kazakhstan"),
        "AM": N_("Armenia"),
        "KG": N_("Kyrgyzstan"),
        "BY": N_("Belarus"),
        "UZ": N_("Uzbekistan"),
        "TJ": N_("Tajikistan"),
        "AZ": N_("Azerbaijan"),
        "MD": N_("Moldova"),
        "TM": N_("Turkmenistan"),
        "OTHER": N_("Another country"),
    },
)

FLAGS: Final[dict[str, str]] = {
    "RU": "🇷🇺", "KZ": "🇰🇿", "AM": "🇦🇲", "KG": "🇰🇬", "BY": "🇧🇾", "UZ": "🇺🇿",
    "TJ": "🇹🇯", "AZ": "🇦🇿", "MD": "🇲🇩", "TM": "🇹🇲", "OTHER": "🌐",
}  # fmt: skip

# STORED ORDER: the order of FOCUS_AREAS, TOPICS, FORMATS and BARRIERS is saved in the database:
# organisations' tags are also kept as bit masks, bit i = the vocabulary's i-th code
# (`Vocabulary.mask`). New codes are appended at the end only; never insert, reorder or
# remove one, or every stored mask silently changes meaning. tests/kernel/test_taxonomy_order.py
# holds today's order frozen.
FOCUS_AREAS: Final = Vocabulary(
    "focus",
    {
        "children": N_("Children and families"),
        "disability": N_("Disability and inclusion"),
        "elderly": N_("Older people"),
        "health": N_("Health"),
        "education": N_("Education"),
        "ecology": N_("Ecology and environment"),
        "poverty": N_("Poverty and social support"),
        "culture": N_("Culture and heritage"),
        "volunteering": N_("Volunteering and civic participation"),
        "migrants": N_("Migrants and compatriots"),
        "animals": N_("Animal welfare"),
        "community": N_("Local community development"),
        "other": N_("Other"),
    },
)

TOPICS: Final = Vocabulary(
    "topic",
    {
        "core": N_("Our core topic"),
        "fundraising": N_("Fundraising"),
        "events": N_("Organising events"),
        "government": N_("Working with government agencies"),
        "management": N_("Management and organisational development"),
        "impact": N_("Measuring social impact"),
        "volunteers": N_("Volunteer management"),
        "communications": N_("Communications and media"),
        "projects": N_("Project management"),
        "reporting": N_("Reporting and non-financial reporting"),
        "corporate": N_("Corporate partnerships"),
        "legal": N_("Legal and accounting"),
        "digital": N_("Digital tools"),
    },
)

FORMATS: Final = Vocabulary(
    "format",
    {
        "online_conf": N_("Online conferences"),
        "offline_conf": N_("Offline conferences and fora"),
        "internships": N_("Internships"),
        "webinars": N_("Webinars"),
        "meetings": N_("Face-to-face meetings"),
        "joint_projects": N_("Joint projects"),
        "mentoring": N_("Mentoring and consultations"),
    },
)

BARRIERS: Final = Vocabulary(
    "barrier",
    {
        "strategy": N_("No common strategy"),
        "platforms": N_("Few platforms to exchange experience"),
        "cost": N_("Cost of meetings"),
        "political": N_("Political situation"),
        "state_policy": N_("No systemic state policy"),
        "legislation": N_("Legislation concerns"),
        "language": N_("Language"),
        "other": N_("Other"),
    },
)

WORK_LANGUAGES: Final = Vocabulary(
    "language",
    {
        "ru": N_("Russian"),
        "kk": N_("Kazakh"),
        "hy": N_("Armenian"),
        "ky": N_("Kyrgyz"),
        "en": N_("English"),
        "uz": N_("Uzbek"),
        "tg": N_("Tajik"),
        "az": N_("Azerbaijani"),
        "be": N_("Belarusian"),
        "ro": N_("Romanian"),
        "tk": N_("Turkmen"),
        "other": N_("Another language"),
    },
)

EVENT_KINDS: Final = Vocabulary(
    "event_kind",
    {
        "webinar": N_("Webinar"),
        "internship": N_("Internship"),
        "conference": N_("Conference or forum"),
        "course": N_("Online course"),
        "meeting": N_("Meeting"),
    },
)

ALL_VOCABULARIES: Final = (
    COUNTRIES,
    FOCUS_AREAS,
    TOPICS,
    FORMATS,
    BARRIERS,
    WORK_LANGUAGES,
    EVENT_KINDS,
)
