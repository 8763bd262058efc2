"""Shared fixtures: in-process emulators and API services wired to them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from pulumi_runpod_endpoint.api import EndpointService, RetryPolicy
from pulumi_runpod_endpoint.emulator import Emulator, EmulatorProcess

API_KEY = "rpa_TESTKEY_0123456789abcdefSECRET"
SHARED_SPECS = Path(__file__).resolve().parents[1].parent / "shared" / "specs"


class SleepRecorder:
    """Stands in for time.sleep: records the delays instead of waiting."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


@pytest.fixture
def emulator() -> Emulator:
    return Emulator(flavor="runpod", api_key=API_KEY)


@pytest.fixture
def tensorone() -> Emulator:
    return Emulator(flavor="tensorone", api_key=API_KEY)


@pytest.fixture
def sleeps() -> SleepRecorder:
    return SleepRecorder()


ServiceFactory = Callable[..., EndpointService]


@pytest.fixture
def make_service(sleeps: SleepRecorder) -> Iterator[ServiceFactory]:
    made: list[EndpointService] = []

    def make(emu: Emulator, **kwargs: object) -> EndpointService:
        backend = "tensorone" if emu.flavor == "tensorone" else "runpod"
        options: dict[str, object] = {
            "backend": backend,
            "graphql_url": "http://emulator/graphql",
            "rest_url": "http://emulator/v1",
            "transport": emu.transport(),
            "sleep": sleeps,
            "retry": RetryPolicy(attempts=4, base_delay=0.5, max_delay=8.0),
        }
        options.update(kwargs)
        service = EndpointService(str(options.pop("api_key", API_KEY)), **options)  # type: ignore[arg-type]
        made.append(service)
        return service

    yield make
    for service in made:
        service.close()


@pytest.fixture
def service(emulator: Emulator, make_service: ServiceFactory) -> EndpointService:
    return make_service(emulator)


@pytest.fixture
def tensorone_service(tensorone: Emulator, make_service: ServiceFactory) -> EndpointService:
    return make_service(tensorone)


@pytest.fixture(scope="module")
def emulator_process() -> Iterator[EmulatorProcess]:
    """The emulator's command line on a loopback port (engine and e2e tests)."""
    process = EmulatorProcess(API_KEY)
    yield process
    process.stop()


@pytest.fixture(scope="module")
def tensorone_process() -> Iterator[EmulatorProcess]:
    process = EmulatorProcess(API_KEY, flavor="tensorone")
    yield process
    process.stop()


@pytest.fixture
def emu(emulator_process: EmulatorProcess) -> EmulatorProcess:
    """The loopback emulator, emptied for this test."""
    emulator_process.reset()
    return emulator_process


def operations(emu: Emulator) -> list[str]:
    """The journal as 'METHOD operation status' lines, for asserting call counts."""
    return [f"{e.method} {e.operation} {e.status}" for e in emu.journal.entries()]
