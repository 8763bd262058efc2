"""runpod-python 1.12.0 -- the last release that speaks GraphQL -- driven against the emulator on a
loopback port: its own ``create_template``, ``create_endpoint``, ``get_endpoints`` and
``update_endpoint_template`` build the documents and read the answers, exactly as against RunPod.

runpod-python reads ``RUNPOD_API_BASE_URL`` at call time and its key from the module global
``runpod.api_key`` (it does not read ``RUNPOD_API_KEY``), so both are set per test.
"""

from __future__ import annotations

from typing import Any

import pytest
import runpod
from runpod import error as runpod_error

from pulumi_runpod_endpoint.emulator import EmulatorProcess
from tests.conftest import API_KEY


@pytest.fixture
def client(emu: EmulatorProcess, monkeypatch: pytest.MonkeyPatch) -> EmulatorProcess:
    monkeypatch.setenv("RUNPOD_API_BASE_URL", emu.url)
    monkeypatch.setattr(runpod, "api_key", API_KEY)
    return emu


def template(name: str, image: str) -> str:
    made: dict[str, Any] = runpod.create_template(name=name, image_name=image, is_serverless=True, env={"A": "1"})
    return str(made["id"])


def test_create_list_and_retemplate_an_endpoint(client: EmulatorProcess) -> None:
    first, second = template("base", "runpod/worker:1"), template("next", "runpod/worker:2")
    made = runpod.create_endpoint(name="svc", template_id=first, gpu_ids="AMPERE_16,ADA_24", flashboot=True)
    assert (made["name"], made["flashBootType"], made["templateId"]) == ("svc", "FLASHBOOT", first)
    assert (made["idleTimeout"], made["workersMax"], made["gpuIds"]) == (5, 3, "AMPERE_16,ADA_24")

    (listed,) = runpod.get_endpoints()
    assert (listed["id"], listed["templateId"], listed["type"]) == (made["id"], first, "QB")
    assert listed["workersStandby"] == listed["workersMax"] == 3
    assert listed["env"] == [{"key": "A", "value": "1"}]

    changed = runpod.update_endpoint_template(endpoint_id=made["id"], template_id=second)
    assert changed == {"id": made["id"], "templateId": second}
    assert [e["templateId"] for e in runpod.get_endpoints()] == [second]
    assert client.operations() == [
        "POST saveTemplate 200",
        "POST saveTemplate 200",
        "POST saveEndpoint 200",
        "POST myself 200",
        "POST updateEndpointTemplate 200",
        "POST myself 200",
    ]


def test_errors_reach_runpod_python_as_query_errors_with_runpods_words(client: EmulatorProcess) -> None:
    first = template("base", "runpod/worker:1")
    with pytest.raises(runpod_error.QueryError, match=r"^No AiApi found$"):
        runpod.update_endpoint_template(endpoint_id="gone123", template_id=first)
    with pytest.raises(runpod_error.QueryError, match="Invalid gpuIds entry 'AMPERE_99'"):
        runpod.create_endpoint(name="svc", template_id=first, gpu_ids="AMPERE_99")


def test_a_refused_key_is_an_authentication_error(client: EmulatorProcess, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runpod, "api_key", "not-the-key")
    with pytest.raises(runpod_error.AuthenticationError):
        runpod.get_endpoints()
