"""Kept for the move: this now lives in :mod:`testing.cluster` (outside tests/, which bench/
uses too). Tests may keep importing from here."""

from testing.cluster import (
    RETRY_PAUSE,
    ROOT,
    SECRET,
    STARTUP_TIMEOUT,
    Relay,
    Worker,
    busiest_second,
    cluster,
    free_port,
    holder_pid,
    start_worker,
    wait_listening,
    worker_env,
)

__all__ = [
    "RETRY_PAUSE",
    "ROOT",
    "SECRET",
    "STARTUP_TIMEOUT",
    "Relay",
    "Worker",
    "busiest_second",
    "cluster",
    "free_port",
    "holder_pid",
    "start_worker",
    "wait_listening",
    "worker_env",
]
