"""`make extract`: re-extract the messages from the code and merge them into every catalog.

Extracting with nothing changed changes nothing: the template keeps its creation date
unless a message changed, every catalog is written at the same width (100), and the
English catalog is filled from the msgids (tools/fill_english.py) in the same pass."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from tools import fill_english

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ROOT / "bot" / "locales"
WIDTH = "100"
KEYWORDS = [
    "-k", "_:1,1t", "-k", "_:1,2", "-k", "__", "-k", "N_", "-k", "plural:1,2",
    "-k", "pgettext:1c,2", "-k", "NC_:1c,2",
]  # fmt: skip
PYBABEL = str(Path(sys.executable).parent / "pybabel")


def _without_dates(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if "-Date:" not in line)


def main(locales: Path = LOCALES) -> None:
    """Extract into a temporary template; keep the old one if only its date differs.
    `locales`: the catalogs to update (another folder than the project's in tests)."""
    pot = locales / "messages.pot"
    with tempfile.TemporaryDirectory() as folder:
        fresh = Path(folder) / "messages.pot"
        subprocess.run(
            [PYBABEL, "-q", "extract", "--no-location", "--sort-output", "--width", WIDTH,
             "--project=ngo-bridge", *KEYWORDS, "--input-dirs=bot", "-o", str(fresh)],
            check=True, cwd=ROOT,
        )  # fmt: skip
        new = fresh.read_text(encoding="utf-8")
        old = pot.read_text(encoding="utf-8") if pot.exists() else ""
        if _without_dates(new) != _without_dates(old):
            pot.write_text(new, encoding="utf-8")
    subprocess.run(
        [PYBABEL, "-q", "update", "--no-fuzzy-matching", "--ignore-obsolete", "--width", WIDTH,
         "-d", str(locales), "-D", "messages", "-i", str(pot)],
        check=True, cwd=ROOT,
    )  # fmt: skip
    fill_english.main(locales / "en" / "LC_MESSAGES" / "messages.po")


if __name__ == "__main__":
    main()
