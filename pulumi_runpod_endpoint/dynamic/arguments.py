"""The two ways a program constructs a resource, and the marker of a read-only ``.get``.

``Resource(name, ResourceArgs(...), opts)`` or ``Resource(name, opts=..., **inputs)``, as Pulumi's
generated SDKs offer: one parser for every resource, so each refuses a mix of both the same way.
"""

from __future__ import annotations

from typing import Any, TypeVar

import pulumi

__all__ = ["ReadOnly", "split_arguments"]

A = TypeVar("A")


class ReadOnly:
    """Marks a ``.get``: no inputs, the resource is only read."""


def split_arguments(
    resource: str, args_type: type[A], args: tuple[Any, ...], kwargs: dict[str, Any]
) -> tuple[A | ReadOnly, pulumi.ResourceOptions | None]:
    """(name, Args, opts) or (name, opts=..., **inputs) -> the Args (or ``ReadOnly``) and the options."""
    opts = kwargs.pop("opts", None)
    positional = list(args)
    first = positional.pop(0) if positional else kwargs.pop("args", None)
    inputs: A | ReadOnly
    if isinstance(first, (args_type, ReadOnly)):
        if kwargs:
            raise TypeError(f"pass either a {args_type.__name__} or keyword inputs, not both (got {sorted(kwargs)})")
        inputs = first
        if positional:
            opts = positional.pop(0)
    else:
        if first is not None:
            opts = first
        try:
            inputs = args_type(**kwargs)
        except TypeError as unknown:
            raise TypeError(f"{resource}: {unknown}; see {args_type.__name__} for the inputs") from None
    if positional:
        raise TypeError(f"{resource} takes (name, args, opts) or (name, opts=..., **inputs)")
    if opts is not None and not isinstance(opts, pulumi.ResourceOptions):
        raise TypeError(f"opts must be a pulumi.ResourceOptions, not {type(opts).__name__}")
    return inputs, opts
