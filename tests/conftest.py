"""Shared fixtures: the API key tests use, a fake clock for code that waits, and the emulator on a
loopback port (engine and end-to-end tests; unit tests use it in-process)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from pulumi_runpod_endpoint.emulator import EmulatorProcess

API_KEY = "rpa_TESTKEY_0123456789abcdefSECRET"


class FakeTime:
    """Stands in for time.sleep and time.monotonic together: sleeping advances the clock, instantly."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start
        self.sleeps: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += max(seconds, 0.0)

    def clock(self) -> float:
        return self.now


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


@pytest.fixture(scope="module")
def emulator_process() -> Iterator[EmulatorProcess]:
    """The emulator's command line on a loopback port, on a manual clock tests advance."""
    with EmulatorProcess(API_KEY, clock="manual") as process:
        yield process


@pytest.fixture(scope="module")
def tensorone_process() -> Iterator[EmulatorProcess]:
    with EmulatorProcess(API_KEY, flavor="tensorone", clock="manual") as process:
        yield process


@pytest.fixture
def emu(emulator_process: EmulatorProcess) -> EmulatorProcess:
    """The loopback emulator, emptied for this test."""
    emulator_process.reset()
    return emulator_process
