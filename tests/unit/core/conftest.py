"""Fixtures for the core's tests: a fake clock and sessions built on scripted transports (see fakes.py)."""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

import pytest

from pulumi_runpod_endpoint.api.session import RetryPolicy, Session
from tests.unit.core.fakes import API_KEY, FakeClock, Script, SessionFactory


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def make_session(clock: FakeClock) -> Iterator[SessionFactory]:
    """``make_session(script, api_key=..., **retry_policy_fields)``: a Session on the script and the fake clock."""
    made: list[Session] = []

    def make(script: Script, *, api_key: str = API_KEY, wall_clock: float = 1_800_000_000.0, **retry: Any) -> Session:
        session = Session(
            api_key,
            retry=RetryPolicy(**retry),
            transport=script.transport(),
            sleep=clock.sleep,
            clock=clock,
            wall_clock=lambda: wall_clock,
            jitter=random.Random(7),
        )
        made.append(session)
        return session

    yield make
    for session in made:
        session.close()
