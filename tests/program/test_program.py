"""A Pulumi program under mocks: the type token and the Args-to-properties mapping."""

from __future__ import annotations

import asyncio
import gc
import sys
from collections.abc import Iterator
from typing import Any

import pulumi
import pytest

from pulumi_runpod_endpoint import TYPE_TOKEN, ServerlessEndpoint, ServerlessEndpointArgs


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
            template_id="tmpl12345",
            gpu_ids=["AMPERE_16", "ADA_24"],
            workers_min=0,
            workers_max=3,
            idle_timeout=5,
            scaler_type="QUEUE_DELAY",
            scaler_value=4,
            flashboot=True,
            env={"HF_TOKEN": "hf_x"},
        ),
    )

    def verify(values: list[Any]) -> None:
        url, workers_max, gpu_ids = values
        [resource] = mocks.resources
        assert resource.typ == TYPE_TOKEN == "pulumi-python:dynamic/runpod:ServerlessEndpoint"
        inputs = resource.inputs
        assert inputs["template_id"] == "tmpl12345"
        assert inputs["gpu_ids"] == ["AMPERE_16", "ADA_24"]
        assert inputs["flashboot"] is True
        assert "__provider" in inputs
        assert "gpuIds" not in inputs
        assert url == "https://api.runpod.ai/v2/inference-id/run"
        assert (workers_max, gpu_ids) == (3, ["AMPERE_16", "ADA_24"])

    return pulumi.Output.all(endpoint.run_url, endpoint.workers_max, endpoint.gpu_ids).apply(verify)


@pulumi.runtime.test
def test_keyword_arguments_work_like_args(mocks: RecordingMocks) -> Any:
    endpoint = ServerlessEndpoint("kw", name="kw", template_id="tmpl12345", gpu_type_ids=["NVIDIA L4"])

    def verify(name: str) -> None:
        assert name == "kw"
        assert mocks.resources[0].inputs["gpu_type_ids"] == ["NVIDIA L4"]

    return endpoint.name.apply(verify)


@pulumi.runtime.test
def test_env_is_a_secret_output(mocks: RecordingMocks) -> Any:
    endpoint = ServerlessEndpoint("s", ServerlessEndpointArgs(name="s", template_id="tmpl12345", env={"A": "1"}))

    async def is_secret() -> bool:
        return await endpoint.env.is_secret()

    return pulumi.Output.from_input(is_secret()).apply(lambda secret: _assert(secret is True))


def _assert(condition: bool) -> None:
    assert condition


def test_args_and_keywords_together_are_refused() -> None:
    with pytest.raises(TypeError, match="either args= or keyword arguments"):
        ServerlessEndpoint("x", ServerlessEndpointArgs(name="x", template_id="t"), name="y")


def test_public_surface_is_pinned() -> None:
    import pulumi_runpod_endpoint as package

    assert sorted(package.__all__) == sorted(
        [
            "CPU_FLAVOR_IDS",
            "CUDA_VERSIONS",
            "DATA_CENTER_IDS",
            "GPU_POOLS",
            "GPU_TYPE_IDS",
            "TYPE_TOKEN",
            "Backend",
            "ComputeType",
            "ScalerType",
            "ServerlessEndpoint",
            "ServerlessEndpointArgs",
        ]
    )
