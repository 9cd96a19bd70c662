"""Business rules that know nothing of Telegram."""
