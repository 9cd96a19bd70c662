"""The main menu, /help and /cancel."""
