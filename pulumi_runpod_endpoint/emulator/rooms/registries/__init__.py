"""Container registry credentials: ``/v2/registries`` on one store."""

from __future__ import annotations

from ...world import World
from .. import RestRoom
from ..pods import PodStore
from .rest_v2 import RegistriesApi
from .state import IN_USE, Registry, RegistryStore

__all__ = ["IN_USE", "RegistriesRoom", "Registry", "RegistryStore"]


class RegistriesRoom(RestRoom):
    name = "registries"
    store: RegistryStore

    def __init__(self, world: World, pods: PodStore) -> None:
        self.store = RegistryStore(world, pods)
        self.rest = RegistriesApi(self.store)
