"""The Template room: shared container settings (image, args, disk, ports, env, registry credential).

Pulumi-free modules: ``spec`` (inputs, their rules, and the content ``revision``), ``v2`` (REST v2
wire model, client and PATCH builder), ``service`` (the lifecycle). Pulumi-side: ``properties``
(property bags and diff), ``provider`` and ``resource``.

This file only names the resource, so that policy packs can compute its type token cheaply.
"""

TYPE_NAME = "Template"
