"""The ServerlessEndpoint room: everything specific to RunPod Serverless endpoints.

Pulumi-free modules (importable without Pulumi): ``names`` (its property names), ``spec`` (inputs and
their rules), ``v2`` (REST v2 wire models, client and PATCH builder), ``backend`` / ``backend_rest`` /
``backend_graphql`` (one API each), ``service`` (the lifecycle), ``legacy`` (state of the previous
release). Pulumi-side: ``properties`` (property bags and diff rules), ``provider`` and ``resource``.

This file only names the resource, so that policy packs can compute its type token cheaply, and
says how to make its provider: ``new_provider`` is what the ``__provider`` in the state names
(``dynamic/reference.py``), so that a program can name the provider without importing it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .provider import ServerlessEndpointProvider

TYPE_NAME = "ServerlessEndpoint"


def new_provider() -> ServerlessEndpointProvider:
    """A fresh provider (unpickling ``__provider`` calls this in the host; the program never does)."""
    from .provider import ServerlessEndpointProvider

    return ServerlessEndpointProvider()
