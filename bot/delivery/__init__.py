"""Getting messages to users within Telegram\x27s limits: pacing, outcomes, broadcasts."""
