"""Network volumes: ``/v2/network-volumes`` on one store, placed by the catalog's data centers."""

from __future__ import annotations

from ...world import World
from .. import RestRoom
from .rest_v2 import NetworkVolumesApi, view
from .state import NetworkVolume, VolumeStore

__all__ = ["NetworkVolume", "NetworkVolumesRoom", "VolumeStore", "view"]


class NetworkVolumesRoom(RestRoom):
    name = "network_volumes"
    store: VolumeStore

    def __init__(self, world: World) -> None:
        self.store = VolumeStore(world)
        self.rest = NetworkVolumesApi(self.store)
