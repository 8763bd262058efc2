"""The template's property names: what a program needs to declare one, without pydantic or the provider.

``SPEC_FIELDS`` is ``TemplateSpec``'s fields, in order; spec.py checks at import that the model has
exactly these, so the two cannot drift apart.
"""

from __future__ import annotations

from ..dynamic.tokens import AUTO_NAME, MANAGED_FIELDS

__all__ = [
    "ADOPT",
    "ALLOW_PUBLIC_ENV",
    "AUTO_NAME",
    "CONTROL_FIELDS",
    "OUTPUT_NAMES",
    "REVISION",
    "SPEC_FIELDS",
]

SPEC_FIELDS: tuple[str, ...] = (
    "name",
    "image",
    "container_args",
    "container_disk_gb",
    "ports",
    "env",
    "registry_auth_id",
    "serverless",
    "category",
    "allowed_cuda_versions",
    "public",
)
ADOPT = "adopt_existing_id"
ALLOW_PUBLIC_ENV = "allow_public_env"
REVISION = "revision"
CONTROL_FIELDS: tuple[str, ...] = (ALLOW_PUBLIC_ENV, ADOPT, AUTO_NAME)
OUTPUT_NAMES: tuple[str, ...] = (*SPEC_FIELDS, *CONTROL_FIELDS, REVISION, MANAGED_FIELDS)
