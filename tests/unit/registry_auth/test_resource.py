"""The program side: the type token, the credential secret on the way in and out, .get."""

from __future__ import annotations

from typing import Any

import pulumi
import pytest

from pulumi_runpod_endpoint import RegistryAuth, RegistryAuthArgs
from pulumi_runpod_endpoint.registry_auth.resource import TYPE_TOKEN
from tests.unit.pulumi_mocks import RecordingMocks, check, secret_flags


@pulumi.runtime.test
def test_the_credential_is_a_secret_in_and_out(mocks: RecordingMocks) -> Any:
    cred = RegistryAuth("hub", RegistryAuthArgs(username="bot", password="pw-123"))

    def verify(flags: list[bool]) -> None:
        [resource] = mocks.resources
        assert resource.typ == TYPE_TOKEN == "pulumi-python:dynamic/runpod:RegistryAuth"
        assert resource.inputs["auto_name_prefix"] == "hub"
        assert flags == [True, True, False]

    return secret_flags(cred.username, cred.password, cred.name).apply(verify)


@pulumi.runtime.test
def test_keywords_work_like_args(mocks: RecordingMocks) -> Any:
    cred = RegistryAuth("hub", name="dockerhub", username="bot", password="pw", adopt_existing_id="reg1")

    def verify(_: Any) -> None:
        inputs = mocks.resources[0].inputs
        assert inputs["name"] == "dockerhub" and inputs["adopt_existing_id"] == "reg1"

    return cred.id.apply(verify)


@pulumi.runtime.test
def test_get_reads_an_existing_credential(mocks: RecordingMocks) -> Any:
    cred = RegistryAuth.get("existing", "reg9")
    return cred.id.apply(lambda value: check(value == "reg9" and mocks.resources[0].resource_id == "reg9"))


def test_the_docstring_says_what_cannot_be_observed_or_verified() -> None:
    doc = " ".join((RegistryAuth.__doc__ or "").split())
    assert "drift of the credential cannot be observed" in doc
    assert "adopted** credential's username and password **cannot be verified" in doc
    assert "replaces" in doc


def test_a_missing_password_is_a_type_error_naming_the_args_class() -> None:
    with pytest.raises(TypeError, match="RegistryAuthArgs"):
        RegistryAuth("x", username="bot")
