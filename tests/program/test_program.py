"""A Pulumi program under mocks: the type token and the Args-to-properties mapping."""

from __future__ import annotations

import asyncio
import base64
import gc
import sys
from collections.abc import Iterator
from typing import Any

import pulumi
import pytest

from pulumi_runpod_endpoint import TYPE_TOKEN, CpuChoiceArgs, ServerlessEndpoint, ServerlessEndpointArgs
from pulumi_runpod_endpoint.endpoint.names import (
    ADOPT,
    CONTROL_FIELDS,
    ENV_KEYS,
    PLACEHOLDERS,
    TEMPLATE_REVISION,
    WAIT,
    WAIT_TIMEOUT,
)


class RecordingMocks(pulumi.runtime.Mocks):
    def __init__(self) -> None:
        self.resources: list[pulumi.runtime.MockResourceArgs] = []

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str | None, dict[str, Any]]:
        self.resources.append(args)
        outputs = {k: v for k, v in args.inputs.items() if k != "__provider"}
        return f"{args.name}-id", {**outputs, "run_url": f"https://api.runpod.ai/v2/{args.name}-id/run"}

    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict[str, Any], list[tuple[str, str]] | None]:
        return {}, None


@pytest.fixture
def mocks() -> Iterator[RecordingMocks]:
    # pulumi's mocks run on the current event loop; other tests' asyncio.run() leave none.
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    recorder = RecordingMocks()
    pulumi.runtime.set_mocks(recorder, preview=False)
    yield recorder
    # pulumi's mock monitor opens an event loop in each executor thread and never closes it.
    # Let those threads finish now, and absorb exactly the ResourceWarnings of those loops,
    # instead of letting them surface in whichever test the garbage collector runs in.
    prior = sys.unraisablehook

    def absorb_leaked_loops(unraisable: Any) -> None:
        if not (unraisable.exc_type and issubclass(unraisable.exc_type, ResourceWarning)):
            prior(unraisable)

    sys.unraisablehook = absorb_leaked_loops
    try:
        loop.run_until_complete(loop.shutdown_default_executor())
        asyncio.set_event_loop(None)
        loop.close()
        gc.collect()
    finally:
        sys.unraisablehook = prior


@pulumi.runtime.test
def test_args_become_snake_case_properties_under_our_type_token(mocks: RecordingMocks) -> Any:
    endpoint = ServerlessEndpoint(
        "inference",
        ServerlessEndpointArgs(
            name="inference",
            image="runpod/worker-v1-vllm:stable",
            gpu_pools=["AMPERE_16", "ADA_24"],
            gpu_excluded_types=["NVIDIA RTX A4000"],
            workers_max=3,
            scaler_type="QUEUE_DELAY",
            scaler_value=2.5,
            flashboot="FLASHBOOT",
            env={"HF_TOKEN": "hf_x"},
            cpu=None,
        ),
    )

    def verify(values: list[Any]) -> None:
        url, workers_max, pools = values
        [resource] = mocks.resources
        assert resource.typ == TYPE_TOKEN == "pulumi-python:dynamic/runpod:ServerlessEndpoint"
        inputs = resource.inputs
        assert inputs["image"] == "runpod/worker-v1-vllm:stable"
        assert inputs["gpu_pools"] == ["AMPERE_16", "ADA_24"]
        assert inputs["flashboot"] == "FLASHBOOT"
        assert inputs["scaler_value"] == 2.5
        assert "__provider" in inputs
        assert "auto_name_prefix" not in inputs  # an explicit name needs no generated one
        assert "gpuPools" not in inputs
        assert url == "https://api.runpod.ai/v2/inference-id/run"
        assert (workers_max, pools) == (3, ["AMPERE_16", "ADA_24"])

    return pulumi.Output.all(endpoint.run_url, endpoint.workers_max, endpoint.gpu_pools).apply(verify)


@pulumi.runtime.test
def test_keyword_arguments_work_like_args(mocks: RecordingMocks) -> Any:
    endpoint = ServerlessEndpoint("kw", image="img:1", cpu=[CpuChoiceArgs(flavor_id="cpu5c", vcpu_count=4)])

    def verify(_: Any) -> None:
        inputs = mocks.resources[0].inputs
        assert inputs["cpu"] == [{"flavor_id": "cpu5c", "vcpu_count": 4}]
        assert inputs["auto_name_prefix"] == "kw"  # no name: the provider's check picks one from this

    return endpoint.id.apply(verify)


@pulumi.runtime.test
def test_every_output_is_an_attribute_and_controls_are_sent_only_when_set(mocks: RecordingMocks) -> Any:
    endpoint = ServerlessEndpoint("p", ServerlessEndpointArgs(image="i", gpu_pools=["AMPERE_16"]))
    for name in PLACEHOLDERS:
        assert isinstance(getattr(endpoint, name), pulumi.Output), name
    # each placeholder is an Output the SDK waits on: control inputs and env_keys are not among them
    assert not set(PLACEHOLDERS) & {*CONTROL_FIELDS, ENV_KEYS}

    def verify(_: Any) -> None:
        args = mocks.resources[0]
        assert not set(args.inputs) & {ADOPT, WAIT, WAIT_TIMEOUT, TEMPLATE_REVISION, ENV_KEYS}
        # the program named the provider without importing it, in the provider's own bytes (the room's
        # new_provider(), tens of bytes): the host makes the provider
        from pulumi.dynamic.dynamic import serialize_provider

        from pulumi_runpod_endpoint.endpoint.provider import ServerlessEndpointProvider

        assert args.inputs["__provider"] == serialize_provider(ServerlessEndpointProvider())
        assert b"new_provider" in base64.b64decode(args.inputs["__provider"])

    return endpoint.id.apply(verify)


@pulumi.runtime.test
def test_env_is_a_secret_output(mocks: RecordingMocks) -> Any:
    endpoint = ServerlessEndpoint("s", ServerlessEndpointArgs(name="s", image="i", env={"A": "1"}))

    async def is_secret() -> bool:
        return await endpoint.env.is_secret()

    return pulumi.Output.from_input(is_secret()).apply(lambda secret: _assert(secret is True))


def _assert(condition: bool) -> None:
    assert condition


def test_args_and_keywords_together_are_refused() -> None:
    with pytest.raises(TypeError, match="not both"):
        ServerlessEndpoint("x", ServerlessEndpointArgs(name="x", image="i"), name="y")  # type: ignore[call-overload]


def test_an_unknown_keyword_names_the_args_class() -> None:
    with pytest.raises(TypeError, match="ServerlessEndpointArgs"):
        ServerlessEndpoint("x", gpu_ids=["ADA_24"])


@pulumi.runtime.test
def test_the_type_token_is_what_the_class_keywords_make(mocks: RecordingMocks) -> Any:
    from pulumi_runpod_endpoint.dynamic.tokens import type_token
    from pulumi_runpod_endpoint.endpoint import TYPE_NAME

    endpoint = ServerlessEndpoint("t", image="i", gpu_pools=["ADA_24"])
    return endpoint.id.apply(lambda _: _assert(mocks.resources[0].typ == type_token(TYPE_NAME) == TYPE_TOKEN))


def test_public_surface_is_pinned_and_every_name_loads() -> None:
    import pulumi_runpod_endpoint as package

    assert sorted(package.__all__) == sorted(
        [
            "TYPE_TOKEN",
            "CatalogLookupError",
            "CpuChoiceArgs",
            "CpuType",
            "DataCenter",
            "GpuPool",
            "GpuType",
            "NetworkVolume",
            "NetworkVolumeArgs",
            "RegistryAuth",
            "RegistryAuthArgs",
            "ServerlessEndpoint",
            "ServerlessEndpointArgs",
            "Template",
            "TemplateArgs",
            "get_cpu_types",
            "get_data_centers",
            "get_gpu_pools",
            "get_gpu_types",
        ]
    )
    for name in package.__all__:
        assert getattr(package, name) is not None
    with pytest.raises(AttributeError):
        package.NoSuchName  # noqa: B018
