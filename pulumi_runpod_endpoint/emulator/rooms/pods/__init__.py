"""Pods: ``GET /v2/pods`` and ``GET /v2/pods/{id}`` (listPods, getPod) over the declared pods.

Tests declare pods through the control API (``POST /_emulator/pods``): a pod that references a
template blocks the template's delete, a pod that pulls with a registry credential blocks the
credential's delete (spec: deleteTemplate, deleteRegistry), and every live pod is listed and read
as the spec's ``Pod``. createPod, updatePod, deletePod and the pod actions are not served.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ...routing import Operation
from ...world import World
from .rest_v2 import PodsApi, view
from .state import Container, Pod, PodStore

__all__ = ["Container", "Pod", "PodStore", "PodsRoom", "view"]


class PodsRoom:
    name = "pods"

    def __init__(self, world: World) -> None:
        self.store = PodStore(world)
        self.rest = PodsApi(world, self.store)

    def operations(self) -> list[Operation]:
        return self.rest.operations()

    def graphql_mutations(self) -> dict[str, Callable[..., Any]]:
        return {}

    def graphql_myself(self) -> dict[str, Callable[..., Any]]:
        return {}

    def reset(self) -> None:
        self.store.reset()
