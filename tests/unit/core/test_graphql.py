"""api/graphql.py: documents in, ``data`` or typed errors out -- the words of GraphQL errors decide."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from pulumi_runpod_endpoint.api import (
    Forbidden,
    NotFound,
    RateLimited,
    ServerError,
    Unauthorized,
    UnexpectedAnswer,
    ValidationFailed,
)
from pulumi_runpod_endpoint.api.graphql import DEFAULT_GRAPHQL_URL, DEFAULT_TENSORONE_URL, GraphQLExecutor
from pulumi_runpod_endpoint.api.session import Session
from pulumi_runpod_endpoint.emulator import Emulator
from tests.unit.core.fakes import API_KEY, Script, SessionFactory, ok, problem

URL = "http://api.test/graphql"
QUERY = "query Endpoint($id: String!) { myself { endpoint(id: $id) { id } } }"

ExecutorFactory = Callable[..., GraphQLExecutor]


@pytest.fixture
def executor(make_session: SessionFactory) -> ExecutorFactory:
    def make(script: Script, **retry: float) -> GraphQLExecutor:
        return GraphQLExecutor(make_session(script, **retry), URL)

    return make


def gql_errors(*messages: str, code: str | None = None, data: Any = None, status: int = 200) -> httpx.Response:
    errors: list[dict[str, Any]] = [{"message": m} for m in messages]
    if code:
        for error in errors:
            error["extensions"] = {"code": code}
    return ok({"errors": errors, "data": data}, status=status)


def run(made: GraphQLExecutor, *, idempotent: bool = True) -> dict[str, Any]:
    return made.execute(QUERY, {"id": "ep1"}, idempotent=idempotent, what="read endpoint ep1")


def test_the_default_urls() -> None:
    assert DEFAULT_GRAPHQL_URL == "https://api.runpod.io/graphql"
    assert DEFAULT_TENSORONE_URL == "https://api.tensorone.ai/graphql"


def test_a_document_is_posted_with_its_variables_and_data_comes_back(executor: ExecutorFactory) -> None:
    script = Script(ok({"data": {"myself": {"endpoint": {"id": "ep1"}}}}))
    assert run(executor(script)) == {"myself": {"endpoint": {"id": "ep1"}}}
    (request,) = script.requests
    assert (request.method, str(request.url)) == ("POST", URL)
    assert json.loads(request.content) == {"query": QUERY, "variables": {"id": "ep1"}}
    assert request.headers["authorization"] == f"Bearer {API_KEY}"


def test_no_variables_means_none_are_sent(executor: ExecutorFactory) -> None:
    script = Script(ok({"data": {"myself": {"id": "u1"}}}))
    executor(script).execute("{ myself { id } }", idempotent=True, what="who am I")
    assert json.loads(script.requests[0].content) == {"query": "{ myself { id } }"}


MISSING = re.compile(r"^No AiApi found$")


def run_read(made: GraphQLExecutor) -> dict[str, Any]:
    return made.execute(QUERY, {"id": "ep1"}, idempotent=True, what="read endpoint ep1", not_found=MISSING)


def test_the_callers_not_found_words_are_not_found(executor: ExecutorFactory) -> None:
    """RunPod answers an unknown id with HTTP 200, ``errors`` and ``myself: null`` (runpod/runpod-mcp)."""
    with pytest.raises(NotFound) as caught:
        run_read(executor(Script(gql_errors("No AiApi found", data={"myself": None}))))
    assert "No AiApi found" in str(caught.value)
    assert str(caught.value).startswith("read endpoint ep1: ")


@pytest.mark.parametrize(
    "message", ["template not found", "No PodTemplate found", "Endpoint not found", "endpoint ep1 does not exist"]
)
def test_other_not_found_words_are_refusals_not_gone(executor: ExecutorFactory, message: str) -> None:
    """A missing template in an update must never read as "the endpoint is gone"."""
    with pytest.raises(ValidationFailed) as caught:
        run_read(executor(Script(gql_errors(message))))
    assert not isinstance(caught.value, NotFound)


def test_without_a_pattern_nothing_is_not_found(executor: ExecutorFactory) -> None:
    with pytest.raises(ValidationFailed):
        run(executor(Script(gql_errors("No AiApi found"))))


def test_a_not_found_code_alone_is_not_not_found(executor: ExecutorFactory) -> None:
    """The code does not say *what* is missing."""
    with pytest.raises(ValidationFailed):
        run_read(executor(Script(gql_errors("nothing here", code="NOT_FOUND"))))


@pytest.mark.parametrize(
    ("message", "code"),
    [("Unauthorized", None), ("Invalid API key", None), ("unauthenticated request", None), ("nope", "UNAUTHENTICATED")],
)
def test_refused_keys_are_unauthorized(executor: ExecutorFactory, message: str, code: str | None) -> None:
    with pytest.raises(Unauthorized):
        run(executor(Script(gql_errors(message, code=code))))


def test_a_forbidden_code_is_forbidden_whatever_the_words(executor: ExecutorFactory) -> None:
    with pytest.raises(Forbidden) as caught:
        run(executor(Script(gql_errors("Unauthorized to access endpoint ep1", code="FORBIDDEN"))))
    assert not isinstance(caught.value, Unauthorized)


def test_other_errors_are_refusals_with_the_apis_words(executor: ExecutorFactory) -> None:
    script = Script(gql_errors("workersMax must be >= workersMin", "second problem"))
    with pytest.raises(ValidationFailed) as caught:
        run(executor(script))
    assert str(caught.value) == "read endpoint ep1: workersMax must be >= workersMin; second problem"
    assert caught.value.detail == "workersMax must be >= workersMin; second problem"


def test_errors_that_are_not_a_list_are_kept_whole(executor: ExecutorFactory) -> None:
    with pytest.raises(ValidationFailed) as caught:
        run(executor(Script(ok({"errors": "something broke", "data": None}))))
    assert "something broke" in str(caught.value)


def test_the_key_in_a_graphql_error_is_redacted(executor: ExecutorFactory) -> None:
    with pytest.raises(Unauthorized) as caught:
        run(executor(Script(gql_errors(f"Invalid API key {API_KEY}"))))
    assert API_KEY not in str(caught.value)
    assert API_KEY not in (caught.value.detail or "")


def test_http_404_is_a_wrong_url_never_not_found(executor: ExecutorFactory) -> None:
    script = Script(problem(404, "no route"))
    with pytest.raises(UnexpectedAnswer, match="/graphql") as caught:
        run(executor(script))
    assert not isinstance(caught.value, NotFound)
    assert len(script.requests) == 1


@pytest.mark.parametrize(
    "answer",
    [
        httpx.Response(200, headers={"content-type": "text/html"}, content=b"<html>hi</html>"),
        ok({"hello": "world"}),
        ok([1, 2]),
        ok({"data": None}),
        ok({"data": [1]}),
    ],
    ids=["html", "other-json", "list", "null-data", "list-data"],
)
def test_answers_that_are_not_graphql_are_unexpected(executor: ExecutorFactory, answer: httpx.Response) -> None:
    with pytest.raises(UnexpectedAnswer):
        run(executor(Script(answer)))


def test_a_400_with_graphql_errors_keeps_their_words(executor: ExecutorFactory) -> None:
    answer = gql_errors('Cannot query field "bogus" on type "Query".', status=400)
    with pytest.raises(ValidationFailed) as caught:
        run(executor(Script(answer)))
    assert 'Cannot query field "bogus" on type "Query".' in str(caught.value)


def test_a_400_saying_not_found_is_not_found(executor: ExecutorFactory) -> None:
    """runpod-mcp keeps a GraphQL message that comes with a non-OK status (cd52f94)."""
    with pytest.raises(NotFound):
        run_read(executor(Script(gql_errors("No AiApi found", status=400))))


def test_http_401_stays_unauthorized_whatever_its_words(executor: ExecutorFactory) -> None:
    with pytest.raises(Unauthorized):
        run(executor(Script(problem(401, "missing bearer token"))))


def test_http_403_stays_forbidden(executor: ExecutorFactory) -> None:
    with pytest.raises(Forbidden):
        run(executor(Script(problem(403, "access denied"))))


def test_rate_limited_after_every_retry_stays_rate_limited(executor: ExecutorFactory) -> None:
    answer = problem(429, "rate limit exceeded for the minute window", headers={"retry-after": "5"})
    with pytest.raises(RateLimited) as caught:
        run(executor(Script(answer), rate_limit_retries=1))
    assert caught.value.retry_after == 5.0


def test_5xx_after_every_retry_stays_a_server_error(executor: ExecutorFactory) -> None:
    script = Script(problem(502, "Bad Gateway"))
    with pytest.raises(ServerError):
        run(executor(script, attempts=2))
    assert len(script.requests) == 2


def test_a_mutation_is_not_repeated_after_a_500(executor: ExecutorFactory) -> None:
    script = Script(problem(500, "boom"), ok({"data": {}}))
    with pytest.raises(ServerError):
        run(executor(script), idempotent=False)
    assert len(script.requests) == 1


@pytest.mark.parametrize(
    ("value", "fragments"),
    [
        ("hf_SECRETtokenVALUE", ["hf_SECRETtokenVALUE"]),
        # graphql-js prints strings JSON-escaped: quotes, backslashes and non-ASCII come back in
        # another form than was sent.
        ('pa"ss\\wörd-99', ["wörd", "w\\u00f6rd", "pa\\"]),
    ],
    ids=["plain", "escaped"],
)
def test_a_refused_variable_quoted_back_never_shows_an_env_value(value: str, fragments: list[str]) -> None:
    """graphql-js quotes the refused part of a variable in its message; the emulator does the same. An
    env value in it must not reach the error (and from there the terminal and CI logs)."""
    document = "mutation T($input: SaveTemplateInput!) { saveTemplate(input: $input) { id } }"
    template = {"name": "t", "imageName": "i:1", "containerDiskInGb": 5, "volumeInGb": 0, "dockerArgs": "",
                "env": [{"key": "HF_TOKEN", "value": value, "extra": 1}]}  # fmt: skip
    with Session(API_KEY, transport=Emulator().transport()) as session, pytest.raises(ValidationFailed) as caught:
        GraphQLExecutor(session, "http://emulator/graphql").execute(
            document, {"input": template}, idempotent=False, what="save template"
        )
    shown = str(caught.value) + repr(caught.value.errors)
    assert all(fragment not in shown for fragment in fragments)
    assert 'value: "[REDACTED]", extra: 1 } at "input.env[0]"' in str(caught.value)


def test_an_error_in_a_200_answer_never_shows_an_env_value(executor: ExecutorFactory) -> None:
    """RunPod answers most GraphQL errors with 200 and an ``errors`` list: the session sees a success,
    so the executor hides the request's secrets from what it raises."""
    token = "hf_SECRETtokenVALUE"
    made = executor(Script(gql_errors(f'Variable "$input" got invalid value "{token}" at "input.env[0].value"')))
    variables = {"input": {"env": [{"key": "HF_TOKEN", "value": token}]}}
    with pytest.raises(ValidationFailed) as caught:
        made.execute("mutation M($input: X) { m(input: $input) }", variables, idempotent=False, what="save")
    assert token not in str(caught.value) and '"[REDACTED]"' in str(caught.value)
