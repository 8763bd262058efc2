"""REST v2 ``/templates``: the wire model, the client, and the smallest correct PATCH. Pulumi-free.

Shapes from the v2 spec: ``CreateTemplateRequest`` (``name`` and ``image`` required; ``args``,
``disk``, ``ports``, ``env``, ``registry``, ``mounts``, ``serverless``, ``public``, ``category``,
``startSsh``, ``startJupyter``, ``allowedCudaVersions``; ``unevaluatedProperties: false``; there is
no ``readme`` on v2), ``UpdateTemplateRequest`` (the same, all optional: a true PATCH, fields left
out are untouched), ``Template``, lists wrapped as ``{"templates": [...]}``; 201 on create, 204 on
delete, 400 on delete while a pod references the template or a serverless endpoint is bound to it.

PATCH rules ``patch_body`` knows: ``env`` replaces the whole map; ``ports`` and
``allowedCudaVersions`` are sets (order is no change), cleared with ``[]``; ``registry: null``
clears the credential; ``args: ""`` clears the arguments; ``disk`` cannot be unset.
"""

from __future__ import annotations

from collections.abc import Mapping, Set
from typing import Any

from pydantic import Field

from ..api.rest import DEFAULT_REST_URL, RestCollection
from ..api.session import Session
from ..api.usage import describe_users
from ..api.wire import V2Model, parse
from ..validation import is_runpod_secret_reference
from .spec import TemplateSpec

__all__ = ["Template", "TemplateClient", "create_body", "env_differs", "patch_body"]


class Template(V2Model):
    """``Template`` as v2 reports it (lenient where the spec marks a field required but a read
    missing it is still usable: only ``id``, ``name`` and ``image`` must be there)."""

    id: str
    name: str
    image: str
    args: str | None = None
    disk: int | None = None
    ports: list[str] | None = None
    env: dict[str, str] | None = Field(default=None, repr=False)
    registry: str | None = None
    serverless: bool | None = None
    public: bool | None = None
    category: str | None = None
    start_ssh: bool | None = None
    start_jupyter: bool | None = None
    allowed_cuda_versions: list[str] | None = None


# flat (spec) name -> wire name, for the fields a PATCH can send
_WIRE: dict[str, str] = {
    "name": "name",
    "image": "image",
    "container_args": "args",
    "container_disk_gb": "disk",
    "ports": "ports",
    "env": "env",
    "registry_auth_id": "registry",
    "serverless": "serverless",
    "public": "public",
    "category": "category",
    "allowed_cuda_versions": "allowedCudaVersions",
}
_SETS = frozenset({"ports", "allowed_cuda_versions"})
# What sends "clear" for a field the program stopped setting (``container_disk_gb`` cannot be unset).
CLEARED: dict[str, Any] = {"container_args": "", "ports": [], "env": {}, "registry_auth_id": None,
                           "allowed_cuda_versions": []}  # fmt: skip


def create_body(spec: TemplateSpec) -> dict[str, Any]:
    """The create body: what the program sets, the provider's defaults, and the pod flags off."""
    body: dict[str, Any] = {
        _WIRE[name]: value for name, value in spec.model_dump(exclude_none=True).items() if value not in ([], {}, "")
    }
    body["startSsh"] = False  # pod features (PUBLIC_KEY / JUPYTER_PASSWORD injection): never on a worker
    body["startJupyter"] = False
    return body


def flat(template: Template) -> dict[str, Any]:
    """A ``Template`` answer in the spec's flat names (None where it reports nothing or empty)."""
    return {
        "name": template.name,
        "image": template.image,
        "container_args": template.args or None,
        "container_disk_gb": template.disk,
        "ports": template.ports or None,
        "env": template.env or None,
        "registry_auth_id": template.registry or None,
        "serverless": template.serverless,
        "category": template.category,
        "allowed_cuda_versions": template.allowed_cuda_versions or None,
        "public": template.public,
    }


def env_differs(observed: Mapping[str, str] | None, wanted: Mapping[str, str]) -> bool:
    """True when the template's env is not what the program wants. A ``{{ RUNPOD_SECRET_name }}``
    reference the API reports differently (resolved) is not a difference: RunPod resolves it."""
    observed = observed or {}
    if set(observed) != set(wanted):
        return True
    return any(observed[key] != value and not is_runpod_secret_reference(value) for key, value in wanted.items())


def patch_body(
    current: Mapping[str, Any],
    spec: TemplateSpec,
    *,
    cleared: Set[str] = frozenset(),
    pod_flags: bool = False,
    only: Set[str] | None = None,
) -> dict[str, Any]:
    """The smallest PATCH from ``current`` (flat fields, as last read) to ``spec``.

    ``cleared`` names fields the program stopped setting (sent as their "clear" value); ``pod_flags``
    also turns SSH/Jupyter provisioning off (an adopted template made in the console has them on).
    """
    wanted = spec.model_dump(exclude_none=True)
    if only is not None:
        wanted = {name: value for name, value in wanted.items() if name in only}
    body: dict[str, Any] = {}
    for name, key in _WIRE.items():
        if name in cleared and name in CLEARED:
            if current.get(name) not in (None, "", [], {}):
                body[key] = CLEARED[name]
            continue
        if name not in wanted:
            continue
        value, was = wanted[name], current.get(name)
        if name == "env":
            if env_differs(was, value):
                body[key] = dict(value)
        elif name in _SETS:
            if sorted(value) != sorted(was or []):
                body[key] = list(value)
        elif value != was and not (value in ("", [], {}) and was in (None, "", [], {})):
            body[key] = value
    if pod_flags:
        body.update({"startSsh": False} if current.get("start_ssh") else {})
        body.update({"startJupyter": False} if current.get("start_jupyter") else {})
    return body


class TemplateClient:
    """``/v2/templates``: list, get, create (201), update (PATCH), delete (204)."""

    noun = "template"

    def __init__(self, session: Session, base_url: str = DEFAULT_REST_URL) -> None:
        self.session, self.base_url = session, base_url
        self.collection = RestCollection(session, base_url, "templates", list_key="templates", noun=self.noun)

    def list(self) -> list[Template]:
        return [parse(Template, item, "list templates") for item in self.collection.list()]

    def get(self, template_id: str) -> Template:
        return parse(Template, self.collection.get(template_id), f"read template {template_id}")

    def create(self, body: dict[str, Any]) -> Template:
        return parse(Template, self.collection.create(body), "create template")

    def update(self, template_id: str, body: dict[str, Any]) -> Template:
        return parse(Template, self.collection.patch(template_id, body), f"update template {template_id}")

    def delete(self, template_id: str) -> None:
        self.collection.delete(template_id)

    def users_of(self, template_id: str) -> str | None:
        """The pods made from the template (one list). v2 endpoints carry no template, so an endpoint
        bound to it (one made through GraphQL or the console) cannot be named here."""
        return describe_users(self.session, self.base_url, pods=lambda pod: pod.get("template") == template_id)
