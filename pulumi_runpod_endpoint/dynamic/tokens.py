"""Names the state and the policy packs share, from one Pulumi-free source.

Type tokens: a dynamic resource's token is ``pulumi-python:dynamic/<module>:<name>``, built by the SDK
from the class keywords. Policy packs match resources by it, so they must compute it exactly as the SDK
does, without importing the resource classes (and the provider, httpx and pydantic behind them).

``MANAGED_FIELDS``: the output listing the spec fields a resource manages; Pulumi-free modules that
read old state (``endpoint/legacy.py``) need the name without importing the Pulumi side.
"""

from __future__ import annotations

__all__ = ["AUTO_NAME", "MANAGED_FIELDS", "MODULE", "type_token"]

MODULE = "runpod"
MANAGED_FIELDS = "managed_fields"
AUTO_NAME = "auto_name_prefix"  # an input the resources send when the program gives no name


def type_token(name: str) -> str:
    """The token the SDK gives ``class X(pulumi.dynamic.Resource, module=MODULE, name=name)``."""
    return f"pulumi-python:dynamic/{MODULE}:{name}"
