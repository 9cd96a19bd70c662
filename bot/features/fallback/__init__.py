"""The catch-all, last."""
