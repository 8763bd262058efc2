"""RunPod's catalog, read-only: ``/v2/catalog/gpus``, ``/cpus``, ``/datacenters`` (and ``/{id}``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ...routing import Operation
from ...world import World
from .rest_v2 import CatalogApi

__all__ = ["CatalogRoom"]


class CatalogRoom:
    name = "catalog"

    def __init__(self, world: World) -> None:
        self.rest = CatalogApi(world)

    def operations(self) -> list[Operation]:
        return self.rest.operations()

    def graphql_mutations(self) -> dict[str, Callable[..., Any]]:
        return {}

    def graphql_myself(self) -> dict[str, Callable[..., Any]]:
        return {}

    def reset(self) -> None:
        """Nothing to forget: the catalog is data about the world."""
