"""/v2/registries: write-only credentials, no PATCH route, refused deletes while a pod pulls with
one, and a deleted credential silently dropped from templates (and endpoints)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from pulumi_runpod_endpoint.emulator import Emulator, EmulatorProcess, ManualClock
from tests.conftest import API_KEY
from tests.emulator.helpers import create, gpu_body, operations, problem

AUTH = {"Authorization": f"Bearer {API_KEY}"}

USERNAME = "robot$deployer"
PASSWORD = "correct-horse-battery-staple-8c1f"


@pytest.fixture
def control(emulator: Emulator) -> Iterator[httpx.Client]:
    with httpx.Client(transport=emulator.transport(), base_url="http://emulator") as client:
        yield client


def make(api: httpx.Client, name: str = "ghcr", **fields: Any) -> dict[str, Any]:
    body = {"name": name, "username": USERNAME, "password": PASSWORD, **fields}
    response = api.post("/v2/registries", json=body)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def assert_no_credentials(text: str) -> None:
    assert USERNAME not in text
    assert PASSWORD not in text


# -- lifecycle ----------------------------------------------------------------------------------
def test_lifecycle_create_get_list_delete(emulator: Emulator, api: httpx.Client) -> None:
    made = make(api)
    assert set(made) == {"id", "name"}
    assert made["name"] == "ghcr"
    assert api.get(f"/v2/registries/{made['id']}").json() == made
    assert api.get("/v2/registries").json() == {"registries": [made]}
    assert api.delete(f"/v2/registries/{made['id']}").status_code == 204
    problem(api.get(f"/v2/registries/{made['id']}"), 404, f"registry {made['id']} not found")
    problem(api.delete(f"/v2/registries/{made['id']}"), 404, "not found")
    assert operations(emulator) == [
        "POST createRegistry 201",
        "GET getRegistry 200",
        "GET listRegistries 200",
        "DELETE deleteRegistry 204",
        "GET getRegistry 404",
        "DELETE deleteRegistry 404",
    ]


def test_credentials_never_come_back_in_any_answer_or_the_journal(
    emulator: Emulator, api: httpx.Client, control: httpx.Client
) -> None:
    made = make(api)
    answers = [api.get("/v2/registries").text, api.get(f"/v2/registries/{made['id']}").text]
    answers += [control.get("/_emulator/registries").text, control.get("/_emulator/journal").text]
    for text in answers:
        assert_no_credentials(text)
    (entry, *_) = emulator.journal.entries()
    assert entry.request == {"name": "ghcr", "username": "<redacted>", "password": "<redacted>"}


def test_a_body_the_journal_cannot_read_is_not_recorded_at_all(emulator: Emulator, api: httpx.Client) -> None:
    broken = b'{"name": "x", "username": "' + USERNAME.encode() + b'", "password": "' + PASSWORD.encode()
    problem(api.post("/v2/registries", content=broken), 400, "not valid JSON")
    assert emulator.journal.entries()[0].request == "<redacted>"
    assert_no_credentials(json.dumps(emulator.journal.to_json()))


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        pytest.param({"name": "r", "username": "u"}, "$: missing property 'password'", id="no-password"),
        pytest.param({"name": "r", "password": "p"}, "$: missing property 'username'", id="no-username"),
        pytest.param({"username": "u", "password": "p"}, "$: missing property 'name'", id="no-name"),
        pytest.param({"name": "r", "username": "u", "password": ""}, "$.password: length must be >= 1", id="empty"),
        pytest.param(
            {"name": "r", "username": "u", "password": "p", "url": "ghcr.io"}, "'url' not allowed", id="unknown-field"
        ),
        pytest.param({"name": "r", "username": 7, "password": "p"}, "$.username: got integer, want string", id="type"),
    ],
)
def test_bodies_are_validated_against_the_spec_schema(api: httpx.Client, body: dict[str, Any], fragment: str) -> None:
    problem(api.post("/v2/registries", json=body), 422, fragment)


def test_a_refusal_never_repeats_a_credential_whatever_its_type(api: httpx.Client) -> None:
    hostile = {"name": "r", "username": 2**40 + 12345, "password": 1.5e300}
    body = problem(api.post("/v2/registries", json=hostile), 422, "$.password")
    text = json.dumps(body)
    assert str(2**40 + 12345) not in text
    assert "1.5e+300" not in text


def test_a_huge_credential_is_stored_and_never_echoed(api: httpx.Client, control: httpx.Client) -> None:
    password = "p" * 1_000_000
    made = make(api, password=password)
    answer = control.post(
        f"/_emulator/registries/{made['id']}/verify", json={"username": USERNAME, "password": password}
    )
    assert answer.json() == {"matches": True}


def test_names_are_unique(api: httpx.Client) -> None:
    first = make(api)
    problem(api.post("/v2/registries", json={"name": "ghcr", "username": "u", "password": "p"}), 400, first["id"])


def test_there_is_no_patch_route(emulator: Emulator, api: httpx.Client) -> None:
    made = make(api)
    response = api.patch(f"/v2/registries/{made['id']}", json={"password": "new"})
    problem(response, 405, "method is not allowed")
    assert emulator.journal.entries()[-1].operation == "unknown"


def test_ecr_delegations_are_not_served(api: httpx.Client) -> None:
    problem(api.get("/v2/registries/delegations"), 404, "not found")


# -- in use by a pod ----------------------------------------------------------------------------
def test_delete_is_refused_while_a_pod_pulls_with_it(api: httpx.Client, control: httpx.Client) -> None:
    made = make(api)
    pod = control.post("/_emulator/pods", json={"registry": made["id"]}).json()
    body = problem(api.delete(f"/v2/registries/{made['id']}"), 400)
    assert body["detail"] == f"Registry credential is in use by a pod and cannot be deleted (pods: {pod['id']})"
    assert "errors" not in body
    assert control.get("/_emulator/registries").json() == [{"id": made["id"], "name": "ghcr", "pods": [pod["id"]]}]
    assert control.delete(f"/_emulator/pods/{pod['id']}").status_code == 204
    assert api.delete(f"/v2/registries/{made['id']}").status_code == 204


def test_a_pod_declared_for_a_while_stops_using_it_on_the_emulator_clock(
    clock: ManualClock, api: httpx.Client, control: httpx.Client
) -> None:
    made = make(api)
    pod = control.post("/_emulator/pods", json={"registry": made["id"], "seconds": 30}).json()
    assert pod["until"] == "2026-11-29T12:00:30Z"
    clock.advance(29)
    problem(api.delete(f"/v2/registries/{made['id']}"), 400, "in use by a pod")
    clock.advance(1)
    assert control.get("/_emulator/pods").json() == []
    assert api.delete(f"/v2/registries/{made['id']}").status_code == 204


# -- dropped from templates ---------------------------------------------------------------------
def test_a_deleted_credential_silently_drops_from_templates_and_endpoints(api: httpx.Client) -> None:
    made = make(api)
    other = make(api, name="other")
    template = api.post("/v2/templates", json={"name": "t", "image": "i", "registry": made["id"]}).json()
    kept = api.post("/v2/templates", json={"name": "k", "image": "i", "registry": other["id"]}).json()
    endpoint = create(api, gpu_body(registry=made["id"]))
    assert api.delete(f"/v2/registries/{made['id']}").status_code == 204
    assert api.get(f"/v2/templates/{template['id']}").json()["registry"] is None
    assert api.get(f"/v2/templates/{kept['id']}").json()["registry"] == other["id"]
    assert api.get(f"/v2/serverless/{endpoint['id']}").json()["registry"] is None


def test_a_template_pod_does_not_block_a_credential_delete(api: httpx.Client, control: httpx.Client) -> None:
    """Only pods pulling with the credential count: "Templates that reference it are not part of
    that check" (spec: deleteRegistry)."""
    made = make(api)
    template = api.post("/v2/templates", json={"name": "t", "image": "i", "registry": made["id"]}).json()
    control.post("/_emulator/pods", json={"templateId": template["id"]})
    assert api.delete(f"/v2/registries/{made['id']}").status_code == 204


# -- control API --------------------------------------------------------------------------------
def test_control_seeds_with_an_id_and_verifies_without_handing_back(api: httpx.Client, control: httpx.Client) -> None:
    seeded = control.post(
        "/_emulator/registries", json={"id": "reg1", "name": "console", "username": "u", "password": "p"}
    )
    assert (seeded.status_code, seeded.json()) == (201, {"id": "reg1", "name": "console"})
    assert api.get("/v2/registries/reg1").json() == {"id": "reg1", "name": "console"}
    verify = "/_emulator/registries/reg1/verify"
    assert control.post(verify, json={"username": "u", "password": "p"}).json() == {"matches": True}
    assert control.post(verify, json={"username": "u", "password": "P"}).json() == {"matches": False}
    assert control.post(verify, json={"username": "ü", "password": "p"}).json() == {"matches": False}
    problem(control.post(verify, json={"username": "u"}), 400, '"password"')
    problem(control.post("/_emulator/registries/nope/verify", json={"username": "u", "password": "p"}), 404, "nope")
    problem(control.post("/_emulator/registries", json={"name": "x", "username": "u"}), 422, "'password'")


@pytest.mark.parametrize(
    ("body", "status", "fragment"),
    [
        ({"registry": "nope"}, 404, "registry nope not found"),
        ({"templateId": "nope"}, 404, "template nope not found"),
        ({"registry": "reg1", "seconds": -1}, 400, "seconds"),
        ({"registry": "reg1", "seconds": 1e300}, 400, "seconds"),
        ({"registry": "reg1", "image": "x"}, 400, "unknown pod field(s) image"),
    ],
)
def test_bad_pods_are_refused(control: httpx.Client, body: dict[str, Any], status: int, fragment: str) -> None:
    control.post("/_emulator/registries", json={"id": "reg1", "name": "r", "username": "u", "password": "p"})
    problem(control.post("/_emulator/pods", json=body), status, fragment)


def test_unknown_pods_cannot_be_deleted(control: httpx.Client) -> None:
    problem(control.delete("/_emulator/pods/nope"), 404, "pod nope not found")


def test_reset_forgets_registries_and_pods(api: httpx.Client, control: httpx.Client) -> None:
    made = make(api)
    control.post("/_emulator/pods", json={"registry": made["id"]})
    control.post("/_emulator/reset")
    assert api.get("/v2/registries").json() == {"registries": []}
    assert control.get("/_emulator/pods").json() == []


def test_the_loopback_helper_seeds_credentials_pods_volumes_and_bindings(emu: EmulatorProcess) -> None:
    registry = emu.add_registry(name="console", username="u", password="p")
    assert emu.registry_holds(registry["id"], "u", "p") and not emu.registry_holds(registry["id"], "u", "x")
    volume = emu.add_network_volume(id="vol1", name="v", size=10, dataCenter="EU-RO-1")
    assert volume["type"] == "STANDARD"
    template = emu.add_template(name="t", serverless=True, image="i")
    pod = emu.add_pod(registry=registry["id"], seconds=60)
    with httpx.Client(base_url=emu.url, headers=AUTH) as client:
        problem(client.delete(f"/v2/registries/{registry['id']}"), 400, pod)
        emu.advance(60)
        assert client.delete(f"/v2/registries/{registry['id']}").status_code == 204
        endpoint = create(client, gpu_body())
    emu.bind_template(endpoint["id"], template["id"])
    assert emu.templates()[0]["boundEndpoints"] == [endpoint["id"]]
    pod = emu.add_pod(template_id=template["id"])
    emu.remove_pod(pod)
    with pytest.raises(RuntimeError, match="pod nope not found"):
        emu.remove_pod("nope")
