"""Time for everything the emulator does over time: rollouts, draining, rate-limit windows, createdAt.

The emulator never reads the wall clock directly. ``SystemClock`` is real time for the command
line; ``ManualClock`` stands still until a test moves it (in-process, or through the control API
``POST /_emulator/clock`` on a loopback emulator), so no test sleeps and every timed behaviour is
reproducible. Injected latency "sleeps" through the clock too: on a manual clock it advances time.
"""

from __future__ import annotations

import asyncio
import threading
import time
from datetime import datetime, timezone
from typing import Protocol

__all__ = ["DEFAULT_START", "Clock", "ManualClock", "SystemClock", "iso"]

# Where a manual clock starts unless told otherwise: a fixed instant, so answers are reproducible.
DEFAULT_START = datetime(2026, 11, 29, 12, 0, 0, tzinfo=timezone.utc).timestamp()


class Clock(Protocol):
    manual: bool

    def now(self) -> float:
        """Seconds since the Unix epoch."""

    async def sleep(self, seconds: float) -> None:
        """Wait ``seconds``: really on a system clock, by advancing time on a manual one."""


class SystemClock:
    manual = False

    def now(self) -> float:
        return time.time()

    async def sleep(self, seconds: float) -> None:
        if seconds > 0:
            await asyncio.sleep(seconds)


class ManualClock:
    """A clock that moves only when told to (``advance`` / ``set``)."""

    manual = True

    def __init__(self, start: float = DEFAULT_START) -> None:
        self._now = float(start)
        self._lock = threading.Lock()

    def now(self) -> float:
        with self._lock:
            return self._now

    def advance(self, seconds: float) -> float:
        if seconds < 0:
            raise ValueError("a clock does not go backwards: advance by seconds >= 0")
        with self._lock:
            self._now += seconds
            return self._now

    def set(self, instant: float) -> float:
        with self._lock:
            if instant < self._now:
                raise ValueError("a clock does not go backwards: set an instant at or after now")
            self._now = float(instant)
            return self._now

    async def sleep(self, seconds: float) -> None:
        if seconds > 0:
            self.advance(seconds)


def iso(instant: float) -> str:
    """RFC 3339 in UTC with a Z, to the second (as the v2 spec's examples)."""
    return datetime.fromtimestamp(instant, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
