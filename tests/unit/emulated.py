"""The rooms' providers wired to an in-process emulator: no sockets, no sleeps, the journal as call lines.

The emulator (``pulumi_runpod_endpoint.emulator``) is the oracle: built from RunPod's spec and the
evidence, never from our client. ``Stack.sleep`` advances the test's clock and the emulator's manual
clock together, so what the provider waits for (a pod going away, a record appearing) really happens
on the emulator while the test takes no time at all. Faults come from the emulator's fault plan,
"in use" from the pods its control API declares (which its ``GET /v2/pods`` lists), seeded records
from ``/_emulator/...``.

``Stack.intercept`` exists for the few answers the emulator cannot give, each named where it is used:
an API that echoes a credential (hostile, never RunPod's behaviour), another client creating at the
same moment, a broken catalog. Everything else goes to the emulator untouched.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import httpx
from pulumi.dynamic import Config, ConfigureRequest

from pulumi_runpod_endpoint.api.session import RetryPolicy, Session
from pulumi_runpod_endpoint.emulator import Emulator, ManualClock
from tests.conftest import API_KEY

__all__ = ["REST_URL", "Forward", "Interceptor", "Stack", "configure", "new_stack"]

REST_URL = "http://emulator/v2"
"""Where the providers find REST v2: the in-process transport answers whatever the host."""

Forward = Callable[[httpx.Request], httpx.Response]
Interceptor = Callable[[httpx.Request, Forward], httpx.Response]
P = TypeVar("P")


def configure(provider: P, **config: str) -> P:
    """``provider`` configured as the dynamic-provider host would: the test key, the emulator's URL,
    then ``config`` (``restUrl=...``, ``backend=...``: the ``runpod:`` prefix is added)."""
    values = {"runpod:apiKey": API_KEY, "runpod:restUrl": REST_URL}
    values.update({f"runpod:{key}": value for key, value in config.items()})
    provider.configure(ConfigureRequest(Config(raw_config=values, project_name="test")))  # type: ignore[attr-defined]
    return provider


class _Transport(httpx.BaseTransport):
    """The emulator's transport, with the stack's interceptors in front of the paths they name."""

    def __init__(self, stack: Stack) -> None:
        self.stack = stack
        self.inner = stack.emulator.transport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        intercept = self.stack.interceptors.get((request.method, request.url.path))
        if intercept is None:
            return self.inner.handle_request(request)
        return intercept(request, self.inner.handle_request)


@dataclass
class Stack:
    """One emulator, the sessions made against it, one clock for both sides."""

    emulator: Emulator
    clock: ManualClock
    api: httpx.Client
    """The emulator as a person or another program sees it: RunPod's API (journaled) and the control API."""
    now: float = 1000.0
    sleeps: list[float] = field(default_factory=list)
    sessions: list[Session] = field(default_factory=list)
    interceptors: dict[tuple[str, str], Interceptor] = field(default_factory=dict)

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += max(seconds, 0.0)
        self.clock.advance(max(seconds, 0.0))

    def monotonic(self) -> float:
        return self.now

    def transport(self) -> httpx.BaseTransport:
        return _Transport(self)

    def session(self, api_key: str = API_KEY, retry: RetryPolicy | None = None) -> Session:
        made = Session(api_key, retry=retry, transport=self.transport(), sleep=self.sleep, clock=self.monotonic)
        self.sessions.append(made)
        return made

    def session_factory(self, settings: Any) -> Session:
        """What a provider's ``session_factory`` is given: a session on the emulator per settings."""
        return self.session(settings.api_key, RetryPolicy(max_wait=settings.max_retry_wait))

    def intercept(self, method: str, path: str, handler: Interceptor) -> None:
        """Answer ``method path`` with ``handler(request, forward)``; ``forward`` sends to the emulator."""
        self.interceptors[(method, path)] = handler

    # -- the journal -----------------------------------------------------------------------------
    def calls(self) -> list[str]:
        """'METHOD operation status' per API request since the journal was last cleared."""
        return [f"{e.method} {e.operation} {e.status}" for e in self.emulator.journal.entries()]

    def requests(self, operation: str) -> list[Any]:
        """The bodies sent to ``operation`` (write-only fields as the journal keeps them: redacted)."""
        return [e.request for e in self.emulator.journal.entries() if e.operation == operation]

    def clear(self) -> None:
        self.emulator.journal.clear()

    # -- the world as others make it ---------------------------------------------------------------
    def seed(self, collection: str, **record: Any) -> dict[str, Any]:
        """A record made outside the program (the console, another stack): ``/_emulator/<collection>``."""
        answer = self.api.post(f"/_emulator/{collection}", json=record)
        assert answer.status_code == 201, answer.text
        made: dict[str, Any] = answer.json()
        return made

    def pod(self, **pod: Any) -> str:
        """Declare a pod (``name``, ``templateId``, ``registry``, ``networkVolumeId``; ``seconds``: it goes
        away): it blocks that template's and that credential's delete, and ``GET /v2/pods`` lists it."""
        answer = self.api.post("/_emulator/pods", json=pod)
        assert answer.status_code == 201, answer.text
        pod_id: str = answer.json()["id"]
        return pod_id

    def endpoint(self, **fields: Any) -> str:
        """A serverless endpoint made through v2 by someone else (a GPU queue endpoint plus ``fields``)."""
        body = {"name": "api", "type": "QUEUE", "image": "runpod/worker:1", "gpu": {"pools": ["ADA_24"]},
                "scaling": {"type": "QUEUE_DELAY", "queueDelay": 4}, **fields}  # fmt: skip
        answer = self.api.post("/v2/serverless", json=body)
        assert answer.status_code == 201, answer.text
        endpoint_id: str = answer.json()["id"]
        return endpoint_id

    def remote(self, path: str) -> Any:
        """What RunPod's API answers to ``GET /v2/<path>`` now (journaled: read before ``clear``)."""
        answer = self.api.get(f"/v2/{path}")
        assert answer.status_code == 200, answer.text
        return answer.json()

    def close(self) -> None:
        for session in self.sessions:
            session.close()
        self.api.close()


def new_stack() -> Stack:
    clock = ManualClock()
    emulator = Emulator(flavor="runpod", api_key=API_KEY, clock=clock)
    api = httpx.Client(
        transport=emulator.transport(), base_url="http://emulator", headers={"Authorization": f"Bearer {API_KEY}"}
    )
    return Stack(emulator, clock, api)
