"""The endpoint provider wired to an in-process emulator: no sockets, no sleeps.

``sleep`` advances the test's clock and the emulator's manual clock together, so a rollout the
provider waits for really progresses on the emulator while the test takes no time at all.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from pulumi.dynamic import Config, ConfigureRequest

from pulumi_runpod_endpoint.api.session import RetryPolicy, Session
from pulumi_runpod_endpoint.emulator import Emulator, ManualClock
from pulumi_runpod_endpoint.endpoint.provider import ServerlessEndpointProvider
from tests.conftest import API_KEY


@dataclass
class Stack:
    """One emulator, one provider configured against it, and the journal as call lines."""

    emulator: Emulator
    clock: ManualClock
    api: httpx.Client
    sessions: list[Session] = field(default_factory=list)
    now: float = 0.0
    sleeps: list[float] = field(default_factory=list)

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds
        self.clock.advance(seconds)

    def monotonic(self) -> float:
        return self.now

    def provider(self, **config: str) -> ServerlessEndpointProvider:
        def session(settings: Any) -> Session:
            made = Session(
                settings.api_key,
                retry=RetryPolicy(max_wait=settings.max_retry_wait),
                transport=self.emulator.transport(),
                sleep=self.sleep,
                clock=self.monotonic,
            )
            self.sessions.append(made)
            return made

        provider = ServerlessEndpointProvider(session_factory=session, sleep=self.sleep, clock=self.monotonic)
        values = {
            "runpod:apiKey": API_KEY,
            "runpod:restUrl": "http://emulator/v2",
            "runpod:apiUrl": "http://emulator/graphql",
            **config,
        }
        provider.configure(ConfigureRequest(Config(raw_config=values, project_name="test")))
        return provider

    def calls(self) -> list[str]:
        """'METHOD operation status' per API request since the journal was last cleared."""
        return [f"{e.method} {e.operation} {e.status}" for e in self.emulator.journal.entries()]

    def clear(self) -> None:
        self.emulator.journal.clear()


@pytest.fixture
def stack() -> Iterator[Stack]:
    clock = ManualClock()
    emulator = Emulator(flavor="runpod", api_key=API_KEY, clock=clock)
    with httpx.Client(
        transport=emulator.transport(), base_url="http://emulator", headers={"Authorization": f"Bearer {API_KEY}"}
    ) as api:
        made = Stack(emulator, clock, api)
        yield made
        for session in made.sessions:
            session.close()
