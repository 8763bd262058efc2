"""Benchmark: API calls and wall time of each provider operation, with injected latency.

    python bench/lifecycle.py [--latency 0.05]

Starts the emulator CLI on a loopback port with ``--latency`` seconds added to every API
request, drives the provider through a whole lifecycle for a GraphQL-shaped spec, a
REST-shaped spec and the Tensor One backend, and prints one row per operation: the API calls
it made (read from the emulator's journal) and its wall time.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

import httpx
from pulumi.dynamic import ConfigureRequest
from pulumi.dynamic.config import Config

from pulumi_runpod_endpoint.properties import check_inputs
from pulumi_runpod_endpoint.provider import ServerlessEndpointProvider

KEY = "bench-key"
SPECS: dict[str, dict[str, Any]] = {
    "graphql spec": {"name": "bench", "template_id": "tmpl12345", "gpu_ids": ["AMPERE_16"], "flashboot": True},
    "rest spec": {"name": "bench", "template_id": "tmpl12345", "gpu_type_ids": ["NVIDIA L4"], "flashboot": True},
}


def start_emulator(latency: float, flavor: str) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pulumi_runpod_endpoint.emulator",
            "--port",
            "0",
            "--api-key",
            KEY,
            "--latency",
            str(latency),
            "--flavor",
            flavor,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert process.stdout is not None
    match = re.search(r"(http://127\.0\.0\.1:\d+)", process.stdout.readline())
    assert match, "emulator did not start"
    return process, match.group(1)


def measure(control: httpx.Client, label: str, action: Callable[[], Any]) -> Any:
    control.delete("/_emulator/journal")
    started = time.perf_counter()
    result = action()
    elapsed = time.perf_counter() - started
    journal = control.get("/_emulator/journal").json()
    calls = ", ".join(f"{e['operation']}" for e in journal) or "-"
    print(f"  {label:<40} {len(journal):>3} calls  {elapsed * 1000:8.1f} ms   {calls}")
    return result


def run(latency: float, flavor: str, title: str, program: dict[str, Any]) -> None:
    process, url = start_emulator(latency, flavor)
    try:
        provider = ServerlessEndpointProvider()
        config = {
            "runpod:apiKey": KEY,
            "runpod:apiUrl": f"{url}/graphql",
            "runpod:restUrl": f"{url}/v1",
            "runpod:backend": flavor,
        }
        provider.configure(ConfigureRequest(Config(config, "bench")))
        control = httpx.Client(base_url=url)
        print(f"{title} (backend {flavor}, +{latency * 1000:.0f} ms per API request)")
        inputs, problems = measure(control, "check", lambda: check_inputs(program, provider.settings.backend))
        assert not problems, problems
        created = measure(control, "create", lambda: provider.create(inputs))
        outs = created.outs
        measure(control, "diff (preview, no change)", lambda: provider.diff(created.id, outs, inputs))
        read = measure(control, "read (refresh)", lambda: provider.read(created.id, outs))
        news, _ = check_inputs({**program, "workers_max": 5}, provider.settings.backend)
        measure(control, "diff (one change)", lambda: provider.diff(created.id, read.outs, news))
        updated = measure(control, "update", lambda: provider.update(created.id, read.outs, news))
        measure(control, "delete (scale to zero, delete, verify)", lambda: provider.delete(created.id, updated.outs))
        control.post(
            "/_emulator/faults",
            json={
                "faults": [
                    {"kind": "lose_response", "match": "CreateEndpoint"},
                    {"kind": "lose_response", "match": "saveEndpoint"},
                ]
            },
        )
        lost = measure(control, "create, response lost after commit", lambda: provider.create(inputs))
        control.post("/_emulator/faults", json={"faults": [{"kind": "rate_limit", "times": 2, "retryAfter": 0.2}]})
        measure(control, "read with two 429s (Retry-After 0.2s)", lambda: provider.read(lost.id, lost.outs))
        count = (
            len(control.get("/v1/endpoints", headers={"Authorization": f"Bearer {KEY}"}).json())
            if flavor == "runpod"
            else None
        )
        if count is not None:
            print(f"  endpoints left after the lost-response create: {count} (1 means no duplicate)")
        provider.delete(lost.id, lost.outs)
        control.close()
        print()
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stdout is not None:
            process.stdout.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--latency", type=float, default=0.05, help="seconds added to every API request")
    args = parser.parse_args()
    for title, program in SPECS.items():
        run(args.latency, "runpod", title, program)
    run(args.latency, "tensorone", "graphql spec", SPECS["graphql spec"])


if __name__ == "__main__":
    main()
