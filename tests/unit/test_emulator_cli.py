"""The emulator's command line serves REST and GraphQL on one loopback port."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator

import httpx
import pytest

from pulumi_runpod_endpoint.api import EndpointService, EndpointSpec, RetryPolicy, TransportError

KEY = "cli-test-key-42"


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "pulumi_runpod_endpoint.emulator", "--port", "0", "--api-key", KEY],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    match = re.search(r"ready on (http://127\.0\.0\.1:\d+)", line)
    assert match, f"unexpected first line: {line!r}"
    yield match.group(1)
    process.terminate()
    process.wait(timeout=10)
    process.stdout.close()


def test_cli__serves_both_apis_on_one_port(server: str) -> None:
    service = EndpointService(KEY, graphql_url=f"{server}/graphql", rest_url=f"{server}/v1")
    rest_made = service.create(EndpointSpec(name="a", template_id="tmpl12345", gpu_type_ids=["NVIDIA L4"]))
    gql_made = service.create(EndpointSpec(name="b", template_id="tmpl12345", gpu_ids=["AMPERE_16"]))
    assert {e.id for e in service.list()} >= {rest_made.id, gql_made.id}
    service.delete(rest_made.id)
    service.delete(gql_made.id)
    service.close()


def test_cli__a_dropped_connection_is_a_real_socket_error(server: str) -> None:
    httpx.post(f"{server}/_emulator/faults", json={"kind": "drop", "match": "CreateEndpoint"})
    service = EndpointService(KEY, rest_url=f"{server}/v1", retry=RetryPolicy(attempts=1))
    assert service.rest is not None
    with pytest.raises(TransportError) as caught:
        service.rest.create(EndpointSpec(name="a", template_id="tmpl12345"))
    assert caught.value.maybe_committed
    journal = httpx.get(f"{server}/_emulator/journal").json()
    assert journal[-1]["status"] == "dropped"
    service.close()


def test_cli__rejects_bad_arguments() -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pulumi_runpod_endpoint.emulator",
            "--port",
            "0",
            "--fault",
            '{"kind": "nope"}',
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "fault kind must be one of" in result.stderr
