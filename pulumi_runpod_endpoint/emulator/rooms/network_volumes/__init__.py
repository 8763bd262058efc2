"""Network volumes: ``/v2/network-volumes`` on one store, placed by the catalog's data centers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ...routing import Operation
from ...world import World
from .rest_v2 import NetworkVolumesApi, view
from .state import NetworkVolume, VolumeStore

__all__ = ["NetworkVolume", "NetworkVolumesRoom", "VolumeStore", "view"]


class NetworkVolumesRoom:
    name = "network_volumes"

    def __init__(self, world: World) -> None:
        self.store = VolumeStore(world)
        self.rest = NetworkVolumesApi(self.store)

    def operations(self) -> list[Operation]:
        return self.rest.operations()

    def graphql_mutations(self) -> dict[str, Callable[..., Any]]:
        return {}

    def graphql_myself(self) -> dict[str, Callable[..., Any]]:
        return {}

    def reset(self) -> None:
        self.store.reset()
