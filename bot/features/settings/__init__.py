"""Settings: language, event announcements, time zone, digest."""
