"""Admins' verification and report queues; users' reports."""
