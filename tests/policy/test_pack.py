"""The pack's shape: levels, config schemas with defaults, the example config, prices, what the pack
reads from pulumi-policy's arguments, and that no rule ever fails on a value a preview cannot know."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from pulumi_policy import EnforcementLevel, ResourceValidationPolicy, StackValidationPolicy
from pulumi_policy.proxy import UNKNOWN_BOOLEAN_VALUE, UNKNOWN_NUMBER_VALUE, unknown_checking_proxy
from pulumi_policy.secret import Secret, secrets_preserving_proxy

from pulumi_runpod_endpoint.api.catalog import shipped_catalog
from pulumi_runpod_endpoint.policy import DEFAULTS, POLICY_TABLE, RULE_SETTINGS, all_policies, policy
from pulumi_runpod_endpoint.policy.adapter import props_of, raw
from pulumi_runpod_endpoint.policy.prices import GPU_ESTIMATES_PER_HOUR, cpu_price, gpu_prices
from tests.policy.analyzer import (
    UNKNOWN,
    Collect,
    Declared,
    endpoint,
    registry_auth,
    remediate,
    stack_args,
    template,
    violations,
    volume,
)

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE_CONFIG = ROOT / "examples" / "policy-pack" / "policy-config.example.json"

LEVELS = {
    "max-workers": EnforcementLevel.MANDATORY,
    "endpoint-hourly-cost": EnforcementLevel.MANDATORY,
    "stack-hourly-cost": EnforcementLevel.MANDATORY,
    "scale-to-zero": EnforcementLevel.MANDATORY,
    "allowed-gpus": EnforcementLevel.MANDATORY,
    "allowed-regions": EnforcementLevel.MANDATORY,
    "idle-timeout-bounds": EnforcementLevel.MANDATORY,
    "execution-timeout-required": EnforcementLevel.MANDATORY,
    "env-secrets-must-be-secret": EnforcementLevel.REMEDIATE,
    "flashboot-recommended": EnforcementLevel.ADVISORY,
    "unique-endpoint-names": EnforcementLevel.MANDATORY,
    "volume-size-cap": EnforcementLevel.MANDATORY,
    "volumes-in-endpoint-data-centers": EnforcementLevel.MANDATORY,
    "one-volume-per-data-center": EnforcementLevel.MANDATORY,
    "registry-passwords-must-be-secret": EnforcementLevel.REMEDIATE,
    "no-public-template-env": EnforcementLevel.MANDATORY,
}
REMEDIATED = {"max-workers", "scale-to-zero", "env-secrets-must-be-secret", "registry-passwords-must-be-secret"}


def test_every_rule_with_its_level_and_remediation() -> None:
    built = all_policies()
    assert {p.name: p.enforcement_level for p in built} == LEVELS
    assert {spec.name for spec in POLICY_TABLE if spec.remediation} == REMEDIATED
    for found in built:
        if isinstance(found, ResourceValidationPolicy):
            assert found.has_remediation() is (found.name in REMEDIATED), found.name
    assert {p.name for p in built if isinstance(p, StackValidationPolicy)} == {
        "stack-hourly-cost",
        "unique-endpoint-names",
        "volumes-in-endpoint-data-centers",
        "one-volume-per-data-center",
    }


def test_every_rule_has_a_config_schema_whose_defaults_are_the_rules_defaults() -> None:
    for found in all_policies():
        schema = found.config_schema
        assert schema is not None and schema.properties, found.name
        assert {key: value["default"] for key, value in schema.properties.items()} == DEFAULTS[found.name]
        for key, value in schema.properties.items():
            jsonschema.validate(value["default"], {k: v for k, v in value.items() if k != "default"})
            assert value.get("description"), (found.name, key)


def test_the_example_config_is_valid_and_current() -> None:
    example = json.loads(EXAMPLE_CONFIG.read_text())
    assert set(example) == set(RULE_SETTINGS), "every rule shows up in the example"
    for name, conf in example.items():
        if isinstance(conf, str):
            assert conf in {level.value for level in EnforcementLevel}
            continue
        settings = {key: value for key, value in conf.items() if key != "enforcementLevel"}
        assert set(settings) <= set(RULE_SETTINGS[name]), name
        schema = {"type": "object", "properties": policy(name).config_schema.properties}  # type: ignore[union-attr]
        jsonschema.validate(settings, schema)


def test_one_rule_can_be_taken_alone() -> None:
    assert policy("volume-size-cap").name == "volume-size-cap"
    with pytest.raises(ValueError, match="not enough values"):
        policy("no-such-rule")


# -- unknowns: a preview never fails a rule -----------------------------------------------------------------
def everything_unknown(declared: Declared) -> Declared:
    declared.inputs = {key: UNKNOWN for key in declared.inputs}
    return declared


PREVIEWS = [
    pytest.param(everything_unknown(endpoint(workers_max=50, env={"HF_TOKEN": "x"})), id="endpoint-all-unknown"),
    pytest.param(endpoint(workers_max=50, gpu_pools=[UNKNOWN], env={"A": UNKNOWN}), id="endpoint-some-unknown"),
    pytest.param(everything_unknown(volume(size_gb=9000)), id="volume-all-unknown"),
    pytest.param(everything_unknown(registry_auth()), id="registry-auth-all-unknown"),
    pytest.param(everything_unknown(template(public=True, env={"A": "b"})), id="template-all-unknown"),
]


@pytest.mark.parametrize("declared", PREVIEWS)
def test_no_policy_fails_on_unknown_values(declared: Declared) -> None:
    declared.secret_inputs, declared.secret_outputs = (), ()  # the strictest case for the secret rules
    strict = {"maxWorkers": 0, "maxHourlyCost": 0, "maxSizeGb": 10, "allowedRegions": ["EUROPE"]}
    for found in all_policies():
        if isinstance(found, ResourceValidationPolicy):
            reported = violations(found.name, declared, config=strict)
            assert all("unknown" not in message.lower() for message in reported), reported
            remediate(found.name, declared, config=strict)  # must not raise UnknownValueError
        else:
            found.validate(stack_args([declared], config=strict), Collect())


def test_unknown_sentinels_of_every_kind_are_recognized() -> None:
    props = props_of({"workers_max": UNKNOWN_NUMBER_VALUE, "wait_for_rollout": UNKNOWN_BOOLEAN_VALUE, "a": 1.0})
    assert props.unknown == {"workers_max", "wait_for_rollout"} and props.values == {"a": 1}


# -- reading pulumi-policy's arguments ---------------------------------------------------------------------
def test_raw_values_come_out_of_both_kinds_of_proxy_with_secret_markers_kept() -> None:
    values: dict[str, Any] = {"env": Secret({"A": "b"}), "ids": ["x", UNKNOWN], "n": 3.0}
    for proxied in (unknown_checking_proxy(dict(values)), unknown_checking_proxy(secrets_preserving_proxy(values))):
        out = raw(proxied)
        assert isinstance(out["env"], Secret) and out["env"].value == {"A": "b"}
        assert out["ids"] == ["x", UNKNOWN] and out["n"] == 3.0


def test_props_whole_numbers_secrets_and_partly_unknown_values() -> None:
    props = props_of(
        {"workers_max": 20.0, "scaler_value": 0.5, "env": {"A": Secret("1"), "B": "2"}, "ids": [UNKNOWN, "vol1"]},
        markers=True,
        secret_outputs=("env",),
    )
    assert props.values == {"workers_max": 20, "scaler_value": 0.5, "env": {"A": "1", "B": "2"}}
    assert isinstance(props.values["workers_max"], int)
    assert props.unknown == {"ids"} and props.partial == {"ids": [None, "vol1"]}
    assert props.is_secret("env", "A") is True and props.is_secret("env", "B") is False
    assert props.secret_outputs == {"env"}
    assert props_of({"env": {"A": "1"}}).is_secret("env", "A") is None  # validations cannot see it


# -- prices --------------------------------------------------------------------------------------------------
def test_every_serverless_pool_has_a_price_and_only_the_named_ones_are_estimates() -> None:
    prices = gpu_prices()
    pools = set(shipped_catalog().pools())
    assert pools <= set(prices)
    assert {pool for pool, price in prices.items() if price.source == "estimate"} == set(GPU_ESTIMATES_PER_HOUR)
    assert prices["ADA_80_PRO"].dollars == pytest.approx(4.176) and prices["ADA_80_PRO"].source == "catalog"
    assert gpu_prices({"ADA_80_PRO": 3.0})["ADA_80_PRO"].source == "config"


def test_cpu_prices_are_estimates_until_the_catalog_has_them() -> None:
    assert cpu_price("cpu3c").source == "estimate"
    assert cpu_price("cpu3c", 0.02).dollars == pytest.approx(0.02)


# -- rules are plain functions ---------------------------------------------------------------------------
PROBE = r"""
import importlib, importlib.abc, json, sys

class Blocker(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("pulumi", "pulumi_policy", "grpc"):
            raise ImportError(f"blocked import of {name}")
        return None

sys.meta_path.insert(0, Blocker())
import pulumi_runpod_endpoint.policy.rules as rules
from pulumi_runpod_endpoint.policy.facts import Props, endpoint_facts
facts = endpoint_facts(Props({"name": "a", "image": "x", "gpu_pools": ["AMPERE_16"], "workers_max": 20}), "a")
print(json.dumps(rules.max_workers(facts, {})))
"""


def test_the_auto_name_key_is_the_resources_own() -> None:
    from pulumi_runpod_endpoint.dynamic.props import AUTO_NAME
    from pulumi_runpod_endpoint.policy import facts

    assert facts.AUTO_NAME == AUTO_NAME


def test_the_rules_import_and_run_without_pulumi_or_pulumi_policy() -> None:
    done = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == [
        "ServerlessEndpoint 'a': workers_max is 20, above the cap of 10 (max-workers). "
        "Fix: set workers_max to 10 or less, or raise the policy's maxWorkers."
    ]
