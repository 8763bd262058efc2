"""Emulator tests drive it over HTTP (in-process) with a manual clock: nothing here sleeps."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from pulumi_runpod_endpoint.emulator import Emulator, ManualClock
from tests.conftest import API_KEY

AUTH = {"Authorization": f"Bearer {API_KEY}"}


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def emulator(clock: ManualClock) -> Emulator:
    return Emulator(flavor="runpod", api_key=API_KEY, clock=clock)


@pytest.fixture
def tensorone(clock: ManualClock) -> Emulator:
    return Emulator(flavor="tensorone", api_key=API_KEY, clock=clock)


@pytest.fixture
def api(emulator: Emulator) -> Iterator[httpx.Client]:
    """An httpx client with the key, served by the emulator in-process."""
    with httpx.Client(transport=emulator.transport(), base_url="http://emulator", headers=AUTH) as client:
        yield client


@pytest.fixture
def t1_api(tensorone: Emulator) -> Iterator[httpx.Client]:
    with httpx.Client(transport=tensorone.transport(), base_url="http://emulator", headers=AUTH) as client:
        yield client
