"""api/errors.py: one tree, each case its own type, the request id in the message."""

from __future__ import annotations

import pytest

from pulumi_runpod_endpoint import api
from pulumi_runpod_endpoint.api import (
    AmbiguousCreate,
    ApiError,
    DeleteTimedOut,
    Forbidden,
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


@pytest.mark.parametrize("kind", [Unauthorized, Forbidden, NotFound, RateLimited, ValidationFailed, ServerError])
def test_api_answers_are_api_errors(kind: type[ApiError]) -> None:
    assert issubclass(kind, ApiError)
    assert issubclass(kind, RunPodError)


@pytest.mark.parametrize("kind", [TransportError, UnexpectedAnswer, AmbiguousCreate, DeleteTimedOut, RolloutTimedOut])
def test_other_failures_are_not_the_api_refusing(kind: type[RunPodError]) -> None:
    assert issubclass(kind, RunPodError)
    assert not issubclass(kind, ApiError)


def test_an_unexpected_answer_is_never_not_found() -> None:
    assert not issubclass(UnexpectedAnswer, NotFound)
    assert not issubclass(NotFound, UnexpectedAnswer)


def test_401_and_403_are_separate_types() -> None:
    assert not issubclass(Unauthorized, Forbidden)
    assert not issubclass(Forbidden, Unauthorized)


def test_the_request_id_is_appended_to_the_message() -> None:
    error = ValidationFailed("bad", status=422, request_id="abc-1")
    assert str(error) == "bad (x-request-id abc-1)"
    assert error.message == str(error)
    assert error.request_id == "abc-1"


def test_without_a_request_id_the_message_is_as_given() -> None:
    assert str(TransportError("refused")) == "refused"


def test_api_error_fields() -> None:
    error = ApiError("m", status=400, title="Bad Request", detail="d", errors=["a", "b"], maybe_committed=True)
    assert (error.status, error.title, error.detail, error.errors, error.maybe_committed) == (
        400,
        "Bad Request",
        "d",
        ("a", "b"),
        True,
    )


def test_rate_limited_defaults_to_429_and_carries_the_wait() -> None:
    error = RateLimited("slow down", retry_after=12.5)
    assert (error.status, error.retry_after) == (429, 12.5)
    assert RateLimited("paced", status=None).status is None


def test_ambiguous_create_and_rollout_timeouts_carry_their_facts() -> None:
    assert AmbiguousCreate("two", candidates=["a", "b"]).candidates == ("a", "b")
    assert RolloutTimedOut("slow", progress="1 of 2 workers on the latest release").progress.startswith("1 of 2")


def test_nothing_is_committed_unless_said() -> None:
    assert TransportError("x").maybe_committed is False
    assert TransportError("x", maybe_committed=True).maybe_committed is True


def test_the_package_exports_the_whole_tree() -> None:
    assert set(api.__all__) >= {
        "RunPodError",
        "TransportError",
        "UnexpectedAnswer",
        "ApiError",
        "Unauthorized",
        "Forbidden",
        "NotFound",
        "RateLimited",
        "ValidationFailed",
        "ServerError",
        "AmbiguousCreate",
        "DeleteTimedOut",
        "RolloutTimedOut",
        "Session",
        "RetryPolicy",
    }
