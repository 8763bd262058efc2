"""The ServerlessEndpoint room: everything specific to RunPod Serverless endpoints.

Pulumi-free modules (importable without Pulumi): ``spec`` (inputs and their rules), ``v2`` (REST v2
wire models, client and PATCH builder), ``backend`` / ``backend_rest`` / ``backend_graphql`` (one
API each), ``service`` (the lifecycle), ``legacy`` (state of the previous release). Pulumi-side:
``properties`` (property bags and diff rules), ``provider`` and ``resource``.

This file only names the resource, so that policy packs can compute its type token cheaply.
"""

TYPE_NAME = "ServerlessEndpoint"
