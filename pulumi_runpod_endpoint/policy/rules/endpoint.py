"""Rules about one ServerlessEndpoint: scale, cost, timeouts, FlashBoot.

Each rule is ``(facts, config) -> messages``; a field a preview cannot know yet is not judged (the rule
returns no message and judges it at ``pulumi up``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..facts import EndpointFacts
from ..prices import hourly_cost
from ..settings import number, settings, strings

__all__ = [
    "COST_FIELDS",
    "cost_of",
    "endpoint_hourly_cost",
    "execution_timeout_required",
    "flashboot_recommended",
    "idle_timeout_bounds",
    "is_production",
    "max_workers",
    "scale_to_zero",
]

# Everything the price of one worker depends on.
COST_FIELDS = ("workers_max", "gpu_pools", "gpu_excluded_types", "gpu_count", "cpu", "cpu_flavor_ids", "vcpu_count")
FLASHBOOT_ORDER = ("OFF", "FLASHBOOT", "PRIORITY_FLASHBOOT")


def max_workers(facts: EndpointFacts, config: Mapping[str, Any]) -> list[str]:
    cap = int(number(settings(config, "max-workers")["maxWorkers"], 10))
    if not facts.known("workers_max") or facts.spec.workers_max <= cap:
        return []
    return [
        facts.say(
            f"workers_max is {facts.spec.workers_max}, above the cap of {cap} (max-workers).",
            f"set workers_max to {cap} or less, or raise the policy's maxWorkers.",
        )
    ]


def cost_of(facts: EndpointFacts, conf: Mapping[str, Any]) -> Any:
    """The endpoint's full-scale hourly cost under a cost rule's config (None while unknown)."""
    if not facts.known(*COST_FIELDS):
        return None
    prices = conf.get("gpuPricesPerHour")
    cpu = conf.get("cpuPricePerVcpuHour")
    return hourly_cost(
        facts.spec,
        prices if isinstance(prices, Mapping) else None,
        number(cpu, 0.0) if cpu is not None else None,
    )


def endpoint_hourly_cost(facts: EndpointFacts, config: Mapping[str, Any]) -> list[str]:
    conf = settings(config, "endpoint-hourly-cost")
    ceiling = number(conf["maxHourlyCost"], 50.0)
    cost = cost_of(facts, conf)
    if cost is None or cost.dollars <= ceiling:
        return []
    fix = (
        "lower workers_max or vcpu_count, or raise maxHourlyCost."
        if facts.spec.is_cpu
        else "lower workers_max or gpu_count, choose cheaper gpu_pools (or leave dear GPU types out with "
        "gpu_excluded_types), or raise maxHourlyCost."
    )
    return [
        facts.say(
            f"at workers_max={facts.spec.workers_max}, with {cost.basis} per worker, it can cost "
            f"${cost.dollars:.2f}/hour, above the ceiling of ${ceiling:.2f}/hour (endpoint-hourly-cost).",
            fix,
        )
    ]


def is_production(facts: EndpointFacts, config: Mapping[str, Any]) -> bool:
    conf = settings(config, "scale-to-zero")
    tag = facts.stack_tags.get(str(conf["productionTagKey"]), "")
    return (
        conf["production"] is True
        or facts.stack in strings(conf["productionStacks"])
        or tag.lower() in {value.lower() for value in strings(conf["productionTagValues"])}
    )


def scale_to_zero(facts: EndpointFacts, config: Mapping[str, Any]) -> list[str]:
    if not facts.known("workers_min") or facts.spec.workers_min == 0 or is_production(facts, config):
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


def idle_timeout_bounds(facts: EndpointFacts, config: Mapping[str, Any]) -> list[str]:
    conf = settings(config, "idle-timeout-bounds")
    low, high = int(number(conf["minIdleTimeout"], 1)), int(number(conf["maxIdleTimeout"], 300))
    value = facts.spec.idle_timeout
    # No idle timeout applies to a QUEUE endpoint scaling on REQUEST_COUNT (the provider sends none).
    if value is None or not facts.known("idle_timeout", "type", "scaler_type") or low <= value <= high:
        return []
    return [
        facts.say(
            f"idle_timeout is {value}s, outside {low}-{high}s (idle-timeout-bounds); an idle worker bills for "
            "every second it waits.",
            f"set idle_timeout between {low} and {high}, or change the policy's minIdleTimeout/maxIdleTimeout.",
        )
    ]


def execution_timeout_required(facts: EndpointFacts, config: Mapping[str, Any]) -> list[str]:
    """Every endpoint has a job timeout (the provider sends 300000 ms when none is given); it must be
    bounded, so a runaway job cannot bill for hours."""
    ceiling = int(number(settings(config, "execution-timeout-required")["maxExecutionTimeoutMs"], 3_600_000))
    value = facts.spec.execution_timeout_ms
    if not facts.known("execution_timeout_ms") or value <= ceiling:
        return []
    return [
        facts.say(
            f"execution_timeout_ms is {value} ({value / 60_000:g} min), above the limit of {ceiling} "
            "(execution-timeout-required): a runaway job bills until the timeout.",
            f"set execution_timeout_ms to {ceiling} or less, or raise maxExecutionTimeoutMs.",
        )
    ]


def flashboot_recommended(facts: EndpointFacts, config: Mapping[str, Any]) -> list[str]:
    wanted = str(settings(config, "flashboot-recommended")["recommendedMode"])
    if wanted not in FLASHBOOT_ORDER:
        wanted = "FLASHBOOT"
    mode = facts.spec.flashboot
    if not facts.known("flashboot") or FLASHBOOT_ORDER.index(mode) >= FLASHBOOT_ORDER.index(wanted):
        return []
    return [
        facts.say(
            f"flashboot is '{mode}' (flashboot-recommended): cold starts are slower than with {wanted}.",
            f"set flashboot='{wanted}'.",
        )
    ]
