"""Translation rules between the spec and each API's wire shapes (QUIRKS.md)."""

from __future__ import annotations

from typing import Any

from pulumi_runpod_endpoint.api.enums import DATA_CENTER_IDS
from pulumi_runpod_endpoint.api.models import EndpointSpec
from pulumi_runpod_endpoint.api.wire import (
    endpoint_from_graphql,
    endpoint_from_rest,
    graphql_input,
    rest_create_body,
    rest_update_body,
)


def spec(**fields: Any) -> EndpointSpec:
    return EndpointSpec.model_validate({"name": "svc", "template_id": "tmpl12345", **fields})


def test_graphql_input_is_the_full_record_with_env_never_null() -> None:
    data = graphql_input(spec(gpu_ids=["AMPERE_16", "ADA_24"], flashboot=True), "runpod", "ep1")
    assert data == {
        "id": "ep1",
        "name": "svc",
        "templateId": "tmpl12345",
        "gpuIds": "AMPERE_16,ADA_24",
        "gpuCount": 1,
        "idleTimeout": 5,
        "scalerType": "QUEUE_DELAY",
        "scalerValue": 4,
        "workersMin": 0,
        "workersMax": 3,
        "env": [],
        "flashBootType": "FLASHBOOT",
    }
    assert None not in data.values()


def test_graphql_input_shapes_lists_env_and_volumes() -> None:
    data = graphql_input(
        spec(
            gpu_ids=["AMPERE_80"],
            locations=["US", "EU-RO-1"],
            allowed_cuda_versions=["12.8", "12.9"],
            network_volume_ids=["vol1", "vol2"],
            env={"MODEL": "llama"},
        ),
        "runpod",
    )
    assert data["locations"] == "US,EU-RO-1"
    assert data["allowedCudaVersions"] == "12.8,12.9"
    assert data["networkVolumeIds"] == [{"networkVolumeId": "vol1"}, {"networkVolumeId": "vol2"}]
    assert data["env"] == [{"key": "MODEL", "value": "llama"}]
    assert "id" not in data


def test_tensorone_flashboot_uses_the_name_suffix() -> None:
    data = graphql_input(spec(gpu_ids=["AMPERE_16"], flashboot=True), "tensorone")
    assert data["name"] == "svc -fb"
    assert "flashBootType" not in data


def test_graphql_cpu_endpoint_sends_instance_ids() -> None:
    data = graphql_input(spec(instance_ids=["cpu3g-4-16"]), "runpod")
    assert data["instanceIds"] == ["cpu3g-4-16"]
    assert data["gpuIds"] == ""
    assert "gpuCount" not in data


def test_rest_create_body_sends_only_what_is_declared() -> None:
    body = rest_create_body(spec(gpu_type_ids=["NVIDIA L4"], data_center_ids=["EU-RO-1"]))
    assert body["gpuTypeIds"] == ["NVIDIA L4"]
    assert body["dataCenterIds"] == ["EU-RO-1"]
    assert body["computeType"] == "GPU"
    assert "networkVolumeId" not in body


def test_rest_update_body_states_removals_explicitly() -> None:
    body = rest_update_body(spec(gpu_type_ids=["NVIDIA L4"]))
    assert body["dataCenterIds"] == list(DATA_CENTER_IDS)
    assert body["networkVolumeId"] == ""
    assert body["networkVolumeIds"] == []
    assert body["allowedCudaVersions"] == []
    assert "computeType" not in body  # not in EndpointUpdateInput: compute type is replace-only


def test_rest_cpu_body_uses_flavors_and_vcpus() -> None:
    body = rest_create_body(spec(cpu_flavor_ids=["cpu3c"], vcpu_count=8))
    assert (body["computeType"], body["cpuFlavorIds"], body["vcpuCount"]) == ("CPU", ["cpu3c"], 8)
    assert "gpuCount" not in body


def test_rest_answer_is_normalized() -> None:
    endpoint = endpoint_from_rest(
        {
            "id": "e1",
            "name": "svc -fb",
            "computeType": "CPU",
            "instanceIds": ["cpu3c-8-16"],
            "dataCenterIds": "EU-NL-1,EU-RO-1",
            "env": {"A": "1"},
        }
    )
    assert endpoint.name == "svc"
    assert endpoint.flashboot is True
    assert endpoint.cpu_flavor_ids == ["cpu3c"]
    assert endpoint.vcpu_count == 8
    assert endpoint.data_center_ids == ["EU-NL-1", "EU-RO-1"]
    assert endpoint.env == {"A": "1"}


def test_rest_answer_without_suffix_reports_flashboot_unknown() -> None:
    assert endpoint_from_rest({"id": "e1", "name": "svc"}).flashboot is None


def test_graphql_answer_is_normalized_for_both_flavors() -> None:
    body = {
        "id": "e1",
        "name": "svc -fb",
        "gpuIds": "AMPERE_16,ADA_24",
        "allowedCudaVersions": "12.8",
        "locations": "",
        "env": [{"key": "A", "value": "1"}],
        "networkVolumeIds": [{"networkVolumeId": "v1", "dataCenterId": None}],
    }
    runpod = endpoint_from_graphql({**body, "flashBootType": "OFF", "pods": [{"desiredStatus": "RUNNING"}]}, "runpod")
    assert runpod.name == "svc"
    assert runpod.flashboot is True  # the suffix is evidence too
    assert runpod.gpu_ids == ["AMPERE_16", "ADA_24"]
    assert runpod.locations is None
    assert runpod.network_volume_ids == ["v1"]
    assert runpod.env == {"A": "1"}
    assert runpod.workers is not None and runpod.workers[0].desired_status == "RUNNING"
    tensor = endpoint_from_graphql({**body, "clusters": [{"desiredStatus": "EXITED"}]}, "tensorone")
    assert tensor.workers is not None and tensor.workers[0].desired_status == "EXITED"
