"""What tests and benchmarks share, outside tests/: the fake Bot API server
(:mod:`testing.fake_bot_api`) and the PostgreSQL and Redis servers they start
(:mod:`testing.servers`)."""
