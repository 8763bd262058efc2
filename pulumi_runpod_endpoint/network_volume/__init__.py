"""The NetworkVolume room: persistent, network-attached storage for workers (model weights, datasets).

Pulumi-free modules: ``spec`` (inputs, their rules, and the rules for changing them), ``v2`` (REST v2
wire model and client), ``service`` (the lifecycle). Pulumi-side: ``properties`` (property bags and
diff), ``provider`` and ``resource``.

This file only names the resource, so that policy packs can compute its type token cheaply.
"""

TYPE_NAME = "NetworkVolume"
