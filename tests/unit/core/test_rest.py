"""api/rest.py: one REST v2 collection -- shapes checked, ids validated, and a 404 read as "gone" only
when the base URL is proven to be RunPod's API (issue 18: a wrong base URL must never read as gone)."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from pulumi_runpod_endpoint.api import NotFound, ServerError, UnexpectedAnswer, ValidationFailed
from pulumi_runpod_endpoint.api.rest import DEFAULT_REST_URL, RestCollection
from tests.unit.core.fakes import BASE, Script, SessionFactory, ok, problem

ENDPOINT = {"id": "ep1", "name": "a"}
LISTED = {"endpoints": [ENDPOINT]}
HTML = httpx.Response(200, headers={"content-type": "text/html"}, content=b"<html>not the API</html>")
MISSING = problem(404, "resource not found")

CollectionFactory = Callable[..., RestCollection]


@pytest.fixture
def collection(make_session: SessionFactory) -> CollectionFactory:
    def make(script: Script, base: str = BASE, **retry: float) -> RestCollection:
        return RestCollection(make_session(script, **retry), base, "serverless", list_key="endpoints", noun="endpoint")

    return make


def by_route(routes: dict[str, httpx.Response | list[httpx.Response]]) -> Callable[[httpx.Request], httpx.Response]:
    """Answer "METHOD /path" from a table; a list answers in turn (its last entry repeats)."""
    seen: dict[str, int] = {}

    def handler(request: httpx.Request) -> httpx.Response:
        key = f"{request.method} {request.url.path}"
        answer = routes[key]
        if isinstance(answer, list):
            index = seen.get(key, 0)
            seen[key] = index + 1
            answer = answer[min(index, len(answer) - 1)]
        return httpx.Response(answer.status_code, headers=answer.headers, content=answer.content)

    return handler


# -- URLs and ids -----------------------------------------------------------------------------------
def test_the_default_base_url_is_runpods_v2() -> None:
    assert DEFAULT_REST_URL == "https://api.runpod.io/v2"


def test_the_collection_url_joins_base_and_path_whatever_the_slashes(collection: CollectionFactory) -> None:
    made = collection(Script(ok(LISTED)), base=f"{BASE}/")
    assert made.url() == f"{BASE}/serverless"
    assert made.url("ep1", "workers") == f"{BASE}/serverless/ep1/workers"


def test_ids_are_quoted_so_they_cannot_leave_the_collection(collection: CollectionFactory) -> None:
    made = collection(Script(ok(ENDPOINT)))
    assert made.url("a/../../x") == f"{BASE}/serverless/a%2F..%2F..%2Fx"
    assert made.url("a?b#c") == f"{BASE}/serverless/a%3Fb%23c"


@pytest.mark.parametrize("bad", ["", " ep1", "ep1 ", "\nep1", "x" * 257, ".", ".."])
def test_unusable_ids_are_refused_before_any_request(collection: CollectionFactory, bad: str) -> None:
    script = Script(ok(ENDPOINT))
    made = collection(script)
    with pytest.raises(ValueError, match="is not a valid endpoint id"):
        made.get(bad)
    with pytest.raises(ValueError, match="is not a valid endpoint id"):
        made.delete(bad)
    assert script.requests == []


# -- calls and shapes -------------------------------------------------------------------------------
def test_list_unwraps_the_collection_key(collection: CollectionFactory) -> None:
    script = Script(ok(LISTED))
    assert collection(script).list() == [ENDPOINT]
    assert script.calls == ["GET /v2/serverless"]


def test_get_create_patch_delete_use_the_right_methods_and_bodies(collection: CollectionFactory) -> None:
    script = Script(ok(ENDPOINT), ok(ENDPOINT, status=201), ok(ENDPOINT), ok(status=204))
    made = collection(script)
    assert made.get("ep1") == ENDPOINT
    assert made.create({"name": "a"}) == ENDPOINT
    assert made.patch("ep1", {"workers": {"min": 0}}) == ENDPOINT
    made.delete("ep1")
    assert script.calls == [
        "GET /v2/serverless/ep1",
        "POST /v2/serverless",
        "PATCH /v2/serverless/ep1",
        "DELETE /v2/serverless/ep1",
    ]
    assert script.requests[1].content == b'{"name":"a"}'
    assert script.requests[2].content == b'{"workers":{"min":0}}'


def test_a_create_is_not_repeated_after_a_5xx_but_a_patch_is(collection: CollectionFactory) -> None:
    script = Script(problem(500), ok(ENDPOINT))
    with pytest.raises(ServerError):
        collection(script).create({"name": "a"})
    assert len(script.requests) == 1
    script = Script(problem(500), ok(ENDPOINT))
    assert collection(script).patch("ep1", {}) == ENDPOINT
    assert len(script.requests) == 2


def test_sub_resources_need_no_id(collection: CollectionFactory) -> None:
    script = Script(ok({"workers": [], "summary": {}}))
    assert collection(script).get("ep1", "workers") == {"workers": [], "summary": {}}


@pytest.mark.parametrize(
    "answer",
    [ok([ENDPOINT]), ok({"items": [ENDPOINT]}), ok({"endpoints": "ep1"}), ok({"endpoints": [1, 2]}), HTML],
    ids=["bare-list", "wrong-key", "not-a-list", "not-objects", "html"],
)
def test_a_list_of_the_wrong_shape_is_an_unexpected_answer(
    collection: CollectionFactory, answer: httpx.Response
) -> None:
    with pytest.raises(UnexpectedAnswer, match="base URL"):
        collection(Script(answer)).list()


@pytest.mark.parametrize(
    "answer", [ok({"name": "a"}), ok([ENDPOINT]), ok("ep1"), HTML], ids=["no-id", "list", "string", "html"]
)
def test_an_object_of_the_wrong_shape_is_an_unexpected_answer(
    collection: CollectionFactory, answer: httpx.Response
) -> None:
    with pytest.raises(UnexpectedAnswer):
        collection(Script(answer)).get("ep1")


# -- a 404 is "gone" only from a base URL proven to be the API's ---------------------------------------
def test_a_404_from_an_unproven_base_is_checked_with_one_list_and_then_is_not_found(
    collection: CollectionFactory,
) -> None:
    script = Script(by_route({"GET /v2/serverless/ep1": MISSING, "GET /v2/serverless": ok(LISTED)}))
    with pytest.raises(NotFound, match="resource not found"):
        collection(script).get("ep1")
    assert script.calls == ["GET /v2/serverless/ep1", "GET /v2/serverless"]


@pytest.mark.parametrize("operation", ["get", "delete", "patch", "workers"])
def test_a_wrong_base_url_never_reads_as_gone(collection: CollectionFactory, operation: str) -> None:
    """``http://host:port`` without /v2: every path is an unknown path, answered 404 problem+json."""
    script = Script(MISSING)
    made = collection(script, base="http://api.test")
    calls: dict[str, Callable[[], object]] = {
        "get": lambda: made.get("ep1"),
        "delete": lambda: made.delete("ep1"),
        "patch": lambda: made.patch("ep1", {}),
        "workers": lambda: made.get("ep1", "workers"),
    }
    with pytest.raises(UnexpectedAnswer) as caught:
        calls[operation]()
    assert not isinstance(caught.value, NotFound)
    assert "http://api.test/serverless" in str(caught.value)
    assert "/v2" in str(caught.value)
    assert len(script.requests) == 2  # the 404, then the one list that proves nothing


def test_the_collection_itself_missing_is_never_not_found(collection: CollectionFactory) -> None:
    calls: list[Callable[[RestCollection], object]] = [lambda made: made.list(), lambda made: made.create({})]
    for call, requests in zip(calls, (1, 2), strict=True):  # a create's 404 is proven wrong by one list
        script = Script(MISSING, MISSING)
        with pytest.raises(UnexpectedAnswer, match="/v2") as caught:
            call(collection(script, base="http://api.test"))
        assert not isinstance(caught.value, NotFound)
        assert len(script.requests) == requests


def test_a_create_the_api_answers_404_names_a_missing_record(collection: CollectionFactory) -> None:
    script = Script(MISSING, ok(LISTED))  # the POST's 404, then the list that proves the base
    with pytest.raises(ValidationFailed, match="no record the request names") as caught:
        collection(script).create({"templateId": "nope"})
    assert not isinstance(caught.value, NotFound) and caught.value.status == 404


def test_a_base_proven_by_a_list_makes_the_next_404_not_found_at_once(collection: CollectionFactory) -> None:
    script = Script(ok(LISTED), MISSING)
    made = collection(script)
    made.list()
    with pytest.raises(NotFound):
        made.get("ep2")
    assert script.calls == ["GET /v2/serverless", "GET /v2/serverless/ep2"]


def test_a_base_proven_by_reading_an_item_needs_no_list(collection: CollectionFactory) -> None:
    script = Script(ok(ENDPOINT), MISSING)
    made = collection(script)
    made.get("ep1")
    with pytest.raises(NotFound):
        made.delete("ep2")
    assert script.calls == ["GET /v2/serverless/ep1", "DELETE /v2/serverless/ep2"]


def test_the_proof_is_made_once_per_session(collection: CollectionFactory) -> None:
    script = Script(by_route({"GET /v2/serverless/ep1": MISSING, "GET /v2/serverless": ok(LISTED)}))
    made = collection(script)
    for _ in range(3):
        with pytest.raises(NotFound):
            made.get("ep1")
    assert script.calls.count("GET /v2/serverless") == 1


def test_a_200_that_is_not_the_apis_answer_proves_nothing(collection: CollectionFactory) -> None:
    """A web server at the base URL that serves a page for the collection and 404 for the rest."""
    script = Script(by_route({"GET /v2/serverless": HTML, "GET /v2/serverless/ep1": MISSING}))
    made = collection(script)
    with pytest.raises(UnexpectedAnswer):
        made.list()
    for _ in range(2):
        with pytest.raises(UnexpectedAnswer) as caught:
            made.get("ep1")
        assert not isinstance(caught.value, NotFound)


def test_a_bodiless_2xx_proves_nothing(collection: CollectionFactory) -> None:
    script = Script(
        by_route(
            {
                "DELETE /v2/serverless/ep1": ok(status=204),
                "GET /v2/serverless/ep1": MISSING,
                "GET /v2/serverless": MISSING,
            }
        )
    )
    made = collection(script)
    made.delete("ep1")
    with pytest.raises(UnexpectedAnswer):
        made.get("ep1")


def test_when_the_proving_list_fails_the_error_is_that_failure_never_not_found(collection: CollectionFactory) -> None:
    script = Script(by_route({"GET /v2/serverless/ep1": MISSING, "GET /v2/serverless": problem(503)}))
    with pytest.raises(ServerError):
        collection(script, attempts=1).get("ep1")


def test_proof_is_per_collection(make_session: SessionFactory) -> None:
    script = Script(
        by_route(
            {
                "GET /v2/serverless": ok(LISTED),
                "GET /v2/templates/t1": MISSING,
                "GET /v2/templates": ok({"templates": []}),
            }
        )
    )
    session = make_session(script)
    RestCollection(session, BASE, "serverless", list_key="endpoints", noun="endpoint").list()
    templates = RestCollection(session, BASE, "templates", list_key="templates", noun="template")
    with pytest.raises(NotFound):
        templates.get("t1")
    assert script.calls == ["GET /v2/serverless", "GET /v2/templates/t1", "GET /v2/templates"]


def test_a_delete_answered_with_a_redirect_is_never_done(collection: CollectionFactory) -> None:
    moved = httpx.Response(301, headers={"location": "https://api.test/v2/serverless/ep1"})
    with pytest.raises(UnexpectedAnswer):
        collection(Script(moved), base="http://api.test/v2").delete("ep1")
