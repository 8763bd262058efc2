"""check: the rules, the provider's defaults and the content revision; diff: in place, never a replacement."""

from __future__ import annotations

from typing import Any

import pytest
from pulumi.output import Unknown
from pulumi.runtime import rpc

from pulumi_runpod_endpoint.dynamic.props import UNKNOWN, unwrap
from pulumi_runpod_endpoint.template.properties import build_outputs, refreshed_inputs
from pulumi_runpod_endpoint.template.provider import TemplateProvider
from pulumi_runpod_endpoint.template.v2 import Template
from tests.unit.emulated import configure


def _no_session(_settings: Any) -> Any:
    raise AssertionError("check and diff must make no API call")


PROVIDER = configure(TemplateProvider(session_factory=_no_session))
TOKEN = "hf_SECRETtokenVALUE"
TEMPLATE = {
    "name": "vllm",
    "image": "runpod/worker-v1-vllm:v2.1",
    "ports": ["8000/http", "22/tcp"],
    "env": {"HF_TOKEN": TOKEN, "MODEL": "meta-llama/Llama-3.1-8B"},
}


def failures(news: dict[str, Any]) -> dict[str, str]:
    return {f.property: f.reason for f in PROVIDER.check({}, news).failures}


def checked(news: dict[str, Any], olds: dict[str, Any] | None = None) -> dict[str, Any]:
    result = PROVIDER.check(olds or {}, news)
    assert result.failures == [], result.failures
    return result.inputs


def test_the_provider_defaults_are_stated_and_a_revision_is_computed() -> None:
    inputs = checked({"name": "t", "image": "img:1"})
    assert inputs["serverless"] is True and inputs["public"] is False and inputs["category"] == "NVIDIA"
    assert len(inputs["revision"]) == 16


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"image": None}, "image", "required"),
        ({"image": "bad image"}, "image", "spaces"),
        ({"name": ""}, "name", "empty"),
        ({"container_args": "a\x00b"}, "container_args", "NUL"),
        ({"container_disk_gb": 0}, "container_disk_gb", "at least 1"),
        ({"container_disk_gb": True}, "container_disk_gb", "whole number"),
        ({"ports": ["8000"]}, "ports", "port/protocol"),
        ({"ports": ["8000/http", "8000/http"]}, "ports", "twice"),
        ({"env": {"1BAD": "x"}}, "env", "variable name"),
        ({"env": {"A": None}}, "env", "must be a string"),
        ({"env": {f"V{i}": "x" for i in range(300)}}, "env", "at most 256"),
        ({"registry_auth_id": " "}, "registry_auth_id", "registry credential id"),
        ({"serverless": "yes"}, "serverless", "True or False"),
        ({"public": 1}, "public", "True or False"),
        ({"category": "INTEL"}, "category", "CPU, NVIDIA, AMD"),
        ({"allowed_cuda_versions": ["12"]}, "allowed_cuda_versions", "major.minor"),
        ({"readme": "# hello"}, "readme", "not an input"),
        ({"adopt_existing_id": "a b"}, "adopt_existing_id", "template id"),
        ({"allow_public_env": "sure"}, "allow_public_env", "True or False"),
    ],
)
def test_each_bad_input_is_named_with_what_is_allowed(change: dict[str, Any], field: str, words: str) -> None:
    found = failures({**TEMPLATE, **change})
    assert field in found, found
    assert words in found[field]
    assert TOKEN not in found[field]


def test_a_public_template_with_env_is_refused_without_showing_the_values() -> None:
    message = failures({**TEMPLATE, "public": True})["public"]
    assert "every RunPod user" in message and "HF_TOKEN, MODEL" in message and "allow_public_env=True" in message
    assert TOKEN not in message


def test_a_public_template_passes_without_env_or_when_opted_in() -> None:
    assert checked({**TEMPLATE, "env": None, "public": True})["public"] is True
    assert checked({**TEMPLATE, "env": {}, "public": True})["public"] is True
    assert checked({**TEMPLATE, "public": True, "allow_public_env": True})["allow_public_env"] is True


def test_an_unknown_env_on_a_public_template_is_judged_at_up() -> None:
    assert checked({**TEMPLATE, "env": Unknown(), "public": True})["public"] is True


def test_the_tensorone_backend_is_refused() -> None:
    provider = configure(TemplateProvider(session_factory=_no_session), backend="tensorone")
    assert "tensorone" in {f.property: f.reason for f in provider.check({}, TEMPLATE).failures}[""]


# -- revision ------------------------------------------------------------------------------------------
def revision_of(**change: Any) -> str:
    return str(unwrap(checked({k: v for k, v in {**TEMPLATE, **change}.items() if v is not None})["revision"]))


@pytest.mark.parametrize(
    "change",
    [
        {"image": "runpod/worker-v1-vllm:v2.2"},
        {"container_args": "--max-model-len 8192"},
        {"container_disk_gb": 40},
        {"ports": ["8000/http"]},
        {"env": {"HF_TOKEN": TOKEN, "MODEL": "other"}},
        {"env": {"HF_TOKEN": TOKEN + "x", "MODEL": "meta-llama/Llama-3.1-8B"}},
        {"registry_auth_id": "reg123"},
    ],
)
def test_the_revision_changes_when_a_container_setting_does(change: dict[str, Any]) -> None:
    assert revision_of(**change) != revision_of()


@pytest.mark.parametrize(
    "change",
    [
        {"name": "renamed"},
        {"category": "AMD"},
        {"serverless": False},
        {"allowed_cuda_versions": ["12.8"]},
        {"ports": ["22/tcp", "8000/http"]},
        {"adopt_existing_id": "tpl9"},
    ],
)
def test_the_revision_stays_when_nothing_an_endpoint_takes_changes(change: dict[str, Any]) -> None:
    assert revision_of(**change) == revision_of()


def test_the_revision_is_unknown_while_a_container_setting_is() -> None:
    assert checked({**TEMPLATE, "image": Unknown()})["revision"] == UNKNOWN
    assert unwrap(checked({**TEMPLATE, "name": Unknown()})["revision"]) == revision_of()


def test_a_given_revision_is_ignored() -> None:
    assert unwrap(checked({**TEMPLATE, "revision": "mine"})["revision"]) == revision_of()


def test_the_revision_is_a_secret_when_the_template_has_env() -> None:
    """It digests the env values: in plain state it would let a reader of the state test guesses of a
    token offline. Without env it stays plain, so a preview still shows it change."""
    with_env = checked(TEMPLATE)["revision"]
    assert rpc.is_rpc_secret(with_env) and len(unwrap(with_env)) == 16
    without_env = checked({k: v for k, v in TEMPLATE.items() if k != "env"})["revision"]
    assert isinstance(without_env, str) and len(without_env) == 16
    assert rpc.is_rpc_secret(outputs_for(checked(TEMPLATE))["revision"])
    plain = Template.model_validate({"id": "tpl1", "name": "t", "image": "img:1"})
    assert isinstance(build_outputs(plain, inputs={}, managed=[])["revision"], str)


# -- diff --------------------------------------------------------------------------------------------------
def outputs_for(inputs: dict[str, Any], **observed: Any) -> dict[str, Any]:
    wire = {"container_args": "args", "container_disk_gb": "disk", "registry_auth_id": "registry",
            "allowed_cuda_versions": "allowedCudaVersions"}  # fmt: skip
    reported = {wire.get(k, k): v for k, v in inputs.items() if k in TEMPLATE or k in wire or k in (
        "serverless", "public", "category")}  # fmt: skip
    template = Template.model_validate({"id": "tpl1", "disk": 20, **reported, **observed})
    return build_outputs(template, inputs=inputs, managed=[k for k in inputs if k not in ("revision",)])


def diff(olds: dict[str, Any], news: dict[str, Any]) -> tuple[bool, list[str]]:
    result = PROVIDER.diff("tpl1", olds, news)
    return bool(result.changes), list(result.replaces or [])


def test_the_same_program_shows_no_change() -> None:
    inputs = checked(TEMPLATE)
    assert diff(outputs_for(inputs), inputs) == (False, [])


def test_ports_in_another_order_and_an_api_filled_disk_are_no_change() -> None:
    inputs = checked(TEMPLATE)
    assert diff(outputs_for(inputs, ports=["22/tcp", "8000/http"], disk=50), inputs) == (False, [])


def test_a_resolved_runpod_secret_reference_is_not_drift() -> None:
    inputs = checked({**TEMPLATE, "env": {"HF_TOKEN": "{{ RUNPOD_SECRET_hf }}"}})
    assert diff(outputs_for(inputs, env={"HF_TOKEN": "resolved"}), inputs) == (False, [])


@pytest.mark.parametrize(
    "change",
    [
        {"image": "img:2"},
        {"env": {"HF_TOKEN": TOKEN}},
        {"env": None},
        {"ports": None},
        {"category": "AMD"},
        {"public": True, "env": None},
        {"serverless": False},
        {"allowed_cuda_versions": ["12.8"]},
        {"container_args": "--x"},
    ],
)
def test_every_change_is_in_place(change: dict[str, Any]) -> None:
    inputs = checked(TEMPLATE)
    news = checked({k: v for k, v in {**TEMPLATE, **change}.items() if v is not None})
    assert diff(outputs_for(inputs), news) == (True, [])


def test_env_added_at_the_api_is_drift() -> None:
    inputs = checked(TEMPLATE)
    assert diff(outputs_for(inputs, env={**TEMPLATE["env"], "EXTRA": "1"}), inputs) == (True, [])


def test_dropping_the_disk_only_ends_its_management() -> None:
    with_disk = checked({**TEMPLATE, "container_disk_gb": 30})
    assert diff(outputs_for(with_disk), checked(TEMPLATE)) == (False, [])


def test_env_is_a_secret_output_and_refresh_keeps_the_revision() -> None:
    inputs = checked(TEMPLATE)
    drifted = outputs_for(inputs, image="img:console-edit")
    assert rpc.is_rpc_secret(drifted["env"])
    refreshed = refreshed_inputs(drifted)
    assert refreshed["image"] == "img:console-edit" and refreshed["revision"] == inputs["revision"]
    assert diff(drifted, inputs) == (True, [])


def test_a_read_only_reference_gets_its_revision_from_what_it_reads() -> None:
    template = Template.model_validate({"id": "tpl1", "name": "t", "image": "img:1", "ports": ["8000/http"]})
    edited = template.model_copy(update={"image": "img:2"})
    assert (
        build_outputs(template, inputs={}, managed=[])["revision"]
        != build_outputs(edited, inputs={}, managed=[])["revision"]
    )
