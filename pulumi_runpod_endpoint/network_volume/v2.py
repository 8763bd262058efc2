"""REST v2 ``/network-volumes``: the wire model and the client. Pulumi-free.

Shapes from the v2 spec: ``CreateNetworkVolumeRequest`` ``{name, size, dataCenter, type?}``
(``additionalProperties: false``: v1's ``dataCenterId`` is a 422), ``UpdateNetworkVolumeRequest``
``{name?, size?}`` (at least one; ``size`` may only grow: a smaller one is a 400), ``NetworkVolume``
``{id, name, size, dataCenter, type}``, lists wrapped as ``{"networkVolumes": [...]}``; 201 on
create, 204 on delete.
"""

from __future__ import annotations

from typing import Any

from ..api.rest import DEFAULT_REST_URL, RestCollection
from ..api.session import Session
from ..api.usage import describe_users
from ..api.wire import V2Model, parse
from .spec import VolumeSpec

__all__ = ["NetworkVolume", "VolumeClient", "create_body", "patch_body"]


class NetworkVolume(V2Model):
    """``NetworkVolume`` as v2 reports it (``type`` kept as text: a new tier must not break reads)."""

    id: str
    name: str
    size: int
    data_center: str
    type: str


def create_body(spec: VolumeSpec) -> dict[str, Any]:
    body: dict[str, Any] = {"name": spec.name, "size": spec.size_gb, "dataCenter": spec.data_center_id}
    if spec.type is not None:
        body["type"] = spec.type
    return body


def patch_body(current: NetworkVolume, spec: VolumeSpec) -> dict[str, Any]:
    """The smallest PATCH from ``current`` to ``spec``: only the mutable fields that differ."""
    body: dict[str, Any] = {}
    if spec.name != current.name:
        body["name"] = spec.name
    if spec.size_gb != current.size:
        body["size"] = spec.size_gb
    return body


class VolumeClient:
    """``/v2/network-volumes``: list, get, create (201), update (PATCH), delete (204)."""

    noun = "network volume"

    def __init__(self, session: Session, base_url: str = DEFAULT_REST_URL) -> None:
        self.session, self.base_url = session, base_url
        self.collection = RestCollection(
            session, base_url, "network-volumes", list_key="networkVolumes", noun=self.noun
        )

    def list(self) -> list[NetworkVolume]:
        return [parse(NetworkVolume, item, "list network volumes") for item in self.collection.list()]

    def get(self, volume_id: str) -> NetworkVolume:
        return parse(NetworkVolume, self.collection.get(volume_id), f"read network volume {volume_id}")

    def create(self, body: dict[str, Any]) -> NetworkVolume:
        return parse(NetworkVolume, self.collection.create(body), "create network volume")

    def update(self, volume_id: str, body: dict[str, Any]) -> NetworkVolume:
        return parse(NetworkVolume, self.collection.patch(volume_id, body), f"update network volume {volume_id}")

    def delete(self, volume_id: str) -> None:
        self.collection.delete(volume_id)

    def users_of(self, volume_id: str) -> str | None:
        """The pods that mount the volume and the endpoints that list it (two list requests)."""
        return describe_users(
            self.session,
            self.base_url,
            pods=lambda pod: any(
                isinstance(mount, dict) and mount.get("volumeId") == volume_id
                for mount in ((pod.get("mounts") or {}).get("network") or [])
            ),
            endpoints=lambda endpoint: volume_id in (endpoint.get("networkVolumes") or []),
        )
