"""What every endpoint backend (REST v2, RunPod GraphQL, Tensor One GraphQL) offers the lifecycle.

Pulumi-free. A backend translates between the one flat spec (``EndpointSpec``) and its API's wire
shapes, one call per method; the lifecycle rules that make operations safe (create recovery, scale to
zero before delete, verify, rollout waits) live once in ``service.py`` above this protocol.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Set
from dataclasses import dataclass, field
from typing import Any, Protocol

from ..validation import FieldProblem
from .spec import EndpointSpec

__all__ = ["ENDPOINT_MISSING", "Change", "EndpointBackend", "Observed", "RolloutState", "strip_flashboot_suffix"]

FLASHBOOT_SUFFIX = " -fb"
# RunPod's answer for an endpoint id the caller cannot see (unknown or another account's): Prisma's
# findFirstOrThrow on the AiApi model (runpod/runpod-mcp 4c8e403). The only words that mean "gone".
ENDPOINT_MISSING = re.compile(r"^\s*No AiApi found\.?\s*$", re.IGNORECASE)


def strip_flashboot_suffix(name: str | None) -> str | None:
    """RunPod's older FlashBoot convention appends `` -fb`` to names: never drift, never ours."""
    if name is not None and name.endswith(FLASHBOOT_SUFFIX):
        return name[: -len(FLASHBOOT_SUFFIX)]
    return name


@dataclass(frozen=True)
class Observed:
    """An endpoint as its API reports it, in the flat spec's field names.

    ``fields`` holds every spec field the API reports (missing ones are not observable there);
    ``request_urls`` uses snake_case keys (``run``, ``run_sync``, ``health``; ``base`` for a load
    balancer); ``version`` is the configuration version when the API reports one.
    """

    id: str
    fields: Mapping[str, Any]
    created_at: str | None = None
    request_urls: Mapping[str, str] = field(default_factory=dict)
    version: int | None = None
    bound_template: bool | None = None
    """Whether the endpoint is bound to its template (GraphQL- and console-made endpoints are; one
    made through v2 is not); None when this answer does not say."""

    @property
    def name(self) -> str | None:
        return strip_flashboot_suffix(self.fields.get("name"))

    @property
    def has_workers_configured(self) -> bool:
        return bool(self.fields.get("workers_min") or self.fields.get("workers_max"))


@dataclass(frozen=True)
class Change:
    """An update: what the state last recorded, what the program wants now, and what it removed.

    ``old`` is the previous outputs (flat; ``env`` is the whole observed map), ``cleared`` the fields
    the program stopped setting that must be unset, ``env_keys`` the env names the program manages
    (other keys came from a template and are kept), ``reapply_template`` asks to apply
    ``new.template_id`` again (a new template, or a new revision of it). ``managed`` names the spec
    fields the program manages: only those are written, and everything else stays as it is on the
    endpoint (an adopted endpoint keeps what the program does not declare); empty means every field
    the new spec sets.
    """

    old: Mapping[str, Any]
    new: EndpointSpec
    cleared: Set[str] = frozenset()
    env_keys: Set[str] = frozenset()
    old_env_keys: Set[str] = frozenset()
    reapply_template: bool = False
    managed: Set[str] = frozenset()

    def written(self) -> dict[str, Any]:
        """The new spec's values for the fields this change manages (the scaler's type and value are one
        group, and the name is always written)."""
        values = self.new.model_dump(exclude_none=True)
        if not self.managed:
            return values
        managed = set(self.managed) | {"name"}
        if managed & {"scaler_type", "scaler_value"}:
            managed |= {"scaler_type", "scaler_value"}
        return {name: value for name, value in values.items() if name in managed}

    def whole(self, fields: Iterable[str]) -> dict[str, Any]:
        """The whole record to write where the API replaces it (GraphQL's saveEndpoint): the managed
        fields as wanted, the others as last observed -- so nothing the program leaves out is reset."""
        written = self.written()
        kept = {
            name: value
            for name, value in self.old.items()
            if name in fields and name not in written and name not in self.cleared and value is not None
        }
        return {**kept, **written}

    def env_to_send(self) -> dict[str, str]:
        """The whole env map to write: keys the program never managed are kept, its own replaced."""
        observed = dict(self.old.get("env") or {})
        kept = {key: value for key, value in observed.items() if key not in self.old_env_keys}
        return {**kept, **(self.new.env or {})}


@dataclass(frozen=True)
class RolloutState:
    """Where a release stands: done when no worker is stale, none is unhealthy, and at least
    ``workers_min`` workers on the latest release are ready (running or idle, not still booting)."""

    version: int | None
    percent_on_latest: int
    workers_on_latest: int
    workers_total: int
    stale: int
    throttled: int
    unhealthy: int
    ready_on_latest: int = 0

    def done(self, workers_min: int) -> bool:
        return self.stale == 0 and self.unhealthy == 0 and self.ready_on_latest >= workers_min

    def describe(self) -> str:
        return (
            f"release {self.version if self.version is not None else '?'}: {self.percent_on_latest}% of workers on it "
            f"({self.workers_on_latest} of {self.workers_total}, {self.ready_on_latest} ready), {self.stale} stale, "
            f"{self.throttled} throttled, {self.unhealthy} unhealthy"
        )


class EndpointBackend(Protocol):
    """One API's endpoint operations; each method is one logical API call unless it says otherwise."""

    name: str

    def problems(self, spec: EndpointSpec) -> list[FieldProblem]:
        """What this backend cannot express, found before any call (which backend can, and how)."""
        ...

    def create(self, spec: EndpointSpec) -> Observed: ...

    def get(self, endpoint_id: str) -> Observed:
        """Raises ``NotFound`` only when the API itself says there is no such endpoint."""
        ...

    def list(self) -> list[Observed]: ...

    def update(self, endpoint_id: str, change: Change, *, current: Observed | None = None) -> Observed | None:
        """Apply ``change``; ``current`` (a fresh read) replaces ``change.old`` as the starting point.
        Returns None when nothing needed sending."""
        ...

    def scale_to_zero(self, endpoint_id: str, last_known: Mapping[str, Any] | None) -> None: ...

    def delete(self, endpoint_id: str, last_known: Mapping[str, Any] | None = None) -> None:
        """Delete it (workers are already at zero) the way that leaves a bound template alone."""
        ...

    def rollout(self, endpoint_id: str) -> RolloutState | None:
        """The current release's rollout, or None when this API cannot report one."""
        ...
