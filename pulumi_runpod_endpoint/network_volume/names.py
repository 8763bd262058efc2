"""The network volume's property names: what a program needs to declare one, without pydantic or the provider.

``SPEC_FIELDS`` is ``VolumeSpec``'s fields, in order; spec.py checks at import that the model has
exactly these, so the two cannot drift apart.
"""

from __future__ import annotations

from ..dynamic.tokens import AUTO_NAME, MANAGED_FIELDS

__all__ = [
    "ADOPT",
    "ALLOW_REPLACEMENT",
    "AUTO_NAME",
    "CONTROL_FIELDS",
    "OUTPUT_NAMES",
    "SPEC_FIELDS",
]

SPEC_FIELDS: tuple[str, ...] = (
    "name",
    "size_gb",
    "data_center_id",
    "type",
)
ADOPT = "adopt_existing_id"
ALLOW_REPLACEMENT = "allow_replacement"
CONTROL_FIELDS: tuple[str, ...] = (ALLOW_REPLACEMENT, ADOPT, AUTO_NAME)
OUTPUT_NAMES: tuple[str, ...] = (*SPEC_FIELDS, *CONTROL_FIELDS, MANAGED_FIELDS)
