"""diff is local and exact: what changed, what replaces, and what is never drift."""

from __future__ import annotations

from typing import Any

import pytest
from pulumi.output import Unknown
from pulumi.runtime import rpc

from pulumi_runpod_endpoint.dynamic.props import unwrap
from pulumi_runpod_endpoint.endpoint.backend import Observed
from pulumi_runpod_endpoint.endpoint.properties import build_outputs, diff_fields, refreshed_inputs
from pulumi_runpod_endpoint.endpoint.provider import ServerlessEndpointProvider

PROVIDER = ServerlessEndpointProvider()
PROGRAM = {
    "name": "api",
    "image": "img:1",
    "gpu_pools": ["ADA_24", "AMPERE_48"],
    "env": {"A": "1", "TOKEN": "{{ RUNPOD_SECRET_tok }}"},
    "data_center_ids": ["EU-RO-1", "US-TX-3"],
}


def checked(values: dict[str, Any]) -> dict[str, Any]:
    result = PROVIDER.check({}, values)
    assert result.failures == [], result.failures
    return result.inputs


def outputs_for(inputs: dict[str, Any], **observed: Any) -> dict[str, Any]:
    """The outputs a create with these inputs records, with the API reporting ``observed`` on top."""
    fields = {**inputs, **observed}
    return build_outputs(
        Observed("ep1", fields),
        inputs=inputs,
        managed=[k for k in inputs if k != "auto_name_prefix"],
        managed_env=sorted(inputs.get("env") or {}),
        backend="rest",
        job_url_base="https://api.runpod.ai/v2",
    )


def diff(olds: dict[str, Any], news: dict[str, Any]) -> tuple[list[str], list[str]]:
    result = PROVIDER.diff("ep1", olds, news)
    return sorted(diff_fields(olds, news)), list(result.replaces or [])


def test_the_same_program_shows_no_change() -> None:
    inputs = checked(PROGRAM)
    assert diff(outputs_for(inputs), inputs) == ([], [])


def test_set_valued_inputs_in_another_order_are_not_a_change() -> None:
    inputs = checked(PROGRAM)
    olds = outputs_for(inputs, gpu_pools=["AMPERE_48", "ADA_24"], data_center_ids=["US-TX-3", "EU-RO-1"])
    assert diff(olds, inputs) == ([], [])


def test_the_flashboot_name_suffix_is_never_drift() -> None:
    inputs = checked(PROGRAM)
    assert diff(outputs_for(inputs, name="api -fb"), inputs) == ([], [])


def test_env_keys_a_template_added_are_neither_drift_nor_removed() -> None:
    inputs = checked(PROGRAM)
    olds = outputs_for(inputs, env={**PROGRAM["env"], "FROM_TEMPLATE": "x"})
    assert diff(olds, inputs) == ([], [])


def test_a_resolved_runpod_secret_reference_is_not_drift() -> None:
    inputs = checked(PROGRAM)
    assert diff(outputs_for(inputs, env={"A": "1", "TOKEN": "resolved-value"}), inputs) == ([], [])


def test_a_changed_or_removed_env_key_is_a_change() -> None:
    inputs = checked(PROGRAM)
    olds = outputs_for(inputs)
    assert diff(olds, checked({**PROGRAM, "env": {"A": "2", "TOKEN": PROGRAM["env"]["TOKEN"]}}))[0] == ["env"]
    assert diff(olds, checked({**PROGRAM, "env": {"A": "1"}}))[0] == ["env"]


def test_a_field_the_api_filled_in_but_the_program_never_set_is_not_drift() -> None:
    inputs = checked(PROGRAM)
    assert diff(outputs_for(inputs, container_disk_gb=20, ports=["80/http"]), inputs) == ([], [])


def test_removing_a_clearable_input_is_a_change_and_an_unclearable_one_only_ends_its_management() -> None:
    inputs = checked(PROGRAM)
    olds = outputs_for(inputs)
    assert diff(olds, checked({k: v for k, v in PROGRAM.items() if k != "data_center_ids"}))[0] == ["data_center_ids"]
    with_disk = checked({**PROGRAM, "container_disk_gb": 20})
    assert diff(outputs_for(with_disk), inputs) == ([], [])


@pytest.mark.parametrize(
    ("change", "replaces"),
    [
        ({"type": "LOAD_BALANCER"}, ["type"]),
        (
            {"gpu_pools": None, "cpu_flavor_ids": ["cpu3c"], "vcpu_count": 2},
            ["cpu_flavor_ids", "gpu_pools", "vcpu_count"],
        ),
        ({"gpu_pools": ["ADA_24"]}, []),
        ({"workers_max": 5}, []),
        ({"image": "img:2"}, []),
    ],
)
def test_only_the_type_and_the_compute_family_replace(change: dict[str, Any], replaces: list[str]) -> None:
    inputs = checked(PROGRAM)
    news = checked({k: v for k, v in {**PROGRAM, **change}.items() if v is not None})
    changed, replaced = diff(outputs_for(inputs), news)
    assert changed
    assert sorted(replaced) == replaces


def test_an_unknown_input_in_a_preview_is_a_change_but_not_a_replacement() -> None:
    inputs = checked(PROGRAM)
    news = {**inputs, "image": Unknown()}
    assert diff(outputs_for(inputs), news) == (["image"], [])


def test_a_new_template_revision_is_a_change() -> None:
    base = checked({**PROGRAM, "template_id": "tpl_1", "template_revision": "r1"})
    assert diff(outputs_for(base), checked({**PROGRAM, "template_id": "tpl_1", "template_revision": "r2"}))[0] == [
        "template_revision"
    ]


def test_a_refresh_makes_drift_visible_on_the_next_preview() -> None:
    inputs = checked(PROGRAM)
    drifted = outputs_for(inputs, workers_max=2, env={"A": "changed", "TOKEN": "x", "EXTRA": "y"})
    refreshed = refreshed_inputs(drifted)
    assert refreshed["workers_max"] == 2
    assert rpc.is_rpc_secret(refreshed["env"]) and unwrap(refreshed["env"]) == {"A": "changed", "TOKEN": "x"}
    assert diff(drifted, inputs)[0] == ["env", "workers_max"]


def test_the_auto_name_is_chosen_once_and_kept() -> None:
    first = PROVIDER.check({}, {**PROGRAM, "name": None, "auto_name_prefix": "api"}).inputs
    assert first["name"].startswith("api-") and len(first["name"]) == len("api-") + 7
    again = PROVIDER.check(first, {**PROGRAM, "name": None, "auto_name_prefix": "api"}).inputs
    assert again["name"] == first["name"]
    explicit = PROVIDER.check(first, {**PROGRAM, "name": "mine"}).inputs
    assert explicit["name"] == "mine" and "auto_name_prefix" not in explicit
