"""Events: the admin wizard, announcements, RSVPs, reminders."""
