"""Pacing from RunPod's ``RateLimit`` / ``RateLimit-Policy`` headers.

Why pace at all: a large deployment sends hundreds of requests from several threads. Waiting for
429s and then backing off wastes the whole Retry-After (up to half an hour for the hour window);
reading the quota the API reports on every answer lets us slow down *before* we are refused.

The headers are structured-field lists with one member per window (the v2 spec's examples)::

    RateLimit:        "minute";r=0;t=12, "hour";r=2800;t=1812
    RateLimit-Policy: "minute";q=60;w=60, "hour";q=3000;w=3600

``r`` requests remain and the window resets in ``t`` seconds; ``q`` is the quota of a window ``w``
seconds long. Both headers are optional (rate-limit-exempt callers get neither): without them the
pacer never waits. With them, each window is judged on its own and the tightest one wins:

* while more than half a window's quota remains, requests go out at once (small stacks pay nothing);
* below that, the remaining requests are spread evenly until the window resets;
* with none left, the next request waits for the reset.

Requests are counted when they are *reserved*, so threads that send at the same time share one budget.
Until a pacer's first request has its answer, it knows nothing: that request goes alone (``admit``).
"""

from __future__ import annotations

import math
import re
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass

__all__ = ["FIRST_ANSWER_POLL", "Pacer", "WindowState", "parse_structured_list"]

FIRST_ANSWER_POLL = 0.05
"""How often a request held back by ``Pacer.admit`` asks again (seconds)."""

_MEMBER = re.compile(r'\s*(?:"(?P<quoted>[^"]*)"|(?P<token>[A-Za-z*][A-Za-z0-9_.:/%*-]*))(?P<params>(?:;[^,;]*)*)\s*')


def parse_structured_list(value: str) -> dict[str, dict[str, float]]:
    """``"minute";r=0;t=12, "hour";r=5`` -> ``{"minute": {"r": 0, "t": 12}, "hour": {"r": 5}}``.

    Members or parameters that do not parse are skipped: a malformed header must never stop a
    deployment, it only means we pace less.
    """
    result: dict[str, dict[str, float]] = {}
    for part in value.split(","):
        match = _MEMBER.fullmatch(part)
        if match is None:
            continue
        name = match.group("quoted") if match.group("quoted") is not None else match.group("token")
        params: dict[str, float] = {}
        for raw in match.group("params").split(";")[1:]:
            key, _, number = raw.partition("=")
            try:
                parsed = float(number.strip())
            except ValueError:
                continue
            if parsed == parsed and parsed >= 0 and parsed != float("inf"):  # finite, not NaN
                params[key.strip()] = parsed
        result[name] = params
    return result


@dataclass
class WindowState:
    """What we know of one window: requests left (minus those reserved since), when it resets."""

    name: str
    remaining: float
    resets_at: float
    quota: float | None = None
    length: float | None = None
    next_send: float = 0.0


def _stale(window: WindowState, reset: float) -> bool:
    """Whether an answer speaks of a window that ended before the one we are already booking into.

    Once a window is spent, the next request books the next window (``_reserve_in``); an answer to a
    request sent earlier still describes the spent one ("0 left, resets in 5 s"). Taking it would
    rewind the pacer, forget the bookings, and grant the next window's quota a second time: the API
    then refuses the extra requests with 429s (bench/stack.py under a rate limit saw two in a refresh).
    """
    if window.length is None or not math.isfinite(window.resets_at):
        return False
    return reset < window.resets_at - window.length / 2


class Pacer:
    """Decides how long the next request must wait so that no window runs out before it resets."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._windows: dict[str, WindowState] = {}
        self._in_flight = 0
        self._first_sent = False
        self._first_done = False

    def admit(self) -> float:
        """Seconds to wait before ``reserve``: none, except while this pacer's first request is out.

        A new process (each ``pulumi`` command starts its provider host afresh) knows nothing of the
        budget until its first answer, and requests sent together before it go blind: one that starts
        in a window the previous command spent drew a 429 per concurrent request (the host serves 4).
        So the first request goes alone, and the others ask again every ``FIRST_ANSWER_POLL`` seconds.
        """
        with self._lock:
            if self._first_done:
                return 0.0
            if not self._first_sent:
                self._first_sent = True
                return 0.0
            return FIRST_ANSWER_POLL

    def observe(self, headers: Mapping[str, str]) -> None:
        """Update the windows from an answer's headers (any status, 429s included)."""
        current = headers.get("ratelimit")
        if not current:
            return
        state = parse_structured_list(current)
        policy = parse_structured_list(headers.get("ratelimit-policy", ""))
        now = self._clock()
        with self._lock:
            for name, params in state.items():
                if "r" not in params or "t" not in params:
                    continue
                window = self._windows.get(name)
                quota = policy.get(name, {})
                if window is not None and _stale(window, now + params["t"]):
                    continue
                # Requests already on their way were counted by us but not yet by the server.
                others = max(self._in_flight - 1, 0)
                remaining = max(params["r"] - others, 0.0)
                if window is None:
                    window = WindowState(name=name, remaining=remaining, resets_at=now + params["t"])
                    self._windows[name] = window
                else:
                    window.remaining = remaining
                    window.resets_at = now + params["t"]
                window.quota = quota.get("q", window.quota)
                window.length = quota.get("w", window.length)

    def reserve(self) -> tuple[float, str | None]:
        """Count one request against every window; return (seconds to wait first, binding window)."""
        now = self._clock()
        with self._lock:
            self._in_flight += 1
            wait, binding = 0.0, None
            for window in self._windows.values():
                delay = self._reserve_in(window, now)
                if delay > wait:
                    wait, binding = delay, window.name
            return wait, binding

    def release(self) -> None:
        """The reserved request got its answer (or failed)."""
        with self._lock:
            self._in_flight = max(self._in_flight - 1, 0)
            self._first_done = True

    def describe(self, name: str) -> str:
        """A short account of a window, for messages: ``hour window: 0 of 3000 left, resets in 1800s``."""
        with self._lock:
            window = self._windows.get(name)
            if window is None:
                return f"{name} window"
            quota = f" of {window.quota:.0f}" if window.quota is not None else ""
            left = max(window.resets_at - self._clock(), 0.0)
            return f"{name} window: {max(window.remaining, 0):.0f}{quota} left, resets in {left:.0f}s"

    @staticmethod
    def _reserve_in(window: WindowState, now: float) -> float:
        known_policy = window.quota is not None and window.length is not None
        if now >= window.resets_at:
            if not known_policy:
                # Reset, and we do not know the new budget: assume none is binding until an answer says.
                window.remaining, window.resets_at = float("inf"), float("inf")
            else:
                assert window.quota is not None and window.length is not None
                window.remaining, window.resets_at, window.next_send = window.quota, now + window.length, now
        if window.remaining == float("inf"):
            # Budget unknown since a reset we only waited for: nothing goes before that reset.
            return max(window.next_send - now, 0.0)
        start = now
        if window.remaining <= 0:
            if not known_policy:
                delay = window.resets_at - now
                window.remaining, window.next_send, window.resets_at = float("inf"), window.resets_at, float("inf")
                return delay
            # Spent: this request opens the next window, which the others reserved after it share.
            assert window.quota is not None and window.length is not None
            start = window.resets_at
            window.remaining, window.resets_at, window.next_send = window.quota, start + window.length, start
        send_at = max(start, window.next_send)
        generous = window.quota is not None and window.remaining > window.quota / 2
        if not generous:
            window.next_send = send_at + max(window.resets_at - send_at, 0.0) / window.remaining
        window.remaining -= 1
        return send_at - now
