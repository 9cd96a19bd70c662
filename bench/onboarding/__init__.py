"""Onboarding throughput: N simulated users through the real Dispatcher, and an echo baseline.

    python -m bench.onboarding [--users 1000] [--json bench/results/onboarding.json]
                               [--concurrency 50] [--time-limit 240] [--profile]

Every user runs a whole onboarding (/start, language, 15 questions, Confirm: 30 updates)
through `bot.app.create_dispatcher` with the SQLite file on disk, configured by
`db.engine.create_engine` as the bot is. Telegram is replaced by `LocalSession`, which
answers in process but keeps the wire work of the real session: requests are serialised as
`AiohttpSession.build_form_data` does and answers are parsed from JSON by
`BaseSession.check_response`. Updates are built from JSON with the bot in their context,
as long polling does. The same number of text updates then goes through a bare aiogram
echo bot with the same session, for a ratio that depends less on the machine.

Latency is the time around `Dispatcher.feed_update`. With `--concurrency` users in flight
it includes waiting for the event loop (Little's law: in flight = throughput × latency),
so the uncontended service time is also measured with one user at a time ("solo").
Exit status 1 when the run was wrong (organisations missing, errors, stale presses), not
when a target is missed.

The package: `local_api` (the Bot API in process), `users` (simulated users and their
scripts), `measurements` (a run's summary, errors, the profiler), `run` (the runs on one
database), `report` (what is printed), `__main__` (arguments and exit status).
"""
