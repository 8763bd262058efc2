"""Reads, deletes, workers, releases and rollouts, on the manual clock."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from pulumi_runpod_endpoint.emulator import Emulator, ManualClock
from tests.emulator.helpers import create, gpu_body, patch, problem


def workers(api: httpx.Client, endpoint_id: str) -> dict[str, Any]:
    response = api.get(f"/v2/serverless/{endpoint_id}/workers")
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def rollout(api: httpx.Client, endpoint_id: str) -> dict[str, Any]:
    return api.get(f"/v2/serverless/{endpoint_id}/releases").json()["rollout"]  # type: ignore[no-any-return]


# -- reads and delete ---------------------------------------------------------------------------
def test_list_is_wrapped_and_in_creation_order(api: httpx.Client, clock: ManualClock) -> None:
    first = create(api, gpu_body(name="a"))
    clock.advance(1)
    second = create(api, gpu_body(name="b"))
    listed = api.get("/v2/serverless").json()
    assert [e["id"] for e in listed["endpoints"]] == [first["id"], second["id"]]
    assert api.get(f"/v2/serverless/{second['id']}").json() == second


def test_delete_is_204_without_precondition_then_404(api: httpx.Client) -> None:
    made = create(api, gpu_body(workers={"min": 2, "max": 3}))
    response = api.delete(f"/v2/serverless/{made['id']}")
    assert (response.status_code, response.content) == (204, b"")
    assert response.headers["x-request-id"]
    for answer in (
        api.get(f"/v2/serverless/{made['id']}"),
        api.delete(f"/v2/serverless/{made['id']}"),
        api.get(f"/v2/serverless/{made['id']}/workers"),
        api.get(f"/v2/serverless/{made['id']}/releases"),
    ):
        problem(answer, 404, f"endpoint {made['id']} not found")


# -- workers ------------------------------------------------------------------------------------
def test_min_workers_run_idle_on_the_current_version(api: httpx.Client, clock: ManualClock) -> None:
    made = create(api, gpu_body(workers={"min": 2, "max": 3}, dataCenterIds=["US-KS-2"]))
    clock.advance(90)
    answer = workers(api, made["id"])
    assert answer["endpointVersion"] == 1
    assert answer["summary"] == {"running": 0, "idle": 2, "initializing": 0, "throttled": 0, "unhealthy": 0, "total": 2}
    worker = answer["workers"][0]
    assert worker["status"] == "IDLE" and worker["isStale"] is False and worker["version"] == 1
    assert (worker["gpuCount"], worker["image"], worker["uptimeSeconds"]) == (1, "runpod/worker:1", 90)
    assert (worker["gpuTypeId"], worker["dataCenterId"]) == ("NVIDIA GeForce RTX 4090", "US-KS-2")
    assert worker["startedAt"] == "2026-11-29T12:00:00Z"
    assert len({w["id"] for w in answer["workers"]}) == 2


def test_new_workers_initialize_for_the_boot_time(emulator: Emulator, api: httpx.Client, clock: ManualClock) -> None:
    emulator.settings.worker_boot_seconds = 30
    made = create(api, gpu_body(workers={"min": 1, "max": 1}))
    assert workers(api, made["id"])["workers"][0]["status"] == "INITIALIZING"
    assert workers(api, made["id"])["workers"][0]["uptimeSeconds"] is None
    clock.advance(30)
    assert workers(api, made["id"])["workers"][0]["status"] == "IDLE"


def test_scaled_down_workers_drain_over_drain_seconds(
    emulator: Emulator, api: httpx.Client, clock: ManualClock
) -> None:
    emulator.settings.drain_seconds = 10
    made = create(api, gpu_body(workers={"min": 3, "max": 3}))
    patch(api, made["id"], {"workers": {"min": 1}})
    assert workers(api, made["id"])["summary"]["total"] == 3  # still draining
    clock.advance(9.9)
    assert workers(api, made["id"])["summary"]["total"] == 3
    clock.advance(0.1)
    assert workers(api, made["id"])["summary"]["total"] == 1


def test_without_drain_time_workers_go_at_once(api: httpx.Client) -> None:
    made = create(api, gpu_body(workers={"min": 3, "max": 3}))
    patch(api, made["id"], {"workers": {"min": 0}})
    assert workers(api, made["id"])["workers"] == []


def test_huge_worker_counts_keep_answers_bounded(emulator: Emulator, api: httpx.Client, clock: ManualClock) -> None:
    """Workers are counted, not listed: two billion cost what two do (one object per worker
    would not finish), and no more than the cloud's capacity are placed or listed."""
    made = create(api, gpu_body(workers={"min": 2_000_000_000, "max": 2_000_000_000}))
    patch(api, made["id"], {"image": "runpod/worker:2"})
    clock.advance(0.5)
    placed = workers(api, made["id"])
    releases = api.get(f"/v2/serverless/{made['id']}/releases").json()
    patch(api, made["id"], {"workers": {"min": 0}})
    assert placed["summary"]["total"] == emulator.settings.worker_capacity == len(placed["workers"])
    assert releases["rollout"]["workersTotal"] == 1000
    assert workers(api, made["id"])["summary"]["total"] == 0


def test_the_account_worker_quota_caps_the_sum_of_max_workers(emulator: Emulator, api: httpx.Client) -> None:
    emulator.settings.worker_quota = 10
    made = create(api, gpu_body(workers={"min": 0, "max": 6}))
    problem(api.post("/v2/serverless", json=gpu_body(workers={"max": 5})), 400, "maximum limit of (10)")
    create(api, gpu_body(workers={"max": 4}))
    problem(api.patch(f"/v2/serverless/{made['id']}", json={"workers": {"max": 7}}), 400, "total workers")


# -- releases and rollouts ----------------------------------------------------------------------
def test_create_is_release_one(api: httpx.Client) -> None:
    made = create(api, gpu_body(gpu={"pools": ["ADA_24"], "count": 2}))
    answer = api.get(f"/v2/serverless/{made['id']}/releases").json()
    assert answer["endpointVersion"] == 1
    assert answer["rollout"] == {"inProgress": False, "workersOnLatest": 0, "workersTotal": 0, "percentOnLatest": 0}
    (release,) = answer["releases"]
    assert (release["version"], release["source"], release["buildId"]) == (1, "MANUAL", None)
    assert {"field": "gpuCount", "old": None, "new": 2} in release["diff"]


@pytest.mark.parametrize(
    ("change", "field", "old", "new"),
    [
        pytest.param(
            {"image": "runpod/worker:2"}, "template.imageName", "runpod/worker:1", "runpod/worker:2", id="image"
        ),
        pytest.param({"env": {"A": "1"}}, "template.env", None, {"A": "1"}, id="env"),
        pytest.param({"args": "--x"}, "template.dockerArgs", None, "--x", id="args"),
        pytest.param({"disk": 40}, "template.containerDiskInGb", None, 40, id="disk"),
        pytest.param({"ports": ["80/http"]}, "template.ports", None, ["80/http"], id="ports"),
        pytest.param({"registry": "r1"}, "template.containerRegistryAuthId", None, "r1", id="registry"),
        pytest.param({"gpu": {"count": 2}}, "gpuCount", 1, 2, id="gpu-count"),
        pytest.param({"gpu": {"pools": ["AMPERE_24"]}}, "gpuIds", "ADA_24", "AMPERE_24", id="pools"),
        pytest.param({"dataCenterIds": ["EU-RO-1"]}, "locations", None, "EU-RO-1", id="locations"),
        pytest.param({"networkVolumes": ["v1"]}, "networkVolumeIds", None, ["v1"], id="volumes"),
    ],
)
def test_worker_configuration_changes_make_a_release(
    api: httpx.Client, change: dict[str, Any], field: str, old: Any, new: Any
) -> None:
    made = create(api, gpu_body())
    patch(api, made["id"], change)
    answer = api.get(f"/v2/serverless/{made['id']}/releases").json()
    assert answer["endpointVersion"] == 2
    assert [r["version"] for r in answer["releases"]] == [2, 1]  # newest first
    assert answer["releases"][0]["diff"] == [{"field": field, "old": old, "new": new}]


@pytest.mark.parametrize(
    "change",
    [
        {"workers": {"max": 9}},
        {"scaling": {"type": "QUEUE_DELAY", "queueDelay": 9}},
        {"timeout": 1000},
        {"name": "other"},
        {"flashboot": "FLASHBOOT"},
        {"image": "runpod/worker:1"},  # the same value: nothing changes
    ],
)
def test_workers_scaling_and_timeout_changes_make_no_release(api: httpx.Client, change: dict[str, Any]) -> None:
    made = create(api, gpu_body())
    patch(api, made["id"], change)
    assert api.get(f"/v2/serverless/{made['id']}/releases").json()["endpointVersion"] == 1


def test_a_rollout_from_start_to_finish(emulator: Emulator, api: httpx.Client, clock: ManualClock) -> None:
    emulator.settings.rollout_seconds = 60
    made = create(api, gpu_body(workers={"min": 4, "max": 4}))
    patch(api, made["id"], {"image": "runpod/worker:2"})
    assert rollout(api, made["id"]) == {
        "inProgress": True,
        "workersOnLatest": 0,
        "workersTotal": 4,
        "percentOnLatest": 0,
    }
    stale = workers(api, made["id"])["workers"]
    assert all(w["isStale"] and w["version"] == 1 and w["image"] == "runpod/worker:1" for w in stale)
    clock.advance(30)
    assert rollout(api, made["id"]) == {
        "inProgress": True,
        "workersOnLatest": 2,
        "workersTotal": 4,
        "percentOnLatest": 50,
    }
    clock.advance(30)
    assert rollout(api, made["id"]) == {
        "inProgress": False,
        "workersOnLatest": 4,
        "workersTotal": 4,
        "percentOnLatest": 100,
    }
    fresh = workers(api, made["id"])["workers"]
    assert all(not w["isStale"] and w["version"] == 2 and w["image"] == "runpod/worker:2" for w in fresh)
    releases = api.get(f"/v2/serverless/{made['id']}/releases").json()["releases"]
    assert [(r["version"], r["workerCount"]) for r in releases] == [(2, 4), (1, 0)]


def test_a_rollout_stuck_on_an_unhealthy_worker(emulator: Emulator, api: httpx.Client, clock: ManualClock) -> None:
    emulator.settings.rollout_seconds = 10
    made = create(api, gpu_body(workers={"min": 3, "max": 3}))
    patch(api, made["id"], {"image": "runpod/worker:2"})
    assert api.post(f"/_emulator/endpoints/{made['id']}/workers", json={"status": "UNHEALTHY"}).json() == {"moved": 1}
    clock.advance(3600)
    state = rollout(api, made["id"])
    assert state == {"inProgress": True, "workersOnLatest": 2, "workersTotal": 3, "percentOnLatest": 67}
    listed = workers(api, made["id"])
    assert listed["summary"]["unhealthy"] == 1
    assert [w["isStale"] for w in listed["workers"] if w["status"] == "UNHEALTHY"] == [True]
    api.post(f"/_emulator/endpoints/{made['id']}/workers", json={"status": "IDLE", "version": 1})
    clock.advance(10)
    assert rollout(api, made["id"])["inProgress"] is False


def test_a_throttled_worker_waits_for_capacity(api: httpx.Client) -> None:
    made = create(api, gpu_body(workers={"min": 1, "max": 1}))
    api.post(f"/_emulator/endpoints/{made['id']}/workers", json={"status": "THROTTLED"})
    (worker,) = workers(api, made["id"])["workers"]
    assert worker["status"] == "THROTTLED"
    assert (worker["gpuTypeId"], worker["dataCenterId"], worker["startedAt"]) == (None, None, None)


def test_a_template_reapplied_is_a_release_even_unchanged(api: httpx.Client) -> None:
    template = api.post("/_emulator/templates", json={"name": "t", "serverless": True, "image": "tmpl:1"}).json()
    made = create(api, gpu_body(templateId=template["id"], image="tmpl:1"))
    patch(api, made["id"], {"templateId": template["id"]})
    answer = api.get(f"/v2/serverless/{made['id']}/releases").json()
    assert answer["endpointVersion"] == 2
    assert answer["releases"][0]["diff"] == []


def test_worker_logs_stream_as_server_sent_events(api: httpx.Client) -> None:
    made = create(api, gpu_body(workers={"min": 1, "max": 1}))
    worker_id = workers(api, made["id"])["workers"][0]["id"]
    response = api.get(f"/v2/serverless/{made['id']}/workers/{worker_id}/logs", params={"source": "container"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    assert '"source":"container","line":"Worker ready."' in response.text
    assert '"source":"system"' not in response.text
    problem(api.get(f"/v2/serverless/{made['id']}/workers/nope/logs"), 404, "worker nope not found")
