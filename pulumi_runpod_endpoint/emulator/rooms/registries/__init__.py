"""Container registry credentials: ``/v2/registries`` on one store."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ...routing import Operation
from ...world import World
from ..pods import PodStore
from .rest_v2 import RegistriesApi
from .state import IN_USE, Registry, RegistryStore

__all__ = ["IN_USE", "RegistriesRoom", "Registry", "RegistryStore"]


class RegistriesRoom:
    name = "registries"

    def __init__(self, world: World, pods: PodStore) -> None:
        self.store = RegistryStore(world, pods)
        self.rest = RegistriesApi(self.store)

    def operations(self) -> list[Operation]:
        return self.rest.operations()

    def graphql_mutations(self) -> dict[str, Callable[..., Any]]:
        return {}

    def graphql_myself(self) -> dict[str, Callable[..., Any]]:
        return {}

    def reset(self) -> None:
        self.store.reset()
