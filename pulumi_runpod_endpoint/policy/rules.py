"""The policy rules as plain functions: facts about an endpoint (or a stack) in, messages out.

Every message names the resource, the field, the value and the fix. The pack (``pack.py``)
wraps these in pulumi-policy objects; tests call them directly or through pulumi-policy.
Inputs are parsed with the provider's own model (``EndpointSpec``), so the pack and the
provider can never disagree about what a property means.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from ..api.enums import POOL_GPU_TYPES
from ..api.models import EndpointSpec
from ..properties import SPEC_FIELDS, clean
from .prices import hourly_cost

__all__ = [
    "DEFAULTS",
    "EndpointFacts",
    "allowed_gpus",
    "allowed_regions",
    "endpoint_cost_ceiling",
    "endpoint_facts",
    "execution_timeout_required",
    "flashboot_recommended",
    "idle_timeout_bounds",
    "is_production",
    "looks_secret",
    "max_workers",
    "plain_secret_env",
    "scale_to_zero",
    "settings",
    "stack_cost_ceiling",
    "unique_endpoint_names",
]

# Every config key of every rule, with its default. An empty allow-list allows everything.
DEFAULTS: dict[str, dict[str, Any]] = {
    "max-workers": {"maxWorkers": 10},
    "endpoint-hourly-cost": {"maxHourlyCost": 50.0, "gpuPricesPerHour": {}, "cpuPricePerVcpuHour": 0.05},
    "stack-hourly-cost": {"maxStackHourlyCost": 200.0, "gpuPricesPerHour": {}, "cpuPricePerVcpuHour": 0.05},
    "scale-to-zero": {
        "production": False,
        "productionStacks": ["prod", "production"],
        "productionTagKey": "environment",
        "productionTagValues": ["prod", "production"],
    },
    "allowed-gpus": {"allowedGpuPools": [], "allowedGpuTypes": []},
    "allowed-regions": {"allowedDataCenters": [], "allowedLocations": []},
    "idle-timeout-bounds": {"minIdleTimeout": 1, "maxIdleTimeout": 300},
    "execution-timeout-required": {"maxExecutionTimeoutMs": 3_600_000},
    "env-secrets-must-be-secret": {"secretNamePatterns": [], "minEntropyBitsPerChar": 3.5, "minSecretLength": 20},
    "flashboot-recommended": {},
    "unique-endpoint-names": {},
}


@dataclass(frozen=True)
class EndpointFacts:
    """One ServerlessEndpoint as a policy sees it."""

    resource_name: str
    spec: EndpointSpec
    stack: str = ""
    stack_tags: Mapping[str, str] = field(default_factory=dict)
    # env key -> whether its value is a Pulumi secret; None where the engine does not say.
    env_is_secret: Mapping[str, bool] | None = None

    def say(self, detail: str, fix: str) -> str:
        return f"ServerlessEndpoint '{self.resource_name}': {detail} Fix: {fix}"


def endpoint_facts(
    props: Mapping[str, Any],
    resource_name: str,
    urn: str = "",
    stack_tags: Mapping[str, str] | None = None,
    env_is_secret: Mapping[str, bool] | None = None,
) -> EndpointFacts | None:
    """Parse a resource's inputs with the provider's model; None if they are invalid (the
    provider's check reports those, naming each field)."""
    values = clean({key: props[key] for key in props if key in SPEC_FIELDS})
    try:
        spec = EndpointSpec.model_validate(values)
    except ValidationError:
        return None
    stack = urn.split("::")[0].rsplit(":", 1)[-1] if urn.startswith("urn:pulumi:") else ""
    return EndpointFacts(resource_name, spec, stack, dict(stack_tags or {}), env_is_secret)


def settings(config: Mapping[str, Any], rule: str) -> dict[str, Any]:
    """A rule's configuration: the pack's config over the defaults (unset keys keep defaults)."""
    return {**DEFAULTS[rule], **{k: v for k, v in config.items() if v is not None}}


# -- cost and scale -------------------------------------------------------------------------------
def max_workers(facts: EndpointFacts, config: Mapping[str, Any]) -> list[str]:
    cap = int(settings(config, "max-workers")["maxWorkers"])
    if facts.spec.workers_max <= cap:
        return []
    return [
        facts.say(
            f"workers_max is {facts.spec.workers_max}, above the cap of {cap} (max-workers).",
            f"set workers_max to {cap} or less, or raise the policy's maxWorkers.",
        )
    ]


def endpoint_cost_ceiling(facts: EndpointFacts, config: Mapping[str, Any]) -> list[str]:
    conf = settings(config, "endpoint-hourly-cost")
    ceiling = float(conf["maxHourlyCost"])
    cost = hourly_cost(facts.spec, conf["gpuPricesPerHour"], float(conf["cpuPricePerVcpuHour"]))
    if cost.dollars <= ceiling:
        return []
    return [
        facts.say(
            f"at workers_max={facts.spec.workers_max} ({cost.basis} per worker) it can cost "
            f"${cost.dollars:.2f}/hour, above the ceiling of ${ceiling:.2f}/hour (endpoint-hourly-cost).",
            "lower workers_max or gpu_count, choose cheaper GPUs, or raise maxHourlyCost.",
        )
    ]


def stack_cost_ceiling(endpoints: Sequence[EndpointFacts], config: Mapping[str, Any]) -> list[str]:
    conf = settings(config, "stack-hourly-cost")
    ceiling = float(conf["maxStackHourlyCost"])
    costs = {
        facts.resource_name: hourly_cost(facts.spec, conf["gpuPricesPerHour"], float(conf["cpuPricePerVcpuHour"]))
        for facts in endpoints
    }
    total = sum(cost.dollars for cost in costs.values())
    if total <= ceiling:
        return []
    biggest = sorted(costs.items(), key=lambda item: item[1].dollars, reverse=True)[:3]
    shares = ", ".join(f"'{name}' ${cost.dollars:.2f}/h" for name, cost in biggest)
    return [
        f"The stack's ServerlessEndpoints can cost ${total:.2f}/hour at full scale, above the ceiling of "
        f"${ceiling:.2f}/hour (stack-hourly-cost); largest: {shares}. "
        "Fix: lower workers_max on the largest endpoints, or raise maxStackHourlyCost."
    ]


def is_production(facts: EndpointFacts, config: Mapping[str, Any]) -> bool:
    conf = settings(config, "scale-to-zero")
    tag = facts.stack_tags.get(str(conf["productionTagKey"]), "")
    return (
        bool(conf["production"])
        or facts.stack in set(conf["productionStacks"])
        or tag.lower() in {str(v).lower() for v in conf["productionTagValues"]}
    )


def scale_to_zero(facts: EndpointFacts, config: Mapping[str, Any]) -> list[str]:
    if facts.spec.workers_min == 0 or is_production(facts, config):
        return []
    conf = settings(config, "scale-to-zero")
    return [
        facts.say(
            f"workers_min is {facts.spec.workers_min} outside production: those workers bill around the clock "
            "(scale-to-zero).",
            f"set workers_min to 0, or tag the stack {conf['productionTagKey']}=production "
            "(or set the policy's production: true).",
        )
    ]


# -- where it runs --------------------------------------------------------------------------------
def allowed_gpus(facts: EndpointFacts, config: Mapping[str, Any]) -> list[str]:
    conf = settings(config, "allowed-gpus")
    pools, types = set(conf["allowedGpuPools"]), set(conf["allowedGpuTypes"])
    if pools:
        types |= {gpu for pool in pools for gpu in POOL_GPU_TYPES.get(pool, ())}
    messages: list[str] = []
    if pools:
        for pool in facts.spec.gpu_ids or []:
            if not pool.startswith("-") and pool not in pools:
                messages.append(
                    facts.say(
                        f"gpu_ids includes '{pool}', which is not allowed (allowed-gpus).",
                        f"use only {', '.join(sorted(pools))}, or add '{pool}' to allowedGpuPools.",
                    )
                )
    if types:
        for gpu in facts.spec.gpu_type_ids or []:
            if gpu not in types:
                messages.append(
                    facts.say(
                        f"gpu_type_ids includes '{gpu}', which is not allowed (allowed-gpus).",
                        "use GPU types from the allowed pools/types, or add it to allowedGpuTypes.",
                    )
                )
    return messages


def allowed_regions(facts: EndpointFacts, config: Mapping[str, Any]) -> list[str]:
    conf = settings(config, "allowed-regions")
    messages: list[str] = []
    checks = (
        ("data_center_ids", facts.spec.data_center_ids, set(conf["allowedDataCenters"]), "allowedDataCenters"),
        ("locations", facts.spec.locations, set(conf["allowedLocations"]), "allowedLocations"),
    )
    for field_name, declared, allowed, key in checks:
        if not allowed:
            continue
        if declared is None:
            messages.append(
                facts.say(
                    f"{field_name} is not set, so workers may run in any region (allowed-regions).",
                    f"set {field_name} to some of {', '.join(sorted(allowed))}.",
                )
            )
            continue
        for item in declared:
            if item not in allowed:
                messages.append(
                    facts.say(
                        f"{field_name} includes '{item}', which is not allowed (allowed-regions).",
                        f"use only {', '.join(sorted(allowed))}, or add '{item}' to {key}.",
                    )
                )
    return messages


# -- timeouts -----------------------------------------------------------------------------------
def idle_timeout_bounds(facts: EndpointFacts, config: Mapping[str, Any]) -> list[str]:
    conf = settings(config, "idle-timeout-bounds")
    low, high = int(conf["minIdleTimeout"]), int(conf["maxIdleTimeout"])
    value = facts.spec.idle_timeout
    if low <= value <= high:
        return []
    return [
        facts.say(
            f"idle_timeout is {value}s, outside {low}-{high}s (idle-timeout-bounds); an idle worker bills "
            "for every second it waits.",
            f"set idle_timeout between {low} and {high}.",
        )
    ]


def execution_timeout_required(facts: EndpointFacts, config: Mapping[str, Any]) -> list[str]:
    ceiling = int(settings(config, "execution-timeout-required")["maxExecutionTimeoutMs"])
    value = facts.spec.execution_timeout_ms
    if value is None:
        return [
            facts.say(
                "execution_timeout_ms is not set, so a runaway job can bill until someone notices "
                "(execution-timeout-required).",
                f"set execution_timeout_ms (at most {ceiling}).",
            )
        ]
    if value > ceiling:
        return [
            facts.say(
                f"execution_timeout_ms is {value}, above the limit of {ceiling} (execution-timeout-required).",
                f"set execution_timeout_ms to {ceiling} or less, or raise maxExecutionTimeoutMs.",
            )
        ]
    return []


# -- secrets ------------------------------------------------------------------------------------
_SECRET_NAME = re.compile(
    r"(TOKEN|SECRET|PASSW(OR)?D|PASSPHRASE|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIAL|AUTH|SESSION_?KEY)", re.I
)
_SECRET_PREFIX = re.compile(r"^(hf_|sk-|sk_live_|ghp_|gho_|github_pat_|glpat-|xox[bap]-|rpa_|AKIA|ASIA|AIza)")


def _entropy(text: str) -> float:
    counts = Counter(text)
    return -sum(n / len(text) * math.log2(n / len(text)) for n in counts.values())


def looks_secret(name: str, value: str, config: Mapping[str, Any] | None = None) -> bool:
    """A token-like name, a known token prefix, or a long high-entropy value."""
    conf = settings(config or {}, "env-secrets-must-be-secret")
    if _SECRET_NAME.search(name) or _SECRET_PREFIX.match(value):
        return True
    if any(re.search(pattern, name, re.I) for pattern in conf["secretNamePatterns"]):
        return True
    long_enough = len(value) >= int(conf["minSecretLength"]) and " " not in value
    return long_enough and _entropy(value) >= float(conf["minEntropyBitsPerChar"])


def plain_secret_env(facts: EndpointFacts, config: Mapping[str, Any]) -> list[str]:
    """Secret-looking env values must reach Pulumi as secrets (encrypted in state)."""
    secrecy = facts.env_is_secret or {}
    flagged = [
        name
        for name, value in facts.spec.env.items()
        if looks_secret(name, value, config) and not secrecy.get(name, False)
    ]
    if not flagged:
        return []
    names = ", ".join(sorted(flagged))
    return [
        facts.say(
            f"env {names} look{'s' if len(flagged) == 1 else ''} like credentials but are plain strings "
            "(env-secrets-must-be-secret); they would be readable in the stack state.",
            "pass them as secrets: pulumi.Output.secret(value) or config.require_secret(...).",
        )
    ]


# -- advice and stack rules ------------------------------------------------------------------
def flashboot_recommended(facts: EndpointFacts, config: Mapping[str, Any]) -> list[str]:
    if facts.spec.flashboot:
        return []
    return [
        facts.say(
            "flashboot is off (flashboot-recommended); cold starts will be slower.",
            "set flashboot=True; it costs nothing extra.",
        )
    ]


def unique_endpoint_names(endpoints: Sequence[EndpointFacts], config: Mapping[str, Any]) -> list[str]:
    by_name: dict[str, list[str]] = {}
    for facts in endpoints:
        by_name.setdefault(facts.spec.name, []).append(facts.resource_name)
    return [
        f"ServerlessEndpoints {', '.join(repr(r) for r in resources)} share the name '{name}' "
        "(unique-endpoint-names): the console and the API cannot tell them apart. Fix: give each a distinct name."
        for name, resources in sorted(by_name.items())
        if len(resources) > 1
    ]
