"""Present resources to the policies exactly as the engine and pulumi-policy's analyzer do.

The path a resource takes before a rule sees it (checked against pulumi/pulumi's step generator and
plugin code, and by running ``pulumi preview --policy-pack`` against this pack):

1. the program's inputs go through the provider's ``check`` (resource policies see the *checked*
   inputs: defaults filled in, the generated name, ``auto_name_prefix``);
2. the engine marks an input secret again where the program's input of the same name was secret
   (the Python dynamic provider host cannot take secrets);
3. the analyzer gets the props as a protobuf ``Struct`` -- every number becomes a double (20 -> 20.0),
   values a preview cannot know are the unknown sentinel string, secrets are signature objects;
4. pulumi-policy deserializes them: without secret markers for validations, with ``Secret`` markers
   for remediations (which also get ``__provider``), and wraps them in its unknown-checking proxy.

Stack policies get every resource's outputs (in a preview: the checked inputs of what changes) with
``property_dependencies`` pointing at the other resources.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from google.protobuf import json_format, struct_pb2  # type: ignore[import-untyped]
from pulumi.runtime.proto import analyzer_pb2
from pulumi_policy import (
    PolicyCustomTimeouts,
    PolicyResource,
    PolicyResourceOptions,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
)
from pulumi_policy.deserialize import SPECIAL_SECRET_SIG, SPECIAL_SIG_KEY, deserialize_properties
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE, unknown_checking_proxy

from pulumi_runpod_endpoint.endpoint.provider import ServerlessEndpointProvider
from pulumi_runpod_endpoint.network_volume.provider import NetworkVolumeProvider
from pulumi_runpod_endpoint.policy import all_policies
from pulumi_runpod_endpoint.policy.facts import ENDPOINT_TYPE, REGISTRY_AUTH_TYPE, TEMPLATE_TYPE, VOLUME_TYPE
from pulumi_runpod_endpoint.registry_auth.provider import RegistryAuthProvider
from pulumi_runpod_endpoint.template.provider import TemplateProvider

UNKNOWN = UNKNOWN_STRING_VALUE  # what a preview sends for a value it cannot know (rpc.UNKNOWN too)
PROVIDER_BLOB = "gASVTgAAAAAAAACMKHB1bHVtaV9ydW5wb2RfZW5kcG9pbnQuZW5kcG9pbnQucHJvdmlkZXKU"

_PROVIDERS: dict[str, Any] = {
    ENDPOINT_TYPE: ServerlessEndpointProvider,
    VOLUME_TYPE: NetworkVolumeProvider,
    REGISTRY_AUTH_TYPE: RegistryAuthProvider,
    TEMPLATE_TYPE: TemplateProvider,
}
# What each resource class marks secret on the way in, and declares in additional_secret_outputs.
CLASS_SECRETS: dict[str, tuple[str, ...]] = {
    ENDPOINT_TYPE: ("env",),
    VOLUME_TYPE: (),
    REGISTRY_AUTH_TYPE: ("username", "password"),
    TEMPLATE_TYPE: ("env",),
}


def wire_secret(value: Any) -> dict[str, Any]:
    """A secret as the engine serializes it."""
    return {SPECIAL_SIG_KEY: SPECIAL_SECRET_SIG, "value": value}


@dataclass
class Declared:
    """One resource as a program declares it (inputs before ``check``)."""

    type: str
    name: str
    inputs: Mapping[str, Any]
    secret_inputs: Sequence[str] | None = None  # None: what the resource class marks secret
    secret_outputs: Sequence[str] | None = None  # None: what the resource class declares
    depends: Mapping[str, Sequence[str]] = field(default_factory=dict)  # property -> resource names
    state: Mapping[str, Any] | None = None  # outputs recorded in the state (stack rules), instead of check's

    @property
    def urn(self) -> str:
        return urn(self.type, self.name)


def urn(type_: str, name: str, stack: str = "dev") -> str:
    return f"urn:pulumi:{stack}::proj::{type_}::{name}"


def endpoint(resource: str = "inference", **inputs: Any) -> Declared:
    base: dict[str, Any] = {"image": "runpod/worker:1.0", "gpu_pools": ["AMPERE_16"], "idle_timeout": 5}
    return Declared(ENDPOINT_TYPE, resource, {**base, **inputs})


def volume(resource: str = "weights", **inputs: Any) -> Declared:
    return Declared(VOLUME_TYPE, resource, {"size_gb": 100, "data_center_id": "EU-RO-1", **inputs})


def registry_auth(resource: str = "registry", **inputs: Any) -> Declared:
    return Declared(REGISTRY_AUTH_TYPE, resource, {"username": "robot", "password": "s3cret-token", **inputs})


def template(resource: str = "base", **inputs: Any) -> Declared:
    return Declared(TEMPLATE_TYPE, resource, {"image": "runpod/worker:1.0", **inputs})


def checked(declared: Declared) -> dict[str, Any]:
    """Steps 1 and 2: the provider's check, then the engine's secret annotation."""
    inputs = dict(declared.inputs)
    if inputs.get("name") is None:
        inputs["auto_name_prefix"] = declared.name  # what the resource classes send for "no name given"
    result = _PROVIDERS[declared.type]().check({}, inputs)
    secret = CLASS_SECRETS[declared.type] if declared.secret_inputs is None else declared.secret_inputs
    return {key: wire_secret(value) if key in secret else value for key, value in result.inputs.items()}


def wire(props: Mapping[str, Any]) -> dict[str, Any]:
    """Step 3: through a protobuf Struct, as the analyzer receives it (numbers become doubles)."""
    message = struct_pb2.Struct()
    message.update(dict(props))
    return json_format.MessageToDict(message)  # type: ignore[no-any-return]


def options(declared: Declared) -> PolicyResourceOptions:
    """The options as pulumi-policy builds them: fields of the request's protobuf message."""
    declared_outputs = (
        CLASS_SECRETS.get(declared.type, ()) if declared.secret_outputs is None else declared.secret_outputs
    )
    message = analyzer_pb2.AnalyzerResourceOptions(additionalSecretOutputs=list(declared_outputs))
    return PolicyResourceOptions(
        protect=message.protect,
        ignore_changes=message.ignoreChanges,
        delete_before_replace=None,
        aliases=message.aliases,
        custom_timeouts=PolicyCustomTimeouts(0, 0, 0),
        additional_secret_outputs=message.additionalSecretOutputs,
    )


def resource_args(
    declared: Declared,
    *,
    config: Mapping[str, Any] | None = None,
    stack: str = "dev",
    tags: Mapping[str, str] | None = None,
    remediation: bool = False,
    props: Mapping[str, Any] | None = None,
) -> ResourceValidationArgs:
    """Step 4 for a resource policy (``props``: checked inputs to use instead of the provider's)."""
    raw = wire(checked(declared) if props is None else props)
    if remediation:
        raw["__provider"] = PROVIDER_BLOB  # remediations get the serialized provider too
    deserialized = deserialize_properties(raw, proxy_secrets=remediation)
    return ResourceValidationArgs(
        resource_type=declared.type,
        props=unknown_checking_proxy(deserialized),
        urn=urn(declared.type, declared.name, stack),
        name=declared.name,
        opts=options(declared),
        provider=None,
        config=dict(config or {}),
        stack_tags=dict(tags or {}),
    )


def stack_args(
    resources: Sequence[Declared], *, config: Mapping[str, Any] | None = None, tags: Mapping[str, str] | None = None
) -> StackValidationArgs:
    """Step 4 for a stack policy: outputs (recorded state, or in a preview the checked inputs)."""
    made: dict[str, PolicyResource] = {}
    for declared in resources:
        outputs = checked(declared) if declared.state is None else dict(declared.state)
        made[declared.name] = PolicyResource(
            resource_type=declared.type,
            props=unknown_checking_proxy(deserialize_properties(wire(outputs))),
            urn=declared.urn,
            name=declared.name,
            opts=options(declared),
            provider=None,
            parent=None,
            dependencies=[],
            property_dependencies={},
        )
    for declared in resources:
        made[declared.name].property_dependencies = {
            prop: [made[name] for name in names] for prop, names in declared.depends.items()
        }
        made[declared.name].dependencies = [made[name] for names in declared.depends.values() for name in names]
    return StackValidationArgs(list(made.values()), config=dict(config or {}), stack_tags=dict(tags or {}))


class Collect(list[str]):
    """A ``report_violation`` that keeps the messages."""

    def __call__(self, message: str, urn: str | None = None) -> None:
        self.append(message)


def policy(name: str) -> Any:
    [found] = [p for p in all_policies() if p.name == name]
    return found


def violations(name: str, declared: Declared, **kwargs: Any) -> list[str]:
    """What a resource policy reports (run as pulumi-policy's Analyze runs it)."""
    found = policy(name)
    assert isinstance(found, ResourceValidationPolicy)
    messages = Collect()
    found.validate(resource_args(declared, **kwargs), messages)
    return list(messages)


def remediate(name: str, declared: Declared, **kwargs: Any) -> Any:
    """What a remediation returns (run as pulumi-policy's Remediate runs it)."""
    return policy(name).remediate(resource_args(declared, remediation=True, **kwargs))


def stack_violations(
    name: str,
    resources: Sequence[Declared],
    config: Mapping[str, Any] | None = None,
    tags: Mapping[str, str] | None = None,
) -> list[str]:
    found = policy(name)
    assert isinstance(found, StackValidationPolicy)
    messages = Collect()
    found.validate(stack_args(resources, config=config, tags=tags), messages)
    return list(messages)
