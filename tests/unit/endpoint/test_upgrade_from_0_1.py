"""Stacks made with 0.1 (REST v1 / GraphQL field names) upgrade in place: never a replacement.

The fixture is a real state exported by the previous release (tests/fixtures/legacy_0_1, README
there). For each of its endpoints, the program moved to today's names is checked, then diffed
against the old outputs exactly as the dynamic-provider host does.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import dill
import pytest

from pulumi_runpod_endpoint.endpoint.legacy import upgrade_props
from pulumi_runpod_endpoint.endpoint.properties import diff_fields, spec_from_props
from pulumi_runpod_endpoint.endpoint.provider import ServerlessEndpointProvider

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "legacy_0_1" / "state-show-secrets.json"
SECRET_SIG = "4dabf18193072939515e22adb298388d"


def _plain(value: Any) -> Any:
    """A state export's secret ({sig, plaintext}) as the plain value the host hands a provider."""
    if isinstance(value, dict):
        if SECRET_SIG in value and "plaintext" in value:
            return json.loads(value["plaintext"])
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def old_outputs() -> dict[str, dict[str, Any]]:
    state = json.loads(FIXTURE.read_text())
    return {
        r["urn"].rsplit("::", 1)[1]: _plain(r["outputs"])
        for r in state["deployment"]["resources"]
        if r["type"].endswith(":ServerlessEndpoint") and not r.get("external")
    }


# The fixture's program (tests/fixtures/legacy_0_1/program.py), moved to today's input names
# (moved.json; the end-to-end upgrade test deploys the same inputs with the real CLI).
MOVED: dict[str, dict[str, Any]] = json.loads((FIXTURE.parent / "moved.json").read_text())


@pytest.fixture(scope="module")
def provider() -> ServerlessEndpointProvider:
    return ServerlessEndpointProvider()


def test_the_fixture_holds_every_old_field_family() -> None:
    outputs = old_outputs()
    assert set(outputs) == set(MOVED)
    seen = {name for props in outputs.values() for name in props}
    assert {"gpu_ids", "gpu_type_ids", "instance_ids", "locations", "network_volume_id", "compute_type"} <= seen


@pytest.mark.parametrize("resource", sorted(MOVED))
def test_moving_the_program_to_new_names_never_replaces(provider: ServerlessEndpointProvider, resource: str) -> None:
    olds = old_outputs()[resource]
    checked = provider.check(olds, MOVED[resource])
    assert checked.failures == []
    diff = provider.diff("id", olds, checked.inputs)
    assert diff.replaces == []


@pytest.mark.parametrize(
    ("resource", "expected"),
    [
        # 0.1's defaults were a 600 s job timeout and a 5 s idle timeout; today's are 300 s and 10 s.
        ("cpu-instances", {"execution_timeout_ms", "idle_timeout"}),
        ("cpu-flavors", {"execution_timeout_ms", "idle_timeout"}),
        ("single-volume", {"execution_timeout_ms", "idle_timeout"}),
        # 0.1 let the API pick GPUs; today an endpoint names its pools.
        ("defaults", {"execution_timeout_ms", "gpu_pools", "idle_timeout"}),
        ("gpu-pools", set()),
        ("gpu-types", set()),
    ],
)
def test_the_upgrade_changes_only_what_todays_defaults_change(
    provider: ServerlessEndpointProvider, resource: str, expected: set[str]
) -> None:
    olds = old_outputs()[resource]
    checked = provider.check(olds, MOVED[resource])
    assert set(diff_fields(olds, checked.inputs)) == expected


def test_old_names_translate_to_todays_fields() -> None:
    outputs = old_outputs()
    pools = upgrade_props(outputs["gpu-pools"])
    assert pools["gpu_pools"] == ["AMPERE_24", "ADA_24"]
    assert pools["gpu_excluded_types"] == ["NVIDIA L4"]
    assert pools["flashboot"] == "FLASHBOOT"
    assert "gpu_ids" not in pools and "compute_type" not in pools
    assert "gpu_pools" in pools["managed_fields"] and "gpu_ids" not in pools["managed_fields"]
    types = upgrade_props(outputs["gpu-types"])
    assert sorted(types["gpu_pools"]) == ["ADA_24", "ADA_48_PRO"]
    assert "NVIDIA L40S" not in types["gpu_excluded_types"]
    cpu = upgrade_props(outputs["cpu-instances"])
    assert cpu["cpu"] == [{"flavor_id": "cpu3g", "vcpu_count": 4}]
    assert "gpu_count" not in cpu and "gpu_count" not in cpu["managed_fields"]
    volume = upgrade_props(outputs["single-volume"])
    assert volume["network_volume_ids"] == ["vol-legacy-single"]


def test_old_outputs_still_yield_a_spec_for_delete_and_read() -> None:
    for props in old_outputs().values():
        spec = spec_from_props(props)
        assert spec.name.startswith("legacy-")


def test_the_old_provider_reference_in_the_state_still_unpickles_to_todays_provider() -> None:
    state = json.loads(FIXTURE.read_text())
    blob = next(r for r in state["deployment"]["resources"] if r["type"].endswith(":ServerlessEndpoint"))
    import base64

    provider = dill.loads(base64.b64decode(blob["outputs"]["__provider"]))
    assert isinstance(provider, ServerlessEndpointProvider)
