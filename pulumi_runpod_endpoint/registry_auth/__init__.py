"""The RegistryAuth room: a credential RunPod uses to pull private container images.

Pulumi-free modules: ``spec`` (inputs and their rules), ``v2`` (REST v2 wire model and client, which
scrubs the credential from every error), ``service`` (the lifecycle). Pulumi-side: ``properties``
(property bags and diff), ``provider`` and ``resource``.

This file only names the resource, so that policy packs can compute its type token cheaply.
"""

TYPE_NAME = "RegistryAuth"
