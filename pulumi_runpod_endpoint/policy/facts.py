"""What a rule knows about a resource: its inputs parsed by the provider's own ``check_spec``.

The pack's adapter (``adapter.py``) turns pulumi-policy's arguments into a plain ``Props``: the values,
the fields a preview cannot know yet, and -- only where pulumi-policy shows them -- which values are
secrets. This module turns ``Props`` into facts with the same parser the provider's ``check`` uses, so
an input means the same thing to the pack as to the provider, defaults included.

Three rules of the house:

* a field a preview cannot know is not judged (nor any rule that reads it): it is judged at
  ``pulumi up``, when it is known, instead of failing a preview on a value nobody has yet;
* a field the provider refuses is not judged either: ``check`` names it with the allowed values,
  and the pack keeps judging the fields that are fine;
* state written by the previous release (old field names) reads as today's fields.

Pure: no Pulumi, no pulumi-policy, so rules can be called and tested as plain functions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from ..dynamic.tokens import AUTO_NAME, MANAGED_FIELDS, type_token
from ..endpoint import TYPE_NAME as ENDPOINT
from ..endpoint.legacy import upgrade_props
from ..endpoint.spec import SPEC_FIELDS as ENDPOINT_FIELDS
from ..endpoint.spec import EndpointSpec
from ..endpoint.spec import check_spec as check_endpoint
from ..network_volume import TYPE_NAME as VOLUME
from ..network_volume.spec import SPEC_FIELDS as VOLUME_FIELDS
from ..network_volume.spec import VolumeSpec
from ..network_volume.spec import check_spec as check_volume
from ..registry_auth import TYPE_NAME as REGISTRY_AUTH
from ..registry_auth.spec import SPEC_FIELDS as REGISTRY_FIELDS
from ..registry_auth.spec import RegistryAuthSpec
from ..registry_auth.spec import check_spec as check_registry
from ..template import TYPE_NAME as TEMPLATE
from ..template.spec import SPEC_FIELDS as TEMPLATE_FIELDS
from ..template.spec import TemplateSpec
from ..template.spec import check_spec as check_template
from ..validation import FieldProblem

__all__ = [
    "ENDPOINT_TYPE",
    "REGISTRY_AUTH_TYPE",
    "TEMPLATE_TYPE",
    "VOLUME_TYPE",
    "EndpointFacts",
    "Props",
    "RegistryAuthFacts",
    "StackFacts",
    "Subject",
    "TemplateFacts",
    "VolumeFacts",
    "endpoint_facts",
    "registry_auth_facts",
    "stack_name",
    "template_facts",
    "volume_facts",
]

ENDPOINT_TYPE = type_token(ENDPOINT)
VOLUME_TYPE = type_token(VOLUME)
REGISTRY_AUTH_TYPE = type_token(REGISTRY_AUTH)
TEMPLATE_TYPE = type_token(TEMPLATE)


@dataclass(frozen=True)
class Props:
    """A resource's property bag as plain data.

    ``secret_paths`` holds ``"env"`` (the whole value is a secret) or ``"env.HF_TOKEN"`` (one entry is);
    it is None where the markers are not visible -- pulumi-policy shows them to remediations only.
    ``secret_outputs`` is what the resource declares in ``additional_secret_outputs``.
    """

    values: Mapping[str, Any]
    unknown: frozenset[str] = frozenset()
    secret_paths: frozenset[str] | None = None
    secret_outputs: frozenset[str] = frozenset()
    partial: Mapping[str, Any] = field(default_factory=dict)
    """Fields that are unknown only in part (``[volume.id, "vol_abc"]`` in a preview), with None for each
    unknown piece: not judged as a whole, but their known pieces can be read."""

    def is_secret(self, name: str, key: str | None = None) -> bool | None:
        """Whether the value (or one entry of it) is a secret; None when that cannot be seen."""
        if self.secret_paths is None:
            return None
        return name in self.secret_paths or (key is not None and f"{name}.{key}" in self.secret_paths)


@dataclass(frozen=True, kw_only=True)
class Subject:
    """One resource as a rule sees it, and how its messages start."""

    kind: str
    resource_name: str
    urn: str = ""
    props: Props = field(default_factory=lambda: Props({}))
    unknown: frozenset[str] = frozenset()
    """Fields not judged: unknown in this preview, or refused by the provider's check (which says why)."""

    def known(self, *fields: str) -> bool:
        return not (set(fields) & self.unknown)

    @property
    def stack(self) -> str:
        return stack_name(self.urn)

    def say(self, detail: str, fix: str) -> str:
        """The one message shape: the resource, the field and value (in ``detail``), the fix."""
        return f"{self.kind} '{self.resource_name}': {detail} Fix: {fix}"


@dataclass(frozen=True, kw_only=True)
class EndpointFacts(Subject):
    spec: EndpointSpec
    """The inputs with the provider's defaults (what ``check`` sends); unknown fields hold defaults."""
    stack_tags: Mapping[str, str] = field(default_factory=dict)
    auto_named: bool = False
    volume_urns: tuple[str, ...] = ()
    """Stack rules: the NetworkVolume resources ``network_volume_ids`` depends on (the engine's record)."""


@dataclass(frozen=True, kw_only=True)
class VolumeFacts(Subject):
    spec: VolumeSpec


@dataclass(frozen=True, kw_only=True)
class RegistryAuthFacts(Subject):
    spec: RegistryAuthSpec


@dataclass(frozen=True, kw_only=True)
class TemplateFacts(Subject):
    spec: TemplateSpec
    allow_public_env: bool | None = False
    """The template's own opt-in (``allow_public_env``); None while unknown."""


@dataclass(frozen=True)
class StackFacts:
    """Everything a stack rule reads: the stack's endpoints, and its volumes by URN."""

    endpoints: tuple[EndpointFacts, ...] = ()
    volumes: Mapping[str, VolumeFacts] = field(default_factory=dict)


def stack_name(urn: str) -> str:
    """``urn:pulumi:<stack>::<project>::<type>::<name>`` -> ``<stack>``."""
    return urn.split("::")[0].rsplit(":", 1)[-1] if urn.startswith("urn:pulumi:") else ""


# -- parsing ---------------------------------------------------------------------------------------------
Spec = TypeVar("Spec")
Check = Callable[[Mapping[str, Any], Iterable[str]], tuple[Spec | None, list[FieldProblem]]]


def _parse(check: Check[Spec], values: Mapping[str, Any], unknown: set[str]) -> tuple[Spec, frozenset[str]] | None:
    """The provider's parse, leaving out what it cannot judge yet and what it refuses.

    Returns the spec and every field left out (unknown, or refused: the provider's check names those),
    or None when the inputs cannot be read at all.
    """
    skipped = set(unknown)
    for _ in range(len(values) + 2):
        spec, problems = check(values, skipped)
        if spec is not None:
            return spec, frozenset(skipped)
        refused = {problem.field for problem in problems if problem.field} - skipped
        if not refused:
            return None
        skipped |= refused
    return None


def _declared(
    props: Props, fields: tuple[str, ...], *, legacy: bool = False, managed_only: bool = True
) -> dict[str, Any]:
    """The spec fields a bag declares: inputs as given, or outputs limited to the managed fields (an
    output the program does not manage -- what the API filled in -- is not the program's choice).
    ``managed_only=False`` reads every observed field: where a volume sits is a fact, managed or not
    (a ``NetworkVolume.get`` manages nothing)."""
    values = upgrade_props(props.values) if legacy else dict(props.values)
    managed = values.get(MANAGED_FIELDS) if managed_only else None
    names = [name for name in fields if not isinstance(managed, list) or name in managed]
    return {name: values[name] for name in names if values.get(name) is not None}


def endpoint_facts(
    props: Props,
    resource_name: str,
    *,
    urn: str = "",
    stack_tags: Mapping[str, str] | None = None,
    volume_urns: Iterable[str] = (),
) -> EndpointFacts | None:
    values = _declared(props, ENDPOINT_FIELDS, legacy=True)
    unknown = set(props.unknown) & set(ENDPOINT_FIELDS)
    if "name" not in values:
        unknown.add("name")  # generated by check, or not known in this preview
    parsed = _parse(lambda v, u: check_endpoint(v, unknown=u), values, unknown)
    if parsed is None:
        return None
    spec, skipped = parsed
    return EndpointFacts(
        kind=ENDPOINT,
        resource_name=resource_name,
        urn=urn,
        props=props,
        unknown=skipped,
        spec=spec,
        stack_tags=dict(stack_tags or {}),
        auto_named=AUTO_NAME in props.values,
        volume_urns=tuple(volume_urns),
    )


def volume_facts(props: Props, resource_name: str, *, urn: str = "") -> VolumeFacts | None:
    values = _declared(props, VOLUME_FIELDS, managed_only=False)
    unknown = set(props.unknown) & set(VOLUME_FIELDS)
    parsed = _parse(lambda v, u: check_volume(v, unknown=u), values, unknown)
    if parsed is None:
        return None
    spec, skipped = parsed
    return VolumeFacts(kind=VOLUME, resource_name=resource_name, urn=urn, props=props, unknown=skipped, spec=spec)


def registry_auth_facts(props: Props, resource_name: str, *, urn: str = "") -> RegistryAuthFacts | None:
    values = _declared(props, REGISTRY_FIELDS)
    unknown = set(props.unknown) & set(REGISTRY_FIELDS)
    parsed = _parse(lambda v, u: check_registry(v, unknown=u), values, unknown)
    if parsed is None:
        return None
    spec, skipped = parsed
    return RegistryAuthFacts(
        kind=REGISTRY_AUTH, resource_name=resource_name, urn=urn, props=props, unknown=skipped, spec=spec
    )


def template_facts(props: Props, resource_name: str, *, urn: str = "") -> TemplateFacts | None:
    values = _declared(props, TEMPLATE_FIELDS)
    unknown = set(props.unknown) & set(TEMPLATE_FIELDS)
    # The public-env refusal is a rule of its own here (no-public-template-env): parse past it.
    parsed = _parse(lambda v, u: check_template(v, unknown=u, allow_public_env=True), values, unknown)
    if parsed is None:
        return None
    spec, skipped = parsed
    opt_in = None if "allow_public_env" in props.unknown else props.values.get("allow_public_env") is True
    return TemplateFacts(
        kind=TEMPLATE,
        resource_name=resource_name,
        urn=urn,
        props=props,
        unknown=skipped,
        spec=spec,
        allow_public_env=opt_in,
    )
