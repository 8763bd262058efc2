"""Cost and safety rules for ServerlessEndpoint resources, as a pulumi-policy pack.

Rules are plain functions in ``rules.py``; ``all_policies()`` wraps them for a ``PolicyPack``.
"""

from .pack import POLICY_TABLE, all_policies, facts_from_args
from .prices import DEFAULT_GPU_PRICES_PER_HOUR, hourly_cost
from .rules import DEFAULTS, EndpointFacts, endpoint_facts

__all__ = [
    "DEFAULTS",
    "DEFAULT_GPU_PRICES_PER_HOUR",
    "POLICY_TABLE",
    "EndpointFacts",
    "all_policies",
    "endpoint_facts",
    "facts_from_args",
    "hourly_cost",
]
