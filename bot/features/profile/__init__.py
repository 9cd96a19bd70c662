"""The organisation's profile card."""
