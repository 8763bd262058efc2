"""REST v2 ``/registries``: the wire model and the client. Pulumi-free.

Shapes from the v2 spec: ``CreateRegistryRequest`` ``{name, username, password}`` (all required,
``additionalProperties: false``), ``Registry`` ``{id, name}`` -- the credential is write-only, no
read ever returns it -- lists wrapped as ``{"registries": [...]}``; 201 on create, 204 on delete.
There is no PATCH route: a credential cannot be changed, only replaced. DELETE is refused (400)
while a pod pulls with the credential; templates that name it silently lose it instead.

The credential travels in one request body only, and every error raised from that request is
scrubbed of it (an API that echoed a value back must not put a password in a Pulumi log).
"""

from __future__ import annotations

from ..api.errors import ApiError, RunPodError
from ..api.rest import DEFAULT_REST_URL, RestCollection
from ..api.session import Session, redact
from ..api.usage import describe_users
from ..api.wire import V2Model, parse
from .spec import RegistryAuthSpec

__all__ = ["Registry", "RegistryClient", "scrubbed"]


class Registry(V2Model):
    """``Registry`` as v2 reports it: an id and a name, never the credential."""

    id: str
    name: str


def scrubbed(error: RunPodError, *secrets: str) -> RunPodError:
    """``error`` with every secret removed from everything it says.

    Values shorter than 4 characters are left: a one-letter username replaced everywhere would turn
    the API's message to "ret[REDACTED]rned", and so short a value hides nothing.
    """
    secrets = tuple(secret for secret in secrets if len(secret) >= 4)
    error.message = redact(error.message, *secrets)
    error.args = (error.message,)
    if isinstance(error, ApiError):
        error.detail = redact(error.detail, *secrets) if error.detail else error.detail
        error.title = redact(error.title, *secrets) if error.title else error.title
        error.errors = tuple(redact(item, *secrets) for item in error.errors)
    return error


class RegistryClient:
    """``/v2/registries``: list, get, create (201), delete (204). No update: the API has none."""

    noun = "registry credential"

    def __init__(self, session: Session, base_url: str = DEFAULT_REST_URL) -> None:
        self.session, self.base_url = session, base_url
        self.collection = RestCollection(session, base_url, "registries", list_key="registries", noun=self.noun)

    def list(self) -> list[Registry]:
        return [parse(Registry, item, "list registry credentials") for item in self.collection.list()]

    def get(self, registry_id: str) -> Registry:
        return parse(Registry, self.collection.get(registry_id), f"read registry credential {registry_id}")

    def create(self, spec: RegistryAuthSpec) -> Registry:
        body = {"name": spec.name, "username": spec.username, "password": spec.password}
        try:
            answer = self.collection.create(body)
        except RunPodError as error:
            raise scrubbed(error, spec.password, spec.username) from None
        return parse(Registry, answer, "create registry credential")

    def delete(self, registry_id: str) -> None:
        self.collection.delete(registry_id)

    def users_of(self, registry_id: str) -> str | None:
        """The pods that pull with the credential and the endpoints configured with it (two lists)."""
        return describe_users(
            self.session,
            self.base_url,
            pods=lambda pod: pod.get("registry") == registry_id,
            endpoints=lambda endpoint: endpoint.get("registry") == registry_id,
        )
