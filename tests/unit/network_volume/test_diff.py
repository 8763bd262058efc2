"""diff is local and exact: what changes in place, what replaces, and what is never drift."""

from __future__ import annotations

from typing import Any

import pytest
from pulumi.output import Unknown

from pulumi_runpod_endpoint.dynamic.provider import ProviderError
from pulumi_runpod_endpoint.network_volume.properties import build_outputs, refreshed_inputs
from pulumi_runpod_endpoint.network_volume.provider import NetworkVolumeProvider
from pulumi_runpod_endpoint.network_volume.v2 import NetworkVolume
from tests.unit.emulated import configure
from tests.unit.network_volume.conftest import WORLD


def _no_session(_settings: Any) -> Any:
    raise AssertionError("diff must make no API call")


PROVIDER = configure(NetworkVolumeProvider(session_factory=_no_session, catalog=lambda: WORLD))
VOLUME = {"name": "weights", "size_gb": 50, "data_center_id": "US-KS-2"}


def outputs_for(inputs: dict[str, Any], **observed: Any) -> dict[str, Any]:
    """What a create with these inputs records; the API reports its default tier unless told otherwise."""
    reported = {"name": inputs["name"], "size": inputs["size_gb"], "dataCenter": inputs["data_center_id"],
                "type": inputs.get("type", "HIGH_PERFORMANCE"), **observed}  # fmt: skip
    volume = NetworkVolume.model_validate({"id": "vol1", **reported})
    return build_outputs(volume, inputs=inputs, managed=[k for k in inputs if k in VOLUME or k == "type"])


def diff(olds: dict[str, Any], news: dict[str, Any]) -> tuple[bool, list[str]]:
    result = PROVIDER.diff("vol1", olds, news)
    assert result.delete_before_replace is False  # a replacement is made before the old volume goes
    return bool(result.changes), list(result.replaces or [])


def test_the_same_program_shows_no_change() -> None:
    assert diff(outputs_for(VOLUME), VOLUME) == (False, [])


def test_the_data_centers_default_tier_is_not_drift() -> None:
    olds = outputs_for(VOLUME)
    assert olds["type"] == "HIGH_PERFORMANCE" and "type" not in olds["managed_fields"]
    assert diff(olds, VOLUME) == (False, [])


def test_declaring_the_tier_the_volume_already_has_is_no_change() -> None:
    assert diff(outputs_for(VOLUME), {**VOLUME, "type": "HIGH_PERFORMANCE"}) == (False, [])


def test_no_longer_declaring_the_tier_only_ends_its_management() -> None:
    declared = {**VOLUME, "type": "STANDARD"}
    assert diff(outputs_for(declared), VOLUME) == (False, [])


@pytest.mark.parametrize(("change", "field"), [({"name": "renamed"}, "name"), ({"size_gb": 200}, "size_gb")])
def test_name_and_size_change_in_place(change: dict[str, Any], field: str) -> None:
    assert diff(outputs_for(VOLUME), {**VOLUME, **change}) == (True, [])


def test_declaring_another_tier_than_the_real_one_is_refused_without_opt_in() -> None:
    with pytest.raises(ProviderError) as refused:
        diff(outputs_for(VOLUME), {**VOLUME, "type": "STANDARD"})
    assert "from 'HIGH_PERFORMANCE' to 'STANDARD'" in str(refused.value)
    assert "EMPTY" in str(refused.value) and "allow_replacement=True" in str(refused.value)


@pytest.mark.parametrize(
    ("change", "replaces"),
    [({"type": "STANDARD"}, ["type"]), ({"data_center_id": "EU-RO-1"}, ["data_center_id"])],
)
def test_with_allow_replacement_the_data_center_and_tier_replace(change: dict[str, Any], replaces: list[str]) -> None:
    assert diff(outputs_for(VOLUME), {**VOLUME, **change, "allow_replacement": True}) == (True, replaces)


def test_an_unknown_value_in_a_preview_is_a_change_but_not_yet_a_replacement() -> None:
    assert diff(outputs_for(VOLUME), {**VOLUME, "data_center_id": Unknown()}) == (True, [])


def test_the_control_inputs_are_no_change() -> None:
    assert diff(outputs_for(VOLUME), {**VOLUME, "allow_replacement": True, "adopt_existing_id": "vol9"}) == (False, [])


def test_outputs_carry_what_the_api_reports_and_the_controls() -> None:
    outputs = outputs_for({**VOLUME, "allow_replacement": True}, size=60)
    assert outputs == {
        "name": "weights",
        "size_gb": 60,
        "data_center_id": "US-KS-2",
        "type": "HIGH_PERFORMANCE",
        "allow_replacement": True,
        "adopt_existing_id": None,
        "auto_name_prefix": None,
        "managed_fields": ["name", "size_gb", "data_center_id"],
    }


def test_a_refresh_makes_drift_visible_and_keeps_the_default_tier_unmanaged() -> None:
    drifted = outputs_for(VOLUME, size=80, name="renamed-in-console")
    inputs = refreshed_inputs(drifted)
    assert inputs == {"name": "renamed-in-console", "size_gb": 80, "data_center_id": "US-KS-2"}
    assert diff(drifted, VOLUME) == (True, [])
