"""The reliability suite's world: one emulator in-process, one clock for it and the provider, faults
armed at the N-th request of an operation, and the API's own view of what exists.

* ``Timeline``: the emulator's ``ManualClock`` is also the provider's monotonic clock, and the
  provider's ``sleep`` advances it. A Retry-After, a backoff, a settle poll and an injected latency all
  move the same time, so nothing really sleeps and every wait is checkable.
* ``FaultingTransport``: the emulator's in-process transport, counting the provider's requests. A
  fault armed at position N is put in front of the emulator's fault plan just before the N-th request
  (so it hits exactly that one, whatever it is: a recovery list, a recreate, a verify) and disarmed
  after it. A request whose answer took longer on the clock than the session's read timeout ends in
  ``httpx.ReadTimeout`` *after* the emulator did the work -- the "slow answer" a client gives up on.
* ``Truth``: what the emulator holds, read through its API with a plain client that no fault touches.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace

import httpx
from pulumi.dynamic import Config, ConfigureRequest
from pulumi.runtime import rpc

from pulumi_runpod_endpoint.api.session import Session
from pulumi_runpod_endpoint.config import ProviderSettings
from pulumi_runpod_endpoint.dynamic.provider import BaseProvider
from pulumi_runpod_endpoint.emulator import Emulator, Fault, ManualClock
from tests.conftest import API_KEY

__all__ = [
    "READ_TIMEOUT",
    "FaultingTransport",
    "Timeline",
    "Truth",
    "World",
]

READ_TIMEOUT = 5.0  # seconds on the emulator's clock: runpod:requestTimeout for every provider here
REST_URL = "http://emulator/v2"
GRAPHQL_URL = "http://emulator/graphql"


class Timeline:
    """One clock for both sides: the emulator's manual clock, advanced by the provider's sleeps."""

    def __init__(self, clock: ManualClock) -> None:
        self.clock = clock
        self.sleeps: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.clock.advance(max(seconds, 0.0))

    def now(self) -> float:
        return self.clock.now()


class FaultingTransport(httpx.BaseTransport):
    """The emulator, with faults armed by request position and a read timeout on the shared clock."""

    def __init__(self, emulator: Emulator, timeline: Timeline) -> None:
        self.emulator = emulator
        self.timeline = timeline
        self.inner: httpx.BaseTransport = emulator.transport()
        self.count = 0
        self.armed: dict[int, Fault] = {}
        self.seen: list[str] = []  # "METHOD path" per request, for messages
        self.timeouts = 0  # answers that came later than the read timeout

    def arm(self, position: int, fault: Fault) -> None:
        self.armed[position] = replace(fault, times=1, match="")

    def restart(self) -> None:
        """Count from 1 again (a new operation), with nothing armed."""
        self.count = 0
        self.armed.clear()
        self.seen.clear()
        self.timeouts = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.count += 1
        self.seen.append(f"{request.method} {request.url.path}")
        fault = self.armed.pop(self.count, None)
        if fault is not None:
            plan = self.emulator.faults
            plan.set([fault, *(Fault.from_json(item) for item in plan.to_json() if item["times"] != 0)])
        started = self.timeline.now()
        try:
            response = self.inner.handle_request(request)
        finally:
            if fault is not None:
                fault.times = 0  # hit exactly this request, never a later one
        timeout = request.extensions.get("timeout") or {}
        read = timeout.get("read")
        if read is not None and self.timeline.now() - started > read:
            response.close()
            self.timeouts += 1
            raise httpx.ReadTimeout("timed out waiting for the answer (slow emulator answer)", request=request)
        return response


@dataclass
class Truth:
    """What the emulator holds is asked through its own API, by this client that no fault touches."""

    client: httpx.Client


@dataclass
class World:
    """An emulator on a manual clock, and providers configured against it through faulting transports."""

    flavor: str = "runpod"
    emulator: Emulator = field(init=False)
    timeline: Timeline = field(init=False)
    transport: FaultingTransport = field(init=False)
    truth: Truth = field(init=False)
    sessions: list[Session] = field(default_factory=list)
    jitter: random.Random = field(default_factory=lambda: random.Random(18))

    def __post_init__(self) -> None:
        clock = ManualClock()
        self.emulator = Emulator(flavor=self.flavor, api_key=API_KEY, clock=clock)
        self.timeline = Timeline(clock)
        self.transport = FaultingTransport(self.emulator, self.timeline)
        client = httpx.Client(
            transport=self.emulator.transport(),
            base_url="http://emulator",
            headers={"Authorization": f"Bearer {API_KEY}"},
        )
        self.truth = Truth(client)

    def session(self, settings: ProviderSettings) -> Session:
        """What ``shared_session`` makes in the host, on this world's transport and clock."""
        made = Session(
            settings.api_key,
            retry=settings.retry_policy,
            transport=self.transport,
            sleep=self.timeline.sleep,
            clock=self.timeline.now,
            jitter=self.jitter,
        )
        self.sessions.append(made)
        return made

    def provider(self, kind: Callable[..., BaseProvider], **config: str) -> BaseProvider:
        """A provider as the host makes it (fresh: no base URL proven yet), configured like a stack."""
        provider = kind(session_factory=self.session, sleep=self.timeline.sleep, clock=self.timeline.now)
        values = {
            "runpod:apiKey": API_KEY,
            "runpod:restUrl": REST_URL,
            "runpod:apiUrl": GRAPHQL_URL,
            "runpod:requestTimeout": str(READ_TIMEOUT),
            **config,
        }
        provider.configure(ConfigureRequest(Config(raw_config=values, project_name="reliability")))
        return provider

    def journal(self) -> list[str]:
        return [f"{e.method} {e.operation} {e.status}" for e in self.emulator.journal.entries()]

    @contextmanager
    def operation(self) -> Iterator[FaultingTransport]:
        """One operation's requests, counted from 1; faults disarmed and the journal kept after it."""
        self.transport.restart()
        self.emulator.journal.clear()
        try:
            yield self.transport
        finally:
            self.transport.armed.clear()
            self.emulator.faults.clear()

    def close(self) -> None:
        for session in self.sessions:
            session.close()
        self.truth.client.close()


ENV_TOKEN = "hf_ReliabilityToken42"
"""An env value the suite's programs carry (endpoint and template env): a secret like the key."""
REGISTRY_PASSWORD = "s3cret-token"


def leaks(*texts: object) -> int:
    """How many of the texts contain a secret in the clear: the API key anywhere (or its core, should
    whitespace be trimmed), or an env value or a registry password the programs carry outside the
    secret wrappers that outputs hold them in."""
    count = 0
    for text in texts:
        whole = text if isinstance(text, str) else json.dumps(text, default=str)
        visible = text if isinstance(text, str) else json.dumps(_without_secrets(text), default=str)
        if API_KEY.strip() in whole or ENV_TOKEN in visible or REGISTRY_PASSWORD in visible:
            count += 1
    return count


def _without_secrets(value: object) -> object:
    if rpc.is_rpc_secret(value):
        return "[secret]"
    if isinstance(value, dict):
        return {key: _without_secrets(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_without_secrets(item) for item in value]
    return value
