"""The provider against the in-process emulator: calls per operation, secrets kept out of errors and
logs, deletes refused while a pod pulls with the credential, adoption."""

from __future__ import annotations

import json
import logging
from typing import Any

import httpx
import pytest
from pulumi.runtime import rpc

from pulumi_runpod_endpoint.dynamic.provider import ProviderError
from pulumi_runpod_endpoint.emulator import Fault
from pulumi_runpod_endpoint.registry_auth.provider import RegistryAuthProvider
from tests.conftest import API_KEY
from tests.unit.emulated import Forward, Stack
from tests.unit.registry_auth.conftest import TIMING

IN_USE = "Registry credential is in use by a pod and cannot be deleted"  # the spec's words (deleteRegistry 400)
PASSWORD = "dckr_pat_S3CRET-value-42"
USERNAME = "acme-robot-user"
CRED = {"name": "dockerhub", "username": USERNAME, "password": PASSWORD}
AUTO = {**CRED, "name": None, "auto_name_prefix": "hub"}


def create(provider: RegistryAuthProvider, news: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    result = provider.check({}, news)
    assert result.failures == [], result.failures
    created = provider.create(result.inputs)
    return created.id, dict(created.outs or {})


def registries(stack: Stack) -> dict[str, str]:
    """id -> name of the account's credentials, as the API lists them now."""
    return {item["id"]: item["name"] for item in stack.remote("registries")["registries"]}


def stored(stack: Stack, registry_id: str, username: str = USERNAME, password: str = PASSWORD) -> bool:
    """Whether the emulator holds this credential (it never hands one back)."""
    answer = stack.api.post(f"/_emulator/registries/{registry_id}/verify", json={"username": username,
                                                                                 "password": password})  # fmt: skip
    assert answer.status_code == 200, answer.text
    matches: bool = answer.json()["matches"]
    return matches


def test_an_auto_named_create_is_one_request_and_keeps_the_credential_secret(
    provider: RegistryAuthProvider, stack: Stack
) -> None:
    registry_id, outs = create(provider, AUTO)
    assert stack.calls() == ["POST createRegistry 201"]
    assert stored(stack, registry_id) and not stored(stack, registry_id, password="other")
    assert rpc.unwrap_rpc_secret(outs["password"]) == PASSWORD and rpc.is_rpc_secret(outs["username"])


def test_a_create_with_an_explicit_name_lists_first(provider: RegistryAuthProvider, stack: Stack) -> None:
    create(provider, CRED)
    assert stack.calls() == ["GET listRegistries 200", "POST createRegistry 201"]


def test_a_lost_create_answer_never_makes_a_second_credential(provider: RegistryAuthProvider, stack: Stack) -> None:
    stack.emulator.faults.set([Fault(kind="lose_response", match="createRegistry")])
    registry_id, _ = create(provider, CRED)
    assert stack.calls() == ["GET listRegistries 200", "POST createRegistry dropped", "GET listRegistries 200"]
    assert registries(stack) == {registry_id: "dockerhub"} and stored(stack, registry_id)


def test_a_same_named_credential_made_elsewhere_is_never_taken_for_ours(
    provider: RegistryAuthProvider, stack: Stack
) -> None:
    foreign = stack.seed("registries", name="dockerhub", username="someone", password="else-entirely")
    with pytest.raises(ProviderError) as refused:  # names are unique per account: RunPod refuses the create
        create(provider, CRED)
    assert "already exists" in str(refused.value) and "dockerhub" in str(refused.value)
    assert registries(stack) == {foreign["id"]: "dockerhub"}
    assert stored(stack, foreign["id"], "someone", "else-entirely")


def test_an_error_that_repeats_the_credential_never_carries_it(
    provider: RegistryAuthProvider, stack: Stack, caplog: pytest.LogCaptureFixture
) -> None:
    def echoing(request: httpx.Request, _forward: Forward) -> httpx.Response:
        # Hostile: no evidence says RunPod repeats a credential, and the emulator never does; a recorded
        # answer that does, because the client must survive an API (or a proxy) that would.
        body = json.loads(request.content)
        detail = f"login failed for {body['username']} with password {body['password']}"
        errors = [f"$.password: {body['password']}"]
        problem = {"title": "Bad Request", "status": 400, "detail": detail, "errors": errors}
        return httpx.Response(400, json=problem, headers={"content-type": "application/problem+json"})

    stack.intercept("POST", "/v2/registries", echoing)
    caplog.set_level(logging.DEBUG)
    with pytest.raises(ProviderError) as failed:
        create(provider, AUTO)
    error = failed.value
    texts = [str(error), repr(error), str(error.cause), repr(getattr(error.cause, "detail", "")),
             repr(getattr(error.cause, "errors", "")), caplog.text]  # fmt: skip
    for text in texts:
        assert PASSWORD not in text and USERNAME not in text and API_KEY not in text
    assert "login failed" in str(error)


def test_the_credential_is_never_logged_nor_journaled(
    provider: RegistryAuthProvider, stack: Stack, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    registry_id, outs = create(provider, AUTO)
    provider.read(registry_id, outs)
    provider.delete(registry_id, outs)
    assert PASSWORD not in caplog.text and USERNAME not in caplog.text and API_KEY not in caplog.text
    assert stack.calls() == ["POST createRegistry 201", "GET getRegistry 200", "DELETE deleteRegistry 204",
                             "GET getRegistry 404"]  # fmt: skip


def test_read_is_one_request_sees_the_name_and_keeps_the_credential_as_last_given(
    provider: RegistryAuthProvider, stack: Stack
) -> None:
    registry_id, outs = create(provider, AUTO)
    stack.clear()
    result = provider.read(registry_id, outs)
    assert stack.calls() == ["GET getRegistry 200"]
    assert rpc.unwrap_rpc_secret(result.outs["password"]) == PASSWORD
    assert rpc.unwrap_rpc_secret(result.inputs["password"]) == PASSWORD


def test_a_refresh_drops_a_credential_deleted_outside_pulumi(provider: RegistryAuthProvider, stack: Stack) -> None:
    registry_id, outs = create(provider, AUTO)
    assert stack.api.delete(f"/v2/registries/{registry_id}").status_code == 204
    assert provider.read(registry_id, outs).id is None


def test_a_get_reads_the_name_only(provider: RegistryAuthProvider, stack: Stack) -> None:
    record = stack.seed("registries", name="made-elsewhere", username="bot", password="pw-elsewhere")
    result = provider.read(record["id"], {})
    assert result.outs["name"] == "made-elsewhere" and result.outs["password"] is None and result.inputs is None


def test_an_update_of_control_inputs_makes_no_call(provider: RegistryAuthProvider, stack: Stack) -> None:
    registry_id, outs = create(provider, AUTO)
    stack.clear()
    news = {**provider.check(outs, AUTO).inputs, "adopt_existing_id": registry_id}
    result = provider.update(registry_id, outs, news)
    assert stack.calls() == []
    assert result.outs["adopt_existing_id"] == registry_id


def test_an_update_of_the_credential_is_refused_as_the_replacement_it_is(
    provider: RegistryAuthProvider, stack: Stack
) -> None:
    registry_id, outs = create(provider, AUTO)
    stack.clear()
    with pytest.raises(ProviderError, match="must be replaced"):
        provider.update(registry_id, outs, {**provider.check(outs, AUTO).inputs, "password": "new"})
    assert stack.calls() == []


def test_delete_is_delete_then_verify(provider: RegistryAuthProvider, stack: Stack) -> None:
    registry_id, outs = create(provider, AUTO)
    stack.clear()
    provider.delete(registry_id, outs)
    assert stack.calls() == ["DELETE deleteRegistry 204", "GET getRegistry 404"]


def test_a_delete_refused_while_in_use_is_retried_with_backoff(provider: RegistryAuthProvider, stack: Stack) -> None:
    registry_id, outs = create(provider, AUTO)
    stack.pod(registry=registry_id, seconds=2.5)  # its workers roll over to the new credential, then it is gone
    stack.clear()
    provider.delete(registry_id, outs)
    assert stack.calls() == ["DELETE deleteRegistry 400", "DELETE deleteRegistry 400", "DELETE deleteRegistry 204",
                             "GET getRegistry 404"]  # fmt: skip
    assert registries(stack) == {}
    assert stack.sleeps == [1.0, 2.0]


def test_a_delete_refused_past_the_deadline_says_what_still_uses_it(
    provider: RegistryAuthProvider, stack: Stack
) -> None:
    registry_id, outs = create(provider, AUTO)
    pod_id = stack.pod(name="trainer", registry=registry_id)
    stack.pod(name="public-image")  # pulls with no credential
    endpoint_id = stack.endpoint(name="api", registry=registry_id)
    stack.endpoint(name="other")
    with pytest.raises(ProviderError) as failed:
        provider.delete(registry_id, outs)
    message = str(failed.value)
    assert IN_USE in message and "within 120s" in message
    assert f"Still using it: pod {pod_id} ('trainer'), endpoint {endpoint_id} ('api'). Run " in message  # only those
    assert "runpod:deleteTimeout" in message
    assert sum(stack.sleeps) <= TIMING.delete_timeout and registry_id in registries(stack)


def test_adopting_a_credential_by_its_name_is_one_read(provider: RegistryAuthProvider, stack: Stack) -> None:
    record = stack.seed("registries", name="dockerhub", username=USERNAME, password=PASSWORD)
    registry_id, outs = create(provider, {**CRED, "adopt_existing_id": record["id"]})
    assert registry_id == record["id"] and stack.calls() == ["GET getRegistry 200"]
    assert rpc.unwrap_rpc_secret(outs["password"]) == PASSWORD  # taken on trust: it cannot be read back


def test_adopting_under_another_name_is_refused_naming_the_real_one(
    provider: RegistryAuthProvider, stack: Stack
) -> None:
    record = stack.seed("registries", name="ghcr", username="bot", password="pw-ghcr")
    with pytest.raises(ProviderError) as refused:
        create(provider, {**CRED, "adopt_existing_id": record["id"]})
    assert "set name='ghcr'" in str(refused.value) and "Nothing was changed" in str(refused.value)
