"""In-memory endpoints and the API's rules, independent of the wire format (as moto does).

Records are stored in one canonical shape (camelCase, lists as lists); ``rest.py`` and
``graphql.py`` translate requests into calls here and records into their own answer shapes.
"""

from __future__ import annotations

import itertools
import secrets
import string
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

__all__ = ["ApiRuleError", "EmulatorSettings", "EmulatorState", "NotFoundError"]

FLASHBOOT_SUFFIX = " -fb"

# Defaults of REST v1 EndpointCreateInput (the OpenAPI spec's `default`s; workersMax from the
# docs' "Max workers: Default 3"; executionTimeoutMs from the spec's example value).
REST_DEFAULTS: dict[str, Any] = {
    "computeType": "GPU",
    "gpuCount": 1,
    "idleTimeout": 5,
    "scalerType": "QUEUE_DELAY",
    "scalerValue": 4,
    "vcpuCount": 2,
    "workersMin": 0,
    "workersMax": 3,
    "executionTimeoutMs": 600000,
    "flashboot": False,
}

# What saveEndpoint falls back to for every field left out of its input -- on create *and*
# on update, since it replaces the whole record (QUIRKS.md: runpodctl PR 281; pulumi-runpod
# schema.graphql defaults idleTimeout 10, scalerValue 4, workersMax 3, workersMin 0, gpuCount 1).
GRAPHQL_DEFAULTS: dict[str, Any] = {
    "gpuCount": 1,
    "idleTimeout": 10,
    "scalerType": "QUEUE_DELAY",
    "scalerValue": 4,
    "workersMin": 0,
    "workersMax": 3,
    "executionTimeoutMs": 600000,
    "flashboot": False,
}

# Memory per vCPU of the CPU flavors: "c" compute-optimized 2 GiB, "g" general 4 GiB
# (instance ids "cpu3c-8-16", "cpu3g-4-16" in the REST reference and QUIRKS.md).
_GIB_PER_VCPU = {"c": 2, "g": 4}


class ApiRuleError(Exception):
    """A request the real API refuses (HTTP 400 / a GraphQL error)."""


class NotFoundError(ApiRuleError):
    """No endpoint with that id (HTTP 404 / a GraphQL error)."""


@dataclass
class EmulatorSettings:
    """Knobs tests turn: how long workers take to drain, which keys have no user."""

    drain_seconds: float = 0.0
    keys_without_user: set[str] = field(default_factory=set)
    list_cap: int = 400
    latency_seconds: float = 0.0


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def new_id(length: int = 14) -> str:
    alphabet = string.ascii_lowercase + string.digits
    return "".join(secrets.choice(alphabet) for _ in range(length))


class EmulatorState:
    """Every endpoint of every user, and the rules the API applies to them."""

    def __init__(self, settings: EmulatorSettings | None = None) -> None:
        self.settings = settings or EmulatorSettings()
        self.lock = threading.RLock()
        self.endpoints: dict[str, dict[str, Any]] = {}
        self.user_id = "user_" + new_id(24)
        self._order = itertools.count()

    def reset(self) -> None:
        with self.lock:
            self.endpoints.clear()
            self.settings = EmulatorSettings()

    # -- reads -------------------------------------------------------------------------------
    def get(self, endpoint_id: str) -> dict[str, Any]:
        with self.lock:
            record = self.endpoints.get(endpoint_id)
            if record is None:
                raise NotFoundError(f"Endpoint {endpoint_id} not found")
            self._tick(record)
            return record

    def list(self) -> list[dict[str, Any]]:
        with self.lock:
            records = sorted(self.endpoints.values(), key=lambda r: r["_seq"])
            for record in records:
                self._tick(record)
            return records

    # -- writes ------------------------------------------------------------------------------
    def create(self, fields: dict[str, Any], defaults: dict[str, Any]) -> dict[str, Any]:
        with self.lock:
            record = {**defaults, **fields}
            record.update(
                id=new_id(),
                userId=self.user_id,
                createdAt=now_iso(),
                version=0,
                workers=[],
                _seq=next(self._order),
            )
            self._normalize(record)
            self._check(record)
            self.endpoints[record["id"]] = record
            self._tick(record)
            return record

    def merge(self, endpoint_id: str, fields: dict[str, Any]) -> dict[str, Any]:
        """A partial update (REST PATCH): fields left out keep their value."""
        with self.lock:
            record = self.get(endpoint_id)
            candidate = {**record, **fields}
            if "name" in fields and "flashboot" not in fields:
                candidate["flashboot"] = record["flashboot"] or fields["name"].endswith(FLASHBOOT_SUFFIX)
            return self._commit(record, candidate)

    def replace(self, endpoint_id: str, fields: dict[str, Any], defaults: dict[str, Any]) -> dict[str, Any]:
        """A whole-record replace (saveEndpoint with id): fields left out fall back to defaults."""
        with self.lock:
            record = self.get(endpoint_id)
            keep = {key: record[key] for key in ("id", "userId", "createdAt", "version", "workers", "_seq")}
            candidate = {**defaults, **fields, **keep}
            return self._commit(record, candidate)

    def _commit(self, record: dict[str, Any], candidate: dict[str, Any]) -> dict[str, Any]:
        self._normalize(candidate)
        self._check(candidate)
        candidate["version"] = record["version"] + 1  # every update is a rolling release
        record.clear()
        record.update(candidate)
        self._tick(record)
        return record

    def delete(self, endpoint_id: str) -> None:
        with self.lock:
            record = self.get(endpoint_id)
            if record.get("workersMin") or record.get("workersMax"):
                raise ApiRuleError(
                    "Unable to delete endpoint: workersMin and workersMax must both be 0 "
                    f"(currently {record.get('workersMin')} and {record.get('workersMax')})"
                )
            running = [w for w in record["workers"] if w["desiredStatus"] == "RUNNING"]
            if running:
                raise ApiRuleError(
                    f"Unable to delete endpoint: {len(running)} worker(s) still running; wait for them to scale down"
                )
            del self.endpoints[endpoint_id]

    # -- rules -------------------------------------------------------------------------------
    @staticmethod
    def _normalize(record: dict[str, Any]) -> None:
        name = record.get("name") or ""
        if name.endswith(FLASHBOOT_SUFFIX):
            record["flashboot"] = True  # the older way of asking for FlashBoot
        elif record.get("flashboot"):
            name = name + FLASHBOOT_SUFFIX  # the API decorates the name (runpodctl issue 270)
        if not record.get("flashboot") and name.endswith(FLASHBOOT_SUFFIX):
            name = name[: -len(FLASHBOOT_SUFFIX)]
        record["name"] = name
        if record.get("cpuFlavorIds") and not record.get("instanceIds"):
            vcpus = int(record.get("vcpuCount") or REST_DEFAULTS["vcpuCount"])
            record["instanceIds"] = [
                f"{flavor}-{vcpus}-{vcpus * _GIB_PER_VCPU.get(flavor[-1], 2)}" for flavor in record["cpuFlavorIds"]
            ]
        if record.get("instanceIds"):
            record["computeType"] = "CPU"
        record.setdefault("computeType", "GPU")
        record.setdefault("env", {})
        if record.get("env") is None:
            record["env"] = {}

    @staticmethod
    def _check(record: dict[str, Any]) -> None:
        low, high = record.get("workersMin") or 0, record.get("workersMax") or 0
        if low > high:
            raise ApiRuleError(f"workersMin ({low}) cannot be greater than workersMax ({high})")
        if low < 0 or high < 0:
            raise ApiRuleError("workersMin and workersMax must be >= 0")
        idle = record.get("idleTimeout")
        if idle is not None and not 1 <= idle <= 3600:
            raise ApiRuleError(f"idleTimeout must be between 1 and 3600, got {idle}")

    def _tick(self, record: dict[str, Any]) -> None:
        """Keep `workersMin` workers running; workers above it drain for `drain_seconds`."""
        now = time.monotonic()
        workers = [w for w in record["workers"] if not (w["drainUntil"] is not None and w["drainUntil"] <= now)]
        active = [w for w in workers if w["drainUntil"] is None]
        wanted = int(record.get("workersMin") or 0)
        for worker in active[wanted:]:
            worker["drainUntil"] = now + self.settings.drain_seconds
        if self.settings.drain_seconds <= 0:
            workers = [w for w in workers if w["drainUntil"] is None]
        for _ in range(wanted - len(active)):
            workers.append({"id": new_id(), "desiredStatus": "RUNNING", "drainUntil": None})
        record["workers"] = workers
