"""The canonical serverless endpoint: one shape for every API, kept apart from any wire format.

``EndpointConfig`` is what a client can set; ``Endpoint`` adds what the platform owns (id,
creation time, configuration version, releases, workers). REST v2 and GraphQL translate their
requests into configs and configs into their answers; the rules live in ``store.py``.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any, Literal

from .fleet import Fleet

__all__ = ["Container", "CpuChoice", "Endpoint", "EndpointConfig", "GpuSelection", "Release"]

EndpointType = Literal["QUEUE", "LOAD_BALANCER"]
ScalingType = Literal["QUEUE_DELAY", "REQUEST_COUNT"]


@dataclass
class GpuSelection:
    pools: list[str]
    excluded_types: list[str] = field(default_factory=list)
    count: int = 1
    allowed_cuda_versions: list[str] = field(default_factory=list)
    min_cuda_version: str | None = None


@dataclass(frozen=True)
class CpuChoice:
    flavor: str
    vcpus: int


@dataclass
class Container:
    """The worker's container settings (a v2 endpoint's own; upstream, its bound template's)."""

    image: str | None = None
    args: str = ""
    disk: int | None = None
    ports: list[str] = field(default_factory=list)
    env: dict[str, str] = field(default_factory=dict)
    registry: str | None = None


@dataclass
class EndpointConfig:
    name: str
    type: EndpointType = "QUEUE"
    gpu: GpuSelection | None = None
    cpu: list[CpuChoice] | None = None
    workers_min: int = 0
    workers_max: int = 3
    idle_timeout: int | None = 10
    scaling_type: ScalingType = "QUEUE_DELAY"
    scaling_value: float = 4
    data_center_ids: list[str] = field(default_factory=list)
    network_volumes: list[str] = field(default_factory=list)
    timeout: int = 0
    flashboot: str = "OFF"
    container: Container = field(default_factory=Container)

    @property
    def compute(self) -> Literal["GPU", "CPU"]:
        return "CPU" if self.cpu is not None else "GPU"

    @property
    def idle_timeout_applies(self) -> bool:
        """workers.idleTimeout means nothing to a QUEUE endpoint scaling on request count (spec)."""
        return not (self.type == "QUEUE" and self.scaling_type == "REQUEST_COUNT")

    def clone(self) -> EndpointConfig:
        return copy.deepcopy(self)


@dataclass
class Release:
    id: str
    version: int
    created_at: float
    diff: list[dict[str, Any]]
    created_by_user_id: str | None
    image: str | None = None
    """The image workers on this version run."""


@dataclass
class Endpoint:
    id: str
    config: EndpointConfig
    created_at: float
    user_id: str
    template_id: str
    """The endpoint's bound template: a private copy for v2 creates, the user's for GraphQL ones.
    GraphQL reads show it; v2 reads carry no template (spec)."""
    version: int = 1
    releases: list[Release] = field(default_factory=list)
    fleet: Fleet = field(default_factory=Fleet)
    graphql: dict[str, Any] = field(default_factory=dict)
    """Settings only GraphQL knows (compliance, modelReferences, requestTTL, workersStandby...);
    REST v2 neither shows nor changes them."""
