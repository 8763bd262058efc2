"""Cost, placement and secrecy rules for RunPod stacks (endpoints, volumes, credentials, templates),
as a pulumi-policy pack.

The rules are plain functions (``rules``) over facts parsed with the provider's own ``check_spec``
(``facts``); ``pack`` wraps them as pulumi-policy policies, and only a pack project's ``__main__.py``
builds the ``PolicyPack`` (``examples/policy-pack``). Names load on first use (PEP 562), so importing
the rules does not import pulumi-policy.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .pack import POLICY_TABLE, PolicySpec, all_policies, policy
    from .prices import hourly_cost
    from .settings import DEFAULTS, RULE_SETTINGS

_EXPORTS: dict[str, str] = {
    "POLICY_TABLE": ".pack",
    "PolicySpec": ".pack",
    "all_policies": ".pack",
    "policy": ".pack",
    "hourly_cost": ".prices",
    "DEFAULTS": ".settings",
    "RULE_SETTINGS": ".settings",
}

__all__ = [
    "DEFAULTS",
    "POLICY_TABLE",
    "RULE_SETTINGS",
    "PolicySpec",
    "all_policies",
    "hourly_cost",
    "policy",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(module, __name__), name)
