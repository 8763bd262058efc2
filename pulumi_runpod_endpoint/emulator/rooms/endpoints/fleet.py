"""An endpoint's workers, counted rather than listed: cohorts of workers that share a
configuration version, a status and a start time.

A thousand workers or two billion cost the same handful of numbers, so every answer stays
fast whatever ``workers.min`` says. Time moves through ``settle(now)``:

* scaling: ``workers.min`` workers run (no job traffic is modelled, so no more); extra workers
  drain for ``drainSeconds`` before they go; at most ``workerCapacity`` are placed.
* rollout: after a release, stale workers are replaced by workers on the new version evenly
  over ``rolloutSeconds``. A worker that is UNHEALTHY (failing health checks) or THROTTLED
  (waiting on capacity) cannot be cycled, so while one is stale the rollout cannot finish.
* boot: new workers are INITIALIZING for ``workerBootSeconds``, then IDLE.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field

__all__ = ["STATUSES", "Cohort", "Fleet", "FleetPolicy"]

STATUSES: tuple[str, ...] = ("RUNNING", "IDLE", "INITIALIZING", "THROTTLED", "UNHEALTHY")
_CYCLABLE = frozenset({"RUNNING", "IDLE", "INITIALIZING"})


@dataclass
class Cohort:
    serial: int
    version: int
    status: str
    count: int
    started_at: float
    first_index: int = 0
    drain_until: float | None = None

    def worker_ids(self, endpoint_id: str, limit: int) -> Iterator[str]:
        for index in range(self.first_index, self.first_index + min(self.count, limit)):
            yield f"{endpoint_id}-{self.serial}-{index}"


@dataclass(frozen=True)
class FleetPolicy:
    target: int
    latest_version: int
    drain_seconds: float
    rollout_seconds: float
    boot_seconds: float
    capacity: int


@dataclass
class Fleet:
    cohorts: list[Cohort] = field(default_factory=list)
    next_serial: int = 1
    rollout_started_at: float | None = None
    rollout_base: int = 0
    rollout_done: int = 0

    # -- counting ------------------------------------------------------------------------------
    def total(self) -> int:
        return sum(cohort.count for cohort in self.cohorts)

    def active(self) -> int:
        return sum(cohort.count for cohort in self.cohorts if cohort.drain_until is None)

    def on_version(self, version: int) -> int:
        return sum(cohort.count for cohort in self.cohorts if cohort.version == version)

    def by_status(self) -> dict[str, int]:
        counts = dict.fromkeys(STATUSES, 0)
        for cohort in self.cohorts:
            counts[cohort.status] += cohort.count
        return counts

    def find(self, endpoint_id: str, worker_id: str) -> Cohort | None:
        prefix = f"{endpoint_id}-"
        if not worker_id.startswith(prefix):
            return None
        serial_text, _, index_text = worker_id[len(prefix) :].partition("-")
        if not (serial_text.isdigit() and index_text.isdigit()):
            return None
        serial, index = int(serial_text), int(index_text)
        for cohort in self.cohorts:
            if cohort.serial == serial and cohort.first_index <= index < cohort.first_index + cohort.count:
                return cohort
        return None

    # -- changes -------------------------------------------------------------------------------
    def on_release(self, now: float, latest_version: int) -> None:
        self.rollout_started_at = now
        self.rollout_base = sum(c.count for c in self.cohorts if c.drain_until is None and c.version < latest_version)
        self.rollout_done = 0

    def mark(self, status: str, count: int, version: int | None) -> int:
        """Put ``count`` running workers (of ``version``, else the oldest first) in ``status``."""
        moved = 0
        for cohort in sorted(self.cohorts, key=lambda c: (c.version, c.serial)):
            if moved >= count:
                break
            if cohort.drain_until is not None or cohort.status == status:
                continue
            if version is not None and cohort.version != version:
                continue
            take = min(cohort.count, count - moved)
            self._split_off(cohort, take, status=status)
            moved += take
        self._merge()
        return moved

    def settle(self, now: float, policy: FleetPolicy) -> None:
        self.cohorts = [c for c in self.cohorts if c.drain_until is None or c.drain_until > now]
        for cohort in self.cohorts:
            if cohort.status == "INITIALIZING" and cohort.started_at + policy.boot_seconds <= now:
                cohort.status = "IDLE"
        self._roll(now, policy)
        self._scale(now, policy)
        self._merge()

    def _roll(self, now: float, policy: FleetPolicy) -> None:
        if self.rollout_started_at is None:
            return
        elapsed = now - self.rollout_started_at
        fraction = 1.0 if policy.rollout_seconds <= 0 else min(1.0, elapsed / policy.rollout_seconds)
        stale = [
            c
            for c in sorted(self.cohorts, key=lambda c: (c.version, c.serial))
            if c.drain_until is None and c.version < policy.latest_version and c.status in _CYCLABLE
        ]
        available = sum(c.count for c in stale)
        due = available if fraction >= 1.0 else max(0, math.floor(fraction * self.rollout_base) - self.rollout_done)
        due = min(due, available)
        replaced = 0
        for cohort in stale:
            if replaced >= due:
                break
            take = min(cohort.count, due - replaced)
            cohort.count -= take
            replaced += take
        if replaced:
            self._add(policy.latest_version, replaced, now, policy)
            self.rollout_done += replaced
        self.cohorts = [c for c in self.cohorts if c.count > 0]

    def _scale(self, now: float, policy: FleetPolicy) -> None:
        target = min(policy.target, policy.capacity)
        active = self.active()
        if active < target:
            self._add(policy.latest_version, target - active, now, policy)
            return
        excess = active - target
        for cohort in sorted((c for c in self.cohorts if c.drain_until is None), key=lambda c: (c.version, -c.serial)):
            if excess <= 0:
                break
            take = min(cohort.count, excess)
            drained = self._split_off(cohort, take)
            drained.drain_until = now + policy.drain_seconds
            excess -= take
        self.cohorts = [c for c in self.cohorts if c.drain_until is None or c.drain_until > now]

    def _add(self, version: int, count: int, now: float, policy: FleetPolicy) -> None:
        status = "INITIALIZING" if policy.boot_seconds > 0 else "IDLE"
        self.cohorts.append(Cohort(self.next_serial, version, status, count, now))
        self.next_serial += 1

    def _split_off(self, cohort: Cohort, count: int, status: str | None = None) -> Cohort:
        """The last ``count`` workers of ``cohort`` as their own cohort (same ids)."""
        if count >= cohort.count:
            if status is not None:
                cohort.status = status
            return cohort
        cohort.count -= count
        part = Cohort(
            cohort.serial,
            cohort.version,
            status or cohort.status,
            count,
            cohort.started_at,
            cohort.first_index + cohort.count,
            cohort.drain_until,
        )
        self.cohorts.append(part)
        return part

    def _merge(self) -> None:
        """Fold adjacent pieces of one cohort back together when they are alike again."""
        merged: list[Cohort] = []
        for cohort in sorted(self.cohorts, key=lambda c: (c.serial, c.first_index)):
            last = merged[-1] if merged else None
            if (
                last is not None
                and last.serial == cohort.serial
                and last.first_index + last.count == cohort.first_index
                and (last.version, last.status, last.started_at, last.drain_until)
                == (cohort.version, cohort.status, cohort.started_at, cohort.drain_until)
            ):
                last.count += cohort.count
            elif cohort.count > 0:
                merged.append(cohort)
        self.cohorts = merged
