"""NetworkVolume, RegistryAuth and Template inside the real dynamic-provider host, over gRPC."""

from __future__ import annotations

import json
from typing import Any

import grpc
import pytest
from pulumi.runtime.proto import provider_pb2

from tests.conftest import API_KEY
from tests.engine.harness import DynamicProviderHost, EmulatorProcess

pytestmark = pytest.mark.engine
AUTH = {"Authorization": f"Bearer {API_KEY}"}
PASSWORD = "ghp_engineTestPasswordValue0123456789"
SECRET_SIG, SECRET = "4dabf18193072939515e22adb298388d", "1b47061264138c4ac30d75fd1eb44270"


def made(emu: EmulatorProcess, path: str, key: str) -> list[dict[str, Any]]:
    return emu.http.get(f"/v2/{path}", headers=AUTH).json()[key]  # type: ignore[no-any-return]


def create(
    host: DynamicProviderHost, kind: str, name: str, program: dict[str, Any]
) -> tuple[str, dict[str, Any], dict[str, Any]]:
    inputs, failures = host.check(name, {}, program, kind=kind)
    assert failures == []
    id_, outs = host.create(name, inputs, kind=kind)
    return id_, inputs, outs


def test_network_volume_lifecycle(host: DynamicProviderHost, emu: EmulatorProcess) -> None:
    program = {"name": "weights", "size_gb": 50, "data_center_id": "EU-RO-1"}
    id_, inputs, outs = create(host, "volume", "weights", program)
    assert outs["size_gb"] == 50 and outs["type"] == "STANDARD"
    emu.clear_journal()
    assert host.diff("weights", id_, outs, inputs, kind="volume").changes == provider_pb2.DiffResponse.DIFF_NONE
    assert emu.operations() == []
    news, _ = host.check("weights", inputs, {**program, "size_gb": 80}, kind="volume")
    grown = host.update("weights", id_, outs, news, kind="volume")
    assert grown["size_gb"] == 80 and made(emu, "network-volumes", "networkVolumes")[0]["size"] == 80
    _, failures = host.check("weights", news, {**program, "size_gb": 20}, kind="volume")
    assert failures and "shrink" in failures[0][1].lower()
    _, failures = host.check("weights", news, {**program, "size_gb": 80, "data_center_id": "US-KS-2"}, kind="volume")
    assert failures and "allow_replacement" in failures[0][1]
    host.delete("weights", id_, grown, kind="volume")
    assert made(emu, "network-volumes", "networkVolumes") == []


def test_registry_credential_is_secret_and_replaces(host: DynamicProviderHost, emu: EmulatorProcess) -> None:
    program = {"name": "ghcr", "username": "ci-bot", "password": PASSWORD}
    id_, inputs, outs = create(host, "registry", "ghcr", program)
    assert outs["password"] == {SECRET_SIG: SECRET, "value": PASSWORD}  # a secret in the outputs, always
    news, _ = host.check("ghcr", inputs, {**program, "password": PASSWORD + "rotated"}, kind="registry")
    diff = host.diff("ghcr", id_, outs, news, kind="registry")
    assert diff.changes == provider_pb2.DiffResponse.DIFF_SOME and list(diff.replaces)
    assert diff.deleteBeforeReplace is True  # a fixed name: RunPod's names are unique, the old one goes first
    auto = {"auto_name_prefix": "ghcr", "username": "ci-bot", "password": PASSWORD}
    auto_id, auto_inputs, auto_outs = create(host, "registry", "auto", auto)
    rotated, _ = host.check("auto", auto_inputs, {**auto, "password": PASSWORD + "rotated"}, kind="registry")
    assert host.diff("auto", auto_id, auto_outs, rotated, kind="registry").deleteBeforeReplace is False
    host.delete("ghcr", id_, outs, kind="registry")
    host.delete("auto", auto_id, auto_outs, kind="registry")
    assert made(emu, "registries", "registries") == []


def test_template_lifecycle_and_revision(host: DynamicProviderHost, emu: EmulatorProcess) -> None:
    program = {"name": "base", "image": "ghcr.io/example/worker:1.0", "env": {"A": "1"}}
    id_, inputs, outs = create(host, "template", "base", program)
    assert outs["serverless"] is True and outs["public"] is False
    news, _ = host.check("base", inputs, {**program, "image": "ghcr.io/example/worker:1.1"}, kind="template")
    assert news["revision"] != inputs["revision"]  # known at preview: endpoints re-apply in the same up
    updated = host.update("base", id_, outs, news, kind="template")
    assert updated["image"] == "ghcr.io/example/worker:1.1"
    _, failures = host.check("base", inputs, {**program, "public": True}, kind="template")
    assert failures and "allow_public_env" in failures[0][1]
    host.delete("base", id_, updated, kind="template")
    assert made(emu, "templates", "templates") == []


def test_no_key_reaches_the_engine_and_the_password_only_as_a_secret(
    host: DynamicProviderHost, emu: EmulatorProcess
) -> None:
    id_, inputs, outs = create(host, "registry", "leak", {"name": "leak", "username": "ci-bot", "password": PASSWORD})
    _, refreshed, refreshed_inputs = host.read("leak", id_, outs, inputs, kind="registry")
    assert refreshed["password"] == {SECRET_SIG: SECRET, "value": PASSWORD}
    assert refreshed_inputs["password"] == {SECRET_SIG: SECRET, "value": PASSWORD}
    with pytest.raises(grpc.RpcError) as caught:
        host.read("missing", "doesnotexist00", {}, {"__provider": outs["__provider"]}, kind="registry")
    for text in [*host.responses, str(caught.value.details())]:
        assert API_KEY not in text
    assert PASSWORD not in str(caught.value.details())
    assert PASSWORD not in json.dumps(emu.journal())  # the emulator's journal redacts credentials too
