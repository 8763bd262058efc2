"""Every rule against passing and failing endpoints, with the message, via pulumi-policy's API."""

from __future__ import annotations

from typing import Any

import pytest
from pulumi_policy import EnforcementLevel
from pulumi_policy.secret import Secret

from pulumi_runpod_endpoint.api.models import EndpointSpec
from pulumi_runpod_endpoint.policy import DEFAULTS, POLICY_TABLE, hourly_cost
from pulumi_runpod_endpoint.policy.rules import looks_secret
from tests.policy.helpers import BASE, remediate, stack_violations, violations


def test_a_sensible_endpoint_passes_every_rule() -> None:
    for spec in POLICY_TABLE:
        if spec.resource_rule is not None:
            assert violations(spec.name) == [], spec.name
        else:
            assert stack_violations(spec.name, [("a", {})]) == [], spec.name


def test_other_resource_types_are_ignored() -> None:
    assert violations("max-workers", {"workers_max": 999}, resource_type="aws:s3/bucket:Bucket") == []


def test_invalid_inputs_are_left_to_the_provider_check() -> None:
    assert violations("max-workers", {"workers_max": 999, "gpu_ids": ["NOPE"]}) == []


# -- max-workers ---------------------------------------------------------------------------------
def test_max_workers__over_the_cap() -> None:
    [message] = violations("max-workers", {"workers_max": 20})
    assert message == (
        "ServerlessEndpoint 'inference': workers_max is 20, above the cap of 10 (max-workers). "
        "Fix: set workers_max to 10 or less, or raise the policy's maxWorkers."
    )


def test_max_workers__config_override() -> None:
    assert violations("max-workers", {"workers_max": 20}, config={"maxWorkers": 25}) == []
    assert violations("max-workers", {"workers_max": 4}, config={"maxWorkers": 2})


def test_max_workers__remediation_clamps() -> None:
    fixed = remediate("max-workers", {**BASE, "workers_min": 12, "workers_max": 20})
    assert (fixed["workers_max"], fixed["workers_min"]) == (10, 10)
    assert remediate("max-workers", BASE) is None


def test_max_workers__remediation_uses_the_configured_cap() -> None:
    fixed = remediate("max-workers", {**BASE, "workers_max": 8}, config={"maxWorkers": 5})
    assert fixed["workers_max"] == 5
    assert remediate("max-workers", {**BASE, "workers_max": 8}, config={"maxWorkers": 9}) is None


# -- cost ------------------------------------------------------------------------------------------
def test_endpoint_cost__over_the_ceiling() -> None:
    [message] = violations("endpoint-hourly-cost", {"gpu_ids": ["ADA_80_PRO"], "gpu_count": 2, "workers_max": 10})
    assert "ServerlessEndpoint 'inference': at workers_max=10 (2 x ADA_80_PRO at $4.176/h per worker)" in message
    assert "$83.52/hour, above the ceiling of $50.00/hour (endpoint-hourly-cost)" in message
    assert "Fix: lower workers_max" in message


def test_endpoint_cost__price_table_override() -> None:
    overrides = {"gpu_ids": ["AMPERE_16"], "workers_max": 10}
    assert violations("endpoint-hourly-cost", overrides) == []
    assert violations("endpoint-hourly-cost", overrides, config={"gpuPricesPerHour": {"AMPERE_16": 9.0}})


def test_endpoint_cost__rest_gpu_types_are_priced_by_their_pool() -> None:
    spec = EndpointSpec(name="a", template_id="t", gpu_type_ids=["NVIDIA H100 80GB HBM3", "NVIDIA L4"], workers_max=2)
    assert hourly_cost(spec).dollars == pytest.approx(2 * 4.176)


def test_endpoint_cost__unknown_gpus_are_priced_as_the_dearest() -> None:
    spec = EndpointSpec(name="a", template_id="t", workers_max=1)
    assert hourly_cost(spec).dollars == pytest.approx(8.64)


def test_endpoint_cost__cpu_endpoints_by_vcpu() -> None:
    spec = EndpointSpec(name="a", template_id="t", instance_ids=["cpu3g-8-32"], workers_max=4)
    assert hourly_cost(spec, cpu_price_per_vcpu_hour=0.1).dollars == pytest.approx(3.2)


def test_stack_cost__sums_every_endpoint() -> None:
    big = {"gpu_ids": ["ADA_80_PRO"], "workers_max": 10}
    assert stack_violations("stack-hourly-cost", [("a", big), ("b", big)]) == []
    [message] = stack_violations("stack-hourly-cost", [("a", big), ("b", big)], {"maxStackHourlyCost": 50})
    assert "can cost $83.52/hour at full scale, above the ceiling of $50.00/hour (stack-hourly-cost)" in message
    assert "'a' $41.76/h" in message and "Fix: lower workers_max" in message


# -- scale to zero -------------------------------------------------------------------------------
def test_scale_to_zero__active_workers_outside_production() -> None:
    [message] = violations("scale-to-zero", {"workers_min": 2})
    assert message.startswith("ServerlessEndpoint 'inference': workers_min is 2 outside production")
    assert "Fix: set workers_min to 0, or tag the stack environment=production" in message


@pytest.mark.parametrize(
    "context",
    [
        pytest.param({"stack": "production"}, id="stack-name"),
        pytest.param({"tags": {"environment": "Production"}}, id="stack-tag"),
        pytest.param({"config": {"production": True}}, id="config"),
        pytest.param({"stack": "live", "config": {"productionStacks": ["live"]}}, id="custom-stack-list"),
    ],
)
def test_scale_to_zero__production_may_keep_workers(context: dict[str, Any]) -> None:
    assert violations("scale-to-zero", {"workers_min": 2}, **context) == []


def test_scale_to_zero__remediation_sets_zero() -> None:
    assert remediate("scale-to-zero", {**BASE, "workers_min": 2})["workers_min"] == 0
    assert remediate("scale-to-zero", {**BASE, "workers_min": 2}, stack="prod") is None


# -- GPUs and regions ----------------------------------------------------------------------------
def test_allowed_gpus__pools_and_types() -> None:
    config = {"allowedGpuPools": ["AMPERE_16", "AMPERE_24"]}
    [message] = violations("allowed-gpus", {"gpu_ids": ["AMPERE_16", "ADA_80_PRO"]}, config=config)
    assert "gpu_ids includes 'ADA_80_PRO', which is not allowed (allowed-gpus)" in message
    assert "Fix: use only AMPERE_16, AMPERE_24" in message
    rest = {"gpu_ids": None, "gpu_type_ids": ["NVIDIA L4", "NVIDIA B200"]}
    [message] = violations("allowed-gpus", rest, config=config)
    assert "gpu_type_ids includes 'NVIDIA B200'" in message
    assert violations("allowed-gpus", {"gpu_ids": ["AMPERE_16", "-NVIDIA RTX A4000"]}, config=config) == []


def test_allowed_regions__data_centers_and_locations() -> None:
    config = {"allowedDataCenters": ["EU-RO-1", "EU-SE-1"], "allowedLocations": ["RO"]}
    rest = {"gpu_ids": None, "gpu_type_ids": ["NVIDIA L4"], "env": None}
    [message] = violations(
        "allowed-regions",
        {**rest, "data_center_ids": ["EU-RO-1", "US-TX-3"]},
        config={"allowedDataCenters": config["allowedDataCenters"]},
    )
    assert "data_center_ids includes 'US-TX-3', which is not allowed (allowed-regions)" in message
    [message] = violations("allowed-regions", {**rest}, config={"allowedDataCenters": ["EU-RO-1"]})
    assert "data_center_ids is not set, so workers may run in any region" in message
    [message] = violations("allowed-regions", {"locations": ["US"]}, config={"allowedLocations": ["RO"]})
    assert "locations includes 'US'" in message


# -- timeouts -----------------------------------------------------------------------------------
def test_idle_timeout_bounds() -> None:
    [message] = violations("idle-timeout-bounds", {"idle_timeout": 1800})
    assert "idle_timeout is 1800s, outside 1-300s (idle-timeout-bounds)" in message
    assert violations("idle-timeout-bounds", {"idle_timeout": 1800}, config={"maxIdleTimeout": 3600}) == []


def test_execution_timeout_required() -> None:
    [missing] = violations("execution-timeout-required", {"execution_timeout_ms": None})
    assert "execution_timeout_ms is not set, so a runaway job can bill" in missing
    [too_long] = violations("execution-timeout-required", {"execution_timeout_ms": 7_200_000})
    assert "execution_timeout_ms is 7200000, above the limit of 3600000" in too_long


# -- secrets ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "value", "secret"),
    [
        pytest.param("HF_TOKEN", "abc", True, id="name-token"),
        pytest.param("DB_PASSWORD", "hunter2", True, id="name-password"),
        pytest.param("MODEL", "hf_AbCdEfGhIjKlMnOpQrSt", True, id="prefix"),
        pytest.param("BLOB", "q8Zr2LmX9vT4pW7kN1sB6yF3hJ0", True, id="high-entropy"),
        pytest.param("MODEL", "meta-llama/Llama-3-8B", False, id="model-name"),
        pytest.param("MAX_TOKENS_PER_BATCH", "4096", True, id="conservative-name-match"),
        pytest.param("LOG_LEVEL", "info", False, id="plain"),
    ],
)
def test_looks_secret(name: str, value: str, secret: bool) -> None:
    assert looks_secret(name, value) is secret


def test_env_secrets__plain_credentials_are_a_violation() -> None:
    env = {"HF_TOKEN": "hf_abcdefghijklmnopqrstu", "MODEL": "llama"}
    [message] = violations("env-secrets-must-be-secret", {"env": env}, secret_outputs=[])
    assert "env HF_TOKEN looks like credentials but are plain strings" in message
    assert "Fix: pass them as secrets: pulumi.Output.secret(value)" in message


def test_env_secrets__a_resource_that_keeps_env_secret_passes() -> None:
    # ServerlessEndpoint marks env secret (input and additional_secret_outputs).
    assert violations("env-secrets-must-be-secret", {"env": {"HF_TOKEN": "hf_abcdefghijklmnopqrstu"}}) == []


def test_env_secrets__remediation_wraps_plain_credentials_and_keeps_the_rest() -> None:
    props = {**BASE, "env": {"HF_TOKEN": "hf_abcdefghijklmnopqrstu", "MODEL": "llama"}}
    fixed = remediate("env-secrets-must-be-secret", props)
    assert isinstance(fixed["env"]["HF_TOKEN"], Secret)
    assert fixed["env"]["MODEL"] == "llama"


def test_env_secrets__remediation_leaves_secrets_alone() -> None:
    props = {**BASE, "env": Secret({"HF_TOKEN": "hf_abcdefghijklmnopqrstu"})}
    assert remediate("env-secrets-must-be-secret", props) is None


# -- advice and stack rules ------------------------------------------------------------------
def test_flashboot_recommended() -> None:
    [message] = violations("flashboot-recommended", {"flashboot": False})
    assert "flashboot is off (flashboot-recommended)" in message and "Fix: set flashboot=True" in message


def test_unique_endpoint_names() -> None:
    [message] = stack_violations("unique-endpoint-names", [("a", {"name": "api"}), ("b", {"name": "api"}), ("c", {})])
    assert message.startswith("ServerlessEndpoints 'a', 'b' share the name 'api' (unique-endpoint-names)")


# -- the pack's shape --------------------------------------------------------------------------
def test_every_rule_has_a_level_and_a_config_schema_with_defaults() -> None:
    levels = {spec.name: spec.level for spec in POLICY_TABLE}
    assert levels["flashboot-recommended"] is EnforcementLevel.ADVISORY
    assert levels["env-secrets-must-be-secret"] is EnforcementLevel.REMEDIATE
    assert levels["max-workers"] is EnforcementLevel.MANDATORY
    assert set(levels) == set(DEFAULTS)
