"""``/v2/registries``: list, create, get, delete -- and no PATCH route (405), as the spec has none.

Bodies are validated against the spec's ``CreateRegistryRequest`` (422); answers are the spec's
``Registry`` (``id`` and ``name`` only: credentials are write-only) and
``ListRegistriesResponse``. The journal records ``createRegistry`` bodies with ``username`` and
``password`` redacted, and no refusal repeats them. ``/v2/registries/delegations`` (ECR) is not
served.
"""

from __future__ import annotations

from typing import Any

from ...problems import ApiError
from ...routing import Call, Operation, Reply
from ...validation import check_body
from .state import Registry, RegistryStore

__all__ = ["WRITE_ONLY", "RegistriesApi"]

WRITE_ONLY = ("username", "password")


class RegistriesApi:
    def __init__(self, store: RegistryStore) -> None:
        self.store = store

    def operations(self) -> list[Operation]:
        return [
            Operation("GET", "/v2/registries", "listRegistries", self.list_registries),
            Operation("POST", "/v2/registries", "createRegistry", self.create, journal_redacts=WRITE_ONLY),
            Operation("GET", "/v2/registries/{id}", "getRegistry", self.get),
            Operation("DELETE", "/v2/registries/{id}", "deleteRegistry", self.delete),
        ]

    def list_registries(self, call: Call) -> Reply:
        return Reply(body={"registries": [view(registry) for registry in self.store.all()]})

    def get(self, call: Call) -> Reply:
        return Reply(body=view(self.store.get(call.path_params["id"])))

    def create(self, call: Call) -> Reply:
        raw = call.json()
        try:
            body = check_body("CreateRegistryRequest", raw)
        except ApiError as error:
            raise scrubbed(error, raw) from None
        registry = self.store.create(body["name"], body["username"], body["password"])
        return Reply(status=201, body=view(registry))

    def delete(self, call: Call) -> Reply:
        self.store.delete(call.path_params["id"])
        return Reply(status=204)


def view(registry: Registry) -> dict[str, Any]:
    return {"id": registry.id, "name": registry.name}


def scrubbed(error: ApiError, body: Any) -> ApiError:
    """The refusal with no credential in it, whatever the body sent.

    The validator's messages name fields, not values -- except for numbers out of range ("...
    but found 1099511640121"). A message located at a write-only field that repeats its value is
    replaced by one that does not; messages about other fields cannot carry it."""
    values = {name: str(body[name]) for name in WRITE_ONLY if isinstance(body, dict) and name in body}

    def scrub(message: str) -> str:
        for name, value in values.items():
            where = f"$.{name}:"
            if message.startswith(where) and value and value in message[len(where) :]:
                return f"{where} invalid value (not repeated: credentials are write-only)"
        return message

    errors = [scrub(message) for message in error.errors] if error.errors else None
    return ApiError(error.status, error.detail, errors, error.headers)
