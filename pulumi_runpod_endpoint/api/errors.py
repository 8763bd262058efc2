"""The errors every layer above the API clients catches.

All of them derive from one base class, so callers can catch ``RunPodError`` and still tell
the cases apart::

    RunPodError
     +-- TransportError        the request did not get a complete HTTP answer
     +-- ApiError              the API answered, with an error
          +-- Unauthorized     401/403, or GraphQL ``myself: null`` (a key with no user)
          +-- NotFound         404, or a GraphQL "not found"
          +-- RateLimited      429 after every retry was used up
          +-- ValidationFailed 400/409/422, or a GraphQL ``errors`` array: the API's own message
          +-- ServerError      5xx after every retry was used up

``maybe_committed`` is True when the request was sent and the outcome is unknown (the
connection dropped before the answer, a gateway timeout...). A non-idempotent write that
fails this way may have happened: the caller must look before it tries again.

Messages never contain the API key: the transport redacts every text before it builds an
error, in one place (``Transport._raise``).
"""

from __future__ import annotations

__all__ = [
    "ApiError",
    "NotFound",
    "RateLimited",
    "RunPodError",
    "ServerError",
    "TransportError",
    "Unauthorized",
    "ValidationFailed",
]


class RunPodError(Exception):
    """Base class of every error raised by the API clients."""

    def __init__(self, message: str, *, maybe_committed: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.maybe_committed = maybe_committed


class TransportError(RunPodError):
    """No complete HTTP response: connection refused, dropped, or timed out."""


class ApiError(RunPodError):
    """The API answered with an error status or a GraphQL ``errors`` array."""

    def __init__(self, message: str, *, status: int | None = None, maybe_committed: bool = False) -> None:
        super().__init__(message, maybe_committed=maybe_committed)
        self.status = status


class Unauthorized(ApiError):
    """The API key was refused, or it has no user behind it."""


class NotFound(ApiError):
    """The endpoint (or route) does not exist."""


class RateLimited(ApiError):
    """Still rate limited after every retry."""

    def __init__(self, message: str, *, status: int | None = 429, retry_after: float | None = None) -> None:
        super().__init__(message, status=status)
        self.retry_after = retry_after  # seconds, from the Retry-After header when there was one


class ValidationFailed(ApiError):
    """The API refused the request as invalid or conflicting; the message is the API's own."""


class ServerError(ApiError):
    """The API kept failing with 5xx."""
