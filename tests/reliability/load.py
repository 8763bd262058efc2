"""The load test's world: the emulator on a loopback port on a fast clock, a recorder of every request
it answers, and the real dynamic-provider host on the same fast clock, driven over gRPC.

* ``WarpClock``: the emulator's clock, running ``factor`` times faster than real time (its injected
  latency and rate-limit windows with it). The host runs on the same factor (``warp_host.py``), so
  both sides agree on how long a second is; durations are reported on this clock.
* ``Recorder``: ASGI middleware in front of the emulator: times every API request on the emulator's
  clock, keeps its status, Retry-After and x-request-id; optionally answers a share of requests with
  the emulator's own injected 429, and strips the RateLimit headers (an API that does not send them).
* ``ServedEmulator``: uvicorn in a thread of the test process, serving the recorder.
* ``WarpedHost``: ``tests/engine/harness.DynamicProviderHost``, started through ``warp_host.py``, its
  stderr (the provider's log of every wait) kept in a file the test reads.
"""

from __future__ import annotations

import asyncio
import os
import random
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import grpc
import uvicorn
from pulumi.runtime.proto import provider_pb2_grpc
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pulumi_runpod_endpoint.emulator import Emulator, Fault
from pulumi_runpod_endpoint.emulator.clock import DEFAULT_START
from tests.engine.harness import DynamicProviderHost

__all__ = ["Exchange", "Recorder", "ServedEmulator", "WarpClock", "WarpedHost", "waits_logged"]


class WarpClock:
    """A system clock that runs ``factor`` times faster (the emulator's ``Clock`` protocol)."""

    manual = False

    def __init__(self, factor: float, start: float = DEFAULT_START) -> None:
        self.factor = factor
        self.start = start  # on a window boundary: the rate-limit windows' resets do not depend on the hour
        self._real_start = time.time()

    def now(self) -> float:
        return self.start + (time.time() - self._real_start) * self.factor

    async def sleep(self, seconds: float) -> None:
        if seconds > 0:
            await asyncio.sleep(seconds / self.factor)


@dataclass
class Exchange:
    """One API request as the emulator answered it."""

    start: float
    end: float
    method: str
    path: str
    status: int | str
    retry_after: float | None
    request_id: str
    ratelimit: str | None


@dataclass
class Recorder:
    """Records (and optionally refuses, or strips headers from) every API request the emulator gets."""

    emulator: Emulator
    clock: WarpClock
    refuse_share: float = 0.0
    retry_after: float = 1.0
    strip_ratelimit: bool = False
    rng: random.Random = field(default_factory=lambda: random.Random(18))
    exchanges: list[Exchange] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def app(self) -> ASGIApp:
        return self

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or path.startswith("/_emulator"):
            await self.emulator.app(scope, receive, send)
            return
        method = scope["method"]
        start = self.clock.now()
        if self.refuse_share and self.rng.random() < self.refuse_share:
            # The emulator's own 429 (its headers, its journal), for this request or one just like it.
            self.emulator.faults.add(Fault("rate_limit", match=f"{method} {path}", retry_after=self.retry_after))
        seen: dict[str, Any] = {"status": "dropped"}

        async def recording_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", [])]
                named = {k.decode().lower(): v.decode() for k, v in headers}
                seen.update(status=message["status"], headers=named)
                if self.strip_ratelimit:
                    message = {
                        **message,
                        "headers": [(k, v) for k, v in headers if not k.lower().startswith(b"ratelimit")],
                    }
            await send(message)

        try:
            await self.emulator.app(scope, receive, recording_send)
        finally:
            headers = seen.get("headers", {})
            retry_after = headers.get("retry-after")
            with self.lock:
                self.exchanges.append(
                    Exchange(
                        start=start,
                        end=self.clock.now(),
                        method=method,
                        path=path,
                        status=seen["status"],
                        retry_after=float(retry_after) if retry_after else None,
                        request_id=headers.get("x-request-id", ""),
                        ratelimit=headers.get("ratelimit"),
                    )
                )

    def snapshot(self) -> list[Exchange]:
        with self.lock:
            return list(self.exchanges)


class ServedEmulator:
    """uvicorn serving ``app`` on 127.0.0.1 in a thread of this process.

    The socket is bound here, before the thread starts: the URL is known at once, and a request that
    comes before the server's loop runs waits in the socket's backlog (nothing polls, nothing sleeps).
    """

    def __init__(self, app: ASGIApp) -> None:
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(128)
        self.url = f"http://127.0.0.1:{self.socket.getsockname()[1]}"
        config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.socket]}, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)
        self.socket.close()


class WarpedHost(DynamicProviderHost):
    """The SDK's provider host on a fast clock, its stderr (the provider's log) in a file."""

    def __init__(self, factor: float, project: str = "runpod-load", *, debug: bool = False) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("RUNPOD_")}
        env["PULUMI_PROJECT"] = project
        if debug:
            env["RELIABILITY_HOST_LOG"] = "DEBUG"
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 -- closed by stop()
        script = Path(__file__).with_name("warp_host.py")
        self.process = subprocess.Popen(
            [sys.executable, str(script), str(factor)], stdout=subprocess.PIPE, stderr=self.log, env=env
        )
        assert self.process.stdout is not None
        port = int(self.process.stdout.readline().decode().strip())
        self.channel = grpc.insecure_channel(f"127.0.0.1:{port}")
        self.stub = provider_pb2_grpc.ResourceProviderStub(self.channel)
        self.project = project
        self.responses = []

    def stderr(self) -> str:
        self.log.seek(0)
        return self.log.read().decode(errors="replace")

    def __enter__(self) -> WarpedHost:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> str:
        if self.log.closed:
            return ""
        self.channel.close()
        self.process.terminate()
        self.process.wait(timeout=30)
        if self.process.stdout is not None:
            self.process.stdout.close()
        text = self.stderr()
        self.log.close()
        return text


_RETRY = re.compile(r"\bretrying (\S+) (\S+) in ([\d.]+)s after: .*\(x-request-id (\w+)\)\s*$")


def waits_logged(log: str) -> dict[str, float]:
    """x-request-id of each refused answer -> the wait the session logged before trying again."""
    waits: dict[str, float] = {}
    for line in log.splitlines():
        match = _RETRY.search(line.strip())
        if match:
            waits[match.group(4)] = float(match.group(3))
    return waits
