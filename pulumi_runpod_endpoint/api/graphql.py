"""GraphQL over the shared session: documents with variables in, ``data`` or typed errors out.

GraphQL answers most failures with HTTP 200 and an ``errors`` array, so the error's *words* decide
its type. RunPod answers a lookup of an unknown id with ``{"errors": [{"message": "No AiApi found"}],
"data": {"myself": null}}`` (runpod/runpod-mcp, commit 4c8e403): that is "not found", and reading it
as anything else makes a refresh fail instead of dropping the deleted endpoint. An HTTP 404, on the
other hand, is never "no such id" here: it means the URL is not the GraphQL endpoint.
"""

from __future__ import annotations

import re
from typing import Any

from .errors import ApiError, Forbidden, NotFound, Unauthorized, UnexpectedAnswer, ValidationFailed
from .session import Session, parse_json

__all__ = ["DEFAULT_GRAPHQL_URL", "DEFAULT_TENSORONE_URL", "GraphQLExecutor", "graphql_error"]

DEFAULT_GRAPHQL_URL = "https://api.runpod.io/graphql"
DEFAULT_TENSORONE_URL = "https://api.tensorone.ai/graphql"

# "No AiApi found", "No endpoint found", "Endpoint not found", "... does not exist"
_NOT_FOUND = re.compile(r"\bno \w+ found\b|\bnot found\b|\bdoes not exist\b", re.IGNORECASE)
_UNAUTHORIZED = re.compile(r"\bunauthori[sz]ed\b|\bunauthenticated\b|\binvalid api key\b", re.IGNORECASE)


class GraphQLExecutor:
    """POSTs GraphQL documents to one URL through the shared session."""

    def __init__(self, session: Session, url: str = DEFAULT_GRAPHQL_URL) -> None:
        self.session = session
        self.url = url

    def execute(
        self, document: str, variables: dict[str, Any] | None = None, *, idempotent: bool, what: str
    ) -> dict[str, Any]:
        payload: dict[str, Any] = {"query": document}
        if variables is not None:
            payload["variables"] = variables
        try:
            response = self.session.request("POST", self.url, json=payload, idempotent=idempotent)
        except NotFound as missing:
            raise UnexpectedAnswer(
                f"{what}: {missing.message}; that URL is not a GraphQL endpoint (it ends in /graphql)"
            ) from None
        except ValidationFailed as refused:
            # A 4xx whose body carries GraphQL errors (a document the schema refuses) keeps their words;
            # 401, 403, 429 and 5xx keep their own types (a refused key is not a refused document).
            if refused.errors or refused.detail:
                raise graphql_error([refused.detail or "", *refused.errors], self.session, what) from None
            raise
        body = parse_json(response, what)
        if not isinstance(body, dict) or ("data" not in body and "errors" not in body):
            raise UnexpectedAnswer(f"{what}: {self.url} answered with something that is not a GraphQL response")
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
            raise graphql_error(messages, self.session, what, codes=codes)
        data = body.get("data")
        if not isinstance(data, dict):
            raise UnexpectedAnswer(f"{what}: the GraphQL answer has no data")
        return data


def graphql_error(messages: list[str], session: Session, what: str, *, codes: set[str] | None = None) -> ApiError:
    """The typed error for a GraphQL ``errors`` list, with the API's own words (key redacted)."""
    text = session.redact("; ".join(m for m in messages if m))[:2000]
    message = f"{what}: {text}"
    codes = codes or set()
    # The API's codes say what happened; the words decide only when there is no code.
    if "UNAUTHENTICATED" in codes:
        return Unauthorized(message, detail=text)
    if "FORBIDDEN" in codes:
        return Forbidden(message, detail=text)
    if "NOT_FOUND" in codes:
        return NotFound(message, status=404, detail=text)
    if _UNAUTHORIZED.search(text):
        return Unauthorized(message, detail=text)
    if _NOT_FOUND.search(text):
        return NotFound(message, status=404, detail=text)
    return ValidationFailed(message, detail=text)
