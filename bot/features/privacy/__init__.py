"""Your data: see, export, delete."""
