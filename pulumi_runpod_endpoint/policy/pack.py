"""The rules as pulumi-policy policies: what each matches, its level, its config schema, its remediation.

Nothing here starts a policy server -- ``PolicyPack(...)`` does, so only the pack project's
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

from . import rules
from .adapter import raw_props, resource_facts, stack_facts
from .facts import EndpointFacts, RegistryAuthFacts, StackFacts, Subject, TemplateFacts, VolumeFacts
from .settings import RULE_SETTINGS, number, schema_properties, settings

__all__ = ["POLICY_TABLE", "PolicySpec", "all_policies", "policy"]

ResourceRule = Callable[[Any, Mapping[str, Any]], list[str]]
StackRule = Callable[[StackFacts, Mapping[str, Any]], list[str]]
Remediation = Callable[[Any, Mapping[str, Any]], dict[str, Any] | None]


@dataclass(frozen=True)
class PolicySpec:
    """One row of the README's rule table."""

    name: str
    description: str
    level: EnforcementLevel
    applies_to: tuple[type[Subject], ...] = ()
    resource_rule: ResourceRule | None = None
    stack_rule: StackRule | None = None
    remediation: Remediation | None = None


# -- remediations: only where the fix is unambiguous; each returns the changed inputs ------------------
def _clamp_workers(facts: EndpointFacts, config: Mapping[str, Any]) -> dict[str, Any] | None:
    if not facts.known("workers_min") or not rules.max_workers(facts, config):
        return None
    cap = int(number(settings(config, "max-workers")["maxWorkers"], 10))
    return {"workers_max": cap, "workers_min": min(facts.spec.workers_min, cap)}


def _zero_min_workers(facts: EndpointFacts, config: Mapping[str, Any]) -> dict[str, Any] | None:
    return {"workers_min": 0} if rules.scale_to_zero(facts, config) else None


def _secret_env(facts: EndpointFacts | TemplateFacts, config: Mapping[str, Any]) -> dict[str, Any] | None:
    # The whole env becomes one secret, as ServerlessEndpoint and Template make it: the engine keeps an
    # input's secrecy on the output of the same name, so the state's outputs are encrypted too.
    return {"env": Secret(dict(facts.spec.env or {}))} if rules.plain_secret_env(facts, config) else None


def _secret_credential(facts: RegistryAuthFacts, config: Mapping[str, Any]) -> dict[str, Any] | None:
    fields = rules.unsecret_fields(facts, config)
    return {name: Secret(facts.props.values[name]) for name in fields} or None


_ENDPOINT = (EndpointFacts,)
POLICY_TABLE: tuple[PolicySpec, ...] = (
    PolicySpec("max-workers", "A ServerlessEndpoint's workers_max must not exceed a cap.",
               EnforcementLevel.MANDATORY, _ENDPOINT, rules.max_workers, remediation=_clamp_workers),
    PolicySpec("endpoint-hourly-cost",
               "A ServerlessEndpoint at full scale (workers_max) must stay under an hourly cost ceiling "
               "(list prices from the shipped catalog; estimates where it has none).",
               EnforcementLevel.MANDATORY, _ENDPOINT, rules.endpoint_hourly_cost),
    PolicySpec("stack-hourly-cost",
               "All ServerlessEndpoints of the stack at full scale must stay under an hourly cost ceiling.",
               EnforcementLevel.MANDATORY, stack_rule=rules.stack_hourly_cost),
    PolicySpec("scale-to-zero", "workers_min must be 0 unless the stack is production.",
               EnforcementLevel.MANDATORY, _ENDPOINT, rules.scale_to_zero, remediation=_zero_min_workers),
    PolicySpec("allowed-gpus", "Only allowed GPU pools, GPU types (after gpu_excluded_types) and CPU flavors.",
               EnforcementLevel.MANDATORY, _ENDPOINT, rules.allowed_gpus),
    PolicySpec("allowed-regions",
               "ServerlessEndpoints run, and NetworkVolumes keep data, only in allowed data centers / regions.",
               EnforcementLevel.MANDATORY, (EndpointFacts, VolumeFacts), rules.allowed_regions),
    PolicySpec("idle-timeout-bounds", "idle_timeout within bounds (idle workers bill).",
               EnforcementLevel.MANDATORY, _ENDPOINT, rules.idle_timeout_bounds),
    PolicySpec("execution-timeout-required", "execution_timeout_ms bounded, so a runaway job cannot bill for hours.",
               EnforcementLevel.MANDATORY, _ENDPOINT, rules.execution_timeout_required),
    PolicySpec("env-secrets-must-be-secret",
               "Credential-like env values of ServerlessEndpoints and Templates must be Pulumi secrets "
               "(validations see only the resource's additional_secret_outputs; remediations see the values' "
               "secrecy and fix it).",
               EnforcementLevel.REMEDIATE, (EndpointFacts, TemplateFacts), rules.plain_secret_env,
               remediation=_secret_env),
    PolicySpec("flashboot-recommended", "FlashBoot on, for faster cold starts.",
               EnforcementLevel.ADVISORY, _ENDPOINT, rules.flashboot_recommended),
    PolicySpec("unique-endpoint-names", "No two ServerlessEndpoints of the stack share a name.",
               EnforcementLevel.MANDATORY, stack_rule=rules.unique_endpoint_names),
    PolicySpec("volume-size-cap", "A NetworkVolume's size_gb must not exceed a cap (volumes bill until deleted).",
               EnforcementLevel.MANDATORY, (VolumeFacts,), rules.volume_size_cap),
    PolicySpec("volumes-in-endpoint-data-centers",
               "Every network volume an endpoint mounts sits in one of its data_center_ids (runpodctl issue 181).",
               EnforcementLevel.MANDATORY, stack_rule=rules.volumes_in_data_centers),
    PolicySpec("one-volume-per-data-center", "An endpoint mounts at most one network volume per data center.",
               EnforcementLevel.MANDATORY, stack_rule=rules.one_volume_per_data_center),
    PolicySpec("registry-passwords-must-be-secret",
               "A RegistryAuth's password must be a Pulumi secret (validations see only the resource's "
               "additional_secret_outputs; remediations see the value's secrecy and fix it).",
               EnforcementLevel.REMEDIATE, (RegistryAuthFacts,), rules.registry_passwords,
               remediation=_secret_credential),
    PolicySpec("no-public-template-env", "A public Template must not carry env (every RunPod user can read it).",
               EnforcementLevel.MANDATORY, (TemplateFacts,), rules.public_template_env),
)  # fmt: skip


def _schema(name: str) -> PolicyConfigSchema:
    return PolicyConfigSchema(properties=schema_properties(name))


def _resource_policy(spec: PolicySpec) -> ResourceValidationPolicy:
    rule = spec.resource_rule
    assert rule is not None
    kinds = spec.applies_to

    def validate(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
        facts = resource_facts(args)
        if not isinstance(facts, kinds):
            return
        for message in rule(facts, args.get_config()):
            report_violation(message, None)

    remediate = None
    if spec.remediation is not None:
        fix = spec.remediation

        def remediate(args: ResourceValidationArgs) -> Mapping[str, Any] | None:
            facts = resource_facts(args, markers=True)
            if not isinstance(facts, kinds):
                return None
            changes = fix(facts, args.get_config())
            if not changes:
                return None
            return {**raw_props(args), **changes}

    return ResourceValidationPolicy(
        name=spec.name,
        description=spec.description,
        validate=validate,
        remediate=remediate,  # type: ignore[arg-type]  # the stub says awaitable; plain results are accepted
        enforcement_level=spec.level,
        config_schema=_schema(spec.name),
    )


def _stack_policy(spec: PolicySpec) -> StackValidationPolicy:
    rule = spec.stack_rule
    assert rule is not None

    def validate(args: StackValidationArgs, report_violation: ReportViolation) -> None:
        for message in rule(stack_facts(args), args.get_config()):
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
    assert {spec.name for spec in POLICY_TABLE} == set(RULE_SETTINGS)
    return [_resource_policy(spec) if spec.resource_rule else _stack_policy(spec) for spec in POLICY_TABLE]


def policy(name: str) -> ResourceValidationPolicy | StackValidationPolicy:
    """One rule as a pulumi-policy policy (for a pack that picks its rules)."""
    [found] = [_resource_policy(s) if s.resource_rule else _stack_policy(s) for s in POLICY_TABLE if s.name == name]
    return found
