"""The network's statistics."""
