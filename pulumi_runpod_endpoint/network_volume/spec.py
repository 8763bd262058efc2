"""What a program asks for: one network volume, validated before any API call.

A volume holds data -- model weights, datasets -- so the rules here are as much about *changing* a
volume as about creating one. REST v2 (the spec's schemas and prose, and QUIRKS.md) says: size is
10-4096 GB and can only grow; the data center and the storage tier are fixed at creation; not every
data center offers every tier (``/v2/catalog/datacenters`` -> ``networkVolumeTypes``). So:

* a smaller ``size_gb`` is refused, always, saying why (the API would refuse it too, after a call);
* a new ``data_center_id`` or ``type`` can only be had by replacing the volume with a new, *empty*
  one: refused unless the program opts in with ``allow_replacement=True`` (``check`` sees the old
  and the new inputs, so the refusal comes before any call, in preview);
* a data center that does not offer the requested tier -- or no volumes at all -- is refused from
  the shipped catalog, naming what it offers.

``type`` is optional: left out, RunPod provisions the data center's default tier, and a read that
reports that tier is not drift (the field is not managed).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Literal, TypeGuard

from pydantic import BaseModel, ConfigDict, StrictInt

from ..api.catalog import Catalog, shipped_catalog
from ..validation import NAME_MAX, FieldProblem, matching_fields, show, text_problem
from . import names

__all__ = [
    "REPLACING_FIELDS",
    "SIZE_MAX",
    "SIZE_MIN",
    "SPEC_FIELDS",
    "VOLUME_TYPES",
    "VolumeSpec",
    "change_problems",
    "check_spec",
]

VolumeType = Literal["STANDARD", "HIGH_PERFORMANCE"]
VOLUME_TYPES: tuple[str, ...] = ("STANDARD", "HIGH_PERFORMANCE")
SIZE_MIN, SIZE_MAX = 10, 4096
REPLACING_FIELDS: tuple[str, ...] = ("data_center_id", "type")


class VolumeSpec(BaseModel):
    """The desired state of one network volume. Field docs are in ``NetworkVolumeArgs``."""

    model_config = ConfigDict(extra="forbid")

    name: str
    size_gb: StrictInt
    data_center_id: str
    type: VolumeType | None = None


SPEC_FIELDS = matching_fields(VolumeSpec, names.SPEC_FIELDS)


def check_spec(
    values: Mapping[str, Any], *, unknown: Iterable[str] = (), catalog: Catalog | None = None
) -> tuple[VolumeSpec | None, list[FieldProblem]]:
    """Validate program inputs; return the spec, or the problems (one per field).

    ``unknown`` names fields a preview cannot know yet: they are not judged, nor any rule needing them.
    """
    catalog = catalog or shipped_catalog()
    unknown = set(unknown)
    problems: list[FieldProblem] = []

    def add(field: str, message: str | None, *, cross: bool = False) -> None:
        if message and field not in unknown:
            problems.append(FieldProblem(field, message, cross_field=cross))

    for field in sorted(set(values) - set(SPEC_FIELDS)):
        add(field, f"{field} is not an input of this resource; inputs: {', '.join(SPEC_FIELDS)}")
    name = values.get("name")
    if "name" not in values:
        add("name", "name is required")
    elif not isinstance(name, str):
        add("name", f"name must be a string of 1-{NAME_MAX} characters (got {show(name)})")
    else:
        add("name", text_problem(name, what="name", max_length=NAME_MAX))
    add("size_gb", _size_problem(values.get("size_gb")))
    center = values.get("data_center_id")
    add("data_center_id", _data_center_problem(center, catalog))
    kind = values.get("type")
    if kind is not None and kind not in VOLUME_TYPES:
        add("type", f"type must be one of {', '.join(VOLUME_TYPES)}, or left out for the data center's default tier "
                    f"(got {show(kind)})")  # fmt: skip
    bad = {problem.field for problem in problems}
    if not ({"data_center_id", "type"} & (bad | unknown)):
        add("type", _tier_problem(center, kind, catalog), cross=True)
    if problems:
        return None, problems
    candidate = {key: values[key] for key in SPEC_FIELDS if key in values}
    for field in unknown & set(SPEC_FIELDS):
        candidate[field] = _PLACEHOLDERS[field]
    return VolumeSpec.model_validate(candidate), []


_PLACEHOLDERS: dict[str, Any] = {"name": "unknown", "size_gb": SIZE_MIN, "data_center_id": "unknown", "type": None}


def _size_problem(size: Any) -> str | None:
    if size is None:
        return f"size_gb is required: the volume's size in GB, {SIZE_MIN}-{SIZE_MAX}"
    if isinstance(size, bool) or not isinstance(size, int) or not SIZE_MIN <= size <= SIZE_MAX:
        return f"size_gb must be a whole number of GB from {SIZE_MIN} to {SIZE_MAX} (got {show(size)})"
    return None


def _offering(catalog: Catalog, kind: str | None = None) -> str:
    """The data centers offering network volumes (of ``kind``, when given)."""

    def offers(center: str) -> bool:
        types = catalog.volume_types(center)
        return kind in types if kind else bool(types)

    return ", ".join(center for center in catalog.data_center_ids() if offers(center)) or "none"


def _data_center_problem(center: Any, catalog: Catalog) -> str | None:
    if center is None:
        return "data_center_id is required: the data center the volume lives in, e.g. 'EU-RO-1'"
    if not isinstance(center, str) or catalog.data_center(center) is None:
        return (
            f"data_center_id: {show(center)} is not a known data center; data centers with network volumes: "
            f"{_offering(catalog)}"
        )
    return None


def _tier_problem(center: Any, kind: Any, catalog: Catalog) -> str | None:
    offered = catalog.volume_types(center)
    if not offered:
        return (
            f"data center {center} offers no network volumes (per the catalog shipped with this package); "
            f"data centers that do: {_offering(catalog)}"
        )
    if kind is not None and kind not in offered:
        return (
            f"data center {center} does not offer {kind} network volumes; it offers {', '.join(offered)} "
            f"(or choose a data center with {kind}: {_offering(catalog, kind)})"
        )
    return None


# -- changing a volume ----------------------------------------------------------------------------------
def change_problems(
    old: Mapping[str, Any], new: Mapping[str, Any], *, allow_replacement: bool, unknown: Iterable[str] = ()
) -> list[FieldProblem]:
    """What a change from the old inputs to the new ones may not do (``check`` of an update).

    Never shrink; never replace -- a new, empty volume -- unless the program opted in. Fields that
    are unknown in a preview are judged at ``pulumi up``, when they are known.
    """
    unknown = set(unknown)
    if not old:
        return []
    problems: list[FieldProblem] = []
    name = old.get("name") or new.get("name") or "this volume"
    before, after = old.get("size_gb"), new.get("size_gb")
    if "size_gb" not in unknown and _is_size(before) and _is_size(after) and after < before:
        problems.append(
            FieldProblem(
                "size_gb",
                f"size_gb cannot shrink from {before} to {after}: a RunPod network volume can only grow (the API "
                f"refuses a smaller size). Keep size_gb at {before} or more; for a smaller volume, declare a new "
                "NetworkVolume, copy what you need onto it, then remove this one",
            )
        )
    if allow_replacement:
        return problems
    for field, what in (("data_center_id", "data center"), ("type", "storage tier")):
        was, wanted = old.get(field), new.get(field)
        if field in unknown or not isinstance(was, str) or not isinstance(wanted, str) or was == wanted:
            continue
        problems.append(FieldProblem(field, replacement_message(field, what, was, wanted, name)))
    return problems


def replacement_message(field: str, what: str, was: str, wanted: str, name: str) -> str:
    """Why changing an immutable field is refused, what would be lost, and the two ways forward."""
    return (
        f"changing {field} from {was!r} to {wanted!r} would replace network volume {name!r}: RunPod cannot change "
        f"a volume's {what}, so Pulumi would create a new, EMPTY volume and delete this one with everything on it "
        f"(model weights, datasets, caches). If this is a mistake, set {field} back to {was!r}. To replace it on "
        "purpose, copy what you need first, then set allow_replacement=True"
    )


def _is_size(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)
