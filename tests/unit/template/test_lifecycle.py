"""The provider against the in-process emulator: calls per operation, the create body's defaults,
PATCHes of what changed, deletes refused while in use, adoption, read-only references."""

from __future__ import annotations

from typing import Any

import pytest
from pulumi.runtime import rpc

from pulumi_runpod_endpoint.dynamic.provider import ProviderError
from pulumi_runpod_endpoint.emulator import Fault
from pulumi_runpod_endpoint.template.provider import TemplateProvider
from tests.unit.emulated import Stack
from tests.unit.template.conftest import REGISTRY, TIMING

IN_USE = "Template is in use by a pod or serverless endpoint and cannot be deleted"  # the spec's words
TEMPLATE = {
    "name": "vllm",
    "image": "runpod/worker-v1-vllm:v2.1",
    "ports": ["8000/http"],
    "env": {"MODEL": "meta-llama/Llama-3.1-8B"},
    "registry_auth_id": REGISTRY,
}
AUTO = {**TEMPLATE, "name": None, "auto_name_prefix": "vllm"}
PUBLIC = {"id": "pub1", "catalog": True, "name": "vLLM", "image": "runpod/worker-v1-vllm:stable", "serverless": True,
          "startSsh": False, "startJupyter": False}  # fmt: skip
"""A public template of another account, from RunPod's catalog."""


def create(provider: TemplateProvider, news: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    result = provider.check({}, news)
    assert result.failures == [], result.failures
    created = provider.create(result.inputs)
    return created.id, dict(created.outs or {})


def update(provider: TemplateProvider, template_id: str, outs: dict[str, Any], news: dict[str, Any]) -> dict[str, Any]:
    checked = provider.check(outs, news)
    assert checked.failures == [], checked.failures
    return dict(provider.update(template_id, outs, checked.inputs).outs or {})


def template_ids(stack: Stack) -> list[str]:
    """The account's templates as the API lists them now."""
    return [template["id"] for template in stack.remote("templates")["templates"]]


def test_a_create_is_one_request_with_the_providers_defaults(provider: TemplateProvider, stack: Stack) -> None:
    template_id, outs = create(provider, AUTO)
    assert stack.calls() == ["POST createTemplate 201"]
    [body] = stack.requests("createTemplate")
    assert body["serverless"] is True and body["public"] is False and body["category"] == "NVIDIA"
    assert body["startSsh"] is False and body["startJupyter"] is False and "readme" not in body
    assert body["registry"] == REGISTRY and body["env"] == TEMPLATE["env"]
    record = stack.remote(f"templates/{template_id}")
    assert record["serverless"] is True and record["startSsh"] is False and record["startJupyter"] is False
    assert rpc.unwrap_rpc_secret(outs["env"]) == TEMPLATE["env"]
    assert outs["revision"] == provider.check({}, AUTO).inputs["revision"]


def test_a_create_with_an_explicit_name_lists_first(provider: TemplateProvider, stack: Stack) -> None:
    create(provider, TEMPLATE)
    assert stack.calls() == ["GET listTemplates 200", "POST createTemplate 201"]


def test_a_lost_create_answer_never_makes_a_second_template(provider: TemplateProvider, stack: Stack) -> None:
    stack.emulator.faults.set([Fault(kind="lose_response", match="createTemplate")])
    template_id, _ = create(provider, AUTO)
    assert stack.calls() == ["POST createTemplate dropped", "GET listTemplates 200"]
    assert template_ids(stack) == [template_id]


def test_a_same_named_template_made_elsewhere_is_never_taken_for_ours(provider: TemplateProvider, stack: Stack) -> None:
    foreign = stack.seed("templates", name="vllm", image="someone/else:1")
    with pytest.raises(ProviderError) as refused:  # names are unique per account: RunPod refuses the create
        create(provider, TEMPLATE)
    assert "already exists" in str(refused.value)
    assert template_ids(stack) == [foreign["id"]]


def test_the_api_filled_fields_are_not_drift(provider: TemplateProvider, stack: Stack) -> None:
    template_id, outs = create(provider, AUTO)
    assert stack.remote(f"templates/{template_id}")["disk"] == outs["container_disk_gb"] == 50  # no disk was sent
    assert "container_disk_gb" not in outs["managed_fields"]
    again = provider.check(outs, AUTO).inputs
    assert not provider.diff(template_id, outs, again).changes


def test_a_new_image_is_one_patch_and_a_new_revision(provider: TemplateProvider, stack: Stack) -> None:
    template_id, outs = create(provider, AUTO)
    stack.clear()
    new = update(provider, template_id, outs, {**AUTO, "image": "runpod/worker-v1-vllm:v2.2"})
    assert stack.calls() == ["PATCH updateTemplate 200"]
    assert stack.requests("updateTemplate") == [{"image": "runpod/worker-v1-vllm:v2.2"}]
    assert new["revision"] != outs["revision"] and new["image"] == "runpod/worker-v1-vllm:v2.2"
    assert stack.remote(f"templates/{template_id}")["image"] == "runpod/worker-v1-vllm:v2.2"


def test_an_env_change_sends_the_whole_map(provider: TemplateProvider, stack: Stack) -> None:
    template_id, outs = create(provider, AUTO)
    stack.clear()
    update(provider, template_id, outs, {**AUTO, "env": {"MODEL": "x", "DTYPE": "bf16"}})
    assert stack.requests("updateTemplate") == [{"env": {"MODEL": "x", "DTYPE": "bf16"}}]
    assert stack.remote(f"templates/{template_id}")["env"] == {"MODEL": "x", "DTYPE": "bf16"}


def test_removed_inputs_are_cleared_explicitly(provider: TemplateProvider, stack: Stack) -> None:
    template_id, outs = create(provider, {**AUTO, "container_args": "--x"})
    stack.clear()
    bare = {"name": None, "auto_name_prefix": "vllm", "image": AUTO["image"]}
    new = update(provider, template_id, outs, bare)
    assert stack.requests("updateTemplate") == [{"args": "", "ports": [], "env": {}, "registry": None}]
    record = stack.remote(f"templates/{template_id}")
    assert (record["args"], record["ports"], record["env"], record["registry"]) == ("", [], {}, None)
    assert new["env"] is None and new["registry_auth_id"] is None


def test_an_update_that_changes_nothing_the_api_holds_makes_no_call(provider: TemplateProvider, stack: Stack) -> None:
    template_id, outs = create(provider, AUTO)
    stack.clear()
    new = update(provider, template_id, outs, {**AUTO, "allow_public_env": True})
    assert stack.calls() == []
    assert new["allow_public_env"] is True and new["image"] == AUTO["image"]


def test_read_is_one_request_and_shows_drift(provider: TemplateProvider, stack: Stack) -> None:
    template_id, outs = create(provider, AUTO)
    assert stack.api.delete(f"/v2/registries/{REGISTRY}").status_code == 204  # RunPod drops it from the template
    stack.clear()
    result = provider.read(template_id, outs)
    assert stack.calls() == ["GET getTemplate 200"]
    assert result.outs["registry_auth_id"] is None and "registry_auth_id" not in result.inputs
    assert provider.diff(template_id, result.outs, provider.check(result.inputs, AUTO).inputs).changes


def test_a_refresh_drops_a_template_deleted_outside_pulumi(provider: TemplateProvider, stack: Stack) -> None:
    template_id, outs = create(provider, AUTO)
    assert stack.api.delete(f"/v2/templates/{template_id}").status_code == 204
    assert provider.read(template_id, outs).id is None


def test_a_get_follows_the_template_as_read(provider: TemplateProvider, stack: Stack) -> None:
    stack.seed("templates", **PUBLIC)
    before = provider.read("pub1", {}).outs
    stack.seed("templates", **{**PUBLIC, "image": "runpod/worker-v1-vllm:stable-2"})  # its owner released
    after = provider.read("pub1", {}).outs
    assert before["revision"] != after["revision"] and after["image"].endswith("stable-2")


def test_delete_is_delete_then_verify(provider: TemplateProvider, stack: Stack) -> None:
    template_id, outs = create(provider, AUTO)
    stack.clear()
    provider.delete(template_id, outs)
    assert stack.calls() == ["DELETE deleteTemplate 204", "GET getTemplate 404"]
    assert template_ids(stack) == []


def test_a_template_already_deleted_with_its_bound_endpoint_is_a_delete_done(
    provider: TemplateProvider, stack: Stack
) -> None:
    template_id, outs = create(provider, AUTO)
    endpoint_id = stack.endpoint()
    bound = stack.api.post(f"/_emulator/endpoints/{endpoint_id}/template", json={"templateId": template_id})
    assert bound.status_code == 200, bound.text  # bound as GraphQL or the console binds an endpoint
    assert stack.api.delete(f"/v2/serverless/{endpoint_id}").status_code == 204  # takes its bound template along
    stack.clear()
    provider.delete(template_id, outs)
    assert stack.calls() == ["DELETE deleteTemplate 404"]


def test_a_delete_refused_while_in_use_is_retried_until_the_user_is_gone(
    provider: TemplateProvider, stack: Stack
) -> None:
    template_id, outs = create(provider, AUTO)
    stack.pod(templateId=template_id, seconds=2.5)
    stack.clear()
    provider.delete(template_id, outs)
    assert stack.calls() == ["DELETE deleteTemplate 400", "DELETE deleteTemplate 400", "DELETE deleteTemplate 204",
                             "GET getTemplate 404"]  # fmt: skip
    assert template_ids(stack) == [] and stack.sleeps == [1.0, 2.0]


def test_a_delete_refused_past_the_deadline_names_the_pods(provider: TemplateProvider, stack: Stack) -> None:
    template_id, outs = create(provider, AUTO)
    pod_id = stack.pod(name="debug", templateId=template_id)
    stack.pod(name="other")  # made from no template
    with pytest.raises(ProviderError) as failed:
        provider.delete(template_id, outs)
    message = str(failed.value)
    assert IN_USE in message and f"Still using it: pod {pod_id} ('debug'). Run " in message  # only that one
    assert sum(stack.sleeps) <= TIMING.delete_timeout and template_id in template_ids(stack)


def test_adopting_patches_what_differs_and_turns_the_pod_flags_off(provider: TemplateProvider, stack: Stack) -> None:
    existing = stack.seed("templates", name="vllm", image="old:1", env={"MODEL": "meta-llama/Llama-3.1-8B"},
                          serverless=False)  # fmt: skip
    assert existing["startSsh"] is True and existing["startJupyter"] is True  # as the console makes them
    template_id, outs = create(provider, {**TEMPLATE, "adopt_existing_id": existing["id"]})
    assert template_id == existing["id"]
    assert stack.calls() == ["GET getTemplate 200", "PATCH updateTemplate 200"]
    # What the program declares is written; what it does not (serverless, public, category) stays as it is.
    assert stack.requests("updateTemplate") == [{"image": TEMPLATE["image"], "ports": ["8000/http"],
                                                 "registry": REGISTRY, "startSsh": False,
                                                 "startJupyter": False}]  # fmt: skip
    assert outs["serverless"] is False and "serverless" not in outs["managed_fields"]


def test_adopting_writes_serverless_only_when_the_program_declares_it(provider: TemplateProvider, stack: Stack) -> None:
    existing = stack.seed("templates", name="vllm", image="old:1", serverless=False, category="CPU", public=True)
    _, outs = create(provider, {**TEMPLATE, "serverless": True, "adopt_existing_id": existing["id"]})
    [patch] = stack.requests("updateTemplate")
    assert patch["serverless"] is True and "public" not in patch and "category" not in patch
    assert (outs["public"], outs["category"]) == (True, "CPU")


def test_adopting_another_accounts_public_template_is_refused(provider: TemplateProvider, stack: Stack) -> None:
    stack.seed("templates", **{**PUBLIC, "image": "x:1"})
    with pytest.raises(ProviderError) as refused:
        create(provider, {**TEMPLATE, "adopt_existing_id": "pub1"})
    assert "public template of another account" in str(refused.value)
    assert "Nothing was changed" in str(refused.value)
    assert stack.remote("templates/pub1")["image"] == "x:1"


def test_adopting_a_missing_template_says_so(provider: TemplateProvider) -> None:
    with pytest.raises(ProviderError, match="no template with that id"):
        create(provider, {**TEMPLATE, "adopt_existing_id": "tpl404"})
