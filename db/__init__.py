"""Database layer: models, engine set-up, repositories and migrations."""
