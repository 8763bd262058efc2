"""The command line, through the one helper everything uses to run it: EmulatorProcess."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import httpx
import pytest

from pulumi_runpod_endpoint.emulator import EmulatorProcess
from tests.emulator.helpers import gpu_body

KEY = "cli-test-key-42"
AUTH = {"Authorization": f"Bearer {KEY}"}


@pytest.fixture(scope="module")
def server() -> Iterator[EmulatorProcess]:
    with EmulatorProcess(KEY, clock="manual", extra_args=["--rollout-seconds", "60"]) as process:
        yield process


@pytest.fixture
def emu(server: EmulatorProcess) -> EmulatorProcess:
    server.reset()
    return server


def test_the_ready_line_names_the_apis_and_never_the_key(server: EmulatorProcess) -> None:
    assert server.ready_line == f"RunPod API emulator (runpod) ready on {server.url} (GraphQL /graphql, REST /v2)"
    assert KEY not in server.ready_line


def test_both_apis_on_one_port_share_the_endpoints(emu: EmulatorProcess) -> None:
    with httpx.Client(base_url=emu.url, headers=AUTH) as client:
        made = client.post("/v2/serverless", json=gpu_body()).json()
        query = (
            'mutation { saveEndpoint(input: {name: "g", gpuIds: "AMPERE_16", template: {name: "g__t", '
            'imageName: "img:1", containerDiskInGb: 5, dockerArgs: "", env: []}}) { id } }'
        )
        other = client.post("/graphql", json={"query": query}).json()["data"]["saveEndpoint"]["id"]
        assert {e["id"] for e in client.get("/v2/serverless").json()["endpoints"]} == {made["id"], other}
    assert emu.operations() == ["POST createEndpoint 201", "POST saveEndpoint 200", "GET listEndpoints 200"]
    assert emu.journal()[0]["request"]["name"] == "svc"
    emu.clear_journal()
    assert emu.journal() == []


def test_a_dropped_connection_is_a_real_socket_error(emu: EmulatorProcess) -> None:
    emu.set_faults({"kind": "drop", "match": "createEndpoint"})
    with httpx.Client(base_url=emu.url, headers=AUTH) as client, pytest.raises(httpx.RemoteProtocolError):
        client.post("/v2/serverless", json=gpu_body())
    assert emu.journal()[-1]["status"] == "dropped"


def test_a_rollout_driven_by_the_manual_clock(emu: EmulatorProcess) -> None:
    with httpx.Client(base_url=emu.url, headers=AUTH) as client:
        made = client.post("/v2/serverless", json=gpu_body(workers={"min": 2, "max": 2})).json()
        client.patch(f"/v2/serverless/{made['id']}", json={"image": "runpod/worker:2"})
        assert emu.mark_workers(made["id"], "UNHEALTHY", 1) == 1
        emu.advance(60)
        assert client.get(f"/v2/serverless/{made['id']}/releases").json()["rollout"]["workersOnLatest"] == 1
        emu.mark_workers(made["id"], "IDLE", 1, version=1)
        emu.advance(1)
        assert client.get(f"/v2/serverless/{made['id']}/releases").json()["rollout"]["inProgress"] is False


def test_settings_templates_and_faults_through_the_helper(emu: EmulatorProcess) -> None:
    assert emu.settings(drainSeconds=3)["drainSeconds"] == 3
    assert emu.settings()["drainSeconds"] == 3
    template = emu.add_template(name="t", serverless=True, image="tmpl:1")
    emu.add_fault({"kind": "server_error", "match": "getEndpoint"})
    with httpx.Client(base_url=emu.url, headers=AUTH) as client:
        body = gpu_body(templateId=template["id"])
        del body["image"]
        made = client.post("/v2/serverless", json=body).json()
        assert made["image"] == "tmpl:1"
        assert client.get(f"/v2/serverless/{made['id']}").status_code == 503
    emu.clear_faults()
    emu.reset()
    assert emu.settings()["drainSeconds"] == 0


def test_rate_limit_and_tensorone_options() -> None:
    with (
        EmulatorProcess(KEY, rate_limits={"minute": 2}) as limited,
        httpx.Client(base_url=limited.url, headers=AUTH) as c,
    ):
        assert [c.get("/v2/serverless").status_code for _ in range(3)] == [200, 200, 429]
    with EmulatorProcess(KEY, flavor="tensorone") as tensorone:
        assert tensorone.ready_line.endswith("(GraphQL /graphql)")
        assert httpx.get(f"{tensorone.url}/v2/serverless", headers=AUTH).status_code == 404


def test_the_helper_stops_the_process(server: EmulatorProcess) -> None:
    with EmulatorProcess(KEY) as process:
        url = process.url
    assert process.process.poll() is not None
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{url}/_emulator/settings")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--fault", '{"kind": "nope"}'], "fault kind must be one of"),
        (["--rate-limit", "week=5"], "unknown window 'week'"),
        (["--clock", "manual", "--clock-start", "yesterday"], "--clock-start"),
        (["--flavor", "aws"], "invalid choice"),
    ],
)
def test_bad_arguments_are_refused(args: list[str], message: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pulumi_runpod_endpoint.emulator", "--port", "0", *args],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert message in result.stderr
