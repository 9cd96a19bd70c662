"""`make test-dates`: the date-sensitive test modules under fixed instants.

Each run moves the clock of pytest and of every process it starts (`python -m bot`, the
fake Bot API, SQLite) with libfaketime (Debian's `faketime`): the clock starts at the
instant and runs on from there. The process's own zone (TZ) changes with the instant too,
so that nothing leans on the machine's zone. A test that passes on Thursday and fails on
Monday at 10:05 (the weekly digest), at New Year or on a DST night fails here.

    python -m tools.test_dates [--only N] [--jobs N] [pytest arguments…]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Final

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Instant:
    """A moment (UTC), the zone the processes run in, and why it is here."""

    utc: str
    zone: str
    why: str


INSTANTS: Final = (
    Instant("2026-12-14 05:05:00", "Asia/Almaty", "Monday 10:05 in Almaty: digests due"),
    Instant("2026-12-14 06:05:00", "Asia/Yerevan", "Monday 10:05 in Yerevan"),
    Instant("2026-12-14 07:05:00", "Europe/Moscow", "Monday 10:05 in Moscow"),
    Instant("2026-12-15 10:05:00", "UTC", "Tuesday 10:05 UTC: the digest's catch-up day"),
    Instant("2026-12-13 23:59:00", "Asia/Bishkek", "Sunday 23:59 UTC: a week ends"),
    Instant("2026-12-31 23:59:30", "UTC", "New Year's Eve, 30 s before midnight"),
    Instant("2028-02-29 12:00:00", "Asia/Bishkek", "29 February"),
    Instant("2027-03-28 00:59:30", "Europe/Berlin", "Berlin's clocks jump 02:00 → 03:00"),
    Instant("2026-12-09 22:00:00", "Asia/Almaty", "03:00 in Almaty: quiet hours"),
)

# Modules whose behaviour depends on the date or the hour: the digest, announcements and
# their quiet hours, reminders, follow-ups two weeks on, badge expiry, invitations'
# expiry, the weekly series of /stats, initData's age, "your data"'s dates, and the
# processes killed between two announcements; calls' days, times and reminders; posts'
# review and announcement, their closing at deadlines, what is open, new calls in the digest.
MODULES: Final = (
    "tests/handlers/digest/test_digest_e2e.py",
    "tests/handlers/events/test_events_e2e.py",
    "tests/handlers/events/test_events_audience_e2e.py",
    "tests/handlers/events/test_event_steps.py",
    "tests/handlers/events/test_events_restart_e2e.py",
    "tests/handlers/contacts/test_contacts_e2e.py",
    "tests/handlers/trust/test_trust_e2e.py",
    "tests/handlers/team/test_team_joining_e2e.py",
    "tests/handlers/team/test_team_waiting_e2e.py",
    "tests/handlers/stats/test_stats_network_e2e.py",
    "tests/handlers/webapp/test_webapp_api.py",
    "tests/handlers/webapp/test_webapp_chat_e2e.py",
    "tests/handlers/privacy/test_privacy_e2e.py",
    "tests/handlers/meetings/test_meetings_e2e.py",
    "tests/handlers/meetings/test_meetings_rules_e2e.py",
    "tests/handlers/meetings/test_slots.py",
    "tests/handlers/posts/test_posts_e2e.py",
    "tests/handlers/posts/test_closing_rules.py",
    "tests/handlers/find/test_find_e2e.py",
    "tests/handlers/digest/test_digest_calls_e2e.py",
)


def run(instant: Instant, extra: list[str], faketime: str) -> tuple[int, str]:
    """One pytest run of MODULES (SQLite only) under `instant`: its exit code and report."""
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="ngo-bridge-dates-") as basetemp:
        command = [faketime, f"{instant.utc} UTC", sys.executable, "-m", "pytest", "-q",
                   "-p", "no:cacheprovider", f"--basetemp={basetemp}", "-k", "not postgresql",
                   *MODULES, *extra]  # fmt: skip
        done = subprocess.run(
            command, cwd=ROOT, env={**os.environ, "TZ": instant.zone},
            capture_output=True, text=True, timeout=900,
        )  # fmt: skip
    summary = (done.stdout.strip().splitlines() or ["(no output)"])[-1]
    label = f"{instant.utc} UTC  {instant.zone:<14} {instant.why:<46}"
    report = f"{label} {summary} [{time.monotonic() - started:.0f} s]"
    if done.returncode != 0:
        report += "\n" + done.stdout[-6000:] + "\n" + done.stderr[-2000:]
    return done.returncode, report


def main() -> int:
    """Run the instants, three at a time (their tests mostly wait); print one line each."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", type=int, help="run the N-th instant only (from 1)")
    parser.add_argument("--jobs", type=int, default=3, help="instants run at once")
    known, extra = parser.parse_known_args()
    faketime = shutil.which("faketime")
    if faketime is None:
        print("test-dates: Debian's faketime is needed (apt-get install faketime)")
        return 2
    chosen = INSTANTS if known.only is None else (INSTANTS[known.only - 1],)
    failed = 0
    with ThreadPoolExecutor(max_workers=known.jobs) as pool:
        runs = [pool.submit(run, instant, extra, faketime) for instant in chosen]
        for finished in as_completed(runs):
            code, report = finished.result()
            failed += code != 0
            print(report, flush=True)
    print(f"test-dates: {len(chosen) - failed} of {len(chosen)} instants passed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
