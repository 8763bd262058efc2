"""Property bags <-> the registry credential's model, and the diff rules. Pure functions, no API calls.

State layout (snake_case): ``name`` as the API last reported it; ``username`` and ``password`` as the
program last gave them -- the API never returns them -- always stored as secrets (this provider marks
them so in every bag it returns, besides the resource's ``additional_secret_outputs``);
``managed_fields``; the control inputs ``adopt_existing_id`` and ``auto_name_prefix``.

Every change of a spec field is a replacement: v2 has no update for credentials.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ..dynamic.props import MANAGED_FIELDS, changed_fields, clean, is_unknown, secret
from ..validation import FieldProblem, id_problem
from .names import ADOPT, CONTROL_FIELDS, OUTPUT_NAMES, SECRET_FIELDS, SPEC_FIELDS
from .spec import RegistryAuthSpec
from .v2 import Registry

__all__ = [
    "ADOPT",
    "CONTROL_FIELDS",
    "OUTPUT_NAMES",
    "build_outputs",
    "check_controls",
    "diff_fields",
    "refreshed_inputs",
    "spec_from_props",
]


def check_controls(props: Mapping[str, Any]) -> list[FieldProblem]:
    adopt = props.get(ADOPT)
    if adopt is None or is_unknown(adopt):
        return []
    message = id_problem(ADOPT, adopt, "registry credential")
    return [FieldProblem(ADOPT, message)] if message else []


def spec_from_props(props: Mapping[str, Any]) -> RegistryAuthSpec:
    values = clean(props)
    return RegistryAuthSpec.model_validate({name: values[name] for name in SPEC_FIELDS if name in values})


def diff_fields(olds: Mapping[str, Any], news: Mapping[str, Any]) -> list[str]:
    """Spec fields that changed: each one replaces the credential."""
    return changed_fields(olds, news, SPEC_FIELDS)


def build_outputs(registry: Registry, *, inputs: Mapping[str, Any], managed: Iterable[str]) -> dict[str, Any]:
    """Outputs: the name the API reports; the credential as last given (secret), which no read returns."""
    known = clean(inputs)
    managed_set = set(managed)
    outputs: dict[str, Any] = {"name": registry.name}
    outputs.update({name: secret(known.get(name)) for name in SECRET_FIELDS})
    outputs.update({name: known.get(name) for name in CONTROL_FIELDS})
    outputs[MANAGED_FIELDS] = [name for name in SPEC_FIELDS if name in managed_set]
    return outputs


def refreshed_inputs(outputs: Mapping[str, Any]) -> dict[str, Any]:
    """After a refresh the name takes the observed value (drift shows on the next preview); the
    credential keeps what the program last gave, still secret -- its drift cannot be observed."""
    inputs = {name: outputs[name] for name in outputs.get(MANAGED_FIELDS) or [] if outputs.get(name) is not None}
    inputs.update({name: outputs[name] for name in CONTROL_FIELDS if outputs.get(name) is not None})
    return inputs
