"""The one error tree every layer above the HTTP session catches.

Callers catch ``RunPodError`` and still tell the cases apart; each case exists because a caller
acts differently on it::

    RunPodError                    maybe_committed, request_id
     +-- TransportError            no complete HTTP answer (refused, dropped, timed out)
     +-- UnexpectedAnswer          an answer that is not RunPod's API: HTML, a wrong shape, a 404 from a
     |                             path that is not the API (a base URL missing its /v2 or /graphql)
     |    +-- ApiRetired           410 Gone from a whole API (GraphQL after its retirement)
     +-- IncompleteList            a list the API cut short (GraphQL's 400 rows): it cannot prove absence
     +-- ApiError                  the API answered with an error: status, detail, errors, title
     |    +-- Unauthorized         401, or GraphQL ``myself: null`` (a key with no user behind it)
     |    +-- Forbidden            403: the key is valid but may not touch this resource
     |    +-- NotFound             404 for that id, from a base URL proven to be the API's
     |    +-- RateLimited          429 after every retry, or a wait longer than the configured cap
     |    +-- ValidationFailed     400/409/422, or a GraphQL error: the API's own words
     |    +-- ServerError          5xx after every retry
     +-- AmbiguousCreate           a create's answer was lost and the API now holds several candidates
     +-- DeleteTimedOut            a delete was refused or not effective for longer than allowed
     +-- RolloutTimedOut           a release did not finish rolling out in time

``maybe_committed`` is True when the request was sent and its outcome is unknown: a write that
failed that way may have happened, so the caller must look before it tries again.

Messages never contain the API key (the session redacts every text it puts in an error) and say
nothing about Pulumi: advice naming Pulumi commands or stack settings is added by the provider.
"""

from __future__ import annotations

from collections.abc import Sequence

REDACTED = "[REDACTED]"

__all__ = [
    "AmbiguousCreate",
    "ApiError",
    "ApiRetired",
    "DeleteTimedOut",
    "Forbidden",
    "IncompleteList",
    "LeftBehind",
    "NotFound",
    "RateLimited",
    "RolloutTimedOut",
    "RunPodError",
    "ServerError",
    "TransportError",
    "Unauthorized",
    "UnexpectedAnswer",
    "ValidationFailed",
]


class RunPodError(Exception):
    """Base class of every error this package raises about the API."""

    def __init__(self, message: str, *, maybe_committed: bool = False, request_id: str | None = None) -> None:
        if request_id:
            message = f"{message} (x-request-id {request_id})"
        super().__init__(message)
        self.message = message
        self.maybe_committed = maybe_committed
        self.request_id = request_id


class TransportError(RunPodError):
    """No complete HTTP answer: the connection was refused, dropped or timed out."""


class UnexpectedAnswer(RunPodError):
    """An answer that is not the API's: never read as "gone" or "done". ``url`` is the API URL asked."""

    def __init__(
        self, message: str, *, url: str | None = None, maybe_committed: bool = False, request_id: str | None = None
    ) -> None:
        super().__init__(message, maybe_committed=maybe_committed, request_id=request_id)
        self.url = url


class ApiRetired(UnexpectedAnswer):
    """The API answered 410 Gone: it is switched off (RunPod retires GraphQL in early 2027)."""


class IncompleteList(RunPodError):
    """The API answered a list, but cut it short: what is not in it may still exist."""


class ApiError(RunPodError):
    """The API answered with an error; ``detail`` and ``errors`` are its own words."""

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        title: str | None = None,
        detail: str | None = None,
        errors: Sequence[str] = (),
        maybe_committed: bool = False,
        request_id: str | None = None,
    ) -> None:
        super().__init__(message, maybe_committed=maybe_committed, request_id=request_id)
        self.status = status
        self.title = title
        self.detail = detail
        self.errors = tuple(errors)


class Unauthorized(ApiError):
    """The key was refused (401), or it has no user behind it."""


class Forbidden(ApiError):
    """The key is valid but lacks access to this resource (403)."""


class NotFound(ApiError):
    """No such resource, as the API itself says for that id."""


class RateLimited(ApiError):
    """Still rate limited after every retry, or asked to wait longer than the configured cap."""

    def __init__(
        self,
        message: str,
        *,
        retry_after: float | None = None,
        status: int | None = 429,
        title: str | None = None,
        detail: str | None = None,
        request_id: str | None = None,
    ) -> None:
        super().__init__(message, status=status, title=title, detail=detail, request_id=request_id)
        self.retry_after = retry_after  # seconds the API asked us to wait, when it said


class ValidationFailed(ApiError):
    """The API refused the request as invalid or conflicting."""


class ServerError(ApiError):
    """The API kept failing with 5xx."""


class AmbiguousCreate(RunPodError):
    """A create may have happened and several resources now match it: guessing could adopt
    something another owner made, so the caller must choose."""

    def __init__(self, message: str, *, candidates: Sequence[str]) -> None:
        super().__init__(message)
        self.candidates = tuple(candidates)


class DeleteTimedOut(RunPodError):
    """A delete kept being refused (or kept not taking effect) until the deadline."""


class RolloutTimedOut(RunPodError):
    """A new release was not serving on every worker before the deadline; ``progress`` says how far."""

    def __init__(self, message: str, *, progress: str) -> None:
        super().__init__(message)
        self.progress = progress


class LeftBehind(RunPodError):
    """A create went through but could not be undone: ``resource_id`` exists outside the caller's records,
    so the caller must say how to keep or remove it, or the next create makes a second one beside it."""

    def __init__(self, message: str, *, resource_id: str) -> None:
        super().__init__(message)
        self.resource_id = resource_id
