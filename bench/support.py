"""What the benchmarks share: the two providers side by side, the SDK's dynamic-provider host driven over
gRPC as the engine drives it, the emulator, and medians and tables.

Nothing here is timed by itself; each script says what it times.
"""

from __future__ import annotations

import base64
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
KEY = "bench-key"

# The two providers, as the engine stores them in ``__provider`` (pickled by reference): a global called
# with no arguments -- ours its room's factory (pulumi_runpod_endpoint/dynamic/reference.py), the
# reference its class.
OURS = ("pulumi_runpod_endpoint.endpoint", "new_provider")
REFERENCE = ("bench.reference_provider", "ReferenceProvider")
PROVIDERS = {"ours": OURS, "reference": REFERENCE}


def provider_blob(module: str, qualname: str) -> str:
    """``__provider`` for a provider pickled by reference, byte for byte what ``serialize_provider``
    writes for one whose ``__reduce__`` returns ``(global, ())`` -- built without importing anything, so
    a driver that measures the host's cold start does not pay for it (tests/unit/core/test_provider_reference.py
    checks it)."""
    body = bytearray()
    for text in (module, qualname):
        raw = text.encode()
        body += b"\x8c" + bytes([len(raw)]) + raw + b"\x94"  # SHORT_BINUNICODE, MEMOIZE
    body += b"\x93\x94)R\x94."  # STACK_GLOBAL, MEMOIZE, EMPTY_TUPLE, REDUCE, MEMOIZE, STOP
    framed = b"\x80\x04\x95" + len(body).to_bytes(8, "little") + bytes(body)
    return base64.b64encode(framed).decode()


def precompile() -> None:
    """Byte-compile the package and bench/ as an install does (pip writes .pyc files): where the
    environment sets PYTHONDONTWRITEBYTECODE, every process would otherwise compile our sources
    again on import and the cold start would measure the compiler, not the import."""
    import compileall

    for folder in ("pulumi_runpod_endpoint", "bench"):
        compileall.compile_dir(str(ROOT / folder), quiet=2)


def python_env() -> dict[str, str]:
    """The environment for child processes: the repository importable (``bench.reference_provider``)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("RUNPOD_")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
    return env


# -- inputs: the same endpoint for both providers ------------------------------------------------------
def ours_inputs(name: str | None, *, image: str = "runpod/worker:1", workers_max: int = 3) -> dict[str, Any]:
    """What a program passes ours (no ``name``: the auto-name prefix, as a program that omits it)."""
    props: dict[str, Any] = {"image": image, "gpu_pools": ["AMPERE_16"], "workers_min": 0, "workers_max": workers_max}
    if name is None:
        props["auto_name_prefix"] = "bench"
    else:
        props["name"] = name
    return props


def reference_inputs(name: str, *, image: str = "runpod/worker:1", workers_max: int = 3) -> dict[str, Any]:
    return {"name": name, "image": image, "gpu_pools": ["AMPERE_16"], "workers_min": 0, "workers_max": workers_max}


def provider_config(url: str, key: str = KEY) -> dict[str, str]:
    return {"runpod:apiKey": key, "runpod:restUrl": f"{url}/v2", "runpod:deleteTimeout": "60"}


# -- the SDK's dynamic-provider host -------------------------------------------------------------------
class Host:
    """``python -m pulumi.dynamic`` as a subprocess, and a gRPC client that speaks for the engine."""

    def __init__(self, provider: tuple[str, str], project: str = "bench") -> None:
        import grpc
        from pulumi.runtime.proto import provider_pb2, provider_pb2_grpc

        self._pb = provider_pb2
        env = python_env()
        env["PULUMI_PROJECT"] = project
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "pulumi.dynamic"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env
        )
        assert self.process.stdout is not None
        port = int(self.process.stdout.readline().decode().strip())
        self.channel = grpc.insecure_channel(f"127.0.0.1:{port}")
        self.stub = provider_pb2_grpc.ResourceProviderStub(self.channel)
        self.blob = provider_blob(*provider)
        self.urn_prefix = f"urn:pulumi:bench::{project}::pulumi-python:dynamic:Bench::"

    @staticmethod
    def _struct(props: dict[str, Any]) -> Any:
        from google.protobuf import struct_pb2

        struct = struct_pb2.Struct()
        struct.update(props)
        return struct

    @staticmethod
    def _dict(struct: Any) -> dict[str, Any]:
        from google.protobuf import json_format

        return json_format.MessageToDict(struct)  # type: ignore[no-any-return]

    def _with_provider(self, props: dict[str, Any]) -> dict[str, Any]:
        return {**props, "__provider": self.blob}

    def configure(self, config: dict[str, str]) -> None:
        self.stub.Configure(
            self._pb.ConfigureRequest(variables=config, args=self._struct(dict(config)), acceptSecrets=True)
        )

    def check(self, name: str, olds: dict[str, Any], news: dict[str, Any]) -> dict[str, Any]:
        response = self.stub.Check(
            self._pb.CheckRequest(
                urn=self.urn_prefix + name, olds=self._struct(olds), news=self._struct(self._with_provider(news))
            )
        )
        if response.failures:
            raise RuntimeError(f"check failed: {[(f.property, f.reason) for f in response.failures]}")
        return self._dict(response.inputs)

    def diff(self, name: str, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> int:
        response = self.stub.Diff(
            self._pb.DiffRequest(id=id_, urn=self.urn_prefix + name, olds=self._struct(olds), news=self._struct(news))
        )
        return int(response.changes)

    def create(self, name: str, props: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        response = self.stub.Create(self._pb.CreateRequest(urn=self.urn_prefix + name, properties=self._struct(props)))
        return response.id, self._dict(response.properties)

    def read(self, name: str, id_: str, props: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        response = self.stub.Read(
            self._pb.ReadRequest(id=id_, urn=self.urn_prefix + name, properties=self._struct(props))
        )
        return response.id, self._dict(response.properties)

    def update(self, name: str, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> dict[str, Any]:
        response = self.stub.Update(
            self._pb.UpdateRequest(id=id_, urn=self.urn_prefix + name, olds=self._struct(olds), news=self._struct(news))
        )
        return self._dict(response.properties)

    def delete(self, name: str, id_: str, props: dict[str, Any]) -> None:
        self.stub.Delete(self._pb.DeleteRequest(id=id_, urn=self.urn_prefix + name, properties=self._struct(props)))

    def stop(self) -> None:
        self.channel.close()
        self.process.terminate()
        try:
            self.process.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.communicate(timeout=10)


# -- figures ------------------------------------------------------------------------------------------
def median(values: Iterable[float]) -> float:
    items = list(values)
    return statistics.median(items) if items else float("nan")


@dataclass
class Timer:
    """Wall time of a callable, in seconds (``perf_counter``)."""

    seconds: float = 0.0

    def run(self, action: Callable[[], Any]) -> Any:
        started = time.perf_counter()
        try:
            return action()
        finally:
            self.seconds = time.perf_counter() - started


def table(headers: Sequence[str], rows: Iterable[Sequence[Any]], *, title: str | None = None) -> str:
    """A plain-text table, right-aligned numbers, for terminals and the README."""
    cells = [[str(h) for h in headers], *[[str(c) for c in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]

    def line(row: Sequence[str]) -> str:
        return "  ".join(
            cell.ljust(widths[i]) if i == 0 else cell.rjust(widths[i]) for i, cell in enumerate(row)
        ).rstrip()

    out = [title] if title else []
    out += [line(cells[0]), "  ".join("-" * w for w in widths)]
    out += [line(row) for row in cells[1:]]
    return "\n".join(out)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f}"


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}" if b else "-"


def host_concurrency() -> str:
    """The SDK host's gRPC worker count, read from its source (``ThreadPoolExecutor(max_workers=N)``)."""
    import importlib.util
    import re

    spec = importlib.util.find_spec("pulumi.dynamic.__main__")
    if spec is None or spec.origin is None:
        return "?"
    match = re.search(r"ThreadPoolExecutor\(max_workers=(\d+)\)", Path(spec.origin).read_text())
    return match.group(1) if match else "?"
