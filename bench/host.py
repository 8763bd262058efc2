"""Benchmark: what our provider costs in the SDK's dynamic-provider host, next to the reference provider.

    python bench/host.py [--rounds 40] [--cold 12]      both tables
    python bench/host.py --only process                 per operation with no host: the provider alone
    python bench/host.py --cold-once ours|reference     one cold start, then exit (for an outside timer)

Per-operation overhead: one host per provider (``python -m pulumi.dynamic``, driven over gRPC as the
engine drives it), both warmed up, against one emulator without added latency; each round runs check,
create, diff, read, update (workers) and delete on each, interleaved (ours first in even rounds,
the reference first in odd ones), and the table shows medians and the difference.

Cold start: from starting the host process to the answer of its first Check (the host unpickles the
provider there: everything the provider's module imports is paid by every ``pulumi up``), alternating
ours and the reference; "ready" is when the host printed its port, "first Check" the rest.

``--cold-once`` is the same cold start as a whole process with a lean driver (no Pulumi SDK in the
driver: the requests are encoded by hand), so that an outside timer can compare two commands, e.g.
``/usr/bin/time -v python bench/host.py --cold-once ours``.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.support import (
    KEY,
    PROVIDERS,
    Host,
    host_concurrency,
    median,
    ms,
    ours_inputs,
    precompile,
    provider_blob,
    python_env,
    ratio,
    reference_inputs,
    table,
)

OPERATIONS = ("check", "create", "diff", "read", "update", "delete")
CONFIG_URL = "http://127.0.0.1:9/v2"  # a cold start makes no API request: check is local


# -- the lean driver: Configure + Check by hand-encoded protobuf ----------------------------------------
def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def _field(number: int, payload: bytes) -> bytes:
    return _varint(number << 3 | 2) + _varint(len(payload)) + payload


def _struct(values: dict[str, Any]) -> bytes:
    from google.protobuf import struct_pb2

    struct = struct_pb2.Struct()
    struct.update(values)
    serialized: bytes = struct.SerializeToString()
    return serialized


def _check_inputs(which: str) -> dict[str, Any]:
    return ours_inputs(None) if which == "ours" else reference_inputs("bench-cold")


def cold_once(which: str) -> float:
    """Start a host, Configure it, send the first Check; return seconds from start to its answer."""
    import grpc

    config = {"runpod:apiKey": KEY, "runpod:restUrl": CONFIG_URL}
    configure = _field(2, _struct(config)) + bytes([3 << 3, 1])  # args, acceptSecrets=true
    news = {**_check_inputs(which), "__provider": provider_blob(*PROVIDERS[which])}
    check = _field(1, b"urn:pulumi:bench::bench::pulumi-python:dynamic:Bench::ep") + _field(3, _struct(news))
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "pulumi.dynamic"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=python_env()
    )
    try:
        assert process.stdout is not None
        port = int(process.stdout.readline().decode().strip())
        with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
            channel.unary_unary("/pulumirpc.ResourceProvider/Configure")(configure)
            answer = channel.unary_unary("/pulumirpc.ResourceProvider/Check")(check)
        elapsed = time.perf_counter() - started
        if _has_field(answer, 2):
            raise RuntimeError(f"the {which} provider's check reported failures")
        return elapsed
    finally:
        process.terminate()
        process.communicate(timeout=10)


def _has_field(message: bytes, number: int) -> bool:
    """Whether a serialized message carries a length-delimited field (CheckResponse.failures = 2)."""
    position = 0
    while position < len(message):
        tag, position = _read_varint(message, position)
        if tag & 7 != 2:
            raise ValueError("unexpected wire type in CheckResponse")
        length, position = _read_varint(message, position)
        if tag >> 3 == number:
            return True
        position += length
    return False


def _read_varint(data: bytes, position: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = data[position]
        position += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return value, position


# -- cold start, interleaved in this script ---------------------------------------------------------------
def cold_starts(runs: int) -> None:
    times: dict[str, list[tuple[float, float]]] = {"ours": [], "reference": []}
    for run in range(runs):
        order = ("ours", "reference") if run % 2 == 0 else ("reference", "ours")
        for which in order:
            host = Host(PROVIDERS[which])
            ready = time.perf_counter() - host.started
            host.configure({"runpod:apiKey": KEY, "runpod:restUrl": CONFIG_URL})
            host.check("ep", {}, _check_inputs(which))
            total = time.perf_counter() - host.started
            host.stop()
            times[which].append((ready, total))
    ours, ref = times["ours"], times["reference"]
    pairs = [o[1] / r[1] for o, r in zip(ours, ref, strict=True)]
    rows = []
    for label, index in (("host ready (port printed)", 0), ("to the first Check's answer", 1)):
        o, r = median(t[index] for t in ours), median(t[index] for t in ref)
        rows.append([label, ms(o), ms(r), ms(o - r), ratio(o, r)])
    rows.append(["first Check alone", *_diff_row(ours, ref)])
    print(
        table(
            ["cold start", "ours ms", "ref ms", "ours-ref", "ratio"],
            rows,
            title=f"Host cold start (python -m pulumi.dynamic), median of {runs} each, interleaved; "
            f"paired ratio of totals: median {median(pairs):.2f} (min {min(pairs):.2f}, max {max(pairs):.2f})",
        )
    )
    print()


def _diff_row(ours: list[tuple[float, float]], ref: list[tuple[float, float]]) -> list[str]:
    o = median(t[1] - t[0] for t in ours)
    r = median(t[1] - t[0] for t in ref)
    return [ms(o), ms(r), ms(o - r), ratio(o, r)]


# -- per-operation overhead ---------------------------------------------------------------------------------
class Lifecycle:
    """One endpoint's life on one provider, one operation at a time (in this process or in a host)."""

    def __init__(self, which: str, url: str, via: str) -> None:
        from bench.lifecycle import InProcess, ThroughHost

        self.which = which
        self.driver = InProcess(which, url) if via == "process" else ThroughHost(which, url)
        self.round = 0
        self.state: dict[str, Any] = {}

    def news(self, workers_max: int = 3) -> dict[str, Any]:
        if self.which == "ours":
            return ours_inputs(None, workers_max=workers_max)
        return reference_inputs(f"bench-{self.round}", workers_max=workers_max)

    def step(self, operation: str) -> Callable[[], Any]:
        driver, s = self.driver, self.state
        if operation == "check":
            return lambda: s.update(inputs=driver.check({}, self.news()))
        if operation == "create":
            return lambda: s.update(zip(("id", "outs"), driver.create(s["inputs"]), strict=True))
        if operation == "diff":
            s["wider"] = driver.check(s["outs"], self.news(workers_max=5))
            return lambda: driver.diff(s["id"], s["outs"], s["wider"])
        if operation == "read":
            return lambda: s.update(outs=driver.read(s["id"], s["outs"]))
        if operation == "update":
            return lambda: s.update(outs=driver.update(s["id"], s["outs"], s["wider"]))
        assert operation == "delete"
        return lambda: driver.delete(s["id"], s["outs"])


def per_operation(rounds: int, via: str) -> None:
    from pulumi_runpod_endpoint.emulator import EmulatorProcess

    samples: dict[str, dict[str, list[float]]] = {w: {op: [] for op in OPERATIONS} for w in PROVIDERS}
    with EmulatorProcess(api_key=KEY) as emulator:
        lives = {which: Lifecycle(which, emulator.url, via) for which in PROVIDERS}
        try:
            for round_ in range(-3, rounds):  # three rounds of warm-up: imports, connections, caches
                order = ("ours", "reference") if round_ % 2 == 0 else ("reference", "ours")
                for life in lives.values():
                    life.round = round_
                for operation in OPERATIONS:
                    for which in order:
                        action = lives[which].step(operation)
                        started = time.perf_counter()
                        action()
                        elapsed = time.perf_counter() - started
                        if round_ >= 0:
                            samples[which][operation].append(elapsed)
        finally:
            for life in lives.values():
                life.driver.close()
    rows = []
    for operation in OPERATIONS:
        o, r = median(samples["ours"][operation]), median(samples["reference"][operation])
        rows.append([operation, f"{o * 1000:.2f}", f"{r * 1000:.2f}", f"{(o - r) * 1000:+.2f}", ratio(o, r)])
    where = (
        f"through the dynamic-provider host (gRPC; it serves {host_concurrency()} at a time)"
        if via == "host"
        else "in this process (the provider objects called directly)"
    )
    print(
        table(
            ["operation", "ours ms", "ref ms", "ours-ref ms", "ratio"],
            rows,
            title=f"Per operation {where}, emulator without added latency, median of {rounds} interleaved rounds",
        )
    )
    print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=40, help="interleaved rounds of per-operation timing")
    parser.add_argument("--cold", type=int, default=12, help="cold starts of each host, interleaved")
    parser.add_argument(
        "--only", choices=("ops", "process", "cold"), help="one table: ops (through the host), process, cold"
    )
    parser.add_argument("--cold-once", choices=tuple(PROVIDERS), help="one lean cold start, then exit")
    args = parser.parse_args()
    precompile()
    if args.cold_once:
        print(f"{args.cold_once}: first Check answered {cold_once(args.cold_once) * 1000:.1f} ms after start")
        return
    if args.only in (None, "cold"):
        cold_starts(args.cold)
    if args.only in (None, "ops"):
        per_operation(args.rounds, "host")
    if args.only == "process":
        per_operation(args.rounds, "process")


if __name__ == "__main__":
    main()
