"""The program side: the type token, env secret, the revision output, .get."""

from __future__ import annotations

from typing import Any

import pulumi
import pytest

from pulumi_runpod_endpoint import Template, TemplateArgs
from pulumi_runpod_endpoint.template.resource import TYPE_TOKEN
from tests.unit.pulumi_mocks import RecordingMocks, check, secret_flags


@pulumi.runtime.test
def test_args_become_properties_and_env_is_secret(mocks: RecordingMocks) -> Any:
    template = Template(
        "vllm",
        TemplateArgs(image="runpod/worker-v1-vllm:v2", env={"HF_TOKEN": "hf_x"}, ports=["8000/http"], public=False),
    )

    def verify(flags: list[bool]) -> None:
        [resource] = mocks.resources
        assert resource.typ == TYPE_TOKEN == "pulumi-python:dynamic/runpod:Template"
        inputs = resource.inputs
        assert inputs["image"] == "runpod/worker-v1-vllm:v2" and inputs["ports"] == ["8000/http"]
        assert inputs["auto_name_prefix"] == "vllm" and "readme" not in inputs
        assert flags == [True, False]

    return secret_flags(template.env, template.image).apply(verify)


@pulumi.runtime.test
def test_the_revision_is_an_output_an_endpoint_can_take(mocks: RecordingMocks) -> Any:
    template = Template("t", image="img:1")
    assert isinstance(template.revision, pulumi.Output)  # the provider's check computes it; mocks skip check
    return template.id.apply(lambda _: check("revision" not in mocks.resources[0].inputs))


@pulumi.runtime.test
def test_get_reads_an_existing_template(mocks: RecordingMocks) -> Any:
    template = Template.get("public-vllm", "tpl123")
    return template.id.apply(lambda value: check(value == "tpl123"))


def test_a_readme_is_not_an_input_on_v2() -> None:
    with pytest.raises(TypeError, match="TemplateArgs"):
        Template("x", image="i", readme="# hi")


def test_the_docstring_explains_the_revision() -> None:
    assert "template_revision" in (Template.__doc__ or "")
