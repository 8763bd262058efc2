"""The registry credential's property names: what a program needs to declare one, without pydantic or the provider.

``SPEC_FIELDS`` is ``RegistryAuthSpec``'s fields, in order; spec.py checks at import that the model has
exactly these, so the two cannot drift apart.
"""

from __future__ import annotations

from ..dynamic.tokens import AUTO_NAME, MANAGED_FIELDS

__all__ = [
    "ADOPT",
    "AUTO_NAME",
    "CONTROL_FIELDS",
    "OUTPUT_NAMES",
    "SECRET_FIELDS",
    "SPEC_FIELDS",
]

SPEC_FIELDS: tuple[str, ...] = (
    "name",
    "username",
    "password",
)
SECRET_FIELDS: tuple[str, ...] = ("username", "password")
ADOPT = "adopt_existing_id"
CONTROL_FIELDS: tuple[str, ...] = (ADOPT, AUTO_NAME)
OUTPUT_NAMES: tuple[str, ...] = (*SPEC_FIELDS, *CONTROL_FIELDS, MANAGED_FIELDS)
