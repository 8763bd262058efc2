"""The provider's lifecycle against the in-process emulator, with API calls counted."""

from __future__ import annotations

import base64
import pickle
from collections.abc import Callable
from typing import Any

import pytest
from pulumi.dynamic import ConfigureRequest
from pulumi.dynamic.config import Config
from pulumi.dynamic.dynamic import serialize_provider

from pulumi_runpod_endpoint.api import NotFound
from pulumi_runpod_endpoint.api.enums import Backend
from pulumi_runpod_endpoint.emulator import Emulator
from pulumi_runpod_endpoint.properties import check_inputs
from pulumi_runpod_endpoint.provider import ServerlessEndpointProvider
from tests.conftest import API_KEY, ServiceFactory, operations

GQL_ARGS: dict[str, Any] = {
    "name": "inference",
    "template_id": "tmpl12345",
    "gpu_ids": ["AMPERE_16", "ADA_24"],
    "workers_min": 0,
    "workers_max": 3,
    "idle_timeout": 5,
    "scaler_type": "QUEUE_DELAY",
    "scaler_value": 4,
    "flashboot": True,
    "env": {"HF_TOKEN": "hf_secret_value"},
}
REST_ARGS: dict[str, Any] = {
    "name": "inference",
    "template_id": "tmpl12345",
    "gpu_type_ids": ["NVIDIA L4"],
    "data_center_ids": ["EU-RO-1"],
    "flashboot": True,
}

ProviderFactory = Callable[[Emulator], ServerlessEndpointProvider]


@pytest.fixture
def make_provider(make_service: ServiceFactory) -> ProviderFactory:
    def make(emu: Emulator) -> ServerlessEndpointProvider:
        provider = ServerlessEndpointProvider()
        backend = "tensorone" if emu.flavor == "tensorone" else "runpod"
        provider.configure(ConfigureRequest(Config({"runpod:apiKey": API_KEY, "runpod:backend": backend}, "test")))
        provider._service = make_service(emu)
        return provider

    return make


@pytest.fixture
def provider(emulator: Emulator, make_provider: ProviderFactory) -> ServerlessEndpointProvider:
    return make_provider(emulator)


def checked(args: dict[str, Any], backend: Backend = Backend.RUNPOD) -> dict[str, Any]:
    inputs, problems = check_inputs(args, backend)
    assert problems == []
    return inputs


def test_lifecycle__graphql_spec(provider: ServerlessEndpointProvider, emulator: Emulator) -> None:
    inputs = checked(GQL_ARGS)
    created = provider.create(inputs)
    assert created.outs is not None
    outs = created.outs
    assert operations(emulator) == ["POST saveEndpoint 200"]
    assert emulator.state.endpoints[created.id]["name"] == "inference -fb"
    assert outs["name"] == "inference"  # the API's decoration is not drift
    assert outs["run_url"] == f"https://api.runpod.ai/v2/{created.id}/run"
    assert outs["env"] == {"HF_TOKEN": "hf_secret_value"}
    assert set(outs["managed_fields"]) == set(inputs)

    assert provider.diff(created.id, outs, inputs).changes is False
    emulator.journal.clear()
    read = provider.read(created.id, outs)
    assert operations(emulator) == ["POST myself 200"]
    assert read.outs is not None and read.outs["workers_max"] == 3
    assert provider.diff(created.id, read.outs, inputs).changes is False

    emulator.journal.clear()
    news = checked({**GQL_ARGS, "workers_max": 5})
    diff = provider.diff(created.id, read.outs, news)
    assert (diff.changes, diff.replaces) == (True, [])
    updated = provider.update(created.id, read.outs, news)
    assert updated.outs is not None and updated.outs["workers_max"] == 5
    assert operations(emulator) == ["POST saveEndpoint 200"]

    emulator.journal.clear()
    provider.delete(created.id, updated.outs)
    assert emulator.state.endpoints == {}
    assert operations(emulator) == ["PATCH UpdateEndpoint 200", "DELETE DeleteEndpoint 204", "POST myself 200"]


def test_lifecycle__rest_spec_reads_rest_and_flashboot(
    provider: ServerlessEndpointProvider, emulator: Emulator
) -> None:
    inputs = checked(REST_ARGS)
    created = provider.create(inputs)
    assert created.outs is not None
    assert operations(emulator) == ["POST CreateEndpoint 200"]
    emulator.journal.clear()
    read = provider.read(created.id, created.outs)
    assert read.outs is not None
    assert operations(emulator) == ["GET GetEndpoint 200", "POST myself 200"]
    assert (read.outs["flashboot"], read.outs["data_center_ids"]) == (True, ["EU-RO-1"])
    assert read.outs["template"]["id"] == "tmpl12345"
    assert provider.diff(created.id, read.outs, inputs).changes is False


def test_refresh__out_of_band_change_shows_as_drift_and_up_restores_it(
    provider: ServerlessEndpointProvider, emulator: Emulator
) -> None:
    inputs = checked(GQL_ARGS)
    created = provider.create(inputs)
    # RunPod lowers workersMax of idle endpoints by itself.
    emulator.state.merge(created.id, {"workersMax": 0})
    read = provider.read(created.id, created.outs or {})
    assert read.outs is not None and read.inputs is not None
    assert read.outs["workers_max"] == 0
    assert read.inputs["workers_max"] == 0  # refreshed inputs carry the drift
    diff = provider.diff(created.id, read.outs, inputs)
    assert diff.changes is True
    restored = provider.update(created.id, read.outs, inputs)
    assert restored.outs is not None and restored.outs["workers_max"] == 3


def test_refresh__out_of_band_delete_drops_the_resource(
    provider: ServerlessEndpointProvider, emulator: Emulator
) -> None:
    created = provider.create(checked(GQL_ARGS))
    del emulator.state.endpoints[created.id]
    read = provider.read(created.id, created.outs or {})
    assert not read.id


def test_get__reads_an_endpoint_the_program_does_not_manage(
    provider: ServerlessEndpointProvider, emulator: Emulator
) -> None:
    existing = emulator.state.create({"name": "legacy", "templateId": "t1", "gpuTypeIds": ["NVIDIA L4"]}, {})
    emulator.journal.clear()
    read = provider.read(existing["id"], {"__provider": "blob"})
    assert read.outs is not None
    assert (read.outs["name"], read.outs["gpu_type_ids"]) == ("legacy", ["NVIDIA L4"])
    assert read.outs["managed_fields"] == []
    assert read.inputs is None
    assert operations(emulator) == ["GET GetEndpoint 200", "POST myself 200"]


def test_get__missing_endpoint_raises(provider: ServerlessEndpointProvider) -> None:
    with pytest.raises(NotFound, match="does not exist"):
        provider.read("doesnotexist00", {"__provider": "blob"})


def test_adopt__takes_over_instead_of_creating(provider: ServerlessEndpointProvider, emulator: Emulator) -> None:
    existing = emulator.state.create({"name": "legacy", "templateId": "t1", "gpuIds": "AMPERE_16"}, {})
    emulator.journal.clear()
    created = provider.create(checked({**GQL_ARGS, "adopt_existing_id": existing["id"]}))
    assert created.id == existing["id"]
    assert list(emulator.state.endpoints) == [existing["id"]]
    record = emulator.state.endpoints[existing["id"]]
    assert (record["name"], record["templateId"], record["flashboot"]) == ("inference -fb", "tmpl12345", True)
    assert created.outs is not None and created.outs["adopt_existing_id"] == existing["id"]
    assert operations(emulator) == ["POST myself 200", "POST saveEndpoint 200"]


def test_adopt__missing_endpoint_says_what_to_do(provider: ServerlessEndpointProvider) -> None:
    with pytest.raises(NotFound, match="remove adopt_existing_id"):
        provider.create(checked({**GQL_ARGS, "adopt_existing_id": "doesnotexist00"}))


def test_update__vanished_endpoint_advises_refresh(provider: ServerlessEndpointProvider, emulator: Emulator) -> None:
    created = provider.create(checked(GQL_ARGS))
    emulator.state.endpoints.clear()
    with pytest.raises(NotFound, match="pulumi refresh"):
        provider.update(created.id, created.outs or {}, checked({**GQL_ARGS, "workers_max": 1}))


def test_delete__endpoint_with_running_workers(provider: ServerlessEndpointProvider, emulator: Emulator) -> None:
    created = provider.create(checked({**GQL_ARGS, "workers_min": 2}))
    assert len(emulator.state.endpoints[created.id]["workers"]) == 2
    provider.delete(created.id, created.outs or {})
    assert emulator.state.endpoints == {}


def test_delete__already_gone_is_success(provider: ServerlessEndpointProvider) -> None:
    provider.delete("doesnotexist00", {})


def test_lifecycle__tensorone(tensorone: Emulator, make_provider: ProviderFactory) -> None:
    provider = make_provider(tensorone)
    inputs = checked(GQL_ARGS, Backend.TENSORONE)
    created = provider.create(inputs)
    assert created.outs is not None
    assert created.outs["run_url"].startswith("https://api.tensorone.ai/v2/")
    assert created.outs["flashboot"] is True
    read = provider.read(created.id, created.outs)
    assert read.outs is not None
    assert provider.diff(created.id, read.outs, inputs).changes is False
    provider.delete(created.id, read.outs)
    assert tensorone.state.endpoints == {}
    assert [line.split()[1] for line in operations(tensorone)] == [
        "saveEndpoint",
        "myself",
        "saveEndpoint",
        "deleteEndpoint",
        "myself",
    ]


def test_serialized_provider_is_a_reference_with_no_key_or_client(provider: ServerlessEndpointProvider) -> None:
    provider.service()  # a configured provider with a live client, as in the host
    blob = serialize_provider(provider)
    raw = base64.b64decode(blob)
    assert len(raw) < 200, raw
    assert API_KEY.encode() not in raw
    assert b"ServerlessEndpointProvider" in raw and b"pulumi_runpod_endpoint.provider" in raw
    assert b"httpx" not in raw
    fresh = pickle.loads(raw)
    assert isinstance(fresh, ServerlessEndpointProvider)
    assert fresh._service is None and fresh._config is None


def test_configure__reads_stack_config_then_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RUNPOD_API_KEY", "from-env")
    provider = ServerlessEndpointProvider()
    provider.configure(ConfigureRequest(Config({"runpod:backend": "tensorone"}, "proj")))
    assert provider.settings.api_key == "from-env"
    assert provider.settings.graphql_url == "https://api.tensorone.ai/graphql"
    provider.configure(ConfigureRequest(Config({"runpod:apiKey": "from-config"}, "proj")))
    assert provider.settings.api_key == "from-config"
    assert "from-config" not in repr(provider.settings)
