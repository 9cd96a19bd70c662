"""Outer middlewares: who is writing, and in which language."""
