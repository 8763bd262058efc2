"""The emulator's command line on a loopback port, driven through its control API.

One helper for everything that needs a real socket -- the engine and end-to-end tests, the
benchmark, the command-line tests::

    with EmulatorProcess(api_key="k", clock="manual", rate_limits={"minute": 60}) as emu:
        ... point a client at emu.url ...
        emu.advance(30)               # a manual clock moves only when told
        assert emu.operations() == ["POST createEndpoint 201"]
"""

from __future__ import annotations

import json
import os
import re
import select
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable
from types import TracebackType
from typing import Any

import httpx

__all__ = ["EmulatorProcess"]

_READY = re.compile(r"ready on (http://127\.0\.0\.1:\d+)")


class EmulatorProcess:
    """``python -m pulumi_runpod_endpoint.emulator --port 0 ...`` on 127.0.0.1."""

    def __init__(
        self,
        api_key: str | None = None,
        *,
        flavor: str = "runpod",
        clock: str = "system",
        latency: float = 0.0,
        faults: Iterable[dict[str, Any]] = (),
        rate_limits: dict[str, int] | None = None,
        extra_args: Iterable[str] = (),
        startup_timeout: float = 60.0,
    ) -> None:
        command = [sys.executable, "-m", "pulumi_runpod_endpoint.emulator", "--port", "0", "--flavor", flavor]
        command += ["--clock", clock]
        if api_key is not None:
            command += ["--api-key", api_key]
        if latency:
            command += ["--latency", str(latency)]
        for fault in faults:
            command += ["--fault", json.dumps(fault)]
        if rate_limits:
            command += ["--rate-limit", ",".join(f"{name}={count}" for name, count in rate_limits.items())]
        command += list(extra_args)
        self.ready_line = ""
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115 -- lives as long as the process; closed by stop()
        self.process = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        self.url = self._wait_until_ready(startup_timeout)
        # A fresh connection per call: a test idles for seconds while `pulumi` runs, and a kept-alive
        # connection the server closes just as the next call reuses it fails with "Server disconnected".
        self.http = httpx.Client(base_url=self.url, timeout=30.0, limits=httpx.Limits(max_keepalive_connections=0))

    def _wait_until_ready(self, timeout: float) -> str:
        assert self.process.stdout is not None
        deadline = time.monotonic() + timeout
        line = ""
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.process.stdout], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                break
            line = self.process.stdout.readline()
            match = _READY.search(line)
            if match:
                self.ready_line = line.strip()
                return match.group(1)
            if not line:  # the process ended
                break
        errors = self.stderr()
        self.stop()
        raise RuntimeError(f"emulator did not start: first line {line!r}; stderr: {errors}")

    def stderr(self) -> str:
        self._stderr.seek(0)
        return self._stderr.read().decode(errors="replace")[-4000:]

    # -- journal ---------------------------------------------------------------------------------
    def journal(self) -> list[dict[str, Any]]:
        return self._ok(self.http.get("/_emulator/journal")).json()  # type: ignore[no-any-return]

    def operations(self) -> list[str]:
        """The journal as "METHOD operation status" lines, for asserting call counts."""
        return [f"{e['method']} {e['operation']} {e['status']}" for e in self.journal()]

    def clear_journal(self) -> None:
        self._ok(self.http.delete("/_emulator/journal"))

    def reset(self) -> None:
        self._ok(self.http.post("/_emulator/reset"))

    # -- faults and settings ---------------------------------------------------------------------
    def set_faults(self, *faults: dict[str, Any]) -> list[dict[str, Any]]:
        return self._ok(self.http.post("/_emulator/faults", json={"faults": list(faults)})).json()  # type: ignore[no-any-return]

    def add_fault(self, fault: dict[str, Any]) -> list[dict[str, Any]]:
        return self._ok(self.http.post("/_emulator/faults?append=true", json=fault)).json()  # type: ignore[no-any-return]

    def clear_faults(self) -> None:
        self._ok(self.http.delete("/_emulator/faults"))

    def settings(self, **changes: Any) -> dict[str, Any]:
        """Change settings by their wire names (drainSeconds=5, rateLimits={"minute": 60}...)."""
        if changes:
            return self._ok(self.http.post("/_emulator/settings", json=changes)).json()  # type: ignore[no-any-return]
        return self._ok(self.http.get("/_emulator/settings")).json()  # type: ignore[no-any-return]

    # -- clock and workers -----------------------------------------------------------------------
    def now(self) -> float:
        return float(self._ok(self.http.get("/_emulator/clock")).json()["epoch"])

    def advance(self, seconds: float) -> float:
        """Move a manual clock forward (the emulator must run with clock="manual")."""
        return float(self._ok(self.http.post("/_emulator/clock", json={"advance": seconds})).json()["epoch"])

    def mark_workers(self, endpoint_id: str, status: str, count: int = 1, version: int | None = None) -> int:
        body: dict[str, Any] = {"status": status, "count": count}
        if version is not None:
            body["version"] = version
        return int(self._ok(self.http.post(f"/_emulator/endpoints/{endpoint_id}/workers", json=body)).json()["moved"])

    def add_template(self, **template: Any) -> dict[str, Any]:
        return self._ok(self.http.post("/_emulator/templates", json=template)).json()  # type: ignore[no-any-return]

    def templates(self) -> list[dict[str, Any]]:
        """Every template, with the endpoints bound to it and the pods referencing it."""
        return self._ok(self.http.get("/_emulator/templates")).json()  # type: ignore[no-any-return]

    def bind_template(self, endpoint_id: str, template_id: str) -> None:
        """Bind an endpoint to a template, as GraphQL and the console do (v2 keeps no link)."""
        self._ok(self.http.post(f"/_emulator/endpoints/{endpoint_id}/template", json={"templateId": template_id}))

    def add_pod(
        self,
        *,
        template_id: str | None = None,
        registry: str | None = None,
        seconds: float | None = None,
        name: str | None = None,
        network_volume_id: str | None = None,
    ) -> str:
        """A pod referencing a template, pulling with a credential and/or mounting a network volume
        (for ``seconds``, or until ``remove_pod``): the template's and the credential's deletes are
        refused meanwhile, and ``GET /v2/pods`` lists it. Returns the pod's id."""
        body = {
            "templateId": template_id,
            "registry": registry,
            "seconds": seconds,
            "name": name,
            "networkVolumeId": network_volume_id,
        }
        body = {key: value for key, value in body.items() if value is not None}
        return str(self._ok(self.http.post("/_emulator/pods", json=body)).json()["id"])

    def remove_pod(self, pod_id: str) -> None:
        self._ok(self.http.delete(f"/_emulator/pods/{pod_id}"))

    def add_network_volume(self, **volume: Any) -> dict[str, Any]:
        return self._ok(self.http.post("/_emulator/network-volumes", json=volume)).json()  # type: ignore[no-any-return]

    def add_registry(self, **registry: Any) -> dict[str, Any]:
        return self._ok(self.http.post("/_emulator/registries", json=registry)).json()  # type: ignore[no-any-return]

    def registry_holds(self, registry_id: str, username: str, password: str) -> bool:
        """Whether a credential holds this username and password (it is never handed back)."""
        body = {"username": username, "password": password}
        return bool(
            self._ok(self.http.post(f"/_emulator/registries/{registry_id}/verify", json=body)).json()["matches"]
        )

    # -- life --------------------------------------------------------------------------------------
    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        if self.process.stdout is not None:
            self.process.stdout.close()
        if hasattr(self, "http"):
            self.http.close()
        self._stderr.close()

    def __enter__(self) -> EmulatorProcess:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.stop()

    @staticmethod
    def _ok(response: httpx.Response) -> httpx.Response:
        if response.is_error:
            raise RuntimeError(f"emulator control API refused {response.request.url.path}: {response.text}")
        return response
