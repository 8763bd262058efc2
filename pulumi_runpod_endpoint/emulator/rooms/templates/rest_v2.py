"""``/v2/templates``: list, create (201), get, PATCH, delete (204).

Bodies are validated against the spec's ``CreateTemplateRequest`` / ``UpdateTemplateRequest``
(422: unknown fields such as ``readme`` or v1's ``imageName``, a missing ``name`` or ``image``,
``disk`` < 1, a ``mounts.persistent`` under 10 GB or with ``network``, a CUDA version not
``major.minor``, a ``category`` outside CPU/NVIDIA/AMD); the rules in ``state.py`` answer 400 (a
duplicate name, an unknown registry credential, a template in use) and 404 (unknown, or a
public catalog template on PATCH/DELETE). Answers are the spec's ``Template`` and
``ListTemplatesResponse``.

PATCH changes only the fields sent; ``env`` and ``ports``, when sent, replace the whole value;
``mounts: {}`` leaves the mount as it is (spec: ``TemplateMounts``); ``registry: null`` clears
the credential; ``allowedCudaVersions: []`` clears the constraint.
"""

from __future__ import annotations

import copy
from typing import Any

from ...routing import Call, Operation, Reply
from ...validation import check_body
from ...world import World
from .state import Template, TemplateStore

__all__ = ["TemplatesApi", "view"]

# Wire name -> attribute, for the fields a PATCH sets as they come.
_PLAIN = {
    "name": "name",
    "image": "image",
    "args": "args",
    "disk": "disk",
    "registry": "registry",
    "serverless": "serverless",
    "public": "public",
    "category": "category",
    "startSsh": "start_ssh",
    "startJupyter": "start_jupyter",
}


class TemplatesApi:
    def __init__(self, world: World, store: TemplateStore) -> None:
        self.world = world
        self.store = store

    def operations(self) -> list[Operation]:
        return [
            Operation("GET", "/v2/templates", "listTemplates", self.list_templates),
            Operation("POST", "/v2/templates", "createTemplate", self.create),
            Operation("GET", "/v2/templates/{id}", "getTemplate", self.get),
            Operation("PATCH", "/v2/templates/{id}", "updateTemplate", self.update),
            Operation("DELETE", "/v2/templates/{id}", "deleteTemplate", self.delete),
        ]

    def list_templates(self, call: Call) -> Reply:
        return Reply(body={"templates": [view(template) for template in self.store.mine()]})

    def get(self, call: Call) -> Reply:
        return Reply(body=view(self.store.readable(call.path_params["id"])))

    def create(self, call: Call) -> Reply:
        body = check_body("CreateTemplateRequest", call.json())
        template = Template(id=self.world.new_id(10), name=body["name"], image=body["image"])
        apply(template, body)
        return Reply(status=201, body=view(self.store.create(template)))

    def update(self, call: Call) -> Reply:
        body = check_body("UpdateTemplateRequest", call.json())
        template = self.store.owned(call.path_params["id"]).clone()
        apply(template, body)
        return Reply(body=view(self.store.update(template)))

    def delete(self, call: Call) -> Reply:
        self.store.delete(call.path_params["id"])
        return Reply(status=204)


def apply(template: Template, body: dict[str, Any]) -> None:
    """The body's fields onto ``template`` (defaults are the dataclass's: see ``state.py``)."""
    for wire, attribute in _PLAIN.items():
        if wire in body:
            setattr(template, attribute, body[wire])
    if "ports" in body:
        template.ports = list(body["ports"])
    if "env" in body:
        template.env = dict(body["env"])
    if "allowedCudaVersions" in body:
        template.allowed_cuda_versions = list(body["allowedCudaVersions"])
    if body.get("mounts"):  # omitted or {}: the mount stays as it is
        template.mounts = copy.deepcopy(body["mounts"])


def view(template: Template) -> dict[str, Any]:
    """The spec's ``Template``. A catalog template's ``registry`` reads null: "``registry`` is
    always null for templates you don't own" (spec: listPublicTemplates)."""
    return {
        "id": template.id,
        "name": template.name,
        "image": template.image or "",  # only a seeded template can lack one; the schema wants a string
        "args": template.args,
        "disk": template.disk,
        "mounts": copy.deepcopy(template.mounts),
        "ports": list(template.ports),
        "env": dict(template.env),
        "registry": None if template.catalog else template.registry,
        "serverless": template.serverless,
        "public": template.public,
        "category": template.category,
        "startSsh": template.start_ssh,
        "startJupyter": template.start_jupyter,
        "allowedCudaVersions": list(template.allowed_cuda_versions),
    }
