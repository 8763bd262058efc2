"""The fault table the suite prints at the end of a run: operation x fault x position, cases, passed."""

from __future__ import annotations

import threading
from collections import defaultdict
from dataclasses import dataclass, field

__all__ = ["TABLE", "FaultTable"]


@dataclass
class FaultTable:
    cases: dict[tuple[str, str, str], list[tuple[int, bool]]] = field(default_factory=lambda: defaultdict(list))
    leaked: int = 0
    notes: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, kind: str, op: str, fault: str, position: int, passed: bool, leaks: int) -> None:
        with self.lock:
            self.cases[(kind, op, fault)].append((position, passed))
            self.leaked += leaks

    def note(self, line: str) -> None:
        """A line for the end-of-run summary (the load test's figures)."""
        with self.lock:
            self.notes.append(line)

    def totals(self) -> tuple[int, int]:
        results = [passed for rows in self.cases.values() for _, passed in rows]
        return len(results), sum(results)

    def lines(self) -> list[str]:
        if not self.cases:
            return []
        by_op: dict[tuple[str, str], dict[str, tuple[int, int, int]]] = defaultdict(dict)
        faults: list[str] = []
        for (kind, op, fault), rows in self.cases.items():
            positions = max(position for position, _ in rows)
            by_op[(kind, op)][fault] = (len(rows), sum(passed for _, passed in rows), positions)
            if fault not in faults:
                faults.append(fault)
        width = max(len(f"{kind} {op} (99)") for kind, op in by_op) + 2
        head = "".join(f"{fault:>17}" for fault in faults)
        out = [f"{'operation (requests faulted)':<{width}}{head}"]
        for (kind, op), cells in by_op.items():
            positions = max(cell[2] for cell in cells.values())
            row = "".join(f"{f'{cells[f][1]}/{cells[f][0]}':>17}" if f in cells else f"{'-':>17}" for f in faults)
            out.append(f"{f'{kind} {op} ({positions})':<{width}}{row}")
        total, passed = self.totals()
        leaked = f"secret leaks (API key, env values, passwords): {self.leaked}"
        out.append(f"fault cases: {total}, passed: {passed}, {leaked}")
        return out


TABLE = FaultTable()
