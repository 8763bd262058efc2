"""Pulumi's program mocks, for the resources' Args-to-properties mapping (same recipe as tests/program)."""

from __future__ import annotations

import asyncio
import gc
import sys
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import pulumi
import pytest


class RecordingMocks(pulumi.runtime.Mocks):
    """Records every resource registered or read, and answers with its inputs as outputs."""

    def __init__(self) -> None:
        self.resources: list[pulumi.runtime.MockResourceArgs] = []

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str | None, dict[str, Any]]:
        self.resources.append(args)
        outputs = {k: v for k, v in args.inputs.items() if k != "__provider"}
        return args.resource_id or f"{args.name}-id", outputs

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
    # pulumi's mock monitor opens an event loop in each executor thread and never closes it: let those
    # threads finish, and absorb exactly the ResourceWarnings of those loops.
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


def check(condition: bool) -> None:
    assert condition


def secret_flags(*outputs: pulumi.Output[Any]) -> pulumi.Output[list[bool]]:
    """Whether each output is a secret, as an output (for ``@pulumi.runtime.test`` functions)."""

    async def flags() -> list[bool]:
        return [await output.is_secret() for output in outputs]

    runner: Callable[[], Awaitable[list[bool]]] = flags
    return pulumi.Output.from_input(runner())
