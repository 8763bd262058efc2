"""The Pulumi-free core every resource's API client stands on.

``session`` (the one HTTP session: auth, timeouts, retries, pacing, redaction, error mapping),
``errors`` (one error tree), ``rest`` (a REST v2 collection), ``graphql`` (the GraphQL executor),
``catalog`` (RunPod's GPU/CPU/data-center catalog). Nothing under ``api/`` imports Pulumi, the
provider or the emulator, or speaks of them.
"""

from .errors import (
    AmbiguousCreate,
    ApiError,
    DeleteTimedOut,
    Forbidden,
    IncompleteList,
    LeftBehind,
    NotFound,
    RateLimited,
    RolloutTimedOut,
    RunPodError,
    ServerError,
    TransportError,
    Unauthorized,
    UnexpectedAnswer,
    ValidationFailed,
)
from .session import RetryPolicy, Session

__all__ = [
    "AmbiguousCreate",
    "ApiError",
    "DeleteTimedOut",
    "Forbidden",
    "IncompleteList",
    "LeftBehind",
    "NotFound",
    "RateLimited",
    "RetryPolicy",
    "RolloutTimedOut",
    "RunPodError",
    "ServerError",
    "Session",
    "TransportError",
    "Unauthorized",
    "UnexpectedAnswer",
    "ValidationFailed",
]
