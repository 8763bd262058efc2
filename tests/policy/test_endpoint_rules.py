"""ServerlessEndpoint rules through pulumi-policy: passing and failing endpoints, messages, config
overrides and remediations. Endpoints are checked by the real provider and cross the wire as the
engine sends them (numbers as doubles), see ``analyzer.py``."""

from __future__ import annotations

from typing import Any

import pytest
from pulumi_policy import ResourceValidationPolicy
from pulumi_policy.secret import Secret

from pulumi_runpod_endpoint.policy import all_policies
from tests.policy.analyzer import (
    PROVIDER_BLOB,
    UNKNOWN,
    Collect,
    Declared,
    endpoint,
    remediate,
    resource_args,
    stack_violations,
    violations,
    volume,
)

ENDPOINT_RULES = (
    "max-workers",
    "endpoint-hourly-cost",
    "scale-to-zero",
    "allowed-gpus",
    "allowed-regions",
    "idle-timeout-bounds",
    "execution-timeout-required",
    "env-secrets-must-be-secret",
    "flashboot-recommended",
)


def test_a_sensible_endpoint_passes_every_endpoint_rule() -> None:
    sensible = endpoint(flashboot=True, env={"HF_TOKEN": "hf_abcdefghijklmnopqrstu"})
    for name in ENDPOINT_RULES:
        assert violations(name, sensible) == [], name


def test_other_resource_types_are_ignored() -> None:
    bucket = Declared("aws:s3/bucket:Bucket", "bucket", {})
    args = resource_args(bucket, props={"workers_max": 999, "env": {"TOKEN": "hf_abcdefghijklmnopqrstu"}})
    reported = Collect()
    for found in all_policies():
        if isinstance(found, ResourceValidationPolicy):
            found.validate(args, reported)
            assert reported == [], found.name
            assert found.remediate(resource_args(bucket, props={"workers_max": 999}, remediation=True)) is None


def test_a_field_the_provider_refuses_is_left_to_its_check_and_the_rest_is_judged() -> None:
    # check names the bad pool; the pack says nothing about it, and still sees workers_max.
    bad_pool = endpoint(gpu_pools=["NOPE"], workers_max=999)
    assert violations("endpoint-hourly-cost", bad_pool) == []
    [message] = violations("max-workers", bad_pool)
    assert "workers_max is 999" in message


# -- max-workers -------------------------------------------------------------------------------------
def test_max_workers__over_the_cap() -> None:
    [message] = violations("max-workers", endpoint(workers_max=20))
    assert message == (
        "ServerlessEndpoint 'inference': workers_max is 20, above the cap of 10 (max-workers). "
        "Fix: set workers_max to 10 or less, or raise the policy's maxWorkers."
    )


def test_max_workers__config_override_as_the_cli_sends_it() -> None:
    # The CLI hands policy config over as a protobuf Struct: 25 arrives as 25.0.
    assert violations("max-workers", endpoint(workers_max=20), config={"maxWorkers": 25.0}) == []
    [message] = violations("max-workers", endpoint(workers_max=4), config={"maxWorkers": 2.0})
    assert "above the cap of 2 " in message


def test_max_workers__remediation_clamps_and_keeps_everything_else() -> None:
    fixed = remediate("max-workers", endpoint(workers_min=12, workers_max=20, env={"A": "b"}))
    assert (fixed["workers_max"], fixed["workers_min"]) == (10, 10)
    assert fixed["__provider"] == PROVIDER_BLOB  # a remediation that dropped it would break the provider
    assert isinstance(fixed["env"], Secret) and fixed["env"].value == {"A": "b"}  # secrecy kept
    assert fixed["gpu_pools"] == ["AMPERE_16"]


def test_max_workers__remediation_uses_the_configured_cap_and_leaves_good_endpoints_alone() -> None:
    assert remediate("max-workers", endpoint(workers_max=8), config={"maxWorkers": 5})["workers_max"] == 5
    assert remediate("max-workers", endpoint(workers_max=8), config={"maxWorkers": 9}) is None
    assert remediate("max-workers", endpoint()) is None


# -- endpoint-hourly-cost -------------------------------------------------------------------------------
def test_endpoint_cost__over_the_ceiling_names_the_price_and_its_source() -> None:
    [message] = violations("endpoint-hourly-cost", endpoint(gpu_pools=["ADA_80_PRO"], gpu_count=2, workers_max=10))
    assert message == (
        "ServerlessEndpoint 'inference': at workers_max=10, with 2 x ADA_80_PRO at $4.176/GPU-h (catalog) per "
        "worker, it can cost $83.52/hour, above the ceiling of $50.00/hour (endpoint-hourly-cost). Fix: lower "
        "workers_max or gpu_count, choose cheaper gpu_pools (or leave dear GPU types out with gpu_excluded_types), "
        "or raise maxHourlyCost."
    )


def test_endpoint_cost__the_dearest_pool_counts() -> None:
    cheap_and_dear = endpoint(gpu_pools=["AMPERE_16", "HOPPER_141"], workers_max=10)
    [message] = violations("endpoint-hourly-cost", cheap_and_dear)
    assert "1 x HOPPER_141 at $5.580/GPU-h (catalog)" in message and "$55.80/hour" in message


def test_endpoint_cost__a_pool_whose_types_are_all_excluded_costs_nothing() -> None:
    h100s = ["NVIDIA H100 80GB HBM3", "NVIDIA H100 PCIe", "NVIDIA H100 NVL"]
    spec = endpoint(gpu_pools=["AMPERE_16", "ADA_80_PRO"], gpu_excluded_types=h100s, gpu_count=4, workers_max=20)
    assert violations("endpoint-hourly-cost", spec) == []  # 20 x 4 x AMPERE_16 $0.576 = $46.08


def test_endpoint_cost__pools_without_a_catalog_price_are_estimates_and_say_so() -> None:
    [message] = violations("endpoint-hourly-cost", endpoint(gpu_pools=["BLACKWELL_96"], workers_max=20))
    assert "1 x BLACKWELL_96 at $4.176/GPU-h (estimate)" in message


def test_endpoint_cost__price_table_override() -> None:
    cheap = endpoint(gpu_pools=["AMPERE_16"], workers_max=10)
    assert violations("endpoint-hourly-cost", cheap) == []
    [message] = violations("endpoint-hourly-cost", cheap, config={"gpuPricesPerHour": {"AMPERE_16": 9.0}})
    assert "AMPERE_16 at $9.000/GPU-h (config)" in message and "$90.00/hour" in message


def test_endpoint_cost__ceiling_override() -> None:
    dear = endpoint(gpu_pools=["ADA_80_PRO"], gpu_count=2, workers_max=10)
    assert violations("endpoint-hourly-cost", dear, config={"maxHourlyCost": 100}) == []


@pytest.mark.parametrize(
    ("cpu", "expected"),
    [
        pytest.param({"cpu_flavor_ids": ["cpu3c", "cpu5c"], "vcpu_count": 32}, "32 vCPU cpu3c", id="flavors"),
        pytest.param(
            {"cpu": [{"flavor_id": "cpu5c", "vcpu_count": 4}, {"flavor_id": "cpu5g", "vcpu_count": 32}]},
            "32 vCPU cpu5g",
            id="mixed-choices",
        ),
    ],
)
def test_endpoint_cost__cpu_endpoints_by_the_dearest_vcpu_choice(cpu: dict[str, Any], expected: str) -> None:
    spec = endpoint(gpu_pools=None, workers_max=40, **cpu)
    [message] = violations("endpoint-hourly-cost", spec)
    assert f"{expected} at $0.050/vCPU-h (estimate)" in message and "$64.00/hour" in message
    assert "lower workers_max or vcpu_count" in message
    assert violations("endpoint-hourly-cost", spec, config={"cpuPricePerVcpuHour": 0.01}) == []


# -- scale-to-zero --------------------------------------------------------------------------------------
def test_scale_to_zero__active_workers_outside_production() -> None:
    [message] = violations("scale-to-zero", endpoint(workers_min=2))
    assert message.startswith("ServerlessEndpoint 'inference': workers_min is 2 outside production")
    assert "Fix: set workers_min to 0, or tag the stack environment=production" in message


@pytest.mark.parametrize(
    "context",
    [
        pytest.param({"stack": "production"}, id="stack-name"),
        pytest.param({"tags": {"environment": "Production"}}, id="stack-tag"),
        pytest.param({"config": {"production": True}}, id="config"),
        pytest.param({"stack": "live", "config": {"productionStacks": ["live"]}}, id="custom-stack-list"),
        pytest.param({"tags": {"tier": "prod"}, "config": {"productionTagKey": "tier"}}, id="custom-tag"),
    ],
)
def test_scale_to_zero__production_may_keep_workers(context: dict[str, Any]) -> None:
    assert violations("scale-to-zero", endpoint(workers_min=2), **context) == []


def test_scale_to_zero__remediation_sets_zero() -> None:
    assert remediate("scale-to-zero", endpoint(workers_min=2))["workers_min"] == 0
    assert remediate("scale-to-zero", endpoint(workers_min=2), stack="prod") is None


# -- allowed-gpus ---------------------------------------------------------------------------------------
POOLS = {"allowedGpuPools": ["AMPERE_16", "AMPERE_24"]}


def test_allowed_gpus__pools() -> None:
    [message] = violations("allowed-gpus", endpoint(gpu_pools=["AMPERE_16", "ADA_80_PRO"]), config=POOLS)
    assert message == (
        "ServerlessEndpoint 'inference': gpu_pools includes 'ADA_80_PRO', which is not allowed (allowed-gpus). "
        "Fix: use only AMPERE_16, AMPERE_24, or add 'ADA_80_PRO' to allowedGpuPools."
    )
    assert violations("allowed-gpus", endpoint(gpu_pools=["AMPERE_24"]), config=POOLS) == []


def test_allowed_gpus__types_workers_may_land_on_after_the_exclusions() -> None:
    config = {"allowedGpuTypes": ["NVIDIA L4", "NVIDIA RTX A5000"]}
    [message] = violations("allowed-gpus", endpoint(gpu_pools=["AMPERE_24"]), config=config)
    assert "gpu_pools 'AMPERE_24' lets workers land on 'NVIDIA GeForce RTX 3090', not allowed GPU types" in message
    assert "Fix: add 'NVIDIA GeForce RTX 3090' to gpu_excluded_types" in message
    excluded = endpoint(gpu_pools=["AMPERE_24"], gpu_excluded_types=["NVIDIA GeForce RTX 3090"])
    assert violations("allowed-gpus", excluded, config=config) == []


@pytest.mark.parametrize(
    ("cpu", "field"),
    [
        pytest.param({"cpu_flavor_ids": ["cpu3c", "cpu5g"], "vcpu_count": 4}, "cpu_flavor_ids", id="flavors"),
        pytest.param({"cpu": [{"flavor_id": "cpu5g", "vcpu_count": 8}]}, "cpu", id="choices"),
    ],
)
def test_allowed_gpus__cpu_flavors(cpu: dict[str, Any], field: str) -> None:
    [message] = violations(
        "allowed-gpus", endpoint(gpu_pools=None, **cpu), config={"allowedCpuFlavors": ["cpu3c", "cpu5c"]}
    )
    assert f"{field} includes 'cpu5g', which is not an allowed CPU flavor (allowed-gpus)" in message
    assert "add 'cpu5g' to allowedCpuFlavors" in message


# -- allowed-regions ------------------------------------------------------------------------------------
def test_allowed_regions__data_centers() -> None:
    config = {"allowedDataCenters": ["EU-RO-1", "EU-SE-1"]}
    [message] = violations("allowed-regions", endpoint(data_center_ids=["EU-RO-1", "US-TX-3"]), config=config)
    assert message == (
        "ServerlessEndpoint 'inference': data_center_ids includes 'US-TX-3' (NORTH_AMERICA), which is not allowed "
        "(allowed-regions). Fix: use only data centers among EU-RO-1, EU-SE-1, or widen the policy's "
        "allowedDataCenters / allowedRegions."
    )
    [unset] = violations("allowed-regions", endpoint(), config=config)
    assert "data_center_ids is not set, so workers may run in any data center" in unset
    assert "set data_center_ids to some of EU-RO-1, EU-SE-1." in unset


def test_allowed_regions__catalog_regions() -> None:
    config = {"allowedRegions": ["europe"]}
    assert violations("allowed-regions", endpoint(data_center_ids=["EU-RO-1", "EUR-IS-1"]), config=config) == []
    [message] = violations("allowed-regions", endpoint(data_center_ids=["US-KS-2"]), config=config)
    assert "'US-KS-2' (NORTH_AMERICA), which is not allowed" in message


def test_allowed_regions__a_volume_keeps_its_data_in_an_allowed_data_center() -> None:
    config = {"allowedRegions": ["EUROPE"]}
    assert violations("allowed-regions", volume(data_center_id="EU-RO-1"), config=config) == []
    [message] = violations("allowed-regions", volume(data_center_id="US-KS-2"), config=config)
    assert message.startswith(
        "NetworkVolume 'weights': data_center_id is 'US-KS-2' (NORTH_AMERICA), which is not allowed "
        "(allowed-regions); the volume's data would live there. Fix: create the volume in one of EU-CZ-1"
    )


# -- idle-timeout-bounds, execution-timeout-required ----------------------------------------------------
def test_idle_timeout_bounds() -> None:
    [message] = violations("idle-timeout-bounds", endpoint(idle_timeout=1800))
    assert "idle_timeout is 1800s, outside 1-300s (idle-timeout-bounds)" in message
    assert violations("idle-timeout-bounds", endpoint(idle_timeout=1800), config={"maxIdleTimeout": 3600}) == []
    assert violations("idle-timeout-bounds", endpoint(idle_timeout=3), config={"minIdleTimeout": 5})


def test_idle_timeout_bounds__no_idle_timeout_applies_to_request_count_queues() -> None:
    spec = endpoint(idle_timeout=None, scaler_type="REQUEST_COUNT", scaler_value=2)
    assert violations("idle-timeout-bounds", spec, config={"minIdleTimeout": 5}) == []


def test_execution_timeout__the_providers_default_is_within_the_limit() -> None:
    assert violations("execution-timeout-required", endpoint()) == []  # 300000 ms, sent on every create


def test_execution_timeout__above_the_limit() -> None:
    [message] = violations("execution-timeout-required", endpoint(execution_timeout_ms=7_200_000))
    assert "execution_timeout_ms is 7200000 (120 min), above the limit of 3600000" in message
    assert (
        violations(
            "execution-timeout-required",
            endpoint(execution_timeout_ms=7_200_000),
            config={"maxExecutionTimeoutMs": 1e7},
        )
        == []
    )


# -- flashboot-recommended --------------------------------------------------------------------------------
def test_flashboot_recommended() -> None:
    [message] = violations("flashboot-recommended", endpoint())  # the provider's default is OFF
    assert message == (
        "ServerlessEndpoint 'inference': flashboot is 'OFF' (flashboot-recommended): cold starts are slower than "
        "with FLASHBOOT. Fix: set flashboot='FLASHBOOT'."
    )
    assert violations("flashboot-recommended", endpoint(flashboot=True)) == []  # True means FLASHBOOT
    assert violations("flashboot-recommended", endpoint(flashboot="PRIORITY_FLASHBOOT")) == []


def test_flashboot_recommended__a_stricter_mode() -> None:
    config = {"recommendedMode": "PRIORITY_FLASHBOOT"}
    [message] = violations("flashboot-recommended", endpoint(flashboot="FLASHBOOT"), config=config)
    assert "flashboot is 'FLASHBOOT'" in message and "set flashboot='PRIORITY_FLASHBOOT'" in message


# -- unknown values during a preview -------------------------------------------------------------------
def test_unknown_fields_are_not_judged_and_known_ones_are() -> None:
    preview = endpoint(workers_max=UNKNOWN, workers_min=3, data_center_ids=UNKNOWN, gpu_pools=[UNKNOWN])
    assert violations("max-workers", preview, config={"maxWorkers": 1}) == []
    assert violations("endpoint-hourly-cost", preview, config={"maxHourlyCost": 0}) == []
    assert violations("allowed-regions", preview, config={"allowedRegions": ["EUROPE"]}) == []
    assert violations("allowed-gpus", preview, config=POOLS) == []
    assert remediate("max-workers", preview, config={"maxWorkers": 1}) is None
    [message] = violations("scale-to-zero", preview)  # workers_min is known
    assert "workers_min is 3" in message
    fixed = remediate("scale-to-zero", preview)
    assert fixed["workers_min"] == 0 and fixed["workers_max"] == UNKNOWN  # the unknown stays unknown


def test_an_endpoint_with_a_generated_name_is_judged() -> None:
    [message] = violations("max-workers", endpoint("auto", workers_max=20))
    assert message.startswith("ServerlessEndpoint 'auto': workers_max is 20")
    assert stack_violations("unique-endpoint-names", [endpoint("a"), endpoint("b")]) == []
