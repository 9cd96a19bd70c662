"""Every module of posts imports first, in a fresh interpreter, without an import cycle
(texts once needed a lazy import from posting, and failed when imported first)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

POSTS = Path(__file__).resolve().parents[3] / "bot" / "handlers" / "posts"

# Each module imported first: the posts modules loaded before it are forgotten.
SCRIPT = """
import importlib, sys
failed = []
for name in sys.argv[1:]:
    for loaded in [m for m in sys.modules if m.startswith("bot.handlers.")]:
        del sys.modules[loaded]
    try:
        importlib.import_module("bot.handlers.posts." + name)
    except ImportError as error:
        failed.append(f"{name}: {error}")
print("\\n".join(failed))
"""


def test_each_posts_module_imports_first_without_a_cycle() -> None:
    names = sorted(path.stem for path in POSTS.glob("*.py") if path.stem != "__init__")
    assert {"texts", "posting", "review", "reviewing", "refusals"} <= set(names)
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, *names],
        capture_output=True, text=True, check=True, cwd=POSTS.parents[2], timeout=120,
    )  # fmt: skip
    assert done.stdout.strip() == ""
