"""The provider inside the real dynamic-provider host, driven over gRPC as the engine does."""

from __future__ import annotations

import base64
from typing import Any

import grpc
import pytest
from pulumi.runtime.proto import provider_pb2

from tests.conftest import API_KEY
from tests.engine.harness import SERIALIZED_PROVIDER, DynamicProviderHost, EmulatorProcess

pytestmark = pytest.mark.engine

PROGRAM: dict[str, Any] = {
    "name": "inference",
    "template_id": "tmpl12345",
    "gpu_ids": ["AMPERE_16", "ADA_24"],
    "workers_min": 0,
    "workers_max": 3,
    "idle_timeout": 5,
    "scaler_type": "QUEUE_DELAY",
    "scaler_value": 4,
    "flashboot": True,
    "env": {"HF_TOKEN": "hf_example"},
}


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
    assert inputs["scaler_value"] == 4 and inputs["__provider"] == SERIALIZED_PROVIDER
    emu.clear_journal()

    id_, outs = host.create("ep", inputs)
    assert emu.operations() == ["POST saveEndpoint 200"]
    assert outs["name"] == "inference" and outs["flashboot"] is True
    assert outs["run_url"].endswith(f"/v2/{id_}/run")

    emu.clear_journal()
    diff = host.diff("ep", id_, outs, inputs)
    assert diff.changes == provider_pb2.DiffResponse.DIFF_NONE
    assert emu.operations() == []  # preview with no change makes no API call

    emu.clear_journal()
    read_id, refreshed, refreshed_inputs = host.read("ep", id_, outs, inputs)
    assert read_id == id_
    assert emu.operations() == ["POST myself 200"]
    assert refreshed_inputs["workers_max"] == 3

    news, _ = host.check("ep", inputs, {**PROGRAM, "workers_max": 5})
    diff = host.diff("ep", id_, refreshed, news)
    assert diff.changes == provider_pb2.DiffResponse.DIFF_SOME
    assert list(diff.replaces) == []
    emu.clear_journal()
    updated = host.update("ep", id_, refreshed, news)
    assert updated["workers_max"] == 5
    assert emu.operations() == ["POST saveEndpoint 200"]

    emu.clear_journal()
    host.delete("ep", id_, updated)
    assert emu.operations() == ["PATCH UpdateEndpoint 200", "DELETE DeleteEndpoint 204", "POST myself 200"]
    assert emu.http.get("/v1/endpoints", headers={"Authorization": f"Bearer {API_KEY}"}).json() == []


def test_check_failures_name_the_field(host: DynamicProviderHost) -> None:
    _, failures = host.check("bad", {}, {**PROGRAM, "gpu_ids": ["AMPERE_99"], "idle_timeout": -1})
    fields = dict(failures)
    assert set(fields) == {"gpu_ids", "idle_timeout"}
    assert "AMPERE_16" in fields["gpu_ids"]


def test_replace_only_field_is_a_replace(host: DynamicProviderHost, emu: EmulatorProcess) -> None:
    id_, inputs, outs = provision(host, "cpu", PROGRAM)
    news, _ = host.check("cpu", inputs, {**PROGRAM, "gpu_ids": None, "instance_ids": ["cpu3g-4-16"]})
    diff = host.diff("cpu", id_, outs, news)
    assert list(diff.replaces) == ["compute_type"]


def test_refresh_after_out_of_band_change(host: DynamicProviderHost, emu: EmulatorProcess) -> None:
    id_, inputs, outs = provision(host, "drift", PROGRAM)
    auth = {"Authorization": f"Bearer {API_KEY}"}
    emu.http.patch(f"/v1/endpoints/{id_}", json={"workersMax": 0, "idleTimeout": 60}, headers=auth)
    _, refreshed, refreshed_inputs = host.read("drift", id_, outs, inputs)
    assert (refreshed["workers_max"], refreshed["idle_timeout"]) == (0, 60)
    assert refreshed_inputs["workers_max"] == 0
    diff = host.diff("drift", id_, refreshed, inputs)
    assert diff.changes == provider_pb2.DiffResponse.DIFF_SOME
    restored = host.update("drift", id_, refreshed, inputs)
    assert (restored["workers_max"], restored["idle_timeout"]) == (3, 5)


def test_refresh_after_out_of_band_delete_drops_it(host: DynamicProviderHost, emu: EmulatorProcess) -> None:
    id_, inputs, outs = provision(host, "gone", {**PROGRAM, "workers_max": 0})
    auth = {"Authorization": f"Bearer {API_KEY}"}
    assert emu.http.delete(f"/v1/endpoints/{id_}", headers=auth).status_code == 204
    read_id, _, _ = host.read("gone", id_, outs, inputs)
    assert read_id == ""


def test_get_by_id_and_missing_get_raises(host: DynamicProviderHost, emu: EmulatorProcess) -> None:
    auth = {"Authorization": f"Bearer {API_KEY}"}
    made = emu.http.post("/v1/endpoints", json={"templateId": "tmpl12345", "name": "legacy"}, headers=auth).json()
    only_provider = {"__provider": SERIALIZED_PROVIDER}
    read_id, outs, _ = host.read("legacy", made["id"], {}, only_provider)
    assert read_id == made["id"] and outs["name"] == "legacy"
    with pytest.raises(grpc.RpcError) as caught:
        host.read("missing", "doesnotexist00", {}, only_provider)
    assert "does not exist" in str(caught.value.details())


def test_adopt_existing_endpoint(host: DynamicProviderHost, emu: EmulatorProcess) -> None:
    auth = {"Authorization": f"Bearer {API_KEY}"}
    made = emu.http.post("/v1/endpoints", json={"templateId": "tmplold01", "name": "legacy"}, headers=auth).json()
    id_, _, outs = provision(host, "adopted", {**PROGRAM, "adopt_existing_id": made["id"]})
    assert id_ == made["id"]
    assert (outs["template_id"], outs["name"]) == ("tmpl12345", "inference")
    assert len(emu.http.get("/v1/endpoints", headers=auth).json()) == 1


def test_delete_endpoint_with_workers(host: DynamicProviderHost, emu: EmulatorProcess) -> None:
    id_, _, outs = provision(host, "busy", {**PROGRAM, "workers_min": 2, "workers_max": 4})
    host.delete("busy", id_, outs)
    auth = {"Authorization": f"Bearer {API_KEY}"}
    assert emu.http.get(f"/v1/endpoints/{id_}", headers=auth).status_code == 404


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


def test_tensorone_backend(tensorone_process: EmulatorProcess) -> None:
    tensorone_process.reset()
    host = DynamicProviderHost()
    try:
        host.configure(
            {
                "runpod:apiKey": API_KEY,
                "runpod:backend": "tensorone",
                "runpod:apiUrl": f"{tensorone_process.url}/graphql",
            }
        )
        _, failures = host.check("t1", {}, {**PROGRAM, "env": None, "gpu_ids": None, "gpu_type_ids": ["NVIDIA L4"]})
        assert [field for field, _ in failures] == ["gpu_type_ids", "gpu_ids"]
        id_, inputs, outs = provision(host, "t1", PROGRAM)
        assert outs["run_url"].startswith("https://api.tensorone.ai/v2/")
        _, refreshed, _ = host.read("t1", id_, outs, inputs)
        assert host.diff("t1", id_, refreshed, inputs).changes == provider_pb2.DiffResponse.DIFF_NONE
        host.delete("t1", id_, refreshed)
        assert [op.split()[1] for op in tensorone_process.operations()] == [
            "saveEndpoint",
            "myself",
            "saveEndpoint",
            "deleteEndpoint",
            "myself",
        ]
        for text in host.responses:
            assert API_KEY not in text
    finally:
        host.stop()
