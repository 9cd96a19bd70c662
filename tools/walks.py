"""How many of the project's files one action crosses: a pytest plugin that traces a test.

    python -m pytest -p tools.walks -q tests/test_x.py::test_y

While the test runs, every call into a module of bot/ or db/ is followed back through its
callers to the handling it belongs to: a handler (a function named `on_…` in a feature's
package) or a scheduler duty (`deliver_due`, …), the outermost one. At the end each handling
is printed in the order it began, with the files whose code ran under it, and the union of
all of them. What every update runs whatever it is (the dispatcher's middlewares, the
routers' filters) and the test's own setup belong to no handling, so they are not counted.
README's "How it is built" gives the figures for the three actions of issue 20.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from types import FrameType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
OURS = (str(ROOT / "bot") + "/", str(ROOT / "db") + "/")
FEATURES = (str(ROOT / "bot" / "handlers") + "/", str(ROOT / "bot" / "features") + "/")
DUTIES = frozenset({"deliver_due", "deliver_digests", "send_followups", "send_badge_reminders"})

# (root frame id, handler name) → files, in the order the handlings began; the root frames
# are kept so that no id is reused by a later handling.
_walks: dict[tuple[int, str], set[str]] = {}
_kept: list[FrameType] = []


def _root(frame: FrameType | None) -> FrameType | None:
    """The outermost handler or duty among `frame` and its callers."""
    found = None
    while frame is not None:
        code = frame.f_code
        if code.co_name in DUTIES or (
            code.co_name.startswith("on_") and code.co_filename.startswith(FEATURES)
        ):
            found = frame
        frame = frame.f_back
    return found


def _profile(frame: FrameType, event: str, _: Any) -> None:
    if event != "call" or not frame.f_code.co_filename.startswith(OURS):
        return
    root = _root(frame)
    if root is None:
        return
    key = (id(root), f"{Path(root.f_code.co_filename).parent.name}.{root.f_code.co_name}")
    if key not in _walks:
        _kept.append(root)
    _walks.setdefault(key, set()).add(str(Path(frame.f_code.co_filename).relative_to(ROOT)))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    """Trace the test's body (not its fixtures' setup)."""
    sys.setprofile(_profile)
    try:
        yield
    finally:
        sys.setprofile(None)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Each handling with its files, then the union."""
    write = terminalreporter.write_line
    union: set[str] = set()
    for index, ((_, name), files) in enumerate(_walks.items()):
        union |= files
        write(f"{index:3} {name}: {len(files)} files: {' '.join(sorted(files))}")
    write(f"all handlings: {len(union)} files in {len({str(Path(f).parent) for f in union})} "
          f"folders: {' '.join(sorted(union))}")  # fmt: skip
