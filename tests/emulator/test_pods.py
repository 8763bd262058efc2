"""/v2/pods: the pods tests declare (control API), listed and read as the spec's ``Pod`` -- valid
against the spec's own ``Pod`` / ``ListPodsResponse`` schemas, on the emulator's manual clock."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from pulumi_runpod_endpoint.emulator import Emulator, ManualClock
from tests.emulator.helpers import operations, problem, spec_errors

RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


@pytest.fixture
def control(emulator: Emulator) -> Iterator[httpx.Client]:
    with httpx.Client(transport=emulator.transport(), base_url="http://emulator") as client:
        yield client


def declare(control: httpx.Client, **pod: Any) -> dict[str, Any]:
    response = control.post("/_emulator/pods", json=pod)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def listed(api: httpx.Client, query: str = "") -> list[dict[str, Any]]:
    response = api.get(f"/v2/pods{query}")
    assert response.status_code == 200, response.text
    body = response.json()
    assert spec_errors("ListPodsResponse", body) == []
    pods: list[dict[str, Any]] = body["pods"]
    return pods


def seed_users(api: httpx.Client) -> tuple[str, str, str]:
    """A credential, a template that pulls with it, and a network volume in EU-RO-1."""
    registry = api.post("/v2/registries", json={"name": "ghcr", "username": "u", "password": "p"}).json()["id"]
    template = api.post(
        "/v2/templates",
        json={"name": "trainer", "image": "ghcr.io/acme/train:3", "args": "python train.py", "disk": 80,
              "ports": ["8888/http", "22/tcp"], "registry": registry, "allowedCudaVersions": ["12.4", "12.6"]},
    ).json()["id"]  # fmt: skip
    volume = api.post("/v2/network-volumes", json={"name": "data", "size": 10, "dataCenter": "EU-RO-1"}).json()["id"]
    return registry, template, volume


# -- list -------------------------------------------------------------------------------------
def test_no_pods_is_an_empty_list(emulator: Emulator, api: httpx.Client) -> None:
    assert api.get("/v2/pods").json() == {"pods": []}
    assert listed(api) == []
    assert operations(emulator) == ["GET listPods 200", "GET listPods 200"]


def test_declared_pods_are_listed_as_the_specs_pod(
    clock: ManualClock, api: httpx.Client, control: httpx.Client
) -> None:
    registry, template, volume = seed_users(api)
    full = declare(control, name="trainer-1", templateId=template, registry=registry, networkVolumeId=volume)
    bare = declare(control)
    clock.advance(90)
    first, second = listed(api)
    for pod in (first, second):
        assert spec_errors("Pod", pod) == []
        assert RFC3339.match(pod["createdAt"]) and RFC3339.match(pod["startedAt"])
        assert (pod["status"], pod["actions"]) == ("RUNNING", ["stop", "restart", "terminate"])
        assert (pod["createdAt"], pod["startedAt"]) == ("2026-11-29T12:00:00Z", "2026-11-29T12:00:00Z")
        assert pod["runtime"]["uptime"] == 90 and pod["env"] == {} and pod["locked"] is False
        assert pod["ssh"]["proxy"]["host"] == "ssh.runpod.io" and "cluster" not in pod
    assert (first["id"], first["name"]) == (full["id"], "trainer-1")
    assert (first["template"], first["registry"]) == (template, registry)  # the fields the client reads
    assert first["mounts"] == {"network": [{"volumeId": volume, "path": "/workspace"}]}
    assert first["dataCenterId"] == "EU-RO-1"  # the volume's: "in the same data center as the pod"
    assert (first["image"], first["args"], first["disk"]) == ("ghcr.io/acme/train:3", "python train.py", 80)
    assert first["ports"] == ["8888/http", "22/tcp"] and first["cudaVersion"] == "12.4"
    direct = first["ssh"]["direct"]
    assert direct["username"] == "root" and direct["command"] == f"ssh root@{direct['host']} -p {direct['port']}"
    assert {"private": 22, "public": direct["port"], "type": "tcp", "ip": direct["host"]} in first["runtime"]["ports"]
    assert (second["id"], second["name"]) == (bare["id"], f"pod-{bare['id']}")
    assert (second["template"], second["registry"], second["mounts"]) == (None, None, {})
    assert (second["dataCenterId"], second["cudaVersion"], second["ports"]) == ("US-KS-2", "12.8", [])
    assert second["ssh"]["direct"] is None  # "Null unless 22/tcp is in ports"


@pytest.mark.parametrize("value", ["true", "false"])
def test_include_cluster_pods_is_accepted_and_declared_pods_are_standalone(
    api: httpx.Client, control: httpx.Client, value: str
) -> None:
    pod = declare(control, name="solo")
    assert [item["id"] for item in listed(api, f"?includeClusterPods={value}")] == [pod["id"]]


def test_include_cluster_pods_must_be_a_boolean(api: httpx.Client) -> None:
    problem(api.get("/v2/pods?includeClusterPods=maybe"), 422, "$.includeClusterPods: got 'maybe', want boolean")


# -- get --------------------------------------------------------------------------------------
def test_a_pod_is_read_by_id(emulator: Emulator, api: httpx.Client, control: httpx.Client) -> None:
    registry, template, _volume = seed_users(api)
    pod = declare(control, templateId=template, registry=registry)
    emulator.journal.clear()
    answer = api.get(f"/v2/pods/{pod['id']}")
    assert answer.status_code == 200, answer.text
    assert spec_errors("Pod", answer.json()) == []
    assert answer.json() == listed(api)[0]
    assert operations(emulator) == ["GET getPod 200", "GET listPods 200"]


def test_an_unknown_pod_is_a_problem_404(emulator: Emulator, api: httpx.Client) -> None:
    body = problem(api.get("/v2/pods/nope"), 404, "pod nope not found")
    assert spec_errors("ErrorResponse", body) == []
    assert operations(emulator) == ["GET getPod 404"]


def test_a_removed_pod_is_gone(api: httpx.Client, control: httpx.Client) -> None:
    pod = declare(control)
    assert control.delete(f"/_emulator/pods/{pod['id']}").status_code == 204
    assert listed(api) == []
    problem(api.get(f"/v2/pods/{pod['id']}"), 404, "not found")


def test_a_pod_declared_for_a_while_leaves_the_list_on_the_emulator_clock(
    clock: ManualClock, api: httpx.Client, control: httpx.Client
) -> None:
    kept = declare(control, name="kept")
    passing = declare(control, name="passing", seconds=30)
    clock.advance(29)
    assert [pod["name"] for pod in listed(api)] == ["kept", "passing"]
    assert api.get(f"/v2/pods/{passing['id']}").json()["runtime"]["uptime"] == 29
    clock.advance(1)
    assert [pod["id"] for pod in listed(api)] == [kept["id"]]
    problem(api.get(f"/v2/pods/{passing['id']}"), 404, f"pod {passing['id']} not found")


# -- the pipeline -----------------------------------------------------------------------------
@pytest.mark.parametrize("path", ["/v2/pods", "/v2/pods/abc"])
def test_a_key_is_required(emulator: Emulator, control: httpx.Client, path: str) -> None:
    declare(control)
    problem(control.get(path), 401)
    assert [entry.status for entry in emulator.journal.entries()] == [401]


def test_pods_are_not_created_changed_or_deleted_through_the_api(api: httpx.Client, control: httpx.Client) -> None:
    pod = declare(control)
    problem(api.post("/v2/pods", json={"name": "x", "image": "i", "gpu": {"id": "NVIDIA L4"}}), 405, "not allowed")
    problem(api.patch(f"/v2/pods/{pod['id']}", json={"name": "y"}), 405, "not allowed")
    problem(api.delete(f"/v2/pods/{pod['id']}"), 405, "not allowed")
    assert [item["name"] for item in listed(api)] == [pod["name"]]


# -- the control API --------------------------------------------------------------------------
def test_a_pod_may_use_nothing(control: httpx.Client) -> None:
    pod = declare(control)
    assert pod == {"id": pod["id"], "name": f"pod-{pod['id']}", "templateId": None, "registry": None,
                   "networkVolumeId": None, "until": None}  # fmt: skip
    assert control.get("/_emulator/pods").json() == [pod]


@pytest.mark.parametrize(
    ("body", "status", "fragment"),
    [
        ({"name": ""}, 400, "name: expected a non-empty string"),
        ({"name": 7}, 400, "name: expected a non-empty string"),
        ({"networkVolumeId": "nope"}, 404, "network volume nope not found"),
        ({"mounts": {}}, 400, "unknown pod field(s) mounts"),
    ],
)
def test_bad_pod_declarations_are_refused(
    control: httpx.Client, body: dict[str, Any], status: int, fragment: str
) -> None:
    problem(control.post("/_emulator/pods", json=body), status, fragment)
