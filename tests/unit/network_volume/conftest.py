"""A fake of REST v2 ``/network-volumes``, from the v2 spec, and the fixtures on it.

Rules as the spec states them (``CreateNetworkVolumeRequest``, ``UpdateNetworkVolumeRequest``,
``NetworkVolume``, the path descriptions) and QUIRKS.md / the migration notes: 201 on create, 204 on
delete, ``additionalProperties: false`` (422 naming the field), size 10-4096 (422), a smaller size
is a 400, ``dataCenter`` and ``type`` immutable (not in the PATCH schema: 422), a data center
without network volumes is a 400 whose message lists the ones that do, an omitted ``type`` takes the
data center's default tier. Which tier is a data center's default is not evidenced anywhere: this
fake (like the emulator) takes the first of its ``networkVolumeTypes``. That a volume still attached
is refused on delete (400) is not in the spec either: it is what ``attached`` simulates.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from pulumi_runpod_endpoint.api.catalog import Catalog
from pulumi_runpod_endpoint.api.lifecycle import Timing
from pulumi_runpod_endpoint.api.session import Session
from pulumi_runpod_endpoint.network_volume.provider import NetworkVolumeProvider
from pulumi_runpod_endpoint.network_volume.service import VolumeService
from pulumi_runpod_endpoint.network_volume.v2 import VolumeClient
from tests.conftest import FakeTime
from tests.unit.fake_v2 import BASE, FakeV2, body_of, configure, extra_keys, invalid, missing_keys, problem, session_for
from tests.unit.pulumi_mocks import mocks as mocks  # the program-side fixture, for test_resource


def _dc(dc_id: str, *types: str) -> dict[str, Any]:
    return {"id": dc_id, "name": dc_id, "region": "EUROPE", "networkVolumeTypes": list(types), "compliance": [],
            "globalNetwork": False}  # fmt: skip


# The data centers of this test world (shared by the fake and by the provider's check).
WORLD = Catalog.from_lists(
    gpus=[],
    cpus=[],
    data_centers=[
        _dc("EU-RO-1", "STANDARD", "HIGH_PERFORMANCE"),
        _dc("US-KS-2", "HIGH_PERFORMANCE", "STANDARD"),
        _dc("EU-SE-1", "STANDARD"),
        _dc("AP-JP-1"),
    ],
)
TYPES = ("STANDARD", "HIGH_PERFORMANCE")


class FakeVolumes(FakeV2):
    def __init__(self) -> None:
        super().__init__()
        self.volumes: dict[str, dict[str, Any]] = {}
        self.attached: dict[str, int] = {}  # volume id -> how many more deletes are refused
        self.route("GET", "/v2/network-volumes", self.list)
        self.route("POST", "/v2/network-volumes", self.create)
        self.route("GET", "/v2/network-volumes/{id}", self.get)
        self.route("PATCH", "/v2/network-volumes/{id}", self.patch)
        self.route("DELETE", "/v2/network-volumes/{id}", self.delete)

    def add(self, **volume: Any) -> dict[str, Any]:
        """A volume made outside the program (the console, another stack)."""
        record = {"id": self.new_id("vol"), **volume}
        self.volumes[record["id"]] = record
        return record

    def list(self, request: httpx.Request, _: dict[str, str]) -> httpx.Response:
        return httpx.Response(200, json={"networkVolumes": list(self.volumes.values())})

    def get(self, request: httpx.Request, path: dict[str, str]) -> httpx.Response:
        volume = self.volumes.get(path["id"])
        return httpx.Response(200, json=volume) if volume else problem(404, "network volume not found")

    def create(self, request: httpx.Request, _: dict[str, str]) -> httpx.Response:
        body = body_of(request)
        if not isinstance(body, dict):
            return invalid("$: expected object")
        errors = missing_keys(body, ("name", "size", "dataCenter")) + extra_keys(
            body, {"name", "size", "dataCenter", "type"}
        )
        errors += _size_errors(body) + _text_errors(body, ("name", "dataCenter"))
        if "type" in body and body["type"] not in TYPES:
            errors.append("$.type: value must be one of 'STANDARD', 'HIGH_PERFORMANCE'")
        if errors:
            return invalid(*errors)
        offered = WORLD.volume_types(body["dataCenter"])
        if not offered:
            with_volumes = [dc for dc in WORLD.data_center_ids() if WORLD.volume_types(dc)]
            return problem(400, f"network volumes are only supported in: {', '.join(with_volumes)}")
        tier = body.get("type", offered[0])
        if tier not in offered:
            return problem(400, f"data center {body['dataCenter']} does not support {tier} network volumes")
        volume = {"id": self.new_id("vol"), "name": body["name"], "size": body["size"],
                  "dataCenter": body["dataCenter"], "type": tier}  # fmt: skip
        self.volumes[volume["id"]] = volume
        return httpx.Response(201, json=volume)

    def patch(self, request: httpx.Request, path: dict[str, str]) -> httpx.Response:
        volume = self.volumes.get(path["id"])
        if volume is None:
            return problem(404, "network volume not found")
        body = body_of(request)
        if not isinstance(body, dict):
            return invalid("$: expected object")
        errors = extra_keys(body, {"name", "size"}) + _size_errors(body) + _text_errors(body, ("name",))
        if not body:
            errors.append("$: minimum 1 properties required")
        if errors:
            return invalid(*errors)
        if "size" in body and body["size"] < volume["size"]:
            return problem(400, "network volume size can only be increased")
        volume.update(body)
        return httpx.Response(200, json=volume)

    def delete(self, request: httpx.Request, path: dict[str, str]) -> httpx.Response:
        if path["id"] not in self.volumes:
            return problem(404, "network volume not found")
        if self.attached.get(path["id"], 0) > 0:
            self.attached[path["id"]] -= 1
            return problem(400, "network volume is attached to a pod or endpoint and cannot be deleted")
        del self.volumes[path["id"]]
        return httpx.Response(204)


def _size_errors(body: dict[str, Any]) -> list[str]:
    size = body.get("size")
    if "size" not in body:
        return []
    if isinstance(size, bool) or not isinstance(size, int):
        return ["$.size: got " + type(size).__name__ + ", want integer"]
    if not 10 <= size <= 4096:
        return [f"$.size: must be >= 10 and <= 4096 but found {size}"]
    return []


def _text_errors(body: dict[str, Any], keys: tuple[str, ...]) -> list[str]:
    return [f"$.{key}: length must be >= 1" for key in keys if key in body and not body[key]]


@pytest.fixture
def fake() -> FakeVolumes:
    return FakeVolumes()


@pytest.fixture
def session(fake: FakeVolumes, fake_time: FakeTime) -> Iterator[Session]:
    with session_for(fake, fake_time) as session:
        yield session


TIMING = Timing(delete_timeout=120.0, settle=30.0, first_poll=1.0, max_poll=8.0)


@pytest.fixture
def service(session: Session, fake_time: FakeTime) -> VolumeService:
    return VolumeService(VolumeClient(session, BASE), timing=TIMING, sleep=fake_time.sleep, clock=fake_time.clock)


@pytest.fixture
def provider(session: Session, fake_time: FakeTime) -> NetworkVolumeProvider:
    made = NetworkVolumeProvider(
        session_factory=lambda _settings: session,
        timing=TIMING,
        sleep=fake_time.sleep,
        clock=fake_time.clock,
        catalog=lambda: WORLD,
    )
    return configure(made)
