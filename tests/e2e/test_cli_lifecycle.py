"""The real pulumi CLI: up, preview, update, replace, refresh, adopt, get, import, destroy."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from tests.conftest import API_KEY
from tests.e2e.conftest import Project
from tests.engine.harness import EmulatorProcess

pytestmark = pytest.mark.e2e
AUTH = {"Authorization": f"Bearer {API_KEY}"}
ENDPOINT_TYPE = "pulumi-python:dynamic/runpod:ServerlessEndpoint"


def endpoints(emu: EmulatorProcess) -> list[dict[str, Any]]:
    return emu.http.get("/v2/serverless", headers=AUTH).json()["endpoints"]  # type: ignore[no-any-return]


def make_endpoint(emu: EmulatorProcess, name: str) -> dict[str, Any]:
    """An endpoint made outside Pulumi (by hand in the console)."""
    body = {"name": name, "type": "QUEUE", "image": "byhand:1", "gpu": {"pools": ["AMPERE_24"]},
            "scaling": {"type": "QUEUE_DELAY", "queueDelay": 4}}  # fmt: skip
    answer = emu.http.post("/v2/serverless", json=body, headers=AUTH)
    assert answer.status_code == 201, answer.text
    return answer.json()  # type: ignore[no-any-return]


def endpoint_state(project: Project) -> dict[str, object]:
    """The endpoint's outputs in the state (stack outputs are not recomputed by a refresh)."""
    resources = project.export()["deployment"]["resources"]
    return next(r["outputs"] for r in resources if r["type"] == ENDPOINT_TYPE)  # type: ignore[no-any-return]


def endpoint_ops(project: Project, *args: str) -> list[str]:
    return [op for op, kind in project.preview_ops(*args) if kind == ENDPOINT_TYPE]


def test_lifecycle(project: Project, emu: EmulatorProcess) -> None:
    # up creates
    project.up()
    first_id = project.outputs()["id"]
    assert [e["id"] for e in endpoints(emu)] == [first_id]
    assert project.outputs()["url"] == f"https://api.runpod.ai/v2/{first_id}/run"
    assert project.outputs()["backend"] == "rest"

    # a second preview shows no changes and makes no API call
    emu.clear_journal()
    project.pulumi("preview", "--expect-no-changes")
    assert emu.operations() == []

    # changing workers_max updates in place, with one PATCH and no new release
    version = emu.http.get(f"/v2/serverless/{first_id}/releases", headers=AUTH).json()["endpointVersion"]
    project.config("workersMax", "5")
    assert endpoint_ops(project) == ["update"]
    emu.clear_journal()
    project.up()
    assert [op for op in emu.operations() if "Endpoint" in op] == ["PATCH updateEndpoint 200"]
    assert project.outputs()["id"] == first_id
    assert [e["workers"]["max"] for e in endpoints(emu)] == [5]
    releases = emu.http.get(f"/v2/serverless/{first_id}/releases", headers=AUTH).json()
    assert releases["endpointVersion"] == version

    # a new image is a rolling release of the same endpoint
    project.config("image", "runpod/worker:2.0")
    assert endpoint_ops(project) == ["update"]
    project.up()
    releases = emu.http.get(f"/v2/serverless/{first_id}/releases", headers=AUTH).json()
    assert releases["endpointVersion"] == version + 1 and endpoints(emu)[0]["image"] == "runpod/worker:2.0"

    # GPU -> CPU replaces
    project.config("cpu", "true")
    assert "replace" in endpoint_ops(project)
    project.up()
    second = endpoints(emu)
    assert len(second) == 1 and second[0]["id"] != first_id and second[0]["cpu"][0]["id"] == "cpu3g"
    second_id = str(second[0]["id"])

    # refresh after an out-of-band change shows it; the next up restores the declared value
    emu.http.patch(f"/v2/serverless/{second_id}", json={"workers": {"max": 1}}, headers=AUTH)
    project.pulumi("refresh", "--yes")
    assert endpoint_state(project)["workers_max"] == 1
    assert endpoint_ops(project) == ["update"]
    project.up()
    assert [e["workers"]["max"] for e in endpoints(emu)] == [5]

    # refresh after an out-of-band delete drops it from the state; up creates it again
    assert emu.http.delete(f"/v2/serverless/{second_id}", headers=AUTH).status_code == 204
    project.pulumi("refresh", "--yes")
    kinds = [r["type"] for r in project.export()["deployment"]["resources"]]
    assert ENDPOINT_TYPE not in kinds
    project.up()
    assert len(endpoints(emu)) == 1

    # destroy scales to zero, deletes, verifies, leaving the emulator empty
    emu.clear_journal()
    project.pulumi("destroy", "--yes")
    ops = [op for op in emu.operations() if "Endpoint" in op]
    assert ops == ["PATCH updateEndpoint 200", "DELETE deleteEndpoint 204", "GET getEndpoint 404"]
    assert endpoints(emu) == []


def _places_with_key(node: object, path: str = "") -> list[str]:
    if isinstance(node, dict):
        return [hit for key, value in node.items() for hit in _places_with_key(value, f"{path}.{key}")]
    if isinstance(node, list):
        return [hit for index, value in enumerate(node) for hit in _places_with_key(value, f"{path}[{index}]")]
    return [path] if isinstance(node, str) and API_KEY in node else []


def test_state_holds_no_api_key(project: Project, emu: EmulatorProcess) -> None:
    project.up()
    state = project.export()
    assert API_KEY not in json.dumps(state), "no plaintext key anywhere in `pulumi stack export`"

    # Decrypted, the key shows up only where the engine records the stack config for the
    # default pulumi-python provider -- as a secret, like any provider's secret config.
    decrypted = project.export("--show-secrets")
    resources = decrypted["deployment"]["resources"]
    default_provider = next(i for i, r in enumerate(resources) if r["type"] == "pulumi:providers:pulumi-python")
    assert sorted(_places_with_key(decrypted)) == [
        f".deployment.resources[{default_provider}].inputs.runpod:apiKey.plaintext",
        f".deployment.resources[{default_provider}].outputs.runpod:apiKey.plaintext",
    ]
    encrypted = state["deployment"]["resources"][default_provider]["inputs"]["runpod:apiKey"]
    assert "ciphertext" in encrypted

    blobs = [r["outputs"]["__provider"] for r in resources if r["type"] == ENDPOINT_TYPE]
    assert blobs, "the endpoint's serialized provider should be in the state"
    for blob in blobs:
        assert isinstance(blob, str), "the serialized provider is a plain reference, not a secret"
        raw = base64.b64decode(blob)
        assert API_KEY.encode() not in raw
        assert len(raw) < 100
        # the program named the provider without importing it (dynamic/reference.py); the host made it
        assert b"pulumi_runpod_endpoint.endpoint" in raw and b"new_provider" in raw
    assert "ciphertext" in json.dumps(endpoint_state(project)["env"]), "env outputs are secrets in the state"
    project.pulumi("destroy", "--yes")


def test_adopt_existing_endpoint(project: Project, emu: EmulatorProcess) -> None:
    existing = make_endpoint(emu, "legacy")
    project.config("adoptId", existing["id"])
    project.up()
    assert project.outputs()["id"] == existing["id"]
    [record] = endpoints(emu)
    assert (record["id"], record["image"], record["name"]) == (existing["id"], "runpod/worker:1.0", "e2e")
    project.pulumi("destroy", "--yes")
    assert endpoints(emu) == []


def test_get_reads_without_managing(project: Project, emu: EmulatorProcess) -> None:
    existing = make_endpoint(emu, "shared")
    project.config("getId", existing["id"])
    project.up()
    assert project.outputs()["existing_name"] == "shared"
    project.pulumi("destroy", "--yes")
    assert [e["id"] for e in endpoints(emu)] == [existing["id"]]  # a read-only reference is not deleted


def test_pulumi_import_does_not_work_for_dynamic_resources_yet(project: Project, emu: EmulatorProcess) -> None:
    """pulumi/pulumi issue 16175: the engine sends no inputs on import, so the serialized
    provider is missing. When this test fails, Pulumi fixed it: update the README."""
    existing = make_endpoint(emu, "legacy")
    result = project.pulumi("import", ENDPOINT_TYPE, "imported", existing["id"], "--yes", check=False)
    assert result.returncode != 0, "pulumi import succeeded: issue 16175 may be fixed, update the README"
    assert "__provider" in result.stdout + result.stderr
    assert len(endpoints(emu)) == 1


def test_an_up_waits_for_its_rollout_and_a_timed_out_update_resumes(project: Project, emu: EmulatorProcess) -> None:
    project.config("workersMin", "1")
    project.config("wait", "true")
    project.config("rolloutTimeout", "3")
    project.up()
    [made] = endpoints(emu)
    # The workers fail health checks: a new image cannot roll out, and the up says how far it got.
    assert emu.mark_workers(made["id"], "UNHEALTHY", count=1) == 1
    project.config("image", "runpod/worker:2.0")
    failed = project.pulumi("up", "--yes", "--skip-preview", check=False)
    assert failed.returncode != 0
    assert "not serving" in failed.stdout + failed.stderr and "1 unhealthy" in failed.stdout + failed.stderr
    # The workers recover and cycle; the next up waits for the release already made instead of making another.
    assert emu.mark_workers(made["id"], "RUNNING", count=1) == 1
    emu.advance(30)
    emu.clear_journal()
    project.up()
    assert [op for op in emu.operations() if op.startswith("PATCH")] == []
    assert project.export()["deployment"]["resources"]
    state = endpoint_state(project)
    assert state["image"] == "runpod/worker:2.0" and state["rollout"]["stale"] == 0
    project.pulumi("destroy", "--yes")
