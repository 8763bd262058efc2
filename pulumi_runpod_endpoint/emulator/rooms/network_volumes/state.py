"""Network volumes: persistent storage in one data center, billed until deleted.

Rules (spec: createNetworkVolume, updateNetworkVolume, ``CreateNetworkVolumeRequest``,
``DataCenter.networkVolumeTypes``; evidence where marked):
  * the data center must offer network volumes: "Not every datacenter supports volumes -- a bad
    one returns ``400`` and the error message lists the datacenters that do" (runpod-plugins-
    official, runpod-migrate/reference/rest-v1-to-v2.md, checked against the live API); an
    unknown data center is answered the same way.
  * a requested ``type`` must be one the data center offers (its ``networkVolumeTypes`` in the
    shipped catalog); 400 naming the ones it offers (status by analogy with the above).
  * ``type`` left out: "the requested data center's default (primary) storage tier" (spec).
    Which tier is a data center's default is not evidenced anywhere: the emulator GUESSES the
    first one its catalog entry lists. Reads always report the concrete tier.
  * ``size`` grows only: "attempts to reduce size will be rejected" (spec; 400 per its
    updateNetworkVolume responses); the same size is accepted ("greater than or equal").
  * ``dataCenter`` and ``type`` are immutable: the PATCH schema has neither, so sending them is
    a 422 (``additional properties ... not allowed``) before any rule here runs.
  * a delete has no precondition in the spec (no 400 listed): a volume an endpoint still lists
    is deleted all the same, and the endpoint keeps listing the id (what the live API does to
    such an endpoint is not evidenced).
"""

from __future__ import annotations

from dataclasses import dataclass

from ...catalog import Catalog
from ...problems import BadRequest, NotFound
from ...world import World

__all__ = ["NetworkVolume", "VolumeStore"]


@dataclass
class NetworkVolume:
    id: str
    name: str
    size: int
    data_center: str
    type: str


class VolumeStore:
    def __init__(self, world: World) -> None:
        self.world = world
        self._volumes: dict[str, NetworkVolume] = {}

    def get(self, volume_id: str) -> NetworkVolume:
        with self.world.lock:
            volume = self._volumes.get(volume_id)
            if volume is None:
                raise NotFound(f"network volume {volume_id} not found")
            return volume

    def all(self) -> list[NetworkVolume]:
        with self.world.lock:
            return list(self._volumes.values())

    def create(
        self, name: str, size: int, data_center: str, volume_type: str | None, *, volume_id: str | None = None
    ) -> NetworkVolume:
        tier = placement(self.world.catalog, data_center, volume_type)
        with self.world.lock:
            volume = NetworkVolume(volume_id or self.world.new_id(10), name, size, data_center, tier)
            self._volumes[volume.id] = volume
            return volume

    def update(self, volume_id: str, name: str | None, size: int | None) -> NetworkVolume:
        with self.world.lock:
            volume = self.get(volume_id)
            if size is not None and size < volume.size:
                raise BadRequest(
                    f"size: a network volume cannot shrink: it has {volume.size} GB, {size} GB was asked; "
                    "storage can only grow (create a smaller volume and copy the data to shrink)"
                )
            if name is not None:
                volume.name = name
            if size is not None:
                volume.size = size
            return volume

    def delete(self, volume_id: str) -> None:
        with self.world.lock:
            self.get(volume_id)
            del self._volumes[volume_id]

    def reset(self) -> None:
        with self.world.lock:
            self._volumes.clear()


def placement(catalog: Catalog, data_center: str, volume_type: str | None) -> str:
    """The tier a volume gets in ``data_center``, or a 400 naming what is offered where."""
    offering = [dc["id"] for dc in catalog.data_centers if dc["networkVolumeTypes"]]
    dc = catalog.data_center(data_center)
    if dc is None or not dc["networkVolumeTypes"]:
        what = "is not a data center" if dc is None else "does not offer network volumes"
        raise BadRequest(
            f"dataCenter: {data_center!r} {what}; data centers with network volumes: {', '.join(offering)}"
        )
    offered: list[str] = list(dc["networkVolumeTypes"])
    if volume_type is None:
        return offered[0]  # the "default (primary) tier": a guess (see the module docstring)
    if volume_type not in offered:
        elsewhere = [other["id"] for other in catalog.data_centers if volume_type in other["networkVolumeTypes"]]
        raise BadRequest(
            f"type: {data_center} does not offer {volume_type} network volumes; it offers {', '.join(offered)}"
            + (f" ({volume_type} is offered in {', '.join(elsewhere)})" if elsewhere else "")
        )
    return volume_type
