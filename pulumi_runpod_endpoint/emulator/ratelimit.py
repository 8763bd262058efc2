"""An imposed REST v2 rate limit on the clock, and the headers RunPod sends with it.

RunPod limits each user per window (minute, hour, day; QUIRKS.md saw 60 a minute and 3,000 an
hour) and describes them on every authenticated answer in IETF ratelimit-headers structured
fields (spec: RateLimitHeader, RateLimitPolicyHeader):

    RateLimit:        "minute";r=0;t=12, "hour";r=2800;t=1812
    RateLimit-Policy: "minute";q=60;w=60, "hour";q=3000;w=3600

Windows are fixed and aligned to the clock (a minute window resets on the minute). A refused
request does not count. Exempt callers get no headers and no limit.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass

from .clock import Clock
from .settings import RATE_LIMIT_WINDOWS, EmulatorSettings

__all__ = ["Decision", "RateLimiter", "policy_header", "state_header"]


@dataclass(frozen=True)
class WindowState:
    name: str
    quota: int
    length: int
    remaining: int
    reset_in: int


@dataclass(frozen=True)
class Decision:
    allowed: bool
    windows: tuple[WindowState, ...]
    retry_after: int | None = None
    exceeded: str | None = None

    def headers(self) -> dict[str, str]:
        if not self.windows:
            return {}
        return {"RateLimit": state_header(self.windows), "RateLimit-Policy": policy_header(self.windows)}


class RateLimiter:
    def __init__(self, clock: Clock, settings: EmulatorSettings) -> None:
        self.clock = clock
        self.settings = settings
        self._used: dict[tuple[str, str, int], int] = {}
        self._lock = threading.Lock()

    def reset(self) -> None:
        with self._lock:
            self._used.clear()

    def check(self, key: str) -> Decision:
        """Count one request for ``key`` unless a window is full; say what the headers say."""
        limits = self.settings.rate_limits
        if not limits or key in self.settings.rate_limit_exempt_keys:
            return Decision(True, ())
        now = self.clock.now()
        with self._lock:
            slots = []
            for name, quota in sorted(limits.items(), key=lambda item: RATE_LIMIT_WINDOWS[item[0]]):
                length = RATE_LIMIT_WINDOWS[name]
                start = math.floor(now / length) * length
                slots.append((name, quota, length, (key, name, start), max(1, math.ceil(start + length - now))))
            full = [slot for slot in slots if self._used.get(slot[3], 0) >= slot[1]]
            if not full:
                for slot in slots:
                    self._used[slot[3]] = self._used.get(slot[3], 0) + 1
            windows = tuple(
                WindowState(name, quota, length, max(0, quota - self._used.get(bucket, 0)), reset_in)
                for name, quota, length, bucket, reset_in in slots
            )
        if not full:
            return Decision(True, windows)
        longest = max(full, key=lambda slot: slot[4])
        return Decision(False, windows, retry_after=longest[4], exceeded=longest[0])

    def describe(self, key: str) -> Decision:
        """The current state without counting (for answers that are not requests, e.g. faults)."""
        limits = self.settings.rate_limits
        if not limits or key in self.settings.rate_limit_exempt_keys:
            return Decision(True, ())
        now = self.clock.now()
        windows = []
        with self._lock:
            for name, quota in sorted(limits.items(), key=lambda item: RATE_LIMIT_WINDOWS[item[0]]):
                length = RATE_LIMIT_WINDOWS[name]
                start = math.floor(now / length) * length
                used = self._used.get((key, name, start), 0)
                windows.append(
                    WindowState(name, quota, length, max(0, quota - used), max(1, math.ceil(start + length - now)))
                )
        return Decision(True, tuple(windows))


def state_header(windows: tuple[WindowState, ...]) -> str:
    return ", ".join(f'"{w.name}";r={w.remaining};t={w.reset_in}' for w in windows)


def policy_header(windows: tuple[WindowState, ...]) -> str:
    return ", ".join(f'"{w.name}";q={w.quota};w={w.length}' for w in windows)
