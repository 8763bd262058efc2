"""The endpoint provider inside the real dynamic-provider host, driven over gRPC as the engine does,
against the emulator on a loopback port (REST v2)."""

from __future__ import annotations

import base64
from typing import Any

import grpc
import httpx
import pytest
from pulumi.runtime.proto import provider_pb2

from tests.conftest import API_KEY
from tests.engine.harness import SERIALIZED_PROVIDER, DynamicProviderHost, EmulatorProcess

pytestmark = pytest.mark.engine

AUTH = {"Authorization": f"Bearer {API_KEY}"}
PROGRAM: dict[str, Any] = {
    "name": "inference",
    "image": "runpod/worker-v1-vllm:stable",
    "gpu_pools": ["AMPERE_16", "ADA_24"],
    "workers_max": 3,
    "scaler_type": "QUEUE_DELAY",
    "scaler_value": 2.5,
    "flashboot": True,
    "env": {"HF_TOKEN": "hf_example"},
}


def api(emu: EmulatorProcess) -> httpx.Client:
    return httpx.Client(base_url=f"{emu.url}/v2", headers=AUTH)


def provision(
    host: DynamicProviderHost, name: str, program: dict[str, Any]
) -> tuple[str, dict[str, Any], dict[str, Any]]:
    inputs, failures = host.check(name, {}, program)
    assert failures == []
    id_, outs = host.create(name, inputs)
    return id_, inputs, outs


def test_full_lifecycle(host: DynamicProviderHost, emu: EmulatorProcess) -> None:
    inputs, failures = host.check("ep", {}, PROGRAM)
    assert failures == []
    assert inputs["flashboot"] == "FLASHBOOT" and inputs["__provider"] == SERIALIZED_PROVIDER
    assert inputs["execution_timeout_ms"] == 300_000  # a provider default, sent on every create
    emu.clear_journal()

    id_, outs = host.create("ep", inputs)
    assert emu.operations() == ["GET listEndpoints 200", "POST createEndpoint 201"]
    assert outs["name"] == "inference" and outs["flashboot"] == "FLASHBOOT" and outs["scaler_value"] == 2.5
    assert outs["run_url"].endswith(f"/v2/{id_}/run")

    emu.clear_journal()
    diff = host.diff("ep", id_, outs, inputs)
    assert diff.changes == provider_pb2.DiffResponse.DIFF_NONE
    assert emu.operations() == []  # a preview with no change makes no API call

    emu.clear_journal()
    read_id, refreshed, refreshed_inputs = host.read("ep", id_, outs, inputs)
    assert read_id == id_
    assert emu.operations() == ["GET getEndpoint 200"]
    assert refreshed_inputs["workers_max"] == 3

    news, _ = host.check("ep", inputs, {**PROGRAM, "workers_max": 5})
    diff = host.diff("ep", id_, refreshed, news)
    assert diff.changes == provider_pb2.DiffResponse.DIFF_SOME
    assert list(diff.replaces) == []
    emu.clear_journal()
    updated = host.update("ep", id_, refreshed, news)
    assert updated["workers_max"] == 5
    assert emu.operations() == ["PATCH updateEndpoint 200"]

    emu.clear_journal()
    host.delete("ep", id_, updated)
    assert emu.operations() == ["PATCH updateEndpoint 200", "DELETE deleteEndpoint 204", "GET getEndpoint 404"]
    with api(emu) as client:
        assert client.get("/serverless").json() == {"endpoints": []}


def test_check_failures_name_the_field(host: DynamicProviderHost) -> None:
    _, failures = host.check("bad", {}, {**PROGRAM, "gpu_pools": ["AMPERE_99"], "idle_timeout": -1})
    fields = dict(failures)
    assert set(fields) == {"gpu_pools", "idle_timeout"}
    assert "AMPERE_16" in fields["gpu_pools"]


def test_a_preview_with_values_not_known_yet_passes_check(host: DynamicProviderHost) -> None:
    unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
    inputs, failures = host.check("later", {}, {**PROGRAM, "name": unknown, "network_volume_ids": [unknown]})
    assert failures == []
    assert inputs["name"] == unknown


def test_type_and_compute_family_changes_replace(host: DynamicProviderHost, emu: EmulatorProcess) -> None:
    id_, inputs, outs = provision(host, "cpu", PROGRAM)
    news, _ = host.check("cpu", inputs, {**PROGRAM, "gpu_pools": None, "cpu_flavor_ids": ["cpu3c"], "vcpu_count": 2})
    assert sorted(host.diff("cpu", id_, outs, news).replaces) == ["cpu_flavor_ids", "gpu_pools", "vcpu_count"]
    balancer = {**PROGRAM, "type": "LOAD_BALANCER", "scaler_type": "REQUEST_COUNT", "scaler_value": 4}
    news, _ = host.check("cpu", inputs, balancer)
    assert list(host.diff("cpu", id_, outs, news).replaces) == ["type"]


def test_refresh_after_out_of_band_change(host: DynamicProviderHost, emu: EmulatorProcess) -> None:
    id_, inputs, outs = provision(host, "drift", PROGRAM)
    with api(emu) as client:
        client.patch(f"/serverless/{id_}", json={"workers": {"max": 0, "idleTimeout": 60}})
    _, refreshed, refreshed_inputs = host.read("drift", id_, outs, inputs)
    assert (refreshed["workers_max"], refreshed["idle_timeout"]) == (0, 60)
    assert refreshed_inputs["workers_max"] == 0
    assert host.diff("drift", id_, refreshed, inputs).changes == provider_pb2.DiffResponse.DIFF_SOME
    restored = host.update("drift", id_, refreshed, inputs)
    assert (restored["workers_max"], restored["idle_timeout"]) == (3, 10)


def test_refresh_after_out_of_band_delete_drops_it(host: DynamicProviderHost, emu: EmulatorProcess) -> None:
    id_, inputs, outs = provision(host, "gone", PROGRAM)
    with api(emu) as client:
        assert client.delete(f"/serverless/{id_}").status_code == 204
    read_id, _, _ = host.read("gone", id_, outs, inputs)
    assert read_id == ""


def test_get_by_id_and_missing_get_raises(host: DynamicProviderHost, emu: EmulatorProcess) -> None:
    id_, _, _ = provision(host, "made-elsewhere", PROGRAM)
    only_provider = {"__provider": SERIALIZED_PROVIDER}
    read_id, outs, _ = host.read("ref", id_, {}, only_provider)
    assert read_id == id_ and outs["name"] == "inference"
    with pytest.raises(grpc.RpcError) as caught:
        host.read("missing", "doesnotexist00", {}, only_provider)
    assert "does not exist" in str(caught.value.details())


def test_adopt_existing_endpoint(host: DynamicProviderHost, emu: EmulatorProcess) -> None:
    body = {"name": "legacy", "type": "QUEUE", "image": "old:1", "gpu": {"pools": ["AMPERE_16"]},
            "scaling": {"type": "QUEUE_DELAY", "queueDelay": 4}}  # fmt: skip
    with api(emu) as client:
        made = client.post("/serverless", json=body).json()
        id_, _, outs = provision(host, "adopted", {**PROGRAM, "adopt_existing_id": made["id"]})
        assert id_ == made["id"]
        assert (outs["image"], outs["name"]) == (PROGRAM["image"], "inference")
        assert len(client.get("/serverless").json()["endpoints"]) == 1


def test_delete_endpoint_with_workers(host: DynamicProviderHost, emu: EmulatorProcess) -> None:
    id_, _, outs = provision(host, "busy", {**PROGRAM, "workers_min": 2, "workers_max": 4})
    host.delete("busy", id_, outs)
    with api(emu) as client:
        assert client.get(f"/serverless/{id_}").status_code == 404


def test_a_create_that_waits_for_its_rollout(host: DynamicProviderHost, emu: EmulatorProcess) -> None:
    _, _, outs = provision(host, "waits", {**PROGRAM, "workers_min": 1, "wait_for_rollout": True})
    assert outs["rollout"]["ready_on_latest"] == 1 and outs["rollout"]["stale"] == 0
    assert "GET listEndpointReleases 200" in emu.operations()


def test_api_key_never_reaches_the_engine(
    host: DynamicProviderHost, emu: EmulatorProcess, host_stderr: list[str]
) -> None:
    id_, inputs, outs = provision(host, "secret", PROGRAM)
    host.read("secret", id_, outs, inputs)
    host.delete("secret", id_, outs)
    # A failing call too: its error text travels back to the engine.
    with pytest.raises(grpc.RpcError) as caught:
        host.read("missing", "doesnotexist00", {}, {"__provider": SERIALIZED_PROVIDER})
    texts = [*host.responses, str(caught.value.details()), base64.b64decode(SERIALIZED_PROVIDER).decode("latin-1")]
    assert host.responses
    for text in texts:
        assert API_KEY not in text
    assert len(base64.b64decode(SERIALIZED_PROVIDER)) < 200  # pickled by reference: the class, nothing else
