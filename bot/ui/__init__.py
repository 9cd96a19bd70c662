"""Rendering: texts, cards, keyboards and callback data. Knows Telegram, holds no rules."""
