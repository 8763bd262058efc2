"""Call our policies exactly as pulumi-policy's analyzer does, and collect the messages."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pulumi_policy import (
    PolicyCustomTimeouts,
    PolicyResource,
    PolicyResourceOptions,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
)
from pulumi_policy.proxy import unknown_checking_proxy
from pulumi_policy.secret import secrets_preserving_proxy

from pulumi_runpod_endpoint import TYPE_TOKEN
from pulumi_runpod_endpoint.policy import all_policies

BASE: dict[str, Any] = {
    "name": "inference",
    "template_id": "tmpl12345",
    "gpu_ids": ["AMPERE_16"],
    "workers_min": 0,
    "workers_max": 3,
    "idle_timeout": 5,
    "execution_timeout_ms": 600_000,
    "flashboot": True,
    "env": {},
}


def policy(name: str) -> Any:
    [found] = [p for p in all_policies() if p.name == name]
    return found


def options(secret_outputs: list[str] | None = None) -> PolicyResourceOptions:
    return PolicyResourceOptions(
        protect=False,
        ignore_changes=[],
        delete_before_replace=None,
        aliases=[],
        custom_timeouts=PolicyCustomTimeouts(0, 0, 0),
        additional_secret_outputs=["env"] if secret_outputs is None else secret_outputs,
    )


def resource_args(
    props: Mapping[str, Any],
    *,
    name: str = "inference",
    config: Mapping[str, Any] | None = None,
    stack: str = "dev",
    tags: Mapping[str, str] | None = None,
    resource_type: str = TYPE_TOKEN,
    secret_outputs: list[str] | None = None,
    remediation: bool = False,
) -> ResourceValidationArgs:
    raw = dict(props)
    proxied = unknown_checking_proxy(secrets_preserving_proxy(raw) if remediation else raw)
    return ResourceValidationArgs(
        resource_type=resource_type,
        props=proxied,
        urn=f"urn:pulumi:{stack}::proj::{resource_type}::{name}",
        name=name,
        opts=options(secret_outputs),
        provider=None,
        config=dict(config or {}),
        stack_tags=dict(tags or {}),
    )


def violations(name: str, overrides: Mapping[str, Any] | None = None, **kwargs: Any) -> list[str]:
    found = policy(name)
    assert isinstance(found, ResourceValidationPolicy)
    messages: list[str] = []
    found.validate(resource_args({**BASE, **(overrides or {})}, **kwargs), lambda m, urn=None: messages.append(m))
    return messages


def remediate(name: str, props: Mapping[str, Any], **kwargs: Any) -> Any:
    found = policy(name)
    return found.remediate(resource_args(props, remediation=True, **kwargs))


def stack_violations(
    name: str, endpoints: list[tuple[str, Mapping[str, Any]]], config: Mapping[str, Any] | None = None
) -> list[str]:
    found = policy(name)
    assert isinstance(found, StackValidationPolicy)
    resources = [
        PolicyResource(
            resource_type=TYPE_TOKEN,
            props={**BASE, **props},
            urn=f"urn:pulumi:dev::proj::{TYPE_TOKEN}::{resource}",
            name=resource,
            opts=options(),
            provider=None,
            parent=None,
            dependencies=[],
            property_dependencies={},
        )
        for resource, props in endpoints
    ]
    messages: list[str] = []
    found.validate(StackValidationArgs(resources, config=dict(config or {})), lambda m, urn=None: messages.append(m))
    return messages
