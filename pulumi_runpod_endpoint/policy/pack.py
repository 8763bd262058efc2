"""pulumi-policy objects for the rules in ``rules.py``: match, config schema, level, remediation.

Nothing here starts a policy server: ``PolicyPack(...)`` does, so only the pack project's
``__main__.py`` builds one (``examples/policy-pack``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    PolicyConfigSchema,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
)
from pulumi_policy.secret import Secret

from ..resource import TYPE_TOKEN
from . import rules
from .rules import DEFAULTS, EndpointFacts, endpoint_facts, looks_secret

__all__ = ["POLICY_TABLE", "PolicySpec", "all_policies", "facts_from_args"]

ResourceRule = Callable[[EndpointFacts, Mapping[str, Any]], list[str]]
StackRule = Callable[[list[EndpointFacts], Mapping[str, Any]], list[str]]

_NUMBER = {"type": "number", "minimum": 0}
_STRINGS = {"type": "array", "items": {"type": "string"}}
_PRICES = {"type": "object", "additionalProperties": {"type": "number", "minimum": 0}}
_SCHEMAS: dict[str, dict[str, dict[str, Any]]] = {
    "max-workers": {"maxWorkers": {"type": "integer", "minimum": 0}},
    "endpoint-hourly-cost": {"maxHourlyCost": _NUMBER, "gpuPricesPerHour": _PRICES, "cpuPricePerVcpuHour": _NUMBER},
    "stack-hourly-cost": {"maxStackHourlyCost": _NUMBER, "gpuPricesPerHour": _PRICES, "cpuPricePerVcpuHour": _NUMBER},
    "scale-to-zero": {
        "production": {"type": "boolean"},
        "productionStacks": _STRINGS,
        "productionTagKey": {"type": "string"},
        "productionTagValues": _STRINGS,
    },
    "allowed-gpus": {"allowedGpuPools": _STRINGS, "allowedGpuTypes": _STRINGS},
    "allowed-regions": {"allowedDataCenters": _STRINGS, "allowedLocations": _STRINGS},
    "idle-timeout-bounds": {"minIdleTimeout": {"type": "integer"}, "maxIdleTimeout": {"type": "integer"}},
    "execution-timeout-required": {"maxExecutionTimeoutMs": {"type": "integer", "minimum": 1000}},
    "env-secrets-must-be-secret": {
        "secretNamePatterns": _STRINGS,
        "minEntropyBitsPerChar": _NUMBER,
        "minSecretLength": {"type": "integer", "minimum": 1},
    },
    "flashboot-recommended": {},
    "unique-endpoint-names": {},
}


def _schema(name: str) -> PolicyConfigSchema:
    properties = {key: {**spec, "default": DEFAULTS[name][key]} for key, spec in _SCHEMAS[name].items()}
    return PolicyConfigSchema(properties=properties)


@dataclass(frozen=True)
class PolicySpec:
    """One row of the README's rule table."""

    name: str
    description: str
    level: EnforcementLevel
    resource_rule: ResourceRule | None = None
    stack_rule: StackRule | None = None
    remediation: Callable[[EndpointFacts, Mapping[str, Any]], dict[str, Any] | None] | None = None


# -- from pulumi-policy's arguments to facts ---------------------------------------------------
def _raw(value: Any) -> Any:
    """Under remediation pulumi-policy wraps props in proxies; the raw values keep ``Secret``."""
    for _ in range(4):
        if isinstance(value, dict | list | Secret) or value is None:
            return value
        try:
            value = value["__target"]
        except (KeyError, TypeError, IndexError):
            return value
    return value


def _env_secrecy(args: ResourceValidationArgs, raw_env: Any, *, secrets_visible: bool) -> dict[str, bool] | None:
    """Which env values are secrets. pulumi-policy shows secrecy only to remediations (as
    ``Secret`` markers); validations see plain values, so there the resource's own promise --
    ``env`` in additional_secret_outputs, which ServerlessEndpoint always makes and which goes
    with marking the input secret -- is the evidence."""
    if isinstance(raw_env, Secret):
        return dict.fromkeys(_plain(raw_env.value) or {}, True)
    if isinstance(raw_env, dict) and any(isinstance(_raw(v), Secret) for v in raw_env.values()):
        return {key: isinstance(_raw(value), Secret) for key, value in raw_env.items()}
    if not isinstance(raw_env, dict):
        return None
    if secrets_visible:
        return dict.fromkeys(raw_env, False)
    declared = "env" in (getattr(args.opts, "additional_secret_outputs", None) or [])
    return dict.fromkeys(raw_env, declared)


def _plain(value: Any) -> Any:
    """Raw values with every proxy and ``Secret`` marker removed."""
    value = _raw(value)
    if isinstance(value, Secret):
        return _plain(value.value)
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def _raw_props(args: ResourceValidationArgs) -> dict[str, Any]:
    """The resource's props without pulumi-policy's proxies (``Secret`` markers kept)."""
    raw = _raw(args.props)
    return dict(raw) if isinstance(raw, dict) else {key: args.props[key] for key in args.props}


def facts_from_args(args: ResourceValidationArgs, *, secrets_visible: bool = False) -> EndpointFacts | None:
    """The endpoint behind a policy call. ``secrets_visible``: the props carry ``Secret``
    markers (true for remediations), so an unmarked value really is a plain string."""
    if args.resource_type != TYPE_TOKEN:
        return None
    raw = _raw_props(args)
    secrecy = _env_secrecy(args, _raw(raw.get("env")), secrets_visible=secrets_visible)
    return endpoint_facts(_plain(raw), args.name, args.urn, args.stack_tags, secrecy)


def _stack_facts(args: StackValidationArgs) -> list[EndpointFacts]:
    found = []
    for resource in args.resources:
        if resource.resource_type != TYPE_TOKEN:
            continue
        facts = endpoint_facts(resource.props, resource.name, resource.urn, args.stack_tags)
        if facts is not None:
            found.append(facts)
    return found


# -- remediations (only where the fix is unambiguous) ---------------------------------------------
def _clamp_workers(facts: EndpointFacts, config: Mapping[str, Any]) -> dict[str, Any] | None:
    if not rules.max_workers(facts, config):
        return None
    cap = int(rules.settings(config, "max-workers")["maxWorkers"])
    return {"workers_max": cap, "workers_min": min(facts.spec.workers_min, cap)}


def _zero_min_workers(facts: EndpointFacts, config: Mapping[str, Any]) -> dict[str, Any] | None:
    return {"workers_min": 0} if rules.scale_to_zero(facts, config) else None


def _secret_env(facts: EndpointFacts, config: Mapping[str, Any]) -> dict[str, Any] | None:
    if not rules.plain_secret_env(facts, config):
        return None
    return {"env": {k: Secret(v) if looks_secret(k, v, config) else v for k, v in facts.spec.env.items()}}


POLICY_TABLE: tuple[PolicySpec, ...] = (
    PolicySpec("max-workers", "workersMax must not exceed a cap.", EnforcementLevel.MANDATORY,
               rules.max_workers, remediation=_clamp_workers),
    PolicySpec("endpoint-hourly-cost", "An endpoint at full scale must stay under an hourly cost ceiling.",
               EnforcementLevel.MANDATORY, rules.endpoint_cost_ceiling),
    PolicySpec("stack-hourly-cost", "All endpoints of a stack at full scale must stay under an hourly ceiling.",
               EnforcementLevel.MANDATORY, stack_rule=rules.stack_cost_ceiling),
    PolicySpec("scale-to-zero", "workersMin must be 0 unless the stack is production.",
               EnforcementLevel.MANDATORY, rules.scale_to_zero, remediation=_zero_min_workers),
    PolicySpec("allowed-gpus", "Only allowed GPU pools and GPU types.", EnforcementLevel.MANDATORY, rules.allowed_gpus),
    PolicySpec("allowed-regions", "Only allowed data centers and locations.", EnforcementLevel.MANDATORY,
               rules.allowed_regions),
    PolicySpec("idle-timeout-bounds", "idleTimeout within bounds.", EnforcementLevel.MANDATORY,
               rules.idle_timeout_bounds),
    PolicySpec("execution-timeout-required", "executionTimeoutMs must be set and bounded.",
               EnforcementLevel.MANDATORY, rules.execution_timeout_required),
    PolicySpec("env-secrets-must-be-secret", "Credential-like env values must be Pulumi secrets.",
               EnforcementLevel.REMEDIATE, rules.plain_secret_env, remediation=_secret_env),
    PolicySpec("flashboot-recommended", "FlashBoot on, for faster cold starts.", EnforcementLevel.ADVISORY,
               rules.flashboot_recommended),
    PolicySpec("unique-endpoint-names", "No two endpoints with the same name in a stack.",
               EnforcementLevel.MANDATORY, stack_rule=rules.unique_endpoint_names),
)  # fmt: skip


def _resource_policy(spec: PolicySpec) -> ResourceValidationPolicy:
    rule = spec.resource_rule
    assert rule is not None

    def validate(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
        facts = facts_from_args(args)
        if facts is None:
            return
        for message in rule(facts, args.get_config()):
            report_violation(message, None)

    remediate = None
    if spec.remediation is not None:
        fix = spec.remediation

        def remediate(args: ResourceValidationArgs) -> Mapping[str, Any] | None:
            facts = facts_from_args(args, secrets_visible=True)
            if facts is None:
                return None
            changes = fix(facts, args.get_config())
            if changes is None:
                return None
            return {**_raw_props(args), **changes}

    return ResourceValidationPolicy(
        name=spec.name,
        description=spec.description,
        validate=validate,
        remediate=remediate,  # type: ignore[arg-type]  # the stub says async; sync results are accepted
        enforcement_level=spec.level,
        config_schema=_schema(spec.name),
    )


def _stack_policy(spec: PolicySpec) -> StackValidationPolicy:
    rule = spec.stack_rule
    assert rule is not None

    def validate(args: StackValidationArgs, report_violation: ReportViolation) -> None:
        for message in rule(_stack_facts(args), args.get_config()):
            report_violation(message, None)

    return StackValidationPolicy(
        name=spec.name,
        description=spec.description,
        validate=validate,
        enforcement_level=spec.level,
        config_schema=_schema(spec.name),
    )


def all_policies() -> list[ResourceValidationPolicy | StackValidationPolicy]:
    """Every rule, ready for ``PolicyPack(name=..., policies=all_policies())``."""
    return [_resource_policy(spec) if spec.resource_rule else _stack_policy(spec) for spec in POLICY_TABLE]
