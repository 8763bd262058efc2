"""``/v2/network-volumes``: list, create (201), get, PATCH (name, size), delete (204).

Bodies are validated against the spec's ``CreateNetworkVolumeRequest`` /
``UpdateNetworkVolumeRequest`` (422: unknown fields such as v1's ``dataCenterId``, ``dataCenter``
or ``type`` on a PATCH, sizes outside 10-4096, an empty PATCH); the rules in ``state.py`` then
answer 400 (a data center without volumes or without the tier, a shrink) or 404.
"""

from __future__ import annotations

from typing import Any

from ...routing import Call, Operation, Reply
from ...validation import check_body
from .state import NetworkVolume, VolumeStore

__all__ = ["NetworkVolumesApi", "view"]


class NetworkVolumesApi:
    def __init__(self, store: VolumeStore) -> None:
        self.store = store

    def operations(self) -> list[Operation]:
        return [
            Operation("GET", "/v2/network-volumes", "listNetworkVolumes", self.list_volumes),
            Operation("POST", "/v2/network-volumes", "createNetworkVolume", self.create),
            Operation("GET", "/v2/network-volumes/{id}", "getNetworkVolume", self.get),
            Operation("PATCH", "/v2/network-volumes/{id}", "updateNetworkVolume", self.update),
            Operation("DELETE", "/v2/network-volumes/{id}", "deleteNetworkVolume", self.delete),
        ]

    def list_volumes(self, call: Call) -> Reply:
        return Reply(body={"networkVolumes": [view(volume) for volume in self.store.all()]})

    def get(self, call: Call) -> Reply:
        return Reply(body=view(self.store.get(call.path_params["id"])))

    def create(self, call: Call) -> Reply:
        body = check_body("CreateNetworkVolumeRequest", call.json())
        volume = self.store.create(body["name"], body["size"], body["dataCenter"], body.get("type"))
        return Reply(status=201, body=view(volume))

    def update(self, call: Call) -> Reply:
        body = check_body("UpdateNetworkVolumeRequest", call.json())
        volume = self.store.update(call.path_params["id"], body.get("name"), body.get("size"))
        return Reply(body=view(volume))

    def delete(self, call: Call) -> Reply:
        self.store.delete(call.path_params["id"])
        return Reply(status=204)


def view(volume: NetworkVolume) -> dict[str, Any]:
    return {
        "id": volume.id,
        "name": volume.name,
        "size": volume.size,
        "dataCenter": volume.data_center,
        "type": volume.type,
    }
