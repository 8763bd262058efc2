"""pulumi-policy's arguments -> plain ``Props`` -> facts.

pulumi-policy hands a rule its props wrapped in proxies: in a validation an ``unknown_checking_proxy``
that raises ``UnknownValueError`` on touching a value a preview cannot know (pulumi-policy then turns
the whole rule into an advisory "can't run policy during preview"), in a remediation a proxy that
unwraps ``Secret`` markers on access. Reading the raw values underneath (``proxy["__target"]``, the
proxies' own way out, which pulumi-policy's serializer uses too) lets a rule judge every field that
*is* known, skip the ones that are not, and -- in a remediation -- see which values are secrets.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from pulumi_policy import PolicyResource, ResourceValidationArgs, StackValidationArgs
from pulumi_policy.proxy import (
    UNKNOWN_ARCHIVE_VALUE,
    UNKNOWN_ARRAY_VALUE,
    UNKNOWN_ASSET_VALUE,
    UNKNOWN_BOOLEAN_VALUE,
    UNKNOWN_NUMBER_VALUE,
    UNKNOWN_OBJECT_VALUE,
    UNKNOWN_STRING_VALUE,
)
from pulumi_policy.secret import Secret

from .facts import (
    ENDPOINT_TYPE,
    REGISTRY_AUTH_TYPE,
    TEMPLATE_TYPE,
    VOLUME_TYPE,
    EndpointFacts,
    Props,
    StackFacts,
    Subject,
    VolumeFacts,
    endpoint_facts,
    registry_auth_facts,
    template_facts,
    volume_facts,
)

__all__ = ["TYPES", "props_of", "raw", "raw_props", "resource_facts", "stack_facts"]

_UNKNOWNS = frozenset(
    {
        UNKNOWN_ARCHIVE_VALUE,
        UNKNOWN_ARRAY_VALUE,
        UNKNOWN_ASSET_VALUE,
        UNKNOWN_BOOLEAN_VALUE,
        UNKNOWN_NUMBER_VALUE,
        UNKNOWN_OBJECT_VALUE,
        UNKNOWN_STRING_VALUE,
    }
)
TYPES = (ENDPOINT_TYPE, VOLUME_TYPE, REGISTRY_AUTH_TYPE, TEMPLATE_TYPE)
_DEPTH = 64  # property bags are shallow; a deeper one is not ours to walk


def raw(value: Any, depth: int = 0) -> Any:
    """The value without pulumi-policy's proxies, ``Secret`` markers kept."""
    if depth > _DEPTH:
        return None
    if isinstance(value, Secret):
        return Secret(raw(value.value, depth + 1))
    if isinstance(value, dict):
        return {key: raw(item, depth + 1) for key, item in value.items()}
    if isinstance(value, list):
        return [raw(item, depth + 1) for item in value]
    if isinstance(value, Mapping | Sequence) and not isinstance(value, str | bytes):
        try:
            inner = value["__target"]  # type: ignore[call-overload]
        except (KeyError, TypeError, IndexError):
            inner = dict(value) if isinstance(value, Mapping) else list(value)
        return raw(inner, depth + 1)
    return value


def _is_unknown(value: Any) -> bool:
    if isinstance(value, str):
        return value in _UNKNOWNS
    if isinstance(value, Secret):
        return _is_unknown(value.value)
    if isinstance(value, dict):
        return any(_is_unknown(item) for item in value.values())
    if isinstance(value, list):
        return any(_is_unknown(item) for item in value)
    return False


def _known_parts(value: Any) -> Any:
    """The value with None for every unknown piece."""
    if _is_unknown(value) and not isinstance(value, dict | list | Secret):
        return None
    if isinstance(value, Secret):
        return _known_parts(value.value)
    if isinstance(value, dict):
        return {key: _known_parts(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_known_parts(item) for item in value]
    return _plain(value)


def _plain(value: Any) -> Any:
    """Secret markers off, and whole numbers as ints: the engine sends every number as a double (a
    protobuf ``Struct``), so ``workers_max=20`` arrives as ``20.0`` -- which the provider's model, whose
    counts are strict integers, would refuse."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, Secret):
        return _plain(value.value)
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def _has_secret(value: Any) -> bool:
    if isinstance(value, Secret):
        return True
    if isinstance(value, dict):
        return any(_has_secret(item) for item in value.values())
    if isinstance(value, list):
        return any(_has_secret(item) for item in value)
    return False


def _secret_paths(values: Mapping[str, Any]) -> frozenset[str]:
    paths: set[str] = set()
    for name, value in values.items():
        if isinstance(value, Secret):
            paths.add(name)
        elif isinstance(value, dict):
            paths |= {f"{name}.{key}" for key, item in value.items() if _has_secret(item)}
        elif _has_secret(value):
            paths.add(name)
    return frozenset(paths)


def props_of(values: Mapping[str, Any], *, markers: bool = False, secret_outputs: Iterable[str] = ()) -> Props:
    """Plain props from raw ones: unknown fields set apart, secret markers read when ``markers``."""
    plain: dict[str, Any] = {}
    unknown: set[str] = set()
    partial: dict[str, Any] = {}
    for name, value in values.items():
        if value is None:
            continue
        if _is_unknown(value):
            unknown.add(name)
            if isinstance(value, dict | list | Secret):
                partial[name] = _known_parts(value)
        else:
            plain[name] = _plain(value)
    return Props(
        values=plain,
        unknown=frozenset(unknown),
        partial=partial,
        secret_paths=_secret_paths(values) if markers else None,
        secret_outputs=frozenset(secret_outputs or ()),
    )


def raw_props(args: ResourceValidationArgs) -> dict[str, Any]:
    """The resource's props without proxies, ``Secret`` markers and unknown values kept as they are
    (what a remediation returns, with its changes on top)."""
    value = raw(args.props)
    return dict(value) if isinstance(value, dict) else {}


def _secret_outputs(opts: Any) -> list[str]:
    """``additional_secret_outputs`` as declared (a protobuf repeated field when the engine calls)."""
    declared = getattr(opts, "additional_secret_outputs", None)
    if declared is None or isinstance(declared, str | bytes):
        return []
    try:
        return [str(name) for name in declared]
    except TypeError:
        return []


def resource_facts(args: ResourceValidationArgs, *, markers: bool = False) -> Subject | None:
    """The facts behind a resource policy call, or None for other resource types (and for inputs
    nothing can be read from: the provider's check reports those). ``markers``: the props carry
    ``Secret`` markers -- true for remediations only."""
    if args.resource_type not in TYPES:
        return None
    props = props_of(raw_props(args), markers=markers, secret_outputs=_secret_outputs(args.opts))
    return _facts(args.resource_type, props, args.name, args.urn, args.stack_tags)


def _facts(
    kind: str, props: Props, name: str, urn: str, tags: Mapping[str, str], volume_urns: Iterable[str] = ()
) -> Subject | None:
    if kind == ENDPOINT_TYPE:
        return endpoint_facts(props, name, urn=urn, stack_tags=tags, volume_urns=volume_urns)
    if kind == VOLUME_TYPE:
        return volume_facts(props, name, urn=urn)
    if kind == REGISTRY_AUTH_TYPE:
        return registry_auth_facts(props, name, urn=urn)
    if kind == TEMPLATE_TYPE:
        return template_facts(props, name, urn=urn)
    return None


def _volume_dependencies(resource: PolicyResource) -> list[str]:
    depends = getattr(resource, "property_dependencies", None) or {}
    return [dep.urn for dep in depends.get("network_volume_ids", []) or [] if dep.resource_type == VOLUME_TYPE]


def stack_facts(args: StackValidationArgs) -> StackFacts:
    """The stack's endpoints and volumes, from their outputs (stack policies see final states)."""
    endpoints: list[EndpointFacts] = []
    volumes: dict[str, VolumeFacts] = {}
    for resource in args.resources:
        if resource.resource_type not in (ENDPOINT_TYPE, VOLUME_TYPE):
            continue
        props = props_of(raw(resource.props) or {}, secret_outputs=_secret_outputs(resource.opts))
        facts = _facts(
            resource.resource_type,
            props,
            resource.name,
            resource.urn,
            args.stack_tags,
            _volume_dependencies(resource) if resource.resource_type == ENDPOINT_TYPE else (),
        )
        if isinstance(facts, VolumeFacts):
            volumes[resource.urn] = facts
        elif isinstance(facts, EndpointFacts):
            endpoints.append(facts)
    return StackFacts(endpoints=tuple(endpoints), volumes=volumes)
