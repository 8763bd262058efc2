"""Fault injection: what a test or benchmark asks the next matching requests to suffer."""

from __future__ import annotations

import threading
from dataclasses import asdict, dataclass
from typing import Any, Literal

__all__ = ["FAULT_KINDS", "Fault", "FaultPlan"]

FaultKind = Literal["latency", "rate_limit", "server_error", "drop", "lose_response"]
FAULT_KINDS: tuple[str, ...] = ("latency", "rate_limit", "server_error", "drop", "lose_response")


@dataclass
class Fault:
    """One injected fault.

    kind: latency (wait ``seconds`` on the clock, then serve), rate_limit (429, with
      ``retry_after`` seconds in Retry-After unless it is None, and RateLimit headers),
      server_error (``status``, default 503), drop (close the connection before doing
      anything), lose_response (do the work, then close the connection instead of answering:
      "committed but the response was lost").
    match: applies only to requests whose operation ("createEndpoint", "saveEndpoint") or
      "METHOD /path" contains this text; empty matches every API request.
    times: how many requests it hits; -1 for all.
    """

    kind: FaultKind
    match: str = ""
    times: int = 1
    status: int = 503
    retry_after: float | None = 1.0
    seconds: float = 0.0

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Fault:
        if not isinstance(data, dict):
            raise ValueError(f"a fault is a JSON object, got {data!r}")
        kind = data.get("kind")
        if kind not in FAULT_KINDS:
            raise ValueError(f"fault kind must be one of {', '.join(FAULT_KINDS)}, got {kind!r}")
        unknown = sorted(set(data) - {"kind", "match", "times", "status", "retryAfter", "retry_after", "seconds"})
        if unknown:
            raise ValueError(f"unknown fault field(s) {', '.join(unknown)}")
        retry_after = data.get("retryAfter", data.get("retry_after", 1.0))
        if retry_after is not None and (isinstance(retry_after, bool) or not isinstance(retry_after, (int, float))):
            raise ValueError(f"retryAfter must be seconds or null, got {retry_after!r}")
        status = int(data.get("status", 503))
        if not 400 <= status <= 599:
            raise ValueError(f"status must be an HTTP error status (400-599), got {status}")
        return cls(
            kind=kind,
            match=str(data.get("match", "")),
            times=int(data.get("times", 1)),
            status=status,
            retry_after=None if retry_after is None else float(retry_after),
            seconds=float(data.get("seconds", 0.0)),
        )

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["retryAfter"] = data.pop("retry_after")
        return data


class FaultPlan:
    def __init__(self) -> None:
        self._faults: list[Fault] = []
        self._lock = threading.Lock()

    def set(self, faults: list[Fault]) -> None:
        with self._lock:
            self._faults = list(faults)

    def add(self, fault: Fault) -> None:
        with self._lock:
            self._faults.append(fault)

    def clear(self) -> None:
        self.set([])

    def take(self, keys: list[str]) -> Fault | None:
        """The first live fault matching any of ``keys``, with one use consumed."""
        with self._lock:
            for fault in self._faults:
                if fault.times == 0:
                    continue
                if fault.match and not any(fault.match in key for key in keys):
                    continue
                if fault.times > 0:
                    fault.times -= 1
                return fault
        return None

    def to_json(self) -> list[dict[str, Any]]:
        with self._lock:
            return [fault.to_json() for fault in self._faults]
