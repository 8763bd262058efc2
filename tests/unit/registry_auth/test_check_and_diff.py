"""check refuses bad credentials without ever showing them; diff replaces on every change."""

from __future__ import annotations

from typing import Any

import pytest
from pulumi.output import Unknown
from pulumi.runtime import rpc

from pulumi_runpod_endpoint.registry_auth.properties import build_outputs, refreshed_inputs
from pulumi_runpod_endpoint.registry_auth.provider import RegistryAuthProvider
from pulumi_runpod_endpoint.registry_auth.v2 import Registry
from tests.unit.emulated import configure


def _no_session(_settings: Any) -> Any:
    raise AssertionError("check and diff must make no API call")


PROVIDER = configure(RegistryAuthProvider(session_factory=_no_session))
SECRET = "hunter2-Sup3r-s3cret"
CRED = {"name": "dockerhub", "username": "acme-bot", "password": SECRET}


def failures(news: dict[str, Any], olds: dict[str, Any] | None = None) -> dict[str, str]:
    return {f.property: f.reason for f in PROVIDER.check(olds or {}, news).failures}


def checked(news: dict[str, Any], olds: dict[str, Any] | None = None) -> dict[str, Any]:
    result = PROVIDER.check(olds or {}, news)
    assert result.failures == [], result.failures
    return result.inputs


def outputs_for(inputs: dict[str, Any], name: str | None = None) -> dict[str, Any]:
    registry = Registry(id="reg1", name=name or inputs["name"])
    return build_outputs(registry, inputs=inputs, managed=[k for k in inputs if k in CRED])


def test_a_credential_passes_as_given() -> None:
    assert checked(CRED) == CRED


def test_a_multiline_json_key_is_a_valid_password() -> None:
    key = '{\n  "type": "service_account",\n  "private_key": "-----BEGIN PRIVATE KEY-----\\nMIIE..."\n}\n'
    assert checked({**CRED, "username": "_json_key", "password": key})["password"] == key


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("username", "", "empty"),
        ("username", "bot\nname" + SECRET, "control characters"),
        ("username", " " + SECRET, "whitespace"),
        ("username", 12345, "string"),
        ("username", None, "required"),
        ("username", "u" * 2000 + SECRET, "at most 1024"),
        ("password", "   ", "empty"),
        ("password", SECRET + "\x00", "NUL"),
        ("password", ["a", SECRET], "string"),
        ("password", None, "required"),
        ("password", SECRET * 2000, "at most 16384"),
    ],
)
def test_bad_credentials_are_refused_without_showing_them(field: str, value: Any, words: str) -> None:
    found = failures({**CRED, field: value})
    assert words in found[field]
    assert SECRET not in found[field] and "12345" not in found[field]


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"name": ""}, "name", "empty"),
        ({"name": "a\tb"}, "name", "control characters"),
        ({"bogus": 1}, "bogus", "not an input"),
        ({"adopt_existing_id": "../x"}, "adopt_existing_id", "registry credential id"),
    ],
)
def test_each_bad_input_is_named(change: dict[str, Any], field: str, words: str) -> None:
    assert words in failures({**CRED, **change})[field]


def test_the_auto_name_is_kept_and_a_replacement_gets_a_new_one() -> None:
    news = {**CRED, "name": None, "auto_name_prefix": "hub"}
    first = checked(news)
    assert first["name"].startswith("hub-")
    assert checked(news, olds=first)["name"] == first["name"]
    # The engine checks a replacement again without old inputs: old and new credentials can coexist.
    assert checked(news)["name"] != first["name"]


def test_adopting_needs_the_credentials_current_name() -> None:
    found = failures({**CRED, "name": None, "auto_name_prefix": "hub", "adopt_existing_id": "reg9"})
    assert "cannot rename" in found["name"]
    assert checked({**CRED, "adopt_existing_id": "reg9"})["adopt_existing_id"] == "reg9"


def test_unknown_secrets_in_a_preview_are_not_judged() -> None:
    inputs = checked({**CRED, "password": Unknown()})
    assert isinstance(inputs["password"], Unknown)


def test_the_tensorone_backend_is_refused() -> None:
    provider = configure(RegistryAuthProvider(session_factory=_no_session), backend="tensorone")
    assert "tensorone" in {f.property: f.reason for f in provider.check({}, CRED).failures}[""]


# -- diff ------------------------------------------------------------------------------------------------
def diff(olds: dict[str, Any], news: dict[str, Any]) -> tuple[bool, list[str]]:
    result = PROVIDER.diff("reg1", olds, news)
    # A fixed name that stays is the one case the old credential must go first (names are unique).
    fixed_name_kept = "auto_name_prefix" not in news and news.get("name") == olds.get("name")
    assert result.delete_before_replace is (bool(result.changes) and fixed_name_kept)
    return bool(result.changes), sorted(result.replaces or [])


def test_the_same_credential_is_no_change() -> None:
    assert diff(outputs_for(CRED), CRED) == (False, [])


@pytest.mark.parametrize("field", ["name", "username", "password"])
def test_any_change_replaces(field: str) -> None:
    assert diff(outputs_for(CRED), {**CRED, field: "changed-value"}) == (True, [field])


def test_the_control_inputs_are_no_change() -> None:
    assert diff(outputs_for(CRED), {**CRED, "adopt_existing_id": "reg1"}) == (False, [])


def test_a_name_changed_outside_the_program_is_drift_that_replaces() -> None:
    drifted = outputs_for(CRED, name="renamed")
    assert refreshed_inputs(drifted)["name"] == "renamed"
    assert diff(drifted, CRED) == (True, ["name"])


# -- outputs -------------------------------------------------------------------------------------------------
def test_the_credential_is_a_secret_in_every_bag_the_provider_returns() -> None:
    outputs = outputs_for(CRED)
    for field in ("username", "password"):
        assert rpc.is_rpc_secret(outputs[field])
        assert rpc.unwrap_rpc_secret(outputs[field]) == CRED[field]
    refreshed = refreshed_inputs(outputs)
    assert rpc.is_rpc_secret(refreshed["password"]) and rpc.is_rpc_secret(refreshed["username"])


def test_a_read_only_reference_has_no_credential() -> None:
    outputs = build_outputs(Registry(id="reg1", name="hub"), inputs={}, managed=[])
    assert outputs["username"] is None and outputs["password"] is None and outputs["name"] == "hub"


def test_an_auto_named_credential_is_replaced_new_one_first_and_a_fixed_name_old_one_first() -> None:
    from pulumi_runpod_endpoint.registry_auth.provider import RegistryAuthProvider

    provider = RegistryAuthProvider()
    auto = provider.check({}, {"auto_name_prefix": "ghcr", "username": "bot", "password": "old-password"}).inputs
    rotated = provider.check(auto, {"auto_name_prefix": "ghcr", "username": "bot", "password": "new-password"}).inputs
    diff = provider.diff("reg1", auto, rotated)
    assert diff.replaces and diff.delete_before_replace is False
    fixed = provider.check({}, {"name": "ghcr", "username": "bot", "password": "old-password"}).inputs
    rotated = provider.check(fixed, {"name": "ghcr", "username": "bot", "password": "new-password"}).inputs
    diff = provider.diff("reg1", fixed, rotated)
    assert diff.replaces and diff.delete_before_replace is True  # names are unique per account
    renamed = provider.check(fixed, {"name": "ghcr-2", "username": "bot", "password": "new-password"}).inputs
    assert provider.diff("reg1", fixed, renamed).delete_before_replace is False
