"""Failpoints: named places where a test can make a job die, to prove a crash loses nothing.

A job passes through `reach("<job>:<point>")` at its step boundaries and before each table
it publishes. Nothing happens unless a point is armed: by a test through `armed(...)` (the
job raises `SimulatedCrash`, which no `except Exception` catches), or through the environment
variable `SDL_FAILPOINTS="<job>:<point>,..."` (the process kills itself with SIGKILL, as an
out-of-memory kill or a lost node would).
"""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from contextlib import contextmanager

ENV_VARIABLE = "SDL_FAILPOINTS"
_armed: set[str] = set()


class SimulatedCrash(BaseException):  # noqa: N818 - it stands for a crash, not an error to handle
    """The job died at a failpoint."""


@contextmanager
def armed(*names: str) -> Iterator[None]:
    _armed.update(names)
    try:
        yield
    finally:
        _armed.difference_update(names)


def reach(name: str) -> None:
    if name in _armed:
        raise SimulatedCrash(name)
    if name in os.environ.get(ENV_VARIABLE, "").split(","):
        os.kill(os.getpid(), signal.SIGKILL)
