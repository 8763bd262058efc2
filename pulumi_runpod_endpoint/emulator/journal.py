"""The request journal: every API request in order, for tests and benchmarks to read. Never the key."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Journal", "JournalEntry"]


@dataclass
class JournalEntry:
    seq: int
    method: str
    path: str
    operation: str
    """The v2 operationId (createEndpoint, updateEndpoint...), the GraphQL root field(s), or
    "unknown" for a path the API does not serve."""
    status: int | str
    """The HTTP status, or "dropped" when the connection was closed instead of answered."""
    fault: str | None = None
    request: Any = field(default=None, repr=False)
    request_id: str = ""


class Journal:
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
        return [
            {
                "seq": entry.seq,
                "method": entry.method,
                "path": entry.path,
                "operation": entry.operation,
                "status": entry.status,
                "fault": entry.fault,
                "request": entry.request,
                "requestId": entry.request_id,
            }
            for entry in self.entries()
        ]
