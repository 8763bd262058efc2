"""One REST v2 collection (``/serverless``, ``/templates``, ...): JSON in and out, shapes checked.

Why a 404 needs care: on v2 *every* error is ``application/problem+json``, an unknown path's 404
included, so a 404 for ``GET {base}/serverless/abc`` cannot by itself tell "no such endpoint" from
"the base URL is missing its /v2". Reading the second as the first drops live, billing endpoints from
the state on refresh and reports a destroy done while the endpoint runs on. So a 404 means "not found"
only once the collection has answered like the API in this process (a 2xx shaped like its answers: the
list under its key, or an object with an id; an HTML page with a 200 proves nothing); otherwise we
list the collection once to find out, and a failing list is an ``UnexpectedAnswer`` naming the URL.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from .errors import NotFound, UnexpectedAnswer, ValidationFailed
from .session import Session, parse_json

__all__ = ["DEFAULT_REST_URL", "RestCollection"]

DEFAULT_REST_URL = "https://api.runpod.io/v2"


class RestCollection:
    """CRUD on one collection of RunPod's REST v2 API."""

    def __init__(self, session: Session, base_url: str, path: str, *, list_key: str, noun: str) -> None:
        self.session = session
        self.base = f"{base_url.rstrip('/')}/{path.strip('/')}"
        self.list_key = list_key
        self.noun = noun

    def url(self, item_id: str | None = None, *sub: str) -> str:
        if item_id is None:
            return self.base
        # "." and ".." survive quoting and would address the collection or the API root (DELETE /v2).
        if not item_id or item_id != item_id.strip() or len(item_id) > 256 or item_id in (".", ".."):
            raise ValueError(f"{item_id!r} is not a valid {self.noun} id")
        return "/".join((self.base, quote(item_id, safe=""), *sub))

    # -- calls --------------------------------------------------------------------------------------
    def list(self) -> list[dict[str, Any]]:
        body = self._json("GET", self.url(), idempotent=True, what=f"list {self.noun}s")
        items = body.get(self.list_key) if isinstance(body, dict) else None
        if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
            raise self._wrong_shape(f"list {self.noun}s", f"an object with a {self.list_key!r} list")
        self.session.proven_bases.add(self.base)
        return items

    def get(self, item_id: str, *sub: str) -> dict[str, Any]:
        return self._object("GET", self.url(item_id, *sub), idempotent=True, what=f"read {self.noun} {item_id}")

    def create(self, body: dict[str, Any]) -> dict[str, Any]:
        """POST: not idempotent, so never repeated once it may have reached the API."""
        return self._object("POST", self.url(), idempotent=False, what=f"create {self.noun}", json=body)

    def patch(self, item_id: str, body: dict[str, Any]) -> dict[str, Any]:
        """PATCH: repeating the same body converges on the same record, so it may be retried."""
        return self._object(
            "PATCH", self.url(item_id), idempotent=True, what=f"update {self.noun} {item_id}", json=body
        )

    def delete(self, item_id: str) -> None:
        self._send("DELETE", self.url(item_id), idempotent=True, what=f"delete {self.noun} {item_id}")

    # -- plumbing -------------------------------------------------------------------------------------
    def _object(self, method: str, url: str, *, idempotent: bool, what: str, json: Any = None) -> dict[str, Any]:
        body = self._json(method, url, idempotent=idempotent, what=what, json=json)
        if not isinstance(body, dict) or (not url.endswith(("/workers", "/releases")) and "id" not in body):
            raise self._wrong_shape(what, f"a {self.noun} object")
        if "id" in body:
            self.session.proven_bases.add(self.base)
        return body

    def _json(self, method: str, url: str, *, idempotent: bool, what: str, json: Any = None) -> Any:
        return parse_json(self._send(method, url, idempotent=idempotent, what=what, json=json), what)

    def _send(self, method: str, url: str, *, idempotent: bool, what: str, json: Any = None) -> Any:
        try:
            return self.session.request(method, url, idempotent=idempotent, json=json)
        except NotFound as missing:
            if url == self.base and method == "GET":  # the collection itself: never "no such item"
                raise UnexpectedAnswer(
                    f"{missing.message}; {self.base} itself is missing, so this is not RunPod's API: "
                    "check the REST base URL (it ends in /v2)"
                ) from None
            self._prove_base(missing)
            if url == self.base:
                # A create the API answered 404: it names something that does not exist (a template id).
                raise ValidationFailed(
                    f"{missing.message} -- the API found no record the request names (a template, volume or "
                    "credential id?)",
                    status=404,
                    detail=missing.detail,
                    request_id=missing.request_id,
                ) from None
            raise

    def _prove_base(self, missing: NotFound) -> None:
        """Make sure a 404 for one item came from the API, not from a path that is not the API."""
        if self.base in self.session.proven_bases:
            return
        try:
            self.list()
        except (NotFound, UnexpectedAnswer) as wrong:
            raise UnexpectedAnswer(
                f"{missing.message}; and listing {self.base} failed too ({wrong.message}), so this is not "
                f"RunPod's API answering 'no such {self.noun}': check the REST base URL (it ends in /v2)"
            ) from None

    def _wrong_shape(self, what: str, expected: str) -> UnexpectedAnswer:
        return UnexpectedAnswer(
            f"{what}: {self.base} answered with something other than {expected}; is the base URL RunPod's API?"
        )
