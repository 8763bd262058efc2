"""The knobs tests and the command line turn, in one place, with their wire names.

``EmulatorSettings.update`` takes the control API's camelCase JSON (``POST /_emulator/settings``)
and refuses unknown keys and bad values with a message naming the key, so a typo in a test's
setup fails loudly instead of silently leaving the default in place.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

__all__ = ["RATE_LIMIT_WINDOWS", "EmulatorSettings"]

# Window names and lengths of RunPod's RateLimit-Policy header (spec: RateLimitPolicyHeader example).
RATE_LIMIT_WINDOWS: dict[str, int] = {"minute": 60, "hour": 3600, "day": 86400}


@dataclass
class EmulatorSettings:
    drain_seconds: float = 0.0
    """How long workers above ``workers.min`` keep running after a scale-down."""
    latency_seconds: float = 0.0
    """Added to every API request (through the clock: a manual clock advances instead)."""
    rollout_seconds: float = 1.0
    """How long a release takes to reach every running worker (stale workers are replaced
    evenly over this time)."""
    worker_boot_seconds: float = 0.0
    """How long a new worker stays INITIALIZING before it is IDLE."""
    worker_capacity: int = 1000
    """Workers placed per endpoint at most: the cloud's supply. ``workers.min`` above it is
    accepted, but only this many run, so huge numbers never make answers huge."""
    worker_quota: int | None = None
    """The account's "total workers": the sum of ``workers.max`` over its endpoints may not exceed
    it (docs.runpod.io serverless/workers/overview "Total workers"; runpod/runpodctl issue 117:
    "Your worker concurrency cannot go beyond the maximum limit of (20)"). The real figure differs
    per account (support raises it), so it is off unless set."""
    keys_without_user: set[str] = field(default_factory=set)
    """GraphQL: keys with no user behind them get ``myself: null`` (QUIRKS.md)."""
    forbidden_keys: set[str] = field(default_factory=set)
    """REST v2: valid keys that lack access: every request is a 403."""
    list_cap: int = 400
    """GraphQL ``myself { endpoints }`` returns at most this many, oldest first (QUIRKS.md)."""
    rate_limits: dict[str, int] = field(default_factory=dict)
    """Imposed REST v2 rate limit: requests per window, e.g. {"minute": 60, "hour": 3000}."""
    rate_limit_exempt_keys: set[str] = field(default_factory=set)
    """Keys the rate limit does not apply to: no RateLimit headers, never a 429."""

    def copy(self) -> EmulatorSettings:
        return copy.deepcopy(self)

    def to_json(self) -> dict[str, Any]:
        return {
            "drainSeconds": self.drain_seconds,
            "latencySeconds": self.latency_seconds,
            "rolloutSeconds": self.rollout_seconds,
            "workerBootSeconds": self.worker_boot_seconds,
            "workerCapacity": self.worker_capacity,
            "workerQuota": self.worker_quota,
            "keysWithoutUser": sorted(self.keys_without_user),
            "forbiddenKeys": sorted(self.forbidden_keys),
            "listCap": self.list_cap,
            "rateLimits": dict(self.rate_limits),
            "rateLimitExemptKeys": sorted(self.rate_limit_exempt_keys),
        }

    def update(self, changes: dict[str, Any]) -> None:
        """Apply the control API's partial JSON; raise ValueError naming a bad key or value."""
        unknown = sorted(set(changes) - set(self.to_json()))
        if unknown:
            raise ValueError(f"unknown setting(s) {', '.join(unknown)}; known: {', '.join(sorted(self.to_json()))}")
        candidate = self.copy()
        for key, value in changes.items():
            if key in ("drainSeconds", "latencySeconds", "rolloutSeconds", "workerBootSeconds"):
                setattr(candidate, _SNAKE[key], _seconds(key, value))
            elif key in ("workerCapacity", "listCap"):
                setattr(candidate, _SNAKE[key], _count(key, value))
            elif key == "workerQuota":
                candidate.worker_quota = None if value is None else _count(key, value)
            elif key in ("keysWithoutUser", "forbiddenKeys", "rateLimitExemptKeys"):
                setattr(candidate, _SNAKE[key], _strings(key, value))
            else:
                candidate.rate_limits = parse_rate_limits(value)
        self.__dict__.update(candidate.__dict__)


_SNAKE = {
    "drainSeconds": "drain_seconds",
    "latencySeconds": "latency_seconds",
    "rolloutSeconds": "rollout_seconds",
    "workerBootSeconds": "worker_boot_seconds",
    "workerCapacity": "worker_capacity",
    "listCap": "list_cap",
    "keysWithoutUser": "keys_without_user",
    "forbiddenKeys": "forbidden_keys",
    "rateLimitExemptKeys": "rate_limit_exempt_keys",
}


def parse_rate_limits(value: Any) -> dict[str, int]:
    """{"minute": 60, "hour": 3000} (or "minute=60,hour=3000"): a quota per known window."""
    if isinstance(value, str):
        pairs = [item.split("=", 1) for item in value.split(",") if item.strip()]
        if any(len(pair) != 2 for pair in pairs):
            raise ValueError(f"rateLimits: expected window=count pairs such as minute=60,hour=3000, got {value!r}")
        value = {name.strip(): count.strip() for name, count in pairs}
    if not isinstance(value, dict):
        raise ValueError('rateLimits: expected an object such as {"minute": 60, "hour": 3000}')
    limits: dict[str, int] = {}
    for name, count in value.items():
        if name not in RATE_LIMIT_WINDOWS:
            raise ValueError(f"rateLimits: unknown window {name!r}; windows are {', '.join(RATE_LIMIT_WINDOWS)}")
        try:
            limits[name] = _count(f"rateLimits.{name}", int(count), minimum=1)
        except (TypeError, ValueError) as error:
            raise ValueError(f"rateLimits.{name}: expected a whole number >= 1, got {count!r}") from error
    return limits


def _seconds(key: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0 or value != value:
        raise ValueError(f"{key}: expected seconds >= 0, got {value!r}")
    return float(value)


def _count(key: str, value: Any, minimum: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ValueError(f"{key}: expected a whole number >= {minimum}, got {value!r}")
    return value


def _strings(key: str, value: Any) -> set[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValueError(f"{key}: expected a list of strings, got {value!r}")
    return set(value)
