"""Type tokens, from one source: the module every resource class passes to ``pulumi.dynamic.Resource``.

A dynamic resource's token is ``pulumi-python:dynamic/<module>:<name>``, built by the SDK from the
class keywords. Policy packs match resources by it, so they must compute it exactly as the SDK does,
without importing the resource classes (and the provider, httpx and pydantic behind them).
"""

from __future__ import annotations

__all__ = ["MODULE", "type_token"]

MODULE = "runpod"


def type_token(name: str) -> str:
    """The token the SDK gives ``class X(pulumi.dynamic.Resource, module=MODULE, name=name)``."""
    return f"pulumi-python:dynamic/{MODULE}:{name}"
