"""GraphQL over the shared session: documents with variables in, ``data`` or typed errors out.

GraphQL answers most failures with HTTP 200 and an ``errors`` array, so the error's *words* decide
its type. "Not found" is decided only by the words of the one thing the caller asked about: the caller
passes ``not_found``, the pattern of its resource's own not-found answer. RunPod answers an endpoint id
it cannot see with ``{"errors": [{"message": "No AiApi found"}], "data": {"myself": null}}``
(runpod/runpod-mcp 4c8e403): for an endpoint read that is "gone", and reading it as anything else
makes a refresh fail instead of dropping the deleted endpoint. But a generic "not found" is not: an
update that names a missing *template* ("template not found", runpodctl's test) must not read as "the
endpoint is gone" -- a delete would then report success and leave the endpoint billing. Nor is an
extensions code ``NOT_FOUND``, which does not say what was missing. An HTTP 404 is never "no such id"
here either: it means the URL is not the GraphQL endpoint.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from .errors import (
    ApiError,
    ApiRetired,
    Forbidden,
    NotFound,
    Unauthorized,
    UnexpectedAnswer,
    ValidationFailed,
)
from .session import Session, parse_json, sensitive_values

__all__ = ["DEFAULT_GRAPHQL_URL", "DEFAULT_TENSORONE_URL", "GraphQLExecutor", "graphql_error"]

DEFAULT_GRAPHQL_URL = "https://api.runpod.io/graphql"
DEFAULT_TENSORONE_URL = "https://api.tensorone.ai/graphql"

_UNAUTHORIZED = re.compile(r"\bunauthori[sz]ed\b|\bunauthenticated\b|\binvalid api key\b", re.IGNORECASE)


class GraphQLExecutor:
    """POSTs GraphQL documents to one URL through the shared session."""

    def __init__(self, session: Session, url: str = DEFAULT_GRAPHQL_URL) -> None:
        self.session = session
        self.url = url

    def execute(
        self,
        document: str,
        variables: dict[str, Any] | None = None,
        *,
        idempotent: bool,
        what: str,
        not_found: re.Pattern[str] | None = None,
    ) -> dict[str, Any]:
        """``data``, or the typed error; ``NotFound`` only for an error whose message matches ``not_found``."""
        payload: dict[str, Any] = {"query": document}
        if variables is not None:
            payload["variables"] = variables
        try:
            response = self.session.request("POST", self.url, json=payload, idempotent=idempotent)
        except NotFound as missing:
            raise UnexpectedAnswer(
                f"{what}: {missing.message}; that URL is not a GraphQL endpoint (it ends in /graphql)", url=self.url
            ) from None
        except ValidationFailed as refused:
            if refused.status == 410:
                message = f"{what}: {self.url} answered 410 Gone: this GraphQL API is switched off"
                raise ApiRetired(message, url=self.url) from None
            # A 4xx whose body carries GraphQL errors (a document the schema refuses) keeps their words;
            # 401, 403, 429 and 5xx keep their own types (a refused key is not a refused document). The
            # session already scrubbed these words of the request's secrets.
            if refused.errors or refused.detail:
                messages = [refused.detail or "", *refused.errors]
                raise graphql_error(messages, self.session, what, not_found=not_found) from None
            raise
        body = parse_json(response, what)
        if not isinstance(body, dict) or ("data" not in body and "errors" not in body):
            raise UnexpectedAnswer(
                f"{what}: {self.url} answered with something that is not a GraphQL response", url=self.url
            )
        errors = body.get("errors")
        if errors and not isinstance(errors, list):
            errors = [errors]
        if errors:
            messages = [str(e.get("message", e)) if isinstance(e, dict) else str(e) for e in errors]
            codes = {
                str((e.get("extensions") or {}).get("code", "")).upper()
                for e in errors
                if isinstance(e, dict) and isinstance(e.get("extensions"), dict)
            }
            # A 200 is a success to the session: the request's secrets are scrubbed here (GraphQL servers
            # quote a refused variable back), and only now that there is an error to scrub.
            hidden = sensitive_values(variables)
            raise graphql_error(messages, self.session, what, codes=codes, not_found=not_found, hidden=hidden)
        data = body.get("data")
        if not isinstance(data, dict):
            raise UnexpectedAnswer(f"{what}: the GraphQL answer has no data", url=self.url)
        return data


def graphql_error(
    messages: list[str],
    session: Session,
    what: str,
    *,
    codes: set[str] | None = None,
    not_found: re.Pattern[str] | None = None,
    hidden: Iterable[str] = (),
) -> ApiError:
    """The typed error for a GraphQL ``errors`` list, with the API's own words (the key and ``hidden``,
    the request's secrets, scrubbed before the text is cut short)."""
    text = session.redact("; ".join(m for m in messages if m), hidden)[:2000]
    message = f"{what}: {text}"
    codes = codes or set()
    # The API's codes say what happened; the words decide only when there is no code.
    if "UNAUTHENTICATED" in codes:
        return Unauthorized(message, detail=text)
    if "FORBIDDEN" in codes:
        return Forbidden(message, detail=text)
    if not_found is not None and any(not_found.search(m) for m in messages if m):
        return NotFound(message, status=404, detail=text)
    if _UNAUTHORIZED.search(text):
        return Unauthorized(message, detail=text)
    return ValidationFailed(message, detail=text)
