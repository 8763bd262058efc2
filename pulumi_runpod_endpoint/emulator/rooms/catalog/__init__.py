"""RunPod's catalog, read-only: ``/v2/catalog/gpus``, ``/cpus``, ``/datacenters`` (and ``/{id}``)."""

from __future__ import annotations

from ...world import World
from .. import RestRoom
from .rest_v2 import CatalogApi

__all__ = ["CatalogRoom"]


class CatalogRoom(RestRoom):
    """Nothing to forget on reset: the catalog is data about the world."""

    name = "catalog"

    def __init__(self, world: World) -> None:
        self.rest = CatalogApi(world)
