"""The provider against a fake of REST v2: calls per operation, secrets kept out of errors and logs,
deletes refused while in use, adoption."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from pulumi.runtime import rpc

from pulumi_runpod_endpoint.dynamic.provider import ProviderError
from pulumi_runpod_endpoint.registry_auth.provider import RegistryAuthProvider
from tests.conftest import API_KEY, FakeTime
from tests.unit.registry_auth.conftest import IN_USE, TIMING, FakeRegistries

PASSWORD = "dckr_pat_S3CRET-value-42"
USERNAME = "acme-robot-user"
CRED = {"name": "dockerhub", "username": USERNAME, "password": PASSWORD}
AUTO = {**CRED, "name": None, "auto_name_prefix": "hub"}


def create(provider: RegistryAuthProvider, news: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    result = provider.check({}, news)
    assert result.failures == [], result.failures
    created = provider.create(result.inputs)
    return created.id, dict(created.outs or {})


def test_an_auto_named_create_is_one_request_and_keeps_the_credential_secret(
    provider: RegistryAuthProvider, fake: FakeRegistries
) -> None:
    registry_id, outs = create(provider, AUTO)
    assert fake.calls == ["POST /v2/registries"]
    assert fake.credentials[registry_id] == (USERNAME, PASSWORD)
    assert rpc.unwrap_rpc_secret(outs["password"]) == PASSWORD and rpc.is_rpc_secret(outs["username"])


def test_a_create_with_an_explicit_name_lists_first(provider: RegistryAuthProvider, fake: FakeRegistries) -> None:
    create(provider, CRED)
    assert fake.calls == ["GET /v2/registries", "POST /v2/registries"]


def test_a_lost_create_answer_never_makes_a_second_credential(
    provider: RegistryAuthProvider, fake: FakeRegistries
) -> None:
    foreign = fake.add("dockerhub")
    fake.fault("POST", "/v2/registries", "lose_answer")
    registry_id, _ = create(provider, CRED)
    assert registry_id != foreign["id"]
    assert len(fake.registries) == 2


def test_an_error_that_repeats_the_credential_never_carries_it(
    provider: RegistryAuthProvider, fake: FakeRegistries, caplog: pytest.LogCaptureFixture
) -> None:
    fake.echo = True
    caplog.set_level(logging.DEBUG)
    with pytest.raises(ProviderError) as failed:
        create(provider, AUTO)
    error = failed.value
    texts = [str(error), repr(error), str(error.cause), repr(getattr(error.cause, "detail", "")), caplog.text]
    for text in texts:
        assert PASSWORD not in text and USERNAME not in text and API_KEY not in text
    assert "login failed" in str(error)


def test_the_credential_is_never_logged(
    provider: RegistryAuthProvider, fake: FakeRegistries, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    registry_id, outs = create(provider, AUTO)
    provider.read(registry_id, outs)
    provider.delete(registry_id, outs)
    assert PASSWORD not in caplog.text and USERNAME not in caplog.text and API_KEY not in caplog.text


def test_read_is_one_request_sees_the_name_and_keeps_the_credential_as_last_given(
    provider: RegistryAuthProvider, fake: FakeRegistries
) -> None:
    registry_id, outs = create(provider, AUTO)
    fake.calls.clear()
    result = provider.read(registry_id, outs)
    assert fake.calls == [f"GET /v2/registries/{registry_id}"]
    assert rpc.unwrap_rpc_secret(result.outs["password"]) == PASSWORD
    assert rpc.unwrap_rpc_secret(result.inputs["password"]) == PASSWORD


def test_a_refresh_drops_a_credential_deleted_outside_pulumi(
    provider: RegistryAuthProvider, fake: FakeRegistries
) -> None:
    registry_id, outs = create(provider, AUTO)
    del fake.registries[registry_id]
    assert provider.read(registry_id, outs).id is None


def test_a_get_reads_the_name_only(provider: RegistryAuthProvider, fake: FakeRegistries) -> None:
    record = fake.add("made-elsewhere")
    result = provider.read(record["id"], {})
    assert result.outs["name"] == "made-elsewhere" and result.outs["password"] is None and result.inputs is None


def test_an_update_of_control_inputs_makes_no_call(provider: RegistryAuthProvider, fake: FakeRegistries) -> None:
    registry_id, outs = create(provider, AUTO)
    fake.calls.clear()
    news = {**provider.check(outs, AUTO).inputs, "adopt_existing_id": registry_id}
    result = provider.update(registry_id, outs, news)
    assert fake.calls == []
    assert result.outs["adopt_existing_id"] == registry_id


def test_an_update_of_the_credential_is_refused_as_the_replacement_it_is(
    provider: RegistryAuthProvider, fake: FakeRegistries
) -> None:
    registry_id, outs = create(provider, AUTO)
    fake.calls.clear()
    with pytest.raises(ProviderError, match="must be replaced"):
        provider.update(registry_id, outs, {**provider.check(outs, AUTO).inputs, "password": "new"})
    assert fake.calls == []


def test_delete_is_delete_then_verify(provider: RegistryAuthProvider, fake: FakeRegistries) -> None:
    registry_id, outs = create(provider, AUTO)
    fake.calls.clear()
    provider.delete(registry_id, outs)
    assert fake.calls == [f"DELETE /v2/registries/{registry_id}", f"GET /v2/registries/{registry_id}"]


def test_a_delete_refused_while_in_use_is_retried_with_backoff(
    provider: RegistryAuthProvider, fake: FakeRegistries, fake_time: FakeTime
) -> None:
    registry_id, outs = create(provider, AUTO)
    fake.in_use[registry_id] = 2  # workers still pulling with it roll over to the new credential
    provider.delete(registry_id, outs)
    assert fake.registries == {}
    assert fake_time.sleeps == [1.0, 2.0]


def test_a_delete_refused_past_the_deadline_says_what_still_uses_it(
    provider: RegistryAuthProvider, fake: FakeRegistries, fake_time: FakeTime
) -> None:
    registry_id, outs = create(provider, AUTO)
    fake.in_use[registry_id] = 10**6
    fake.pods.append({"id": "pod7", "name": "trainer", "registry": registry_id})
    fake.endpoints.append({"id": "ep3", "name": "api", "registry": registry_id})
    fake.endpoints.append({"id": "ep4", "name": "other", "registry": None})
    with pytest.raises(ProviderError) as failed:
        provider.delete(registry_id, outs)
    message = str(failed.value)
    assert IN_USE in message and "within 120s" in message
    assert "Still using it: pod pod7 ('trainer'), endpoint ep3 ('api')" in message
    assert "runpod:deleteTimeout" in message
    assert sum(fake_time.sleeps) <= TIMING.delete_timeout and registry_id in fake.registries


def test_adopting_a_credential_by_its_name_is_one_read(provider: RegistryAuthProvider, fake: FakeRegistries) -> None:
    record = fake.add("dockerhub")
    registry_id, outs = create(provider, {**CRED, "adopt_existing_id": record["id"]})
    assert registry_id == record["id"] and fake.calls == [f"GET /v2/registries/{registry_id}"]
    assert rpc.unwrap_rpc_secret(outs["password"]) == PASSWORD  # taken on trust: it cannot be read back


def test_adopting_under_another_name_is_refused_naming_the_real_one(
    provider: RegistryAuthProvider, fake: FakeRegistries
) -> None:
    record = fake.add("ghcr")
    with pytest.raises(ProviderError) as refused:
        create(provider, {**CRED, "adopt_existing_id": record["id"]})
    assert "set name='ghcr'" in str(refused.value) and "Nothing was changed" in str(refused.value)
