"""ServerlessEndpoint's provider on REST v2, against the in-process emulator: every operation at the
minimum of calls, updates that touch only what changed, rollouts waited for, deletes verified."""

from __future__ import annotations

from typing import Any

import pytest
from pulumi.runtime import rpc

from pulumi_runpod_endpoint.dynamic.props import unwrap
from pulumi_runpod_endpoint.dynamic.provider import ProviderError
from pulumi_runpod_endpoint.emulator import Fault
from tests.unit.endpoint.conftest import Stack

PROGRAM: dict[str, Any] = {
    "name": "inference",
    "image": "runpod/worker:1.0",
    "gpu_pools": ["ADA_24", "AMPERE_24"],
    "env": {"MODEL": "small", "HF_TOKEN": "hf_x"},
    "workers_max": 3,
}


def up(stack: Stack, program: dict[str, Any], **config: str) -> tuple[Any, str, dict[str, Any], dict[str, Any]]:
    provider = stack.provider(**config)
    checked = provider.check({}, program)
    assert checked.failures == [], checked.failures
    created = provider.create(checked.inputs)
    return provider, created.id, checked.inputs, created.outs


def update(stack: Stack, provider: Any, id_: str, olds: dict[str, Any], program: dict[str, Any]) -> dict[str, Any]:
    news = provider.check(olds, program).inputs
    stack.clear()
    return provider.update(id_, olds, news).outs


def remote(stack: Stack, id_: str) -> dict[str, Any]:
    answer = stack.api.get(f"/v2/serverless/{id_}")
    assert answer.status_code == 200, answer.text
    return answer.json()  # type: ignore[no-any-return]


def test_an_explicit_name_creates_with_one_list_and_one_post(stack: Stack) -> None:
    _, id_, _, outs = up(stack, PROGRAM)
    assert stack.calls() == ["GET listEndpoints 200", "POST createEndpoint 201"]
    assert outs["name"] == "inference" and outs["backend"] == "rest"
    assert outs["run_url"].endswith(f"/v2/{id_}/run") and outs["request_urls"]["purge_queue"]
    assert outs["execution_timeout_ms"] == 300_000
    made = remote(stack, id_)
    assert made["timeout"] == 300_000  # sent: the live API would make an omitted timeout 0
    assert made["gpu"]["count"] == 1 and made["workers"] == {"min": 0, "max": 3, "idleTimeout": 10}


def test_an_auto_named_endpoint_creates_with_one_call(stack: Stack) -> None:
    _, _, inputs, _ = up(stack, {k: v for k, v in PROGRAM.items() if k != "name"} | {"auto_name_prefix": "api"})
    assert stack.calls() == ["POST createEndpoint 201"]
    assert inputs["name"].startswith("api-")


def test_check_and_diff_make_no_call(stack: Stack) -> None:
    provider, id_, inputs, outs = up(stack, PROGRAM)
    stack.clear()
    provider.check(inputs, PROGRAM)
    assert provider.diff(id_, outs, inputs).changes is False
    assert stack.calls() == []


def test_read_is_one_get_and_reports_every_field(stack: Stack) -> None:
    provider, id_, _, outs = up(stack, PROGRAM)
    stack.clear()
    read = provider.read(id_, outs)
    assert stack.calls() == ["GET getEndpoint 200"]
    assert read.id == id_ and read.outs["gpu_pools"] == ["ADA_24", "AMPERE_24"]
    assert read.inputs is not None and unwrap(read.inputs["env"]) == PROGRAM["env"]
    assert rpc.is_rpc_secret(read.outs["env"]) and rpc.is_rpc_secret(read.inputs["env"])  # secret both ways


def test_a_workers_only_change_is_one_patch_and_starts_no_release(stack: Stack) -> None:
    provider, id_, _, outs = up(stack, PROGRAM)
    before = stack.api.get(f"/v2/serverless/{id_}/releases").json()["endpointVersion"]
    updated = update(stack, provider, id_, outs, {**PROGRAM, "workers_max": 5})
    assert stack.calls() == ["PATCH updateEndpoint 200"]
    [patch] = stack.emulator.journal.entries()
    assert patch.request == {"workers": {"min": 0, "max": 5, "idleTimeout": 10}}
    assert updated["workers_max"] == 5
    assert stack.api.get(f"/v2/serverless/{id_}/releases").json()["endpointVersion"] == before


def test_an_image_change_is_one_patch_of_the_image_and_makes_a_release(stack: Stack) -> None:
    provider, id_, _, outs = up(stack, PROGRAM)
    before = stack.api.get(f"/v2/serverless/{id_}/releases").json()["endpointVersion"]
    update(stack, provider, id_, outs, {**PROGRAM, "image": "runpod/worker:2.0"})
    [patch] = stack.emulator.journal.entries()
    assert patch.request == {"image": "runpod/worker:2.0"}
    assert stack.api.get(f"/v2/serverless/{id_}/releases").json()["endpointVersion"] == before + 1


def test_removing_exclusions_sends_the_pools_alone(stack: Stack) -> None:
    program = {**PROGRAM, "gpu_excluded_types": ["NVIDIA L4"]}
    provider, id_, _, outs = up(stack, program)
    assert remote(stack, id_)["gpu"]["excludedTypes"] == ["NVIDIA L4"]
    update(stack, provider, id_, outs, PROGRAM)
    [patch] = stack.emulator.journal.entries()
    assert patch.request == {"gpu": {"pools": ["ADA_24", "AMPERE_24"]}}
    assert remote(stack, id_)["gpu"].get("excludedTypes") in (None, [])


def test_removing_a_cuda_constraint_clears_it_explicitly(stack: Stack) -> None:
    provider, id_, _, outs = up(stack, {**PROGRAM, "allowed_cuda_versions": ["12.8"]})
    update(stack, provider, id_, outs, PROGRAM)
    [patch] = stack.emulator.journal.entries()
    assert patch.request == {"gpu": {"allowedCudaVersions": []}}
    assert remote(stack, id_)["gpu"]["allowedCudaVersions"] == []


def test_a_reduced_env_replaces_the_map(stack: Stack) -> None:
    provider, id_, _, outs = up(stack, PROGRAM)
    update(stack, provider, id_, outs, {**PROGRAM, "env": {"MODEL": "small"}})
    [patch] = stack.emulator.journal.entries()
    assert patch.request == {"env": {"MODEL": "small"}}
    assert remote(stack, id_)["env"] == {"MODEL": "small"}


def test_a_template_based_endpoint_keeps_template_env_that_it_does_not_manage(stack: Stack) -> None:
    template = stack.api.post(
        "/_emulator/templates",
        json={"name": "base", "image": "runpod/base:3", "env": {"FROM_TEMPLATE": "1"}, "serverless": True},
    ).json()
    program = {k: v for k, v in PROGRAM.items() if k != "image"} | {"template_id": template["id"], "env": {"A": "1"}}
    provider, id_, inputs, outs = up(stack, program)
    assert remote(stack, id_)["env"] == {"FROM_TEMPLATE": "1", "A": "1"}
    assert outs["image"] == "runpod/base:3"
    assert provider.diff(id_, outs, inputs).changes is False  # template env and image are not drift
    update(stack, provider, id_, outs, {**program, "env": {"A": "2"}})
    assert remote(stack, id_)["env"] == {"FROM_TEMPLATE": "1", "A": "2"}


def test_a_new_template_revision_reapplies_the_template_with_one_patch(stack: Stack) -> None:
    template = stack.api.post(
        "/_emulator/templates", json={"name": "t", "image": "runpod/base:3", "serverless": True}
    ).json()
    program = {
        **{k: v for k, v in PROGRAM.items() if k != "image"},
        "template_id": template["id"],
        "template_revision": "r1",
    }
    provider, id_, _, outs = up(stack, program)
    stack.api.post(
        "/_emulator/templates", json={"id": template["id"], "name": "t", "image": "runpod/base:4", "serverless": True}
    )
    update(stack, provider, id_, outs, {**program, "template_revision": "r2"})
    [patch] = stack.emulator.journal.entries()
    assert patch.request is not None and patch.request["templateId"] == template["id"]
    assert remote(stack, id_)["image"] == "runpod/base:4"


def test_a_cpu_endpoint_with_mixed_flavors(stack: Stack) -> None:
    program = {
        "name": "cpu",
        "image": "i:1",
        "cpu": [{"flavor_id": "cpu5c", "vcpu_count": 4}, {"flavor_id": "cpu5g", "vcpu_count": 8}],
    }
    provider, id_, inputs, outs = up(stack, program)
    assert [c["id"] for c in remote(stack, id_)["cpu"]] == ["cpu5c", "cpu5g"]
    assert outs["cpu"] == program["cpu"] and outs["gpu_pools"] is None
    assert provider.diff(id_, outs, inputs).changes is False


def test_a_load_balancer_reports_its_base_url(stack: Stack) -> None:
    program = {**PROGRAM, "type": "LOAD_BALANCER", "env": {"PORT": "8000", "PORT_HEALTH": "8000"}}
    _, id_, _, outs = up(stack, program)
    assert set(outs["request_urls"]) == {"base", "health"}
    assert outs["run_url"] is None and outs["health_url"] == outs["request_urls"]["health"]
    assert remote(stack, id_)["scaling"]["type"] == "REQUEST_COUNT"


def test_delete_scales_to_zero_deletes_and_verifies(stack: Stack) -> None:
    provider, id_, _, outs = up(stack, {**PROGRAM, "workers_min": 1})
    stack.clear()
    provider.delete(id_, outs)
    assert stack.calls() == ["PATCH updateEndpoint 200", "DELETE deleteEndpoint 204", "GET getEndpoint 404"]
    first = stack.emulator.journal.entries()[0]
    assert first.request == {"workers": {"min": 0, "max": 0, "idleTimeout": 10}}


def test_deleting_an_endpoint_that_is_already_gone_succeeds(stack: Stack) -> None:
    provider, id_, _, outs = up(stack, PROGRAM)
    assert stack.api.delete(f"/v2/serverless/{id_}").status_code == 204
    stack.clear()
    provider.delete(id_, outs)
    assert stack.calls() == ["PATCH updateEndpoint 404"]  # this process already saw the API answer


def test_a_fresh_process_proves_the_base_url_before_it_believes_a_404(stack: Stack) -> None:
    _, id_, _, outs = up(stack, PROGRAM)
    stack.api.delete(f"/v2/serverless/{id_}")
    stack.clear()
    stack.provider().delete(id_, outs)  # a destroy in a new host: a new session
    assert stack.calls() == ["PATCH updateEndpoint 404", "GET listEndpoints 200"]


def test_a_wrong_base_url_never_reads_as_gone(stack: Stack) -> None:
    _, id_, _, outs = up(stack, PROGRAM)
    wrong = stack.provider(**{"runpod:restUrl": "http://emulator/api/v2"})
    with pytest.raises(ProviderError, match="runpod:restUrl"):
        wrong.read(id_, outs)
    with pytest.raises(ProviderError, match="runpod:restUrl"):
        wrong.delete(id_, outs)
    assert remote(stack, id_)["id"] == id_  # still there: nothing was dropped or reported done


def test_refresh_drops_an_endpoint_deleted_outside_pulumi(stack: Stack) -> None:
    provider, id_, _, outs = up(stack, PROGRAM)
    stack.api.delete(f"/v2/serverless/{id_}")
    assert provider.read(id_, outs).id is None


def test_refresh_shows_drift_made_outside_pulumi_and_the_next_up_restores(stack: Stack) -> None:
    provider, id_, inputs, outs = up(stack, PROGRAM)
    stack.api.patch(f"/v2/serverless/{id_}", json={"workers": {"max": 1}, "image": "hand/made:1"})
    refreshed = provider.read(id_, outs)
    assert refreshed.outs["workers_max"] == 1 and refreshed.outs["image"] == "hand/made:1"
    assert provider.diff(id_, refreshed.outs, inputs).changes is True
    restored = update(stack, provider, id_, refreshed.outs, PROGRAM)
    assert restored["workers_max"] == 3 and restored["image"] == "runpod/worker:1.0"


def test_a_lost_create_answer_adopts_the_endpoint_it_made_once(stack: Stack) -> None:
    provider = stack.provider()
    checked = provider.check({}, PROGRAM).inputs
    stack.emulator.faults.set([Fault(kind="lose_response", match="createEndpoint")])
    created = provider.create(checked)
    endpoints = stack.api.get("/v2/serverless").json()["endpoints"]
    assert [e["id"] for e in endpoints] == [created.id]


def test_the_recovery_never_adopts_a_same_named_endpoint_made_by_someone_else(stack: Stack) -> None:
    foreign = stack.api.post(
        "/v2/serverless",
        json={
            "name": "inference",
            "type": "QUEUE",
            "image": "x:1",
            "gpu": {"pools": ["ADA_24"]},
            "scaling": {"type": "QUEUE_DELAY", "queueDelay": 4},
        },
    ).json()
    provider = stack.provider()
    checked = provider.check({}, PROGRAM).inputs
    stack.emulator.faults.set([Fault(kind="drop", match="createEndpoint")])
    created = provider.create(checked)
    assert created.id != foreign["id"]
    names = [e["name"] for e in stack.api.get("/v2/serverless").json()["endpoints"]]
    assert names == ["inference", "inference"]  # the foreign one, and exactly one of ours


def test_adopt_takes_over_an_existing_endpoint_with_a_patch(stack: Stack) -> None:
    made = stack.api.post(
        "/v2/serverless",
        json={
            "name": "console",
            "type": "QUEUE",
            "image": "x:1",
            "gpu": {"pools": ["ADA_24"]},
            "scaling": {"type": "QUEUE_DELAY", "queueDelay": 4},
            "timeout": 300000,
        },
    ).json()
    _, id_, _, outs = up(stack, {**PROGRAM, "adopt_existing_id": made["id"]})
    assert id_ == made["id"] and outs["adopt_existing_id"] == made["id"]
    assert stack.calls()[-1] == "PATCH updateEndpoint 200"
    assert remote(stack, id_)["name"] == "inference"


def test_adopting_a_missing_id_fails_without_creating(stack: Stack) -> None:
    provider = stack.provider()
    checked = provider.check({}, {**PROGRAM, "adopt_existing_id": "nosuchendpoint"}).inputs
    with pytest.raises(ProviderError, match="adopt_existing_id 'nosuchendpoint'"):
        provider.create(checked)
    assert stack.api.get("/v2/serverless").json()["endpoints"] == []


def test_get_reads_an_endpoint_without_inputs_and_a_missing_one_fails(stack: Stack) -> None:
    provider, id_, _, _ = up(stack, PROGRAM)
    got = provider.read(id_, {})
    assert got.id == id_ and got.inputs is None and got.outs["name"] == "inference"
    with pytest.raises(ProviderError, match="does not exist"):
        provider.read("nosuchendpoint", {})


def test_updating_an_endpoint_deleted_outside_pulumi_says_to_refresh(stack: Stack) -> None:
    provider, id_, _, outs = up(stack, PROGRAM)
    stack.api.delete(f"/v2/serverless/{id_}")
    with pytest.raises(ProviderError, match="pulumi refresh"):
        update(stack, provider, id_, outs, {**PROGRAM, "workers_max": 5})


def test_the_key_never_appears_in_outputs_or_errors(stack: Stack) -> None:
    from tests.conftest import API_KEY

    provider, id_, _, outs = up(stack, PROGRAM)
    assert API_KEY not in repr(outs)
    stack.api.delete(f"/v2/serverless/{id_}")
    with pytest.raises(ProviderError) as failed:
        update(stack, provider, id_, outs, {**PROGRAM, "workers_max": 5})
    assert API_KEY not in str(failed.value)


# -- rollouts ------------------------------------------------------------------------------------------
WAITING = {**PROGRAM, "workers_min": 1, "wait_for_rollout": True, "rollout_timeout_seconds": 120}


def test_without_waiting_an_update_adds_no_call(stack: Stack) -> None:
    provider, id_, _, outs = up(stack, {**PROGRAM, "workers_min": 1})
    update(stack, provider, id_, outs, {**PROGRAM, "workers_min": 1, "image": "runpod/worker:2.0"})
    assert stack.calls() == ["PATCH updateEndpoint 200"]


def test_a_create_that_waits_returns_once_the_workers_serve(stack: Stack) -> None:
    stack.emulator.settings.worker_boot_seconds = 5
    _, _, _, outs = up(stack, WAITING)
    assert outs["rollout"]["ready_on_latest"] >= 1 and outs["rollout"]["stale"] == 0
    assert outs["release_version"] is not None
    assert "GET listEndpointReleases 200" in stack.calls() and "GET listEndpointWorkers 200" in stack.calls()
    assert sum(stack.sleeps) >= 5  # it really waited (on the emulator's clock) for the workers to boot


def test_a_scale_to_zero_endpoint_is_done_at_once(stack: Stack) -> None:
    _, _, _, outs = up(stack, {**PROGRAM, "wait_for_rollout": True})
    assert stack.sleeps == [] and outs["rollout"]["workers_total"] == 0


def test_a_create_whose_rollout_times_out_leaves_nothing_behind(stack: Stack) -> None:
    stack.emulator.settings.worker_boot_seconds = 10_000  # workers never become ready
    provider = stack.provider()
    checked = provider.check({}, WAITING).inputs
    with pytest.raises(ProviderError, match="scaled to zero and deleted") as failed:
        provider.create(checked)
    assert "ready" in str(failed.value) and "rollout_timeout_seconds" in str(failed.value)
    assert stack.api.get("/v2/serverless").json()["endpoints"] == []


def test_an_update_that_times_out_then_the_next_up_waits_for_the_same_release(stack: Stack) -> None:
    provider, id_, _, outs = up(stack, WAITING)
    stack.emulator.journal.clear()
    workers = stack.api.get(f"/v2/serverless/{id_}/workers").json()["workers"]
    assert workers
    changed = {**WAITING, "image": "runpod/worker:2.0"}
    news = provider.check(outs, changed).inputs
    # The old workers fail health checks: they cannot be cycled, so the release cannot roll out.
    stack.api.post(f"/_emulator/endpoints/{id_}/workers", json={"status": "UNHEALTHY", "count": len(workers)})
    with pytest.raises(ProviderError, match="not serving"):
        provider.update(id_, outs, news)
    assert [c for c in stack.calls() if c.startswith("PATCH")] == ["PATCH updateEndpoint 200"]
    # The state keeps the old outputs; the next `up` reads first and finds the change applied.
    stack.api.post(f"/_emulator/endpoints/{id_}/workers", json={"status": "RUNNING", "count": len(workers)})
    stack.emulator.journal.clear()
    done = provider.update(id_, outs, news).outs
    assert [c for c in stack.calls() if c.startswith("PATCH")] == []  # no second release for the same change
    assert stack.calls()[0] == "GET getEndpoint 200"
    assert done["image"] == "runpod/worker:2.0" and done["rollout"]["stale"] == 0


def test_scale_to_zero_sends_no_idle_timeout_where_v2_refuses_one(stack: Stack) -> None:
    # 0.1 recorded idle_timeout even on a queue endpoint scaling on REQUEST_COUNT; v2 refuses that (422).
    provider, id_, _, outs = up(stack, {**PROGRAM, "scaler_type": "REQUEST_COUNT", "scaler_value": 2})
    stack.clear()
    provider.delete(id_, {**outs, "idle_timeout": 30})
    first = stack.emulator.journal.entries()[0]
    assert first.request == {"workers": {"min": 0, "max": 0}} and first.status == 200


# -- templates bound to endpoints ----------------------------------------------------------------------
def _console_endpoint_on_a_shared_template(stack: Stack) -> tuple[str, str, str]:
    """Two endpoints made in the console from one user template: both are bound to it."""
    template = stack.api.post(
        "/_emulator/templates", json={"name": "team", "image": "team/worker:1", "serverless": True}
    ).json()["id"]
    ids = []
    for name in ("console-a", "console-b"):
        body = {"name": name, "type": "QUEUE", "templateId": template, "gpu": {"pools": ["ADA_24"]},
                "scaling": {"type": "QUEUE_DELAY", "queueDelay": 4}}  # fmt: skip
        made = stack.api.post("/v2/serverless", json=body).json()["id"]
        stack.api.post(f"/_emulator/endpoints/{made}/template", json={"templateId": template})
        ids.append(made)
    return template, ids[0], ids[1]


def test_an_endpoint_this_backend_made_is_deleted_through_v2(stack: Stack) -> None:
    provider, id_, _, outs = up(stack, PROGRAM)
    assert outs["bound_template"] is False
    stack.clear()
    provider.delete(id_, outs)
    assert stack.calls() == ["PATCH updateEndpoint 200", "DELETE deleteEndpoint 204", "GET getEndpoint 404"]


def test_destroying_an_adopted_console_endpoint_never_deletes_the_template_others_use(stack: Stack) -> None:
    template, adopted, other = _console_endpoint_on_a_shared_template(stack)
    program = {k: v for k, v in PROGRAM.items() if k != "image"} | {
        "template_id": template,
        "adopt_existing_id": adopted,
    }
    provider, id_, _, outs = up(stack, program)
    assert id_ == adopted and outs["bound_template"] is None  # v2 cannot tell: treated as possibly bound
    stack.clear()
    provider.delete(id_, outs)
    assert stack.calls() == ["PATCH updateEndpoint 200", "POST deleteEndpoint 200", "GET getEndpoint 404"]
    assert stack.api.get(f"/v2/templates/{template}").status_code == 200  # still there for console-b
    assert stack.api.get(f"/v2/serverless/{other}").status_code == 200


def test_once_graphql_is_switched_off_a_bound_endpoint_is_deleted_through_v2(stack: Stack) -> None:
    _, adopted, _ = _console_endpoint_on_a_shared_template(stack)
    provider = stack.provider()
    outs = provider.read(adopted, {}).outs
    stack.emulator.faults.set([Fault(kind="server_error", match="POST /graphql", status=410, times=-1)])
    stack.clear()
    provider.delete(adopted, outs)
    assert stack.calls()[-3:] == ["POST deleteEndpoint 410", "DELETE deleteEndpoint 204", "GET getEndpoint 404"]


def test_a_wrong_graphql_url_never_falls_back_to_a_v2_delete_of_a_bound_endpoint(stack: Stack) -> None:
    template, adopted, _ = _console_endpoint_on_a_shared_template(stack)
    provider = stack.provider(**{"runpod:apiUrl": "http://emulator/nographql/graphql"})
    outs = provider.read(adopted, {}).outs
    with pytest.raises(ProviderError, match="runpod:apiUrl"):
        provider.delete(adopted, outs)
    assert stack.api.get(f"/v2/serverless/{adopted}").status_code == 200  # nothing deleted
    assert stack.api.get(f"/v2/templates/{template}").status_code == 200


def test_how_an_endpoint_was_made_survives_its_updates(stack: Stack) -> None:
    provider, id_, _, outs = up(stack, PROGRAM)
    updated = update(stack, provider, id_, outs, {**PROGRAM, "workers_max": 5})
    assert updated["bound_template"] is False and updated["created_at"] == outs["created_at"]
    stack.clear()
    provider.delete(id_, updated)
    assert stack.calls()[1] == "DELETE deleteEndpoint 204"


def test_adopting_keeps_everything_the_program_does_not_declare(stack: Stack) -> None:
    body = {"name": "prod", "type": "QUEUE", "image": "old:1", "gpu": {"pools": ["ADA_24"], "count": 2},
            "workers": {"min": 1, "max": 10, "idleTimeout": 120}, "timeout": 600000, "flashboot": "FLASHBOOT",
            "scaling": {"type": "QUEUE_DELAY", "queueDelay": 2}}  # fmt: skip
    made = stack.api.post("/v2/serverless", json=body).json()
    program = {"name": "prod", "image": "new:2", "gpu_pools": ["ADA_24"], "adopt_existing_id": made["id"]}
    provider, id_, inputs, outs = up(stack, program)
    after = remote(stack, id_)
    assert after["image"] == "new:2"
    assert after["workers"] == {"min": 1, "max": 10, "idleTimeout": 120}  # not reset to the defaults 0/3/10
    assert (after["gpu"]["count"], after["timeout"], after["flashboot"]) == (2, 600000, "FLASHBOOT")
    assert after["scaling"] == {"type": "QUEUE_DELAY", "queueDelay": 2}
    assert set(outs["managed_fields"]) == {"name", "image", "gpu_pools"}
    assert "workers_max" not in inputs  # no default is recorded for it either
    stack.clear()
    assert provider.diff(id_, outs, provider.check(inputs, program).inputs).changes is False
    assert stack.calls() == []


def test_adopting_needs_a_name(stack: Stack) -> None:
    provider = stack.provider()
    failures = provider.check({}, {"image": "i:1", "gpu_pools": ["ADA_24"], "adopt_existing_id": "ep1",
                                   "auto_name_prefix": "api"}).failures  # fmt: skip
    assert [f.property for f in failures] == ["name"] and "adopt_existing_id" in failures[0].reason


def test_a_template_reapply_that_timed_out_is_not_applied_again_by_the_next_up(stack: Stack) -> None:
    template = stack.api.post(
        "/_emulator/templates", json={"name": "t", "image": "base:1", "env": {"T": "1"}, "serverless": True}
    ).json()["id"]
    program = {**{k: v for k, v in WAITING.items() if k != "image"}, "template_id": template, "template_revision": "r1"}
    provider, id_, _, outs = up(stack, program)
    workers = stack.api.get(f"/v2/serverless/{id_}/workers").json()["workers"]
    stack.api.post("/_emulator/templates", json={"id": template, "name": "t", "image": "base:2", "env": {"T": "1"},
                                                 "serverless": True})  # fmt: skip
    news = provider.check(outs, {**program, "template_revision": "r2"}).inputs
    stack.api.post(f"/_emulator/endpoints/{id_}/workers", json={"status": "UNHEALTHY", "count": len(workers)})
    stack.clear()
    with pytest.raises(ProviderError, match="not serving"):
        provider.update(id_, outs, news)
    assert [c for c in stack.calls() if c.startswith("PATCH")] == ["PATCH updateEndpoint 200"]
    version = stack.api.get(f"/v2/serverless/{id_}/releases").json()["endpointVersion"]
    stack.api.post(f"/_emulator/endpoints/{id_}/workers", json={"status": "RUNNING", "count": len(workers)})
    stack.clear()
    done = provider.update(id_, outs, news).outs
    assert [c for c in stack.calls() if c.startswith("PATCH")] == []  # the template was applied already
    assert stack.api.get(f"/v2/serverless/{id_}/releases").json()["endpointVersion"] == version
    assert done["image"] == "base:2"


def test_an_unknown_template_is_a_refusal_naming_it_never_a_gone_endpoint_or_a_wrong_url(stack: Stack) -> None:
    program = {k: v for k, v in PROGRAM.items() if k != "image"} | {"template_id": "nosuchtemplate"}
    provider = stack.provider()
    with pytest.raises(ProviderError, match="no record the request names") as failed:
        provider.create(provider.check({}, program).inputs)
    assert "runpod:restUrl" not in str(failed.value)
    provider, id_, _, outs = up(stack, PROGRAM)
    news = provider.check(outs, {**program, "template_revision": "r1"}).inputs
    with pytest.raises(ProviderError, match="The endpoint exists") as refused:
        provider.update(id_, outs, news)
    assert "pulumi refresh" not in str(refused.value)
