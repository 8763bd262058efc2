from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import API_KEY
from tests.engine.harness import DynamicProviderHost, EmulatorProcess


@pytest.fixture(scope="module")
def host_stderr() -> list[str]:
    return []


@pytest.fixture(scope="module")
def host(emulator_process: EmulatorProcess, host_stderr: list[str]) -> Iterator[DynamicProviderHost]:
    """One host per module, configured once with the key as (decrypted) stack config."""
    provider_host = DynamicProviderHost()
    response = provider_host.configure(
        {
            "runpod:apiKey": API_KEY,
            "runpod:apiUrl": f"{emulator_process.url}/graphql",
            "runpod:restUrl": f"{emulator_process.url}/v2",
            "runpod:deleteTimeout": "30",
        }
    )
    assert response.acceptSecrets is False  # so the engine sends plain values
    yield provider_host
    host_stderr.append(provider_host.stop())
