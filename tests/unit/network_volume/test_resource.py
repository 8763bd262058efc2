"""The program side: the type token, Args and keywords to properties, auto-naming, .get."""

from __future__ import annotations

from typing import Any

import pulumi
import pytest

from pulumi_runpod_endpoint import NetworkVolume, NetworkVolumeArgs
from pulumi_runpod_endpoint.network_volume.resource import TYPE_TOKEN
from tests.unit.pulumi_mocks import RecordingMocks


@pulumi.runtime.test
def test_args_become_snake_case_properties_under_our_type_token(mocks: RecordingMocks) -> Any:
    volume = NetworkVolume(
        "weights", NetworkVolumeArgs(size_gb=100, data_center_id="EU-RO-1", type="STANDARD", allow_replacement=True)
    )

    def verify(_: Any) -> None:
        [resource] = mocks.resources
        assert resource.typ == TYPE_TOKEN == "pulumi-python:dynamic/runpod:NetworkVolume"
        inputs = resource.inputs
        assert (inputs["size_gb"], inputs["data_center_id"], inputs["type"]) == (100, "EU-RO-1", "STANDARD")
        assert inputs["allow_replacement"] is True and inputs["auto_name_prefix"] == "weights"
        assert "__provider" in inputs and "dataCenterId" not in inputs

    return volume.id.apply(verify)


@pulumi.runtime.test
def test_keywords_work_like_args_and_an_explicit_name_needs_no_generated_one(mocks: RecordingMocks) -> Any:
    volume = NetworkVolume("v", name="models", size_gb=50, data_center_id="US-KS-2")

    def verify(_: Any) -> None:
        inputs = mocks.resources[0].inputs
        assert inputs["name"] == "models" and "auto_name_prefix" not in inputs

    return volume.id.apply(verify)


@pulumi.runtime.test
def test_get_reads_an_existing_volume_without_inputs(mocks: RecordingMocks) -> Any:
    volume = NetworkVolume.get("existing", "vol123")

    def verify(volume_id: str) -> None:
        [resource] = mocks.resources
        assert volume_id == "vol123" and resource.resource_id == "vol123"
        assert {k for k in resource.inputs if k != "__provider"} == set()

    return volume.id.apply(verify)


def test_args_and_keywords_together_are_refused() -> None:
    with pytest.raises(TypeError, match="not both"):
        NetworkVolume("x", NetworkVolumeArgs(size_gb=10, data_center_id="EU-RO-1"), size_gb=20)  # type: ignore[call-overload]


def test_an_unknown_keyword_names_the_args_class() -> None:
    with pytest.raises(TypeError, match="NetworkVolumeArgs"):
        NetworkVolume("x", size=10, data_center_id="EU-RO-1")


def test_the_docstring_says_it_bills_until_deleted() -> None:
    assert "bills until it is deleted" in (NetworkVolume.__doc__ or "")
