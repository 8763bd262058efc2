"""The network volume provider on the in-process emulator, and the test world ``check`` and ``diff`` use.

``WORLD`` is a small catalog for the pure check/diff tests (they make no API call); the lifecycle
tests use the shipped catalog, which is also what the emulator serves and places volumes by.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from pulumi_runpod_endpoint.api.catalog import Catalog
from pulumi_runpod_endpoint.api.lifecycle import Timing
from pulumi_runpod_endpoint.network_volume.provider import NetworkVolumeProvider
from tests.unit.emulated import Stack, configure, new_stack
from tests.unit.pulumi_mocks import mocks as mocks  # the program-side fixture, for test_resource


def _dc(dc_id: str, *types: str) -> dict[str, Any]:
    return {"id": dc_id, "name": dc_id, "region": "EUROPE", "networkVolumeTypes": list(types), "compliance": [],
            "globalNetwork": False}  # fmt: skip


# The data centers of the check/diff tests' world.
WORLD = Catalog.from_lists(
    gpus=[],
    cpus=[],
    data_centers=[
        _dc("EU-RO-1", "STANDARD", "HIGH_PERFORMANCE"),
        _dc("US-KS-2", "HIGH_PERFORMANCE", "STANDARD"),
        _dc("EU-SE-1", "STANDARD"),
        _dc("AP-JP-1"),
    ],
)

TIMING = Timing(delete_timeout=120.0, settle=30.0, first_poll=1.0, max_poll=8.0)


@pytest.fixture
def stack() -> Iterator[Stack]:
    made = new_stack()
    yield made
    made.close()


def volume_provider(stack: Stack, **config: str) -> NetworkVolumeProvider:
    """A provider as the host configures it, on the emulator (``config``: ``restUrl=...``)."""
    made = NetworkVolumeProvider(
        session_factory=stack.session_factory, timing=TIMING, sleep=stack.sleep, clock=stack.monotonic
    )
    return configure(made, **config)


@pytest.fixture
def provider(stack: Stack) -> NetworkVolumeProvider:
    return volume_provider(stack)
