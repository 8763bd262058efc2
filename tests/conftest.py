"""Shared fixtures: a fake clock for code that waits, and the API key tests use."""

from __future__ import annotations

import pytest

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
