"""What tests and benchmarks share, outside tests/ (bench/ imports nothing from tests/): the
fake Bot API server (:mod:`testing.fake_bot_api`), the PostgreSQL and Redis servers they start
(:mod:`testing.servers`), a user's conversation with the bot (:mod:`testing.conversation`,
:mod:`testing.onboarding_script`), translation as the bot does it (:mod:`testing.i18n`),
several workers behind a webhook relay (:mod:`testing.cluster`), headless Chromium for the
Mini App (:mod:`testing.browser`) and initData signed as Telegram signs it
(:mod:`testing.init_data`)."""

# The bot token tests and benchmarks give the bot (and the fake Bot API answers to).
TEST_BOT_TOKEN = "424242:" + "T" * 35
