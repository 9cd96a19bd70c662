"""The trust badge and who can find an organisation."""
