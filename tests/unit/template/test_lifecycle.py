"""The provider against a fake of REST v2: calls per operation, the create body's defaults, PATCHes of
what changed, deletes refused while in use, adoption, read-only references."""

from __future__ import annotations

from typing import Any

import pytest
from pulumi.runtime import rpc

from pulumi_runpod_endpoint.dynamic.provider import ProviderError
from pulumi_runpod_endpoint.template.provider import TemplateProvider
from tests.conftest import FakeTime
from tests.unit.template.conftest import IN_USE, TIMING, FakeTemplates

TEMPLATE = {
    "name": "vllm",
    "image": "runpod/worker-v1-vllm:v2.1",
    "ports": ["8000/http"],
    "env": {"MODEL": "meta-llama/Llama-3.1-8B"},
    "registry_auth_id": "reg1",
}
AUTO = {**TEMPLATE, "name": None, "auto_name_prefix": "vllm"}


def create(provider: TemplateProvider, news: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    result = provider.check({}, news)
    assert result.failures == [], result.failures
    created = provider.create(result.inputs)
    return created.id, dict(created.outs or {})


def update(provider: TemplateProvider, template_id: str, outs: dict[str, Any], news: dict[str, Any]) -> dict[str, Any]:
    checked = provider.check(outs, news)
    assert checked.failures == [], checked.failures
    return dict(provider.update(template_id, outs, checked.inputs).outs or {})


def test_a_create_is_one_request_with_the_providers_defaults(provider: TemplateProvider, fake: FakeTemplates) -> None:
    template_id, outs = create(provider, AUTO)
    assert fake.calls == ["POST /v2/templates"]
    [body] = fake.bodies
    assert body["serverless"] is True and body["public"] is False and body["category"] == "NVIDIA"
    assert body["startSsh"] is False and body["startJupyter"] is False and "readme" not in body
    assert body["registry"] == "reg1" and body["env"] == TEMPLATE["env"]
    record = fake.templates[template_id]
    assert record["serverless"] is True and record["startSsh"] is False
    assert rpc.unwrap_rpc_secret(outs["env"]) == TEMPLATE["env"]
    assert outs["revision"] == provider.check({}, AUTO).inputs["revision"]


def test_a_create_with_an_explicit_name_lists_first(provider: TemplateProvider, fake: FakeTemplates) -> None:
    create(provider, TEMPLATE)
    assert fake.calls == ["GET /v2/templates", "POST /v2/templates"]


def test_a_lost_create_answer_never_makes_a_second_template(provider: TemplateProvider, fake: FakeTemplates) -> None:
    fake.fault("POST", "/v2/templates", "lose_answer")
    template_id, _ = create(provider, AUTO)
    assert list(fake.templates) == [template_id]


def test_the_api_filled_fields_are_not_drift(provider: TemplateProvider, fake: FakeTemplates) -> None:
    template_id, outs = create(provider, AUTO)
    assert outs["container_disk_gb"] == 20 and "container_disk_gb" not in outs["managed_fields"]
    again = provider.check(outs, AUTO).inputs
    assert not provider.diff(template_id, outs, again).changes


def test_a_new_image_is_one_patch_and_a_new_revision(provider: TemplateProvider, fake: FakeTemplates) -> None:
    template_id, outs = create(provider, AUTO)
    fake.calls.clear()
    new = update(provider, template_id, outs, {**AUTO, "image": "runpod/worker-v1-vllm:v2.2"})
    assert fake.calls == [f"PATCH /v2/templates/{template_id}"]
    assert fake.bodies[-1] == {"image": "runpod/worker-v1-vllm:v2.2"}
    assert new["revision"] != outs["revision"] and new["image"] == "runpod/worker-v1-vllm:v2.2"


def test_an_env_change_sends_the_whole_map(provider: TemplateProvider, fake: FakeTemplates) -> None:
    template_id, outs = create(provider, AUTO)
    update(provider, template_id, outs, {**AUTO, "env": {"MODEL": "x", "DTYPE": "bf16"}})
    assert fake.bodies[-1] == {"env": {"MODEL": "x", "DTYPE": "bf16"}}
    assert fake.templates[template_id]["env"] == {"MODEL": "x", "DTYPE": "bf16"}


def test_removed_inputs_are_cleared_explicitly(provider: TemplateProvider, fake: FakeTemplates) -> None:
    template_id, outs = create(provider, {**AUTO, "container_args": "--x"})
    bare = {"name": None, "auto_name_prefix": "vllm", "image": AUTO["image"]}
    new = update(provider, template_id, outs, bare)
    assert fake.bodies[-1] == {"args": "", "ports": [], "env": {}, "registry": None}
    record = fake.templates[template_id]
    assert (record["args"], record["ports"], record["env"], record["registry"]) == ("", [], {}, None)
    assert new["env"] is None and new["registry_auth_id"] is None


def test_an_update_that_changes_nothing_the_api_holds_makes_no_call(
    provider: TemplateProvider, fake: FakeTemplates
) -> None:
    template_id, outs = create(provider, AUTO)
    fake.calls.clear()
    new = update(provider, template_id, outs, {**AUTO, "allow_public_env": True})
    assert fake.calls == []
    assert new["allow_public_env"] is True and new["image"] == AUTO["image"]


def test_read_is_one_request_and_shows_drift(provider: TemplateProvider, fake: FakeTemplates) -> None:
    template_id, outs = create(provider, AUTO)
    fake.templates[template_id]["registry"] = None  # the credential was deleted: RunPod drops it silently
    fake.calls.clear()
    result = provider.read(template_id, outs)
    assert fake.calls == [f"GET /v2/templates/{template_id}"]
    assert result.outs["registry_auth_id"] is None and "registry_auth_id" not in result.inputs
    assert provider.diff(template_id, result.outs, provider.check(result.inputs, AUTO).inputs).changes


def test_a_refresh_drops_a_template_deleted_outside_pulumi(provider: TemplateProvider, fake: FakeTemplates) -> None:
    template_id, outs = create(provider, AUTO)
    del fake.templates[template_id]
    assert provider.read(template_id, outs).id is None


def test_a_get_follows_the_template_as_read(provider: TemplateProvider, fake: FakeTemplates) -> None:
    public = {"id": "pub1", "name": "vLLM", "image": "runpod/worker-v1-vllm:stable", "args": "", "disk": 20,
              "ports": [], "env": {}, "registry": None, "serverless": True, "public": True, "category": "NVIDIA",
              "startSsh": False, "startJupyter": False, "allowedCudaVersions": [], "mounts": {}}  # fmt: skip
    fake.catalog["pub1"] = public
    before = provider.read("pub1", {}).outs
    public["image"] = "runpod/worker-v1-vllm:stable-2"
    after = provider.read("pub1", {}).outs
    assert before["revision"] != after["revision"] and after["image"].endswith("stable-2")


def test_delete_is_delete_then_verify(provider: TemplateProvider, fake: FakeTemplates) -> None:
    template_id, outs = create(provider, AUTO)
    fake.calls.clear()
    provider.delete(template_id, outs)
    assert fake.calls == [f"DELETE /v2/templates/{template_id}", f"GET /v2/templates/{template_id}"]


def test_a_template_already_deleted_with_its_bound_endpoint_is_a_delete_done(
    provider: TemplateProvider, fake: FakeTemplates
) -> None:
    template_id, outs = create(provider, AUTO)
    del fake.templates[template_id]
    provider.delete(template_id, outs)


def test_a_delete_refused_while_an_endpoint_goes_is_retried(
    provider: TemplateProvider, fake: FakeTemplates, fake_time: FakeTime
) -> None:
    template_id, outs = create(provider, AUTO)
    fake.in_use[template_id] = 2
    provider.delete(template_id, outs)
    assert fake.templates == {} and fake_time.sleeps == [1.0, 2.0]


def test_a_delete_refused_past_the_deadline_names_the_pods(
    provider: TemplateProvider, fake: FakeTemplates, fake_time: FakeTime
) -> None:
    template_id, outs = create(provider, AUTO)
    fake.in_use[template_id] = 10**6
    fake.pods.append({"id": "pod5", "name": "debug", "template": template_id})
    with pytest.raises(ProviderError) as failed:
        provider.delete(template_id, outs)
    message = str(failed.value)
    assert IN_USE in message and "Still using it: pod pod5 ('debug')" in message
    assert sum(fake_time.sleeps) <= TIMING.delete_timeout


def test_adopting_patches_what_differs_and_turns_the_pod_flags_off(
    provider: TemplateProvider, fake: FakeTemplates
) -> None:
    existing = fake.add(name="vllm", image="old:1", env={"MODEL": "meta-llama/Llama-3.1-8B"}, serverless=False)
    template_id, outs = create(provider, {**TEMPLATE, "adopt_existing_id": existing["id"]})
    assert template_id == existing["id"]
    assert fake.calls == [f"GET /v2/templates/{template_id}", f"PATCH /v2/templates/{template_id}"]
    assert fake.bodies[-1] == {"image": TEMPLATE["image"], "ports": ["8000/http"], "registry": "reg1",
                               "serverless": True, "startSsh": False, "startJupyter": False}  # fmt: skip
    assert outs["serverless"] is True


def test_adopting_another_accounts_public_template_is_refused(provider: TemplateProvider, fake: FakeTemplates) -> None:
    fake.catalog["pub1"] = {"id": "pub1", "name": "vLLM", "image": "x:1"}
    with pytest.raises(ProviderError) as refused:
        create(provider, {**TEMPLATE, "adopt_existing_id": "pub1"})
    assert "public template of another account" in str(refused.value)
    assert "Nothing was changed" in str(refused.value)


def test_adopting_a_missing_template_says_so(provider: TemplateProvider) -> None:
    with pytest.raises(ProviderError, match="no template with that id"):
        create(provider, {**TEMPLATE, "adopt_existing_id": "tpl404"})
