"""Rules over the whole stack's endpoints: total cost, and names people can tell apart.

Stack rules see every resource's *outputs* (the engine's "final state": in a preview, the checked
inputs of what will change and the recorded state of the rest), never resources of other stacks or
made in the console.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..facts import StackFacts
from ..settings import flag, number, settings
from .endpoint import cost_of

__all__ = ["stack_hourly_cost", "unique_endpoint_names"]


def stack_hourly_cost(stack: StackFacts, config: Mapping[str, Any]) -> list[str]:
    conf = settings(config, "stack-hourly-cost")
    ceiling = number(conf["maxStackHourlyCost"], 200.0)
    costs = []
    for facts in stack.endpoints:
        cost = cost_of(facts, conf)
        if cost is not None:  # unknown in this preview: judged at `pulumi up`
            costs.append((facts.resource_name, cost))
    total = sum(cost.dollars for _, cost in costs)
    if total <= ceiling:
        return []
    biggest = sorted(costs, key=lambda item: item[1].dollars, reverse=True)[:3]
    shares = ", ".join(f"'{name}' ${cost.dollars:.2f}/h ({cost.basis})" for name, cost in biggest)
    return [
        f"The stack's ServerlessEndpoints can cost ${total:.2f}/hour at full scale (workers_max on every "
        f"endpoint), above the ceiling of ${ceiling:.2f}/hour (stack-hourly-cost); largest: {shares}. "
        "Fix: lower workers_max (or gpu_count) on the largest endpoints, or raise maxStackHourlyCost."
    ]


def unique_endpoint_names(stack: StackFacts, config: Mapping[str, Any]) -> list[str]:
    ignore_case = flag(settings(config, "unique-endpoint-names")["ignoreCase"])
    by_name: dict[str, list[str]] = {}
    shown: dict[str, str] = {}
    for facts in stack.endpoints:
        if not facts.known("name"):
            continue
        key = facts.spec.name.casefold() if ignore_case else facts.spec.name
        by_name.setdefault(key, []).append(facts.resource_name)
        shown.setdefault(key, facts.spec.name)
    return [
        f"ServerlessEndpoints {', '.join(repr(r) for r in resources)} share the name '{shown[key]}' "
        "(unique-endpoint-names): the console, the API's lists and the logs cannot tell them apart. "
        "Fix: give each a distinct name (or leave name out: each then gets its resource name plus a random suffix)."
        for key, resources in sorted(by_name.items())
        if len(resources) > 1
    ]
