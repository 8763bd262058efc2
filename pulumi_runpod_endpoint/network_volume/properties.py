"""Property bags <-> the network volume's model, and the diff rules. Pure functions, no API calls.

State layout (snake_case): ``name``, ``size_gb``, ``data_center_id``, ``type`` as the API last
reported them (``type`` is the concrete tier, also when the program left it to the data center's
default); ``managed_fields``, the fields the program declares (an omitted ``type`` is not managed, so
the reported default tier is never drift); the control inputs ``allow_replacement``,
``adopt_existing_id`` and ``auto_name_prefix``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ..dynamic.props import MANAGED_FIELDS, changed_fields, clean, is_unknown
from ..validation import FieldProblem, id_problem
from .names import ADOPT, ALLOW_REPLACEMENT, CONTROL_FIELDS, OUTPUT_NAMES, SPEC_FIELDS
from .spec import REPLACING_FIELDS, VolumeSpec
from .v2 import NetworkVolume

__all__ = [
    "ADOPT",
    "ALLOW_REPLACEMENT",
    "CONTROL_FIELDS",
    "OUTPUT_NAMES",
    "build_outputs",
    "check_controls",
    "diff_fields",
    "last_known",
    "refreshed_inputs",
    "replaced_fields",
    "spec_from_props",
]

# Dropping ``type`` from the program ends its management; the volume keeps its tier (nothing to send).
UNCLEARABLE: tuple[str, ...] = ("type",)


def check_controls(props: Mapping[str, Any]) -> list[FieldProblem]:
    """The inputs that steer the provider rather than describe the volume."""
    problems = []
    adopt = props.get(ADOPT)
    if adopt is not None and not is_unknown(adopt):
        message = id_problem(ADOPT, adopt, "network volume")
        if message:
            problems.append(FieldProblem(ADOPT, message))
    allow = props.get(ALLOW_REPLACEMENT)
    if allow is not None and not is_unknown(allow) and not isinstance(allow, bool):
        problems.append(FieldProblem(ALLOW_REPLACEMENT, f"{ALLOW_REPLACEMENT} must be True or False (got {allow!r})"))
    return problems


def spec_from_props(props: Mapping[str, Any]) -> VolumeSpec:
    """The desired spec from checked inputs (create/update)."""
    values = clean(props)
    return VolumeSpec.model_validate({name: values[name] for name in SPEC_FIELDS if name in values})


def last_known(volume_id: str, props: Mapping[str, Any]) -> NetworkVolume:
    """The volume as the state last recorded it (previous outputs): the starting point of an update."""
    values = clean(props)
    return NetworkVolume(
        id=volume_id,
        name=str(values.get("name") or ""),
        size=int(values.get("size_gb") or 0),
        data_center=str(values.get("data_center_id") or ""),
        type=str(values.get("type") or ""),
    )


def diff_fields(olds: Mapping[str, Any], news: Mapping[str, Any]) -> list[str]:
    """Spec fields whose change needs an update or a replacement (the old side is the last read)."""
    return changed_fields(olds, news, SPEC_FIELDS, unclearable=UNCLEARABLE)


def replaced_fields(news: Mapping[str, Any], changed: Iterable[str]) -> list[str]:
    """Changes RunPod cannot make in place: the data center and the tier (a new, empty volume).

    A value a preview cannot know yet is not judged a replacement; ``check`` judges it at ``up``.
    """
    new = clean(news)
    return [name for name in changed if name in REPLACING_FIELDS and not is_unknown(new.get(name))]


def build_outputs(volume: NetworkVolume, *, inputs: Mapping[str, Any], managed: Iterable[str]) -> dict[str, Any]:
    """Outputs: what the API reports, the control inputs as given, and the fields the program manages."""
    known = clean(inputs)
    managed_set = set(managed)
    outputs: dict[str, Any] = {
        "name": volume.name,
        "size_gb": volume.size,
        "data_center_id": volume.data_center,
        "type": volume.type,
    }
    outputs.update({name: known.get(name) for name in CONTROL_FIELDS})
    outputs[MANAGED_FIELDS] = [name for name in SPEC_FIELDS if name in managed_set]
    return outputs


def refreshed_inputs(outputs: Mapping[str, Any]) -> dict[str, Any]:
    """After a refresh the managed fields take the observed values, so drift shows on the next preview
    (and ``check`` judges a shrink or a move against the volume as it really is)."""
    inputs = {name: outputs[name] for name in outputs.get(MANAGED_FIELDS) or [] if outputs.get(name) is not None}
    inputs.update({name: outputs[name] for name in CONTROL_FIELDS if outputs.get(name) is not None})
    return inputs
