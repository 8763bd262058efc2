"""Stack rules over endpoints: total hourly cost and distinct names, including a stack whose state was
written by the previous release (old field names), read from the shared fixture."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pulumi_runpod_endpoint.policy.facts import ENDPOINT_TYPE
from tests.policy.analyzer import UNKNOWN, Declared, endpoint, stack_violations

LEGACY = Path(__file__).resolve().parents[1] / "fixtures" / "legacy_0_1" / "state-show-secrets.json"
SIG = "4dabf18193072939515e22adb298388d"


def test_stack_cost__sums_every_endpoint() -> None:
    big = {"gpu_pools": ["ADA_80_PRO"], "workers_max": 10}
    stack = [endpoint("a", **big), endpoint("b", **big)]
    assert stack_violations("stack-hourly-cost", stack) == []  # 2 x $41.76
    [message] = stack_violations("stack-hourly-cost", stack, config={"maxStackHourlyCost": 50})
    assert message == (
        "The stack's ServerlessEndpoints can cost $83.52/hour at full scale (workers_max on every endpoint), above "
        "the ceiling of $50.00/hour (stack-hourly-cost); largest: 'a' $41.76/h (1 x ADA_80_PRO at $4.176/GPU-h "
        "(catalog)), 'b' $41.76/h (1 x ADA_80_PRO at $4.176/GPU-h (catalog)). Fix: lower workers_max (or "
        "gpu_count) on the largest endpoints, or raise maxStackHourlyCost."
    )


def test_stack_cost__an_endpoint_unknown_in_a_preview_is_left_for_up() -> None:
    stack = [endpoint("a", gpu_pools=["ADA_80_PRO"], workers_max=UNKNOWN), endpoint("b")]
    assert stack_violations("stack-hourly-cost", stack, config={"maxStackHourlyCost": 5}) == []


def test_unique_endpoint_names() -> None:
    stack = [endpoint("a", name="api"), endpoint("b", name="api"), endpoint("c", name="API"), endpoint("d")]
    [message] = stack_violations("unique-endpoint-names", stack)
    assert message == (
        "ServerlessEndpoints 'a', 'b' share the name 'api' (unique-endpoint-names): the console, the API's lists and "
        "the logs cannot tell them apart. Fix: give each a distinct name (or leave name out: each then gets its "
        "resource name plus a random suffix)."
    )
    [ignoring_case] = stack_violations("unique-endpoint-names", stack, config={"ignoreCase": True})
    assert ignoring_case.startswith("ServerlessEndpoints 'a', 'b', 'c' share the name 'api'")


def test_unique_endpoint_names__unknown_names_are_not_compared() -> None:
    stack = [endpoint("a", name=UNKNOWN), endpoint("b", name=UNKNOWN)]
    assert stack_violations("unique-endpoint-names", stack) == []


# -- a stack written by the previous release ---------------------------------------------------------------
def _plain(value: Any) -> Any:
    """`stack export --show-secrets` writes secrets as {sig, plaintext}; the analyzer gets the value."""
    if isinstance(value, dict) and SIG in value and "plaintext" in value:
        return json.loads(value["plaintext"])
    return value


def legacy_stack() -> list[Declared]:
    state = json.loads(LEGACY.read_text())
    found = []
    for resource in state["deployment"]["resources"]:
        if resource["type"] == ENDPOINT_TYPE:
            outputs = {key: _plain(value) for key, value in resource["outputs"].items() if key != "__provider"}
            found.append(Declared(ENDPOINT_TYPE, resource["urn"].rsplit("::", 1)[1], {}, state=outputs))
    return found


def test_legacy_state__old_field_names_are_read_as_todays() -> None:
    stack = legacy_stack()
    assert len(stack) == 7
    # gpu_ids / gpu_type_ids / instance_ids priced as pools and CPU flavors; the read-only `.get`
    # reference (no managed fields) is not this stack's to count.
    [message] = stack_violations("stack-hourly-cost", stack, config={"maxStackHourlyCost": 1})
    # gpu-pools 5 x 2 x ADA_24 (gpu_ids, '-NVIDIA L4' excluded) $11.16, gpu-types 2 x ADA_48_PRO (its dearest
    # gpu_type_id) $3.82, single-volume 3 x AMPERE_48 $3.67, cpu-flavors 4 x 4 vCPU $0.80, cpu-instances
    # (instance_ids cpu3g-4-16) 2 x 4 vCPU $0.40; "defaults" recorded no GPU choice: not priced until its
    # next update rewrites its state.
    assert message.startswith("The stack's ServerlessEndpoints can cost $19.85/hour at full scale")
    assert (
        "largest: 'gpu-pools' $11.16/h (2 x ADA_24 at $1.116/GPU-h (catalog)), 'gpu-types' $3.82/h "
        "(1 x ADA_48_PRO at $1.908/GPU-h (catalog)), 'single-volume' $3.67/h (1 x AMPERE_48 at $1.224/GPU-h "
        "(catalog))." in message
    )


def test_legacy_state__a_get_reference_of_a_managed_endpoint_is_not_a_duplicate_name() -> None:
    # "looked-up" is ServerlessEndpoint.get of the endpoint "defaults" manages (both 'legacy-defaults').
    assert stack_violations("unique-endpoint-names", legacy_stack()) == []
