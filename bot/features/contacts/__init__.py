"""Introductions with both sides' consent, and follow-ups."""
