"""The onboarding bench's printed report."""

from __future__ import annotations

from bench.common import (
    JSON,
    machine_load,
    print_failures,
)


def print_report(result: JSON, config: JSON) -> None:
    """A readable table of the figures."""
    bot, echo = result["bot"], result["echo"]
    print(
        f"\nOnboarding benchmark: {bot['users']} of {config['users']} users, "
        f"{config['concurrency']} in flight, "
        f"{config['cpus']} CPUs, Python {config['python']}, aiogram {config['aiogram']}, "
        f"code {config['code']}"
    )
    header = f"{'':<14}{'updates':>9}{'wall s':>9}{'upd/s':>9}{'p50 ms':>9}{'p95 ms':>9}"
    print(header + f"{'p99 ms':>9}{'max ms':>9}")
    for name, run in (("bot", bot), ("echo", echo)):
        ms = run["latency_ms"]
        print(
            f"{name:<14}{run['updates']:>9}{run['wall_s']:>9.2f}{run['updates_per_s']:>9.1f}"
            f"{ms['p50']:>9.2f}{ms['p95']:>9.2f}{ms['p99']:>9.2f}{ms['max']:>9.2f}"
        )
    solo = result["solo"]
    if solo:
        for name in ("bot", "echo"):
            ms = solo[f"{name}_latency_ms"]
            print(
                f"{name + ' solo':<14}{'':>9}{'':>9}{'':>9}"
                f"{ms['p50']:>9.2f}{ms['p95']:>9.2f}{ms['p99']:>9.2f}{ms['max']:>9.2f}"
            )
    for name, run in (("bot", bot), ("echo", echo)):
        cpu = run["cpu"]
        load = machine_load(cpu)
        print(
            f"{name} CPU: {cpu['process_cpu_ms_per_update']:.3f} ms per update (all threads)"
            + (f"; {load}" if load else "")
        )
    if result["noisy"]:
        print("WARNING: the machine was busy elsewhere during the bot run: figures are noisy")
    if solo:
        kinds = ", ".join(
            f"{kind} {ms['p50']:.1f}/{ms['p95']:.1f}"
            for kind, ms in solo["bot_latency_by_kind_ms"].items()
        )
        print(f"bot solo p50/p95 ms by kind of update: {kinds}")
    rss = result["rss_mb"]
    database = result["database"]
    print(f"ratio bot/echo updates per second: {result['ratio_bot_to_echo_updates_per_s']:.3f}")
    print(
        f"peak RSS: {rss['peak_after_bot']} MB after the bot run, {rss['peak_at_end']} MB at "
        f"the end, {rss['after_imports']} MB after imports alone"
    )
    sql = bot["sql_per_update"]
    print(
        f"SQL per bot update: {sql['statements']} statements (BEGIN included), "
        f"{sql['transactions']} transactions of which {sql['begin_immediate']} BEGIN IMMEDIATE"
    )
    calls = ", ".join(f"{name} {count}" for name, count in sorted(bot["api_calls"].items()))
    print(f"Bot API calls by the bot: {calls}")
    print(
        f"database: {database['file_bytes']} bytes; "
        f"organisations {database['organisations_found']}/{database['organisations_expected']}"
    )
    targets = ", ".join(
        f"{name} {'met' if value['met'] else 'MISSED'} (target {value['target']})"
        for name, value in result["targets"].items()
    )
    print(f"targets: {targets}")
    if "profile" in result:
        profile = result["profile"]
        print(f"\nprofile of the bot run ({profile['samples']} samples of the main thread):")
        print("bot/ and db/ functions by share of samples with them on the stack:")
        for row in profile["bot_db_inclusive"]:
            print(f"  {row['share']:>6.1%}  {row['where']}")
        print("innermost frame by package:")
        for name, share in profile["innermost_by_package"].items():
            print(f"  {share:>6.1%}  {name}")
    print_failures(result)
