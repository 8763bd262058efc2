"""ServerlessEndpointProvider end to end, in-process, on ``runpod:api graphql`` and on ``tensorone``,
against the emulator; and what ``check`` refuses on those backends (graphql_problems)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from pulumi_runpod_endpoint.api import Session
from pulumi_runpod_endpoint.config import CONFIG_KEYS, ProviderSettings
from pulumi_runpod_endpoint.dynamic.props import unwrap
from pulumi_runpod_endpoint.dynamic.provider import ProviderError
from pulumi_runpod_endpoint.emulator import Emulator, ManualClock
from pulumi_runpod_endpoint.emulator.rooms.templates import Template
from pulumi_runpod_endpoint.endpoint.backend_graphql import graphql_problems
from pulumi_runpod_endpoint.endpoint.provider import ServerlessEndpointProvider
from pulumi_runpod_endpoint.endpoint.service import Timing
from pulumi_runpod_endpoint.endpoint.spec import EndpointSpec
from tests.conftest import API_KEY, FakeTime

URL = "http://emulator/graphql"


class FakeConfig:
    def __init__(self, values: dict[str, Any]) -> None:
        self.values = values

    def get(self, key: str) -> Any:
        return self.values.get(key)


class FakeConfigureRequest:
    def __init__(self, values: dict[str, Any]) -> None:
        self.config = FakeConfig(values)


@pytest.fixture(autouse=True)
def no_runpod_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for variable in CONFIG_KEYS.values():
        monkeypatch.delenv(variable, raising=False)


def provider_on(
    emulator: Emulator, fake_time: FakeTime, config: dict[str, Any]
) -> Iterator[ServerlessEndpointProvider]:
    sessions: list[Session] = []

    def factory(settings: ProviderSettings) -> Session:
        session = Session(
            settings.api_key, transport=emulator.transport(), sleep=fake_time.sleep, clock=fake_time.clock
        )
        sessions.append(session)
        return session

    provider = ServerlessEndpointProvider(
        session_factory=factory, timing=Timing(delete_timeout=60), sleep=fake_time.sleep, clock=fake_time.clock
    )
    provider.configure(FakeConfigureRequest({"runpod:apiKey": API_KEY, "runpod:apiUrl": URL, **config}))  # type: ignore[arg-type]
    yield provider
    for session in sessions:
        session.close()


@pytest.fixture
def runpod(fake_time: FakeTime) -> Iterator[tuple[Emulator, ServerlessEndpointProvider]]:
    emulator = Emulator(flavor="runpod", api_key=API_KEY, clock=ManualClock())
    emulator.templates.store.add(Template(id="tpluser1", name="user", image="user/img:1", serverless=True))
    for provider in provider_on(emulator, fake_time, {"runpod:api": "graphql"}):
        yield emulator, provider


@pytest.fixture
def tensorone(fake_time: FakeTime) -> Iterator[tuple[Emulator, ServerlessEndpointProvider]]:
    emulator = Emulator(flavor="tensorone", api_key=API_KEY, clock=ManualClock())
    emulator.templates.store.add(Template(id="tplt1", name="t1", image="t1/img:1", serverless=True))
    emulator.templates.store.add(Template(id="tplt2", name="t2", image="t1/img:2", serverless=True))
    for provider in provider_on(emulator, fake_time, {"runpod:backend": "tensorone"}):
        yield emulator, provider


def checked(
    provider: ServerlessEndpointProvider, news: dict[str, Any], olds: dict[str, Any] | None = None
) -> dict[str, Any]:
    result = provider.check(olds or {}, news)
    assert not result.failures, [(f.property, f.reason) for f in result.failures]
    return result.inputs  # type: ignore[no-any-return]


def lifecycle(
    emulator: Emulator, provider: ServerlessEndpointProvider, first: dict[str, Any], second: dict[str, Any]
) -> None:
    """create, refresh, update, out-of-band change shown by refresh, destroy, refresh after delete."""
    inputs = checked(provider, first)
    created = provider.create(inputs)
    outs = created.outs
    assert outs["backend"] in ("graphql", "tensorone")
    refreshed = provider.read(created.id, outs)
    assert refreshed.id == created.id
    assert not provider.diff(created.id, refreshed.outs, inputs).changes

    new_inputs = checked(provider, second, outs)
    assert provider.diff(created.id, outs, new_inputs).changes
    updated = provider.update(created.id, outs, new_inputs).outs
    for key, value in second.items():
        if key in updated and key != "name":
            assert unwrap(updated[key]) == value, key

    provider.delete(created.id, updated)
    assert emulator.endpoints.store.all() == []
    gone = provider.read(created.id, updated)
    assert (gone.id, gone.outs) == (None, {})  # refresh drops it: "No AiApi found" (or absent from the list)


def test_the_lifecycle_on_runpod_graphql_from_an_image(runpod: tuple[Emulator, ServerlessEndpointProvider]) -> None:
    emulator, provider = runpod
    first = {
        "name": "svc",
        "image": "runpod/worker:1",
        "gpu_pools": ["ADA_24"],
        "workers_min": 1,
        "idle_timeout": 42,
        "env": {"A": "1"},
        "data_center_ids": ["EU-RO-1"],
        "flashboot": "FLASHBOOT",
    }
    second = {**first, "image": "runpod/worker:2", "workers_max": 5, "env": {"A": "2"}}
    lifecycle(emulator, provider, first, second)


def test_the_lifecycle_on_runpod_graphql_from_a_template_and_on_cpu(
    runpod: tuple[Emulator, ServerlessEndpointProvider],
) -> None:
    emulator, provider = runpod
    first = {"name": "svc", "template_id": "tpluser1", "cpu_flavor_ids": ["cpu3c"], "vcpu_count": 2}
    lifecycle(emulator, provider, first, {**first, "vcpu_count": 4})


def test_moving_from_a_template_to_an_image_never_writes_the_users_template(
    runpod: tuple[Emulator, ServerlessEndpointProvider],
) -> None:
    emulator, provider = runpod
    created = provider.create(checked(provider, {"name": "svc", "template_id": "tpluser1", "gpu_pools": ["ADA_24"]}))
    second = checked(provider, {"name": "svc", "image": "mine:1", "gpu_pools": ["ADA_24"]}, created.outs)
    updated = provider.update(created.id, created.outs, second).outs
    assert updated["image"] == "mine:1"
    assert emulator.templates.store.get("tpluser1").image == "user/img:1"  # type: ignore[union-attr]
    assert emulator.endpoints.store.get(created.id).template_id != "tpluser1"


def test_a_refresh_after_an_out_of_band_delete_and_a_destroy_after_it(
    runpod: tuple[Emulator, ServerlessEndpointProvider],
) -> None:
    emulator, provider = runpod
    created = provider.create(checked(provider, {"name": "svc", "image": "img:1", "gpu_pools": ["ADA_24"]}))
    emulator.endpoints.store.delete(created.id)
    gone = provider.read(created.id, created.outs)
    assert (gone.id, gone.outs) == (None, {})
    provider.delete(created.id, created.outs)  # destroy: nothing left, no error


def test_adopting_an_unknown_id_is_a_clear_error(runpod: tuple[Emulator, ServerlessEndpointProvider]) -> None:
    _, provider = runpod
    inputs = checked(provider, {"name": "svc", "image": "img:1", "gpu_pools": ["ADA_24"], "adopt_existing_id": "nope"})
    with pytest.raises(ProviderError, match="no endpoint with that id is visible"):
        provider.create(inputs)


def test_adopt_an_endpoint_made_elsewhere(runpod: tuple[Emulator, ServerlessEndpointProvider]) -> None:
    emulator, provider = runpod
    made = provider.create(checked(provider, {"name": "other", "image": "img:1", "gpu_pools": ["ADA_24"]}))
    inputs = checked(
        provider, {"name": "svc", "image": "img:1", "gpu_pools": ["AMPERE_16"], "adopt_existing_id": made.id}
    )
    adopted = provider.create(inputs)
    assert adopted.id == made.id
    assert adopted.outs["gpu_pools"] == ["AMPERE_16"]
    assert len(emulator.endpoints.store.all()) == 1


def test_the_lifecycle_on_tensorone(tensorone: tuple[Emulator, ServerlessEndpointProvider]) -> None:
    emulator, provider = tensorone
    first = {
        "name": "svc",
        "template_id": "tplt1",
        "gpu_pools": ["AMPERE_16"],
        "flashboot": True,
        "network_volume_ids": ["v1"],
        "data_center_ids": ["US-KS-2"],
    }
    lifecycle(emulator, provider, first, {**first, "workers_max": 5, "flashboot": "OFF"})


def test_a_template_change_on_tensorone_fails_clearly(tensorone: tuple[Emulator, ServerlessEndpointProvider]) -> None:
    _, provider = tensorone
    first = checked(provider, {"name": "svc", "template_id": "tplt1", "gpu_pools": ["AMPERE_16"]})
    created = provider.create(first)
    second = checked(provider, {"name": "svc", "template_id": "tplt2", "gpu_pools": ["AMPERE_16"]}, created.outs)
    with pytest.raises(ProviderError, match="Replace the endpoint"):
        provider.update(created.id, created.outs, second)


# -- check: what GraphQL cannot express ----------------------------------------------------------------------
def failures(provider: ServerlessEndpointProvider, news: dict[str, Any]) -> dict[str, str]:
    return {failure.property: failure.reason for failure in provider.check({}, news).failures}


def test_check_refuses_a_fractional_scaler_value_on_graphql(
    runpod: tuple[Emulator, ServerlessEndpointProvider],
) -> None:
    _, provider = runpod
    found = failures(provider, {"name": "svc", "image": "i:1", "gpu_pools": ["ADA_24"], "scaler_value": 2.5})
    assert "whole number" in found["scaler_value"]
    assert "REST v2" in found["scaler_value"]


def test_check_refuses_container_settings_with_a_template_on_graphql(
    runpod: tuple[Emulator, ServerlessEndpointProvider],
) -> None:
    emulator, provider = runpod
    found = failures(provider, {"name": "svc", "template_id": "tpluser1", "gpu_pools": ["ADA_24"], "env": {"A": "1"}})
    assert "template" in found["env"] and "image" in found["env"] and "REST v2" in found["env"]
    assert emulator.journal.entries() == []  # no API call


BASE = {"name": "svc", "template_id": "tplt1", "gpu_pools": ["AMPERE_16"]}


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"flashboot": "PRIORITY_FLASHBOOT"}, "flashboot"),
        ({"min_cuda_version": "12.4"}, "min_cuda_version"),
        ({"network_volume_ids": ["a", "b"]}, "network_volume_ids"),
        ({"type": "LOAD_BALANCER", "scaler_type": "REQUEST_COUNT"}, "type"),
        ({"container_args": "python x.py"}, "container_args"),
    ],
)
def test_check_refuses_what_tensorone_cannot_do(values: dict[str, Any], field: str) -> None:
    spec = EndpointSpec.model_validate({k: v for k, v in {**BASE, **values}.items() if v is not None}).defaulted()
    found = {problem.field for problem in graphql_problems(spec, flavor="tensorone")}
    assert field in found


def test_tensorone_takes_images_and_cpu_as_runpods_older_schema_does() -> None:
    image = EndpointSpec.model_validate({"name": "svc", "image": "i:1", "gpu_pools": ["AMPERE_16"]}).defaulted()
    cpu = EndpointSpec.model_validate({"name": "svc", "image": "i:1", "cpu_flavor_ids": ["cpu3c"]}).defaulted()
    assert graphql_problems(image, flavor="tensorone") == graphql_problems(cpu, flavor="tensorone") == []


def test_what_graphql_can_express_passes_check() -> None:
    spec = EndpointSpec.model_validate(
        {
            "name": "svc",
            "image": "i:1",
            "gpu_pools": ["ADA_24"],
            "gpu_excluded_types": ["NVIDIA L4"],
            "type": "LOAD_BALANCER",
            "scaler_type": "REQUEST_COUNT",
            "network_volume_ids": ["a", "b"],
            "flashboot": "PRIORITY_FLASHBOOT",
            "min_cuda_version": "12.4",
            "env": {"PORT": "80"},
        }
    ).defaulted()
    assert graphql_problems(spec, flavor="runpod") == []
    assert graphql_problems(spec.model_copy(update={"scaler_value": 2}), flavor="runpod") == []
