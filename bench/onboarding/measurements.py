"""What the onboarding bench measures besides latency: a run's summary, errors logged, a
sampling profile of the main thread."""

from __future__ import annotations

import importlib
import logging
import math
import signal
import sys
from collections import Counter
from pathlib import Path
from types import FrameType

from bench.common import (
    JSON,
    ROOT,
    latency_summary,
)
from bench.onboarding.users import Feeder

# -- measurements --------------------------------------------------------------------------------


def run_summary(feeder: Feeder, wall: float) -> JSON:
    """Throughput, latency and what the local Bot API saw, for one measured run."""
    updates = len(feeder.latencies)
    return {
        "updates": updates,
        "wall_s": round(wall, 3),
        "updates_per_s": round(updates / wall, 1) if wall else math.nan,
        "latency_ms": latency_summary(feeder.latencies),
        "unhandled": feeder.unhandled,
        "api_calls": dict(feeder.session.calls),
        "api_errors": dict(feeder.session.errors),
        "alerts": feeder.session.alerts,
        "script_errors": len(feeder.script_errors),
    }


class ErrorCounter(logging.Handler):
    """Counts ERROR records (the bot's error handler logs every failed update) and prints
    the first few."""

    def __init__(self, shown: int = 3) -> None:
        super().__init__(logging.ERROR)
        self.count = 0
        self.shown = shown

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1
        if self.count <= self.shown:
            print(f"ERROR {record.name}: {self.format(record)}", file=sys.stderr)


def _package(filename: str) -> str:
    """Which package a source file belongs to, for self time per package."""
    path = Path(filename)
    for ours in ("bot", "db", "bench"):
        if filename.startswith(str(ROOT / ours)):
            return ours
    if "site-packages" in path.parts:
        return path.parts[path.parts.index("site-packages") + 1].removesuffix(".py")
    if "asyncio" in path.parts:
        return "asyncio"
    if filename.startswith(("~", "<")) or not filename:
        return "builtins"
    return "stdlib:" + path.stem


def _short(filename: str, line: int, name: str) -> str:
    path = Path(filename)
    for marker in ("site-packages", f"python{sys.version_info[0]}.{sys.version_info[1]}"):
        if marker in path.parts:
            return f"{'/'.join(path.parts[path.parts.index(marker) + 1 :])}:{line}({name})"
    if filename.startswith(str(ROOT)):
        return f"{path.relative_to(ROOT)}:{line}({name})"
    return f"{filename}:{line}({name})"


class Sampler:
    """A wall-clock sampling profiler of the main thread, which runs the event loop.

    Every `interval` seconds SIGALRM interrupts the main thread; the handler walks the
    interrupted stack and, inside SQLAlchemy's greenlets, on into the stack that awaits
    them (cProfile loses track at greenlet switches). A function's inclusive share is the
    share of samples with it on the stack; samples in the selector are the loop waiting
    (for aiosqlite's threads). Collapsed stacks go to a `.folded` file for flame graphs."""

    def __init__(self, interval: float = 0.001) -> None:
        self.interval = interval
        self.samples = 0
        self.stacks: Counter[tuple[tuple[str, int, str], ...]] = Counter()
        self._greenlet = importlib.import_module("greenlet")

    def _sample(self, _signum: int, frame: FrameType | None) -> None:
        stack: list[tuple[str, int, str]] = []
        current = self._greenlet.getcurrent()
        while True:
            while frame is not None:
                code = frame.f_code
                stack.append((code.co_filename, code.co_firstlineno, code.co_name))
                frame = frame.f_back
            current = current.parent
            if current is None:
                break
            frame = current.gr_frame
        self.samples += 1
        self.stacks[tuple(reversed(stack))] += 1

    def start(self) -> None:
        signal.signal(signal.SIGALRM, self._sample)
        signal.setitimer(signal.ITIMER_REAL, self.interval, self.interval)

    def stop(self) -> None:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, signal.SIG_DFL)

    def summary(self, top: int, save_as: Path) -> JSON:
        """Inclusive shares of bot/ and db/ functions, innermost-frame shares per package."""
        inclusive: Counter[tuple[str, int, str]] = Counter()
        innermost: Counter[str] = Counter()
        lines = []
        ours = (str(ROOT / "bot"), str(ROOT / "db"))
        for stack, count in self.stacks.items():
            inclusive.update(
                dict.fromkeys({key for key in stack if key[0].startswith(ours)}, count)
            )
            leaf = stack[-2] if stack[-1][2] == "_sample" else stack[-1]
            waiting = any(name == "select" and "selectors" in path for path, _, name in stack)
            innermost["(event loop waiting)" if waiting else _package(leaf[0])] += count
            lines.append(";".join(_short(*key) for key in stack) + f" {count}")
        save_as.parent.mkdir(parents=True, exist_ok=True)
        save_as.with_suffix(".folded").write_text("\n".join(lines) + "\n")
        total = self.samples or 1
        return {
            "samples": self.samples,
            "interval_ms": self.interval * 1000,
            "bot_db_inclusive": [
                {"where": _short(*key), "share": round(count / total, 3)}
                for key, count in inclusive.most_common(top)
            ],
            "innermost_by_package": {
                name: round(count / total, 3) for name, count in innermost.most_common(12)
            },
        }
