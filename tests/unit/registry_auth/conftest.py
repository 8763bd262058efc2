"""The registry credential provider on the in-process emulator."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from pulumi_runpod_endpoint.api.lifecycle import Timing
from pulumi_runpod_endpoint.registry_auth.provider import RegistryAuthProvider
from tests.unit.emulated import Stack, configure, new_stack
from tests.unit.pulumi_mocks import mocks as mocks  # the program-side fixture, for test_resource

TIMING = Timing(delete_timeout=120.0, settle=30.0, first_poll=1.0, max_poll=8.0)


@pytest.fixture
def stack() -> Iterator[Stack]:
    made = new_stack()
    yield made
    made.close()


@pytest.fixture
def provider(stack: Stack) -> RegistryAuthProvider:
    made = RegistryAuthProvider(
        session_factory=stack.session_factory, timing=TIMING, sleep=stack.sleep, clock=stack.monotonic
    )
    return configure(made)
