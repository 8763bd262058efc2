"""The NetworkVolume room: persistent, network-attached storage for workers (model weights, datasets).

Pulumi-free modules: ``names`` (its property names), ``spec`` (inputs, their rules, and the rules for
changing them), ``v2`` (REST v2 wire model and client), ``service`` (the lifecycle). Pulumi-side:
``properties`` (property bags and diff), ``provider`` and ``resource``.

This file only names the resource, so that policy packs can compute its type token cheaply, and
says how to make its provider: ``new_provider`` is what the ``__provider`` in the state names
(``dynamic/reference.py``), so that a program can name the provider without importing it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .provider import NetworkVolumeProvider

TYPE_NAME = "NetworkVolume"


def new_provider() -> NetworkVolumeProvider:
    """A fresh provider (unpickling ``__provider`` calls this in the host; the program never does)."""
    from .provider import NetworkVolumeProvider

    return NetworkVolumeProvider()
