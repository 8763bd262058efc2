"""GraphQL's templates, as far as endpoints need them: on GraphQL an endpoint is *bound* to a template
and runs what that template says, so a template's fields are an endpoint's container settings.

Evidence: runpod/flash creates endpoints from an inline ``template`` and later changes their image and
env with ``saveTemplate`` on the endpoint's ``templateId`` -- a template change is a rolling release
("avoids a spurious rolling release", flash ``update``); runpodctl and runpod-python re-point an
endpoint with ``updateEndpointTemplate``; runpodctl (PR 284, verified live) "saveEndpoint ignores env
when a templateId is referenced". ``PodTemplate.boundEndpointId`` (reconstructed schema) names the
endpoint a template was made for. Served here: ``saveTemplate`` (runpod-python ``create_template``,
flash, runpodctl's legacy deploy, pulumi-runpod), ``podTemplate(id:)`` (flash), ``myself {
podTemplates }`` and ``deleteTemplate(templateName:)`` (pulumi-runpod).

Templates live in the shared ``TemplateStore`` in their canonical shape; what only GraphQL has
(``volumeInGb``, ``readme``, ``startSsh``...) and which endpoint a template is bound to are kept here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphql import GraphQLError

from ...world import World
from ..templates import Template, TemplateStore
from ..templates.state import DEFAULT_DISK_GB
from .model import Container, Endpoint
from .store import EndpointStore

__all__ = ["TEMPLATE_NOT_FOUND", "BoundTemplates", "container_of", "ports_list"]

# runpodctl's test of updateEndpointTemplate mocks this wording (no live capture exists).
TEMPLATE_NOT_FOUND = "template not found"
_EXTRA_FIELDS = (
    "volumeInGb", "volumeMountPath", "readme", "startSsh", "startJupyter", "startScript",
    "isPublic", "advancedStart", "config", "category",
)  # fmt: skip


def ports_list(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(",") if part.strip()]


def container_of(template: Template) -> Container:
    return Container(
        image=template.image,
        args=template.args,
        disk=template.disk,
        ports=list(template.ports),
        env=dict(template.env),
        registry=template.registry,
    )


def _env(items: Any) -> dict[str, str]:
    return {item["key"]: item["value"] for item in items or [] if item is not None}


class BoundTemplates:
    def __init__(self, world: World, store: EndpointStore, templates: TemplateStore) -> None:
        self.world = world
        self.store = store
        self.templates = templates
        self.extras: dict[str, dict[str, Any]] = {}
        self.bound: dict[str, str] = {}
        """template id -> the endpoint it was made for (an inline ``template`` at create)."""

    def reset(self) -> None:
        self.extras.clear()
        self.bound.clear()

    # -- resolvers ---------------------------------------------------------------------------------
    def root_fields(self) -> dict[str, Any]:
        return {
            "saveTemplate": lambda _info, input=None: self.save(input),
            "deleteTemplate": lambda _info, **args: self.delete(args.get("templateName")),
            "podTemplate": lambda _info, id: self.view_by_id(id),
        }

    def myself_fields(self) -> dict[str, Any]:
        return {"podTemplates": lambda _info: [self.view(t) for t in self.templates.mine()]}

    def view_by_id(self, template_id: str) -> dict[str, Any] | None:
        template = self.templates.get(template_id)
        return self.view(template) if template is not None else None

    def save(self, data: Mapping[str, Any] | None) -> dict[str, Any]:
        if not data:
            raise GraphQLError("input is required")
        template_id = data.get("id")
        if template_id:
            template = self.templates.get(template_id) or self._materialize(template_id)
            if template is None:
                raise GraphQLError(TEMPLATE_NOT_FOUND)
        else:
            template = Template(id=self.world.new_id(10), name=str(data["name"]))
        self._apply(template, data)
        self.templates.add(template)
        self._propagate(template)
        return self.view(template)

    def delete(self, name: str | None) -> None:
        matches = [t for t in self.templates.mine() if t.name == name]
        if not matches:
            raise GraphQLError(TEMPLATE_NOT_FOUND)
        for template in matches:
            users = [e.id for e in self.store.all() if e.template_id == template.id]
            if users:
                raise GraphQLError(f"template {name!r} is in use by endpoint(s) {', '.join(users)}")
        for template in matches:
            self.templates.delete_bound(template.id)  # in use was checked above
            self.extras.pop(template.id, None)
            self.bound.pop(template.id, None)

    # -- what endpoint writes need -----------------------------------------------------------------
    def inline(self, data: Mapping[str, Any]) -> Template:
        """An ``EndpointTemplateInput``: a serverless template made in the same call as its endpoint."""
        template = Template(id=self.world.new_id(10), name=str(data["name"]), serverless=True)
        self._apply(template, data)
        return self.templates.add(template)

    def bind(self, template: Template, endpoint: Endpoint) -> None:
        self.bound[template.id] = endpoint.id

    def of(self, endpoint: Endpoint) -> dict[str, Any]:
        """The endpoint's template as GraphQL shows it: its settings are the endpoint's container."""
        template = self.templates.get(endpoint.template_id)
        container = endpoint.config.container
        base = self.view(template) if template is not None else {
            "id": endpoint.template_id,
            "name": f"{endpoint.config.name}__template",
            "isServerless": True,
            "isPublic": False,
            "volumeInGb": 0,
        }  # fmt: skip
        return {
            **base,
            "imageName": container.image,
            "dockerArgs": container.args,
            "containerDiskInGb": container.disk,
            "ports": ",".join(container.ports),
            "env": [{"key": k, "value": v} for k, v in container.env.items()],
            "containerRegistryAuthId": container.registry,
            "boundEndpointId": endpoint.id if self.bound.get(endpoint.template_id) == endpoint.id else None,
        }

    def view(self, template: Template) -> dict[str, Any]:
        extras = self.extras.get(template.id, {})
        return {
            **{name: extras.get(name) for name in _EXTRA_FIELDS},
            "id": template.id,
            "name": template.name,
            "imageName": template.image,
            "dockerArgs": template.args,
            "containerDiskInGb": template.disk,
            "ports": ",".join(template.ports),
            "env": [{"key": k, "value": v} for k, v in template.env.items()],
            "containerRegistryAuthId": template.registry,
            "isServerless": template.serverless,
            "boundEndpointId": self.bound.get(template.id),
            "userId": self.world.user_id,
            "isRunpod": False,
            "earned": 0.0,
        }

    # -- internals ---------------------------------------------------------------------------------
    def _apply(self, template: Template, data: Mapping[str, Any]) -> None:
        if data.get("name") is not None:
            template.name = str(data["name"])
        if data.get("imageName") is not None:
            template.image = str(data["imageName"])
        if data.get("dockerArgs") is not None:
            template.args = str(data["dockerArgs"])
        if data.get("containerDiskInGb") is not None:
            template.disk = int(data["containerDiskInGb"])
        if data.get("ports") is not None:
            template.ports = ports_list(data["ports"])
        if data.get("env") is not None:
            template.env = _env(data["env"])
        if "containerRegistryAuthId" in data:
            template.registry = data["containerRegistryAuthId"] or None
        if data.get("isServerless") is not None:
            template.serverless = bool(data["isServerless"])
        extras = self.extras.setdefault(template.id, {})
        extras.update({name: data[name] for name in _EXTRA_FIELDS if name in data})

    def _materialize(self, template_id: str) -> Template | None:
        """The bound template of an endpoint made through REST v2, which keeps no template record."""
        owner = next((e for e in self.store.all() if e.template_id == template_id), None)
        if owner is None:
            return None
        container = owner.config.container
        template = Template(
            id=template_id,
            name=f"{owner.config.name}__template",
            image=container.image,
            args=container.args,
            disk=container.disk if container.disk is not None else DEFAULT_DISK_GB,
            ports=list(container.ports),
            env=dict(container.env),
            registry=container.registry,
            serverless=True,
        )
        self.bound[template_id] = owner.id
        return template

    def _propagate(self, template: Template) -> None:
        """Every endpoint bound to the template now runs it: a release where workers' settings changed."""
        for endpoint in self.store.all():
            if endpoint.template_id == template.id:
                config = endpoint.config.clone()
                config.container = container_of(template)
                self.store.update(endpoint.id, config)
