"""Partner search and suggestions."""
