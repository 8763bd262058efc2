"""Fault injection and the request journal: what tests and benchmarks steer and read."""

from __future__ import annotations

import threading
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

__all__ = ["FAULT_KINDS", "Fault", "FaultPlan", "Journal", "JournalEntry"]

FaultKind = Literal["latency", "rate_limit", "server_error", "drop", "lose_response"]
FAULT_KINDS: tuple[str, ...] = ("latency", "rate_limit", "server_error", "drop", "lose_response")


@dataclass
class Fault:
    """One injected fault.

    kind: latency (sleep ``seconds``, then serve), rate_limit (429, with ``retry_after``
      seconds unless it is None), server_error (``status``, default 503), drop (close the
      connection before doing anything), lose_response (do the work, then close the
      connection instead of answering: "committed but the response was lost").
    match: applies only to requests whose operation ("saveEndpoint", "myself") or
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
        kind = data.get("kind")
        if kind not in FAULT_KINDS:
            raise ValueError(f"fault kind must be one of {', '.join(FAULT_KINDS)}, got {kind!r}")
        return cls(
            kind=kind,
            match=str(data.get("match", "")),
            times=int(data.get("times", 1)),
            status=int(data.get("status", 503)),
            retry_after=data.get("retryAfter", data.get("retry_after", 1.0)),
            seconds=float(data.get("seconds", 0.0)),
        )


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
            return [asdict(fault) for fault in self._faults]


@dataclass
class JournalEntry:
    seq: int
    method: str
    path: str
    operation: str
    status: int | str
    fault: str | None = None
    request: dict[str, Any] | None = field(default=None, repr=False)


class Journal:
    """Every API request in order (method, path or GraphQL operation, status); never the key."""

    def __init__(self) -> None:
        self._entries: list[JournalEntry] = []
        self._lock = threading.Lock()

    def record(self, entry: JournalEntry) -> None:
        with self._lock:
            entry.seq = len(self._entries) + 1
            self._entries.append(entry)

    def entries(self) -> list[JournalEntry]:
        with self._lock:
            return list(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def to_json(self) -> list[dict[str, Any]]:
        return [asdict(entry) for entry in self.entries()]
