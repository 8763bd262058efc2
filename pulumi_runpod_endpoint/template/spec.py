"""What a program asks for: one template of container settings, validated before any API call.

Defaults belong to the provider, and two of RunPod's are wrong for this package: ``serverless``
defaults to False on the API (and an endpoint made from a non-serverless template is a 422), and
``startSsh`` / ``startJupyter`` default to True (pod features that inject ``PUBLIC_KEY`` /
``JUPYTER_PASSWORD`` into the container). So every create sends ``serverless`` (default True here),
``public`` (False), ``category`` ('NVIDIA', the API's own default, stated) and both pod flags False.

A public template shows everything in it, env included, to every RunPod user: ``public=True`` with
a non-empty ``env`` is refused unless the program opts in with ``allow_public_env=True``.

``revision`` is a digest of the container settings an endpoint takes from a template (image, args,
disk, ports, env, registry credential). RunPod applies a template to an endpoint once and never
propagates later edits; an endpoint that takes ``template.revision`` as its ``template_revision``
sees it change exactly when those settings change, and re-applies the template in the same ``up``.
It is computed from the inputs, so a preview already knows it. It is a one-way digest: it cannot be
turned back into the env values it covers.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt

from ..validation import (
    INT32_MAX,
    NAME_MAX,
    FieldProblem,
    cuda_versions_problem,
    env_problem,
    id_problem,
    matching_fields,
    ports_problem,
    show,
    text_problem,
    unsendable,
)
from . import names

__all__ = [
    "CATEGORIES",
    "CONTAINER_FIELDS",
    "DEFAULTS",
    "SPEC_FIELDS",
    "TemplateSpec",
    "check_spec",
    "revision",
]

Category = Literal["CPU", "NVIDIA", "AMD"]
CATEGORIES: tuple[str, ...] = ("CPU", "NVIDIA", "AMD")
DEFAULTS: dict[str, Any] = {"serverless": True, "category": "NVIDIA", "public": False}
# The settings an endpoint takes from a template: what ``revision`` covers.
CONTAINER_FIELDS: tuple[str, ...] = (
    "image",
    "container_args",
    "container_disk_gb",
    "ports",
    "env",
    "registry_auth_id",
)


class TemplateSpec(BaseModel):
    """The desired state of one template. Field docs are in ``TemplateArgs``."""

    model_config = ConfigDict(extra="forbid", hide_input_in_errors=True)

    name: str
    image: str
    container_args: str | None = None
    container_disk_gb: StrictInt | None = Field(default=None, ge=1, le=INT32_MAX)
    ports: list[str] | None = None
    env: dict[str, str] | None = Field(default=None, repr=False)
    registry_auth_id: str | None = None
    serverless: StrictBool = True
    category: Category = "NVIDIA"
    allowed_cuda_versions: list[str] | None = None
    public: StrictBool = False


SPEC_FIELDS = matching_fields(TemplateSpec, names.SPEC_FIELDS)
_PLACEHOLDERS: dict[str, Any] = {"name": "unknown", "image": "unknown"}


def check_spec(
    values: Mapping[str, Any], *, unknown: Iterable[str] = (), allow_public_env: bool = False
) -> tuple[TemplateSpec | None, list[FieldProblem]]:
    """Validate program inputs; return the spec with the provider's defaults, or the problems."""
    unknown = set(unknown)
    problems: list[FieldProblem] = []

    def add(field: str, message: str | None, *, cross: bool = False) -> None:
        if message and field not in unknown:
            problems.append(FieldProblem(field, message, cross_field=cross))

    for field in sorted(set(values) - set(SPEC_FIELDS)):
        add(field, f"{field} is not an input of this resource; inputs: {', '.join(SPEC_FIELDS)}")
    name = values.get("name")
    if not isinstance(name, str):
        add("name", f"name must be a string of 1-{NAME_MAX} characters (got {show(name)})")
    else:
        add("name", text_problem(name, what="name", max_length=NAME_MAX))
    image = values.get("image")
    if not isinstance(image, str):
        add("image", f"image is required: a container image reference such as 'runpod/worker:1.0' (got {show(image)})")
    else:
        add("image", text_problem(image, what="image", max_length=1024, allow_spaces=False))
    args = values.get("container_args")
    if args is not None and not (isinstance(args, str) and len(args) <= 4096 and not unsendable(args)):
        add("container_args", f"container_args must be a string of at most 4096 characters, without NUL or unpaired "
                              f"surrogates "
                              f"(got {show(args)})")  # fmt: skip
    disk = values.get("container_disk_gb")
    if disk is not None and (isinstance(disk, bool) or not isinstance(disk, int) or not 1 <= disk <= INT32_MAX):
        add("container_disk_gb", f"container_disk_gb must be a whole number of GB, at least 1 (got {show(disk)})")
    add("ports", ports_problem(values.get("ports")))
    add("env", env_problem(values.get("env")))
    registry = values.get("registry_auth_id")
    if registry is not None:
        add("registry_auth_id", id_problem("registry_auth_id", registry, "registry credential"))
    for flag in ("serverless", "public"):
        if values.get(flag) is not None and not isinstance(values[flag], bool):
            add(flag, f"{flag} must be True or False (got {show(values[flag])})")
    category = values.get("category")
    if category is not None and category not in CATEGORIES:
        add("category", f"category must be one of {', '.join(CATEGORIES)} (got {show(category)})")
    add("allowed_cuda_versions", cuda_versions_problem(values.get("allowed_cuda_versions")))
    bad = {problem.field for problem in problems}
    if not ({"public", "env"} & (bad | unknown)):
        add("public", _public_env_problem(values, allow_public_env), cross=True)
    if problems:
        return None, problems
    candidate = {**DEFAULTS, **{key: value for key, value in values.items() if value is not None}}
    for field in unknown & set(SPEC_FIELDS):
        candidate.pop(field, None)
        if field in _PLACEHOLDERS:
            candidate[field] = _PLACEHOLDERS[field]
    return TemplateSpec.model_validate(candidate), []


def _public_env_problem(values: Mapping[str, Any], allowed: bool) -> str | None:
    env = values.get("env") or {}
    if values.get("public") is not True or not env or allowed:
        return None
    names = ", ".join(sorted(env)[:10]) + (", ..." if len(env) > 10 else "")
    return (
        f"public=True shows this template to every RunPod user, env included, and env sets {len(env)} "
        f"variable(s) ({names}). Remove env (give it to the endpoint instead), keep the template private, or "
        "set allow_public_env=True if none of it is secret"
    )


# -- revision --------------------------------------------------------------------------------------------
def revision(settings: Mapping[str, Any]) -> str:
    """A digest of the container settings (flat names): equal settings, equal revision; an empty
    value counts as absent (``ports=[]`` and no ports both mean none), ports are a set."""

    def value(name: str) -> Any:
        item = settings.get(name)
        if item in (None, "", [], {}):
            return None
        return sorted(item) if name == "ports" else item

    content = {name: value(name) for name in CONTAINER_FIELDS}
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
