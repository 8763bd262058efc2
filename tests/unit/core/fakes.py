"""Seams for the core's tests: a fake clock whose sleep moves it, and a scripted HTTP transport.

Nothing here waits for real or reads the wall clock: ``FakeClock.sleep`` records the delay and moves
the clock by it (so a Retry-After and the pacer's windows agree on what time it is), and ``Script``
answers each request from a list of handlers while recording every request it saw.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx

from pulumi_runpod_endpoint.api.session import Session

API_KEY = "rpa_CORETESTKEY_0123456789abcdefSECRET"
BASE = "http://api.test/v2"

Handler = Callable[[httpx.Request], httpx.Response]
# make_session(script, api_key=..., wall_clock=..., **RetryPolicy fields) -> Session (the conftest fixture)
SessionFactory = Callable[..., Session]


class FakeClock:
    """Monotonic time under the test's control; ``sleep`` records and advances instead of waiting."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


class Script:
    """A transport that answers requests in order from ``steps`` (the last one repeats) and records them."""

    def __init__(self, *steps: Handler | httpx.Response) -> None:
        self.steps = list(steps)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        step = self.steps[min(len(self.requests) - 1, len(self.steps) - 1)]
        if isinstance(step, httpx.Response):
            return httpx.Response(step.status_code, headers=step.headers, content=step.content)
        return step(request)

    @property
    def calls(self) -> list[str]:
        return [f"{r.method} {r.url.path}" for r in self.requests]

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self)


def problem(
    status: int,
    detail: str | None = None,
    *,
    title: str | None = None,
    errors: list[Any] | None = None,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    """An RFC 9457 problem+json answer, as RunPod's v2 API sends for every error."""
    body: dict[str, Any] = {"title": title or httpx.codes.get_reason_phrase(status), "status": status}
    if detail is not None:
        body["detail"] = detail
    if errors is not None:
        body["errors"] = errors
    return httpx.Response(
        status,
        headers={"content-type": "application/problem+json", **(headers or {})},
        content=json.dumps(body).encode(),
    )


def ok(body: Any = None, status: int = 200, headers: dict[str, str] | None = None) -> httpx.Response:
    if body is None:
        return httpx.Response(status, headers=headers)
    return httpx.Response(status, json=body, headers=headers)


def raise_(exc_type: type[httpx.TransportError], message: str = "boom") -> Handler:
    def handler(request: httpx.Request) -> httpx.Response:
        raise exc_type(message, request=request)

    return handler
