"""Pods: ``GET /v2/pods`` and ``GET /v2/pods/{id}`` (listPods, getPod) over the declared pods.

Tests declare pods through the control API (``POST /_emulator/pods``): a pod that references a
template blocks the template's delete, a pod that pulls with a registry credential blocks the
credential's delete (spec: deleteTemplate, deleteRegistry), and every live pod is listed and read
as the spec's ``Pod``. createPod, updatePod, deletePod and the pod actions are not served.
"""

from __future__ import annotations

from ...world import World
from .. import RestRoom
from .rest_v2 import PodsApi, view
from .state import Container, Pod, PodStore

__all__ = ["Container", "Pod", "PodStore", "PodsRoom", "view"]


class PodsRoom(RestRoom):
    name = "pods"
    store: PodStore

    def __init__(self, world: World) -> None:
        self.store = PodStore(world)
        self.rest = PodsApi(world, self.store)
