"""api/session.py: auth, retries and backoff, Retry-After and its cap, problem+json errors, redaction."""

from __future__ import annotations

import json
import logging
import random
from datetime import datetime, timezone
from email.utils import format_datetime

import httpx
import pytest

from pulumi_runpod_endpoint.api import (
    Forbidden,
    NotFound,
    RateLimited,
    ServerError,
    TransportError,
    Unauthorized,
    UnexpectedAnswer,
    ValidationFailed,
)
from pulumi_runpod_endpoint.api.session import (
    USER_AGENT,
    RetryPolicy,
    Session,
    parse_json,
    redact,
    sensitive_values,
)
from tests.unit.core.fakes import API_KEY, BASE, FakeClock, Script, SessionFactory, ok, problem, raise_

URL = f"{BASE}/serverless"
WALL = 1_800_000_000.0


def expected_backoff(*ceilings: float, seed: int = 7) -> list[float]:
    """What full jitter draws from the session's seeded random source for these ceilings."""
    rng = random.Random(seed)
    return [rng.uniform(0, ceiling) for ceiling in ceilings]


# -- auth -------------------------------------------------------------------------------------------
def test_the_key_travels_only_in_a_bearer_header(make_session: SessionFactory) -> None:
    script = Script(ok({"endpoints": []}))
    make_session(script).request("GET", URL, idempotent=True, params={"page": "1"})
    (request,) = script.requests
    assert request.headers["authorization"] == f"Bearer {API_KEY}"
    assert request.headers["user-agent"] == USER_AGENT
    others = {k: v for k, v in request.headers.items() if k != "authorization"}
    assert API_KEY not in str(request.url)
    assert all(API_KEY not in value for value in others.values())


def test_a_key_with_surrounding_whitespace_is_sent_stripped(make_session: SessionFactory) -> None:
    script = Script(ok({}))
    make_session(script, api_key=f"  {API_KEY}\n").request("GET", URL, idempotent=True)
    assert script.requests[0].headers["authorization"] == f"Bearer {API_KEY}"


@pytest.mark.parametrize("key", ["", "   ", "\n\t"])
def test_no_key_is_refused_before_any_request(key: str) -> None:
    script = Script(ok({}))
    with pytest.raises(Unauthorized, match="no RunPod API key"):
        Session(key, transport=script.transport())
    assert script.requests == []


# -- success and retries ----------------------------------------------------------------------------
def test_a_2xx_answer_is_returned_after_one_request_and_no_wait(make_session: SessionFactory, clock: FakeClock) -> None:
    script = Script(ok({"id": "ep1"}, status=201))
    response = make_session(script).request("POST", URL, idempotent=False, json={"name": "a"})
    assert response.status_code == 201
    assert script.calls == ["POST /v2/serverless"]
    assert clock.sleeps == []


def test_5xx_on_an_idempotent_request_is_retried_with_jittered_exponential_backoff(
    make_session: SessionFactory, clock: FakeClock
) -> None:
    script = Script(problem(503), problem(502), problem(500), ok({}))
    make_session(script, base_delay=0.5, max_delay=20.0).request("GET", URL, idempotent=True)
    assert len(script.requests) == 4
    assert clock.sleeps == expected_backoff(0.5, 1.0, 2.0)
    assert all(delay > 0 for delay in clock.sleeps)


def test_backoff_ceiling_stops_at_max_delay(make_session: SessionFactory, clock: FakeClock) -> None:
    script = Script(problem(503))
    with pytest.raises(ServerError):
        make_session(script, attempts=6, base_delay=1.0, max_delay=3.0).request("GET", URL, idempotent=True)
    assert clock.sleeps == expected_backoff(1.0, 2.0, 3.0, 3.0, 3.0)


def test_5xx_gives_up_after_attempts_with_the_apis_words(make_session: SessionFactory, clock: FakeClock) -> None:
    script = Script(problem(503, "upstream unavailable", headers={"x-request-id": "req-9"}))
    with pytest.raises(ServerError) as caught:
        make_session(script, attempts=3).request("GET", URL, idempotent=True)
    assert len(script.requests) == 3
    assert len(clock.sleeps) == 2
    assert caught.value.status == 503
    assert "upstream unavailable" in str(caught.value)
    assert "x-request-id req-9" in str(caught.value)
    assert caught.value.maybe_committed is True  # behind a gateway any 5xx may have done the work: look first


@pytest.mark.parametrize(("status", "committed"), [(500, True), (502, True), (504, True), (503, True)])
def test_5xx_on_a_create_is_never_repeated(make_session: SessionFactory, status: int, committed: bool) -> None:
    script = Script(problem(status), ok({"id": "x"}))
    with pytest.raises(ServerError) as caught:
        make_session(script).request("POST", URL, idempotent=False, json={})
    assert len(script.requests) == 1
    assert caught.value.maybe_committed is committed


def test_a_dropped_connection_is_retried_when_idempotent(make_session: SessionFactory) -> None:
    script = Script(raise_(httpx.RemoteProtocolError, "Server disconnected"), ok({}))
    assert make_session(script).request("DELETE", f"{URL}/ep1", idempotent=True).status_code == 200
    assert len(script.requests) == 2


@pytest.mark.parametrize("exc", [httpx.RemoteProtocolError, httpx.ReadTimeout, httpx.ReadError])
def test_a_create_whose_answer_was_lost_is_not_repeated_and_may_have_happened(
    make_session: SessionFactory, exc: type[httpx.TransportError]
) -> None:
    script = Script(raise_(exc), ok({"id": "x"}))
    with pytest.raises(TransportError) as caught:
        make_session(script).request("POST", URL, idempotent=False, json={})
    assert len(script.requests) == 1
    assert caught.value.maybe_committed is True


@pytest.mark.parametrize("exc", [httpx.ConnectError, httpx.ConnectTimeout])
def test_a_create_that_never_connected_is_retried(
    make_session: SessionFactory, exc: type[httpx.TransportError]
) -> None:
    script = Script(raise_(exc), raise_(exc), ok({"id": "x"}, status=201))
    assert make_session(script).request("POST", URL, idempotent=False, json={}).status_code == 201
    assert len(script.requests) == 3


def test_connect_failures_give_up_after_attempts_and_were_not_committed(make_session: SessionFactory) -> None:
    script = Script(raise_(httpx.ConnectError, "connection refused"))
    with pytest.raises(TransportError, match="connection refused") as caught:
        make_session(script, attempts=4).request("POST", URL, idempotent=False, json={})
    assert len(script.requests) == 4
    assert caught.value.maybe_committed is False


@pytest.mark.parametrize("status", [400, 405, 409, 410, 413, 422])
def test_refusals_are_validation_failures_and_not_retried(make_session: SessionFactory, status: int) -> None:
    script = Script(problem(status, "request could not be processed"))
    with pytest.raises(ValidationFailed):
        make_session(script).request("PATCH", f"{URL}/ep1", idempotent=True, json={})
    assert len(script.requests) == 1


def test_404_is_not_found_and_not_retried(make_session: SessionFactory) -> None:
    script = Script(problem(404, "endpoint not found"))
    with pytest.raises(NotFound, match="endpoint not found"):
        make_session(script).request("GET", f"{URL}/ep1", idempotent=True)
    assert len(script.requests) == 1


def test_401_and_403_are_told_apart(make_session: SessionFactory) -> None:
    with pytest.raises(Unauthorized) as unauthorized:
        make_session(Script(problem(401, "missing bearer token"))).request("GET", URL, idempotent=True)
    with pytest.raises(Forbidden) as forbidden:
        make_session(Script(problem(403, "access denied"))).request("GET", URL, idempotent=True)
    assert not isinstance(unauthorized.value, Forbidden)
    assert not isinstance(forbidden.value, Unauthorized)
    assert "key was refused" in str(unauthorized.value)
    assert "missing bearer token" in str(unauthorized.value)
    assert "may not access this resource" in str(forbidden.value)
    assert "access denied" in str(forbidden.value)


# -- 429 and Retry-After ----------------------------------------------------------------------------
def test_429_waits_exactly_retry_after_seconds(make_session: SessionFactory, clock: FakeClock) -> None:
    script = Script(problem(429, headers={"retry-after": "12"}), ok({}))
    make_session(script).request("GET", URL, idempotent=True)
    assert clock.sleeps == [12.0]
    assert len(script.requests) == 2


def test_429_on_a_create_is_retried_because_the_api_did_nothing(make_session: SessionFactory) -> None:
    script = Script(problem(429, headers={"retry-after": "1"}), ok({"id": "x"}, status=201))
    assert make_session(script).request("POST", URL, idempotent=False, json={}).status_code == 201
    assert len(script.requests) == 2


def test_429s_do_not_use_up_attempts(make_session: SessionFactory) -> None:
    script = Script(*[problem(429, headers={"retry-after": "1"})] * 5, ok({}))
    make_session(script, attempts=2).request("GET", URL, idempotent=True)
    assert len(script.requests) == 6


def test_429s_are_bounded_by_rate_limit_retries(make_session: SessionFactory, clock: FakeClock) -> None:
    script = Script(problem(429, "rate limit exceeded for the minute window", headers={"retry-after": "2"}))
    with pytest.raises(RateLimited, match="minute window") as caught:
        make_session(script, rate_limit_retries=3).request("GET", URL, idempotent=True)
    assert len(script.requests) == 4
    assert clock.sleeps == [2.0, 2.0, 2.0]
    assert caught.value.retry_after == 2.0


def test_retry_after_as_an_http_date_is_measured_on_the_wall_clock(
    make_session: SessionFactory, clock: FakeClock
) -> None:
    when = format_datetime(datetime.fromtimestamp(WALL + 90, tz=timezone.utc), usegmt=True)
    script = Script(problem(429, headers={"retry-after": when}), ok({}))
    make_session(script, wall_clock=WALL).request("GET", URL, idempotent=True)
    assert clock.sleeps == [90.0]


def test_retry_after_in_the_past_means_retry_now(make_session: SessionFactory, clock: FakeClock) -> None:
    when = format_datetime(datetime.fromtimestamp(WALL - 600, tz=timezone.utc), usegmt=True)
    script = Script(problem(429, headers={"retry-after": when}), ok({}))
    make_session(script, wall_clock=WALL).request("GET", URL, idempotent=True)
    assert clock.sleeps == [0.0]


@pytest.mark.parametrize("value", ["soon", "nan", "inf", "-inf", ""])
def test_an_unusable_retry_after_falls_back_to_backoff(
    make_session: SessionFactory, clock: FakeClock, value: str
) -> None:
    script = Script(problem(429, headers={"retry-after": value}), ok({}))
    make_session(script, base_delay=0.5).request("GET", URL, idempotent=True)
    assert clock.sleeps == expected_backoff(0.5)


def test_a_retry_after_beyond_max_wait_fails_at_once_saying_how_long(
    make_session: SessionFactory, clock: FakeClock
) -> None:
    script = Script(
        problem(429, "rate limit exceeded for the hour window", headers={"retry-after": "1800", "x-request-id": "r-1"})
    )
    with pytest.raises(RateLimited) as caught:
        make_session(script, max_wait=300.0).request("GET", URL, idempotent=True)
    assert len(script.requests) == 1
    assert clock.sleeps == []
    assert caught.value.retry_after == 1800.0
    message = str(caught.value)
    assert "1800s" in message
    assert "300s" in message
    assert "hour window" in message
    assert caught.value.request_id == "r-1"


def test_a_retry_after_at_max_wait_is_honoured(make_session: SessionFactory, clock: FakeClock) -> None:
    script = Script(problem(429, headers={"retry-after": "300"}), ok({}))
    make_session(script, max_wait=300.0).request("GET", URL, idempotent=True)
    assert clock.sleeps == [300.0]


# -- pacing through the session ---------------------------------------------------------------------
def test_without_ratelimit_headers_nothing_waits(make_session: SessionFactory, clock: FakeClock) -> None:
    session = make_session(Script(ok({})))
    for _ in range(200):
        session.request("GET", URL, idempotent=True)
    assert clock.sleeps == []


def test_a_spent_window_makes_the_next_request_wait_for_its_reset(
    make_session: SessionFactory, clock: FakeClock
) -> None:
    spent = ok({}, headers={"ratelimit": '"minute";r=0;t=12', "ratelimit-policy": '"minute";q=60;w=60'})
    script = Script(spent, ok({}))
    session = make_session(script)
    session.request("GET", URL, idempotent=True)
    session.request("GET", URL, idempotent=True)
    assert clock.sleeps == [12.0]
    assert len(script.requests) == 2


def test_a_pacing_wait_beyond_max_wait_fails_before_sending_and_says_how_long(
    make_session: SessionFactory, clock: FakeClock
) -> None:
    spent = ok({}, headers={"ratelimit": '"hour";r=0;t=1800', "ratelimit-policy": '"hour";q=3000;w=3600'})
    script = Script(spent)
    session = make_session(script, max_wait=300.0)
    session.request("GET", URL, idempotent=True)
    with pytest.raises(RateLimited) as caught:
        session.request("POST", URL, idempotent=False, json={})
    assert len(script.requests) == 1  # the second was never sent
    assert clock.sleeps == []
    assert caught.value.retry_after == pytest.approx(1800.0)
    assert "1800s" in str(caught.value)
    assert "hour window" in str(caught.value)


# -- problem details -> typed errors ----------------------------------------------------------------
def test_problem_details_keep_the_apis_words_and_the_request_id(make_session: SessionFactory) -> None:
    answer = problem(
        422,
        "Request validation failed.",
        title="Unprocessable Entity",
        errors=["$: additional properties 'bogus' not allowed", "$.workers.max: must be >= 0"],
        headers={"x-request-id": "4f1c-req"},
    )
    with pytest.raises(ValidationFailed) as caught:
        make_session(Script(answer)).request("POST", URL, idempotent=False, json={"bogus": 1})
    error = caught.value
    assert error.status == 422
    assert error.title == "Unprocessable Entity"
    assert error.detail == "Request validation failed."
    assert error.errors == ("$: additional properties 'bogus' not allowed", "$.workers.max: must be >= 0")
    assert error.request_id == "4f1c-req"
    message = str(error)
    assert message.startswith("POST /v2/serverless returned HTTP 422: Request validation failed.")
    assert "additional properties 'bogus' not allowed" in message
    assert "$.workers.max: must be >= 0" in message
    assert message.endswith("(x-request-id 4f1c-req)")


def test_graphql_shaped_error_bodies_give_their_messages(make_session: SessionFactory) -> None:
    body = {"errors": [{"message": "Syntax Error: Unexpected Name"}, {"message": "second"}]}
    with pytest.raises(ValidationFailed) as caught:
        make_session(Script(ok(body, status=400))).request("POST", URL, idempotent=False, json={})
    assert caught.value.detail == "Syntax Error: Unexpected Name"
    assert caught.value.errors == ("second",)


def test_a_text_error_body_becomes_the_detail(make_session: SessionFactory) -> None:
    answer = httpx.Response(400, headers={"content-type": "text/plain"}, content=b"  bad gateway config \n")
    with pytest.raises(ValidationFailed) as caught:
        make_session(Script(answer)).request("GET", URL, idempotent=True)
    assert caught.value.detail == "bad gateway config"


def test_an_empty_error_body_still_names_the_status(make_session: SessionFactory) -> None:
    with pytest.raises(ValidationFailed) as caught:
        make_session(Script(httpx.Response(400))).request("GET", URL, idempotent=True)
    assert str(caught.value) == "GET /v2/serverless returned HTTP 400"
    assert caught.value.detail is None


def test_errors_that_are_not_a_list_are_not_split_into_characters(make_session: SessionFactory) -> None:
    body = {"title": "Bad Request", "status": 400, "detail": "bad", "errors": "one whole sentence"}
    with pytest.raises(ValidationFailed) as caught:
        make_session(Script(ok(body, status=400))).request("GET", URL, idempotent=True)
    assert "o" not in caught.value.errors
    assert all(len(item) > 1 for item in caught.value.errors)


def test_a_huge_error_body_is_cut_short(make_session: SessionFactory) -> None:
    answer = problem(400, "x" * 1_000_000, errors=["y" * 10_000] * 100)
    with pytest.raises(ValidationFailed) as caught:
        make_session(Script(answer)).request("GET", URL, idempotent=True)
    assert len(str(caught.value)) < 50_000


def test_parse_json_refuses_an_html_page_as_an_unexpected_answer(make_session: SessionFactory) -> None:
    page = httpx.Response(200, headers={"content-type": "text/html"}, content=b"<html>welcome</html>")
    response = make_session(Script(page)).request("GET", URL, idempotent=True)
    with pytest.raises(UnexpectedAnswer, match=r"list endpoints: .*/v2/serverless is not JSON \(text/html\)"):
        parse_json(response, "list endpoints")


# -- redaction --------------------------------------------------------------------------------------
def test_redact_replaces_every_given_secret() -> None:
    assert redact("a KEY b KEY", "KEY", None, "") == "a [REDACTED] b [REDACTED]"


def test_the_key_echoed_anywhere_in_an_error_answer_never_reaches_the_message(make_session: SessionFactory) -> None:
    answer = problem(
        401,
        f"invalid api key {API_KEY}",
        title=f"Unauthorized {API_KEY}",
        errors=[f"bearer {API_KEY} refused"],
        headers={"x-request-id": f"echo-{API_KEY}"},
    )
    with pytest.raises(Unauthorized) as caught:
        make_session(Script(answer)).request("GET", f"{URL}?api_key={API_KEY}", idempotent=True)
    error = caught.value
    texts = [str(error), error.message, error.detail or "", error.title or "", *error.errors, error.request_id or ""]
    assert all(API_KEY not in text for text in texts)
    assert "[REDACTED]" in str(error)


# -- secrets the request carried ------------------------------------------------------------------------
TOKEN = "hf_SECRETtokenVALUE"
PASSWORD = "registry-pa55word"


def test_the_secrets_a_body_carries_are_env_values_and_passwords() -> None:
    body = {
        "name": "svc",
        "env": {"HF_TOKEN": TOKEN, "LOG_LEVEL": "info"},
        "template": {"env": [{"key": "PASS", "value": PASSWORD}, {"key": "N", "value": "1"}]},
        "password": "another-secret",
        "image": "runpod/worker:1",
    }
    assert sorted(sensitive_values(body)) == sorted([TOKEN, PASSWORD, "another-secret"])
    assert sensitive_values({"query": "q", "variables": {"input": body}}) == sensitive_values(body)
    assert sensitive_values(None) == () and sensitive_values({"env": "not-a-map"}) == ()


def test_an_api_that_echoes_an_env_value_or_a_password_never_puts_it_in_the_error(
    make_session: SessionFactory,
) -> None:
    """v2's errors do not echo bodies, but nothing in the spec forbids it; GraphQL servers do."""
    answer = problem(
        400,
        f"env HF_TOKEN={TOKEN} is invalid",
        title=f"bad {PASSWORD}",
        errors=[f"value {TOKEN!r} refused", f"password {PASSWORD}"],
        headers={"x-request-id": "r1"},
    )
    body = {"env": {"HF_TOKEN": TOKEN}, "password": PASSWORD}
    with pytest.raises(ValidationFailed) as caught:
        make_session(Script(answer)).request("POST", URL, idempotent=False, json=body)
    error = caught.value
    texts = [str(error), error.message, error.detail or "", error.title or "", *error.errors]
    assert all(TOKEN not in text and PASSWORD not in text for text in texts)
    assert "env HF_TOKEN=[REDACTED] is invalid" in str(error)


def test_a_secret_quoted_back_escaped_is_hidden_in_every_form(make_session: SessionFactory) -> None:
    """Validators quote values JSON-escaped: quotes, backslashes, newlines, non-ASCII. A multi-line
    service-account key as a registry password is the real case."""
    password = 'line "one"\\path\nzweite Zeile: pässwörd'
    quoted = json.dumps(password)  # with \u00e4 escapes
    answer = problem(
        400, f"$.password: got {quoted}", errors=[f"raw {password}", json.dumps(password, ensure_ascii=False)]
    )
    with pytest.raises(ValidationFailed) as caught:
        make_session(Script(answer)).request("POST", URL, idempotent=False, json={"password": password})
    shown = str(caught.value) + repr(caught.value.errors)
    for form in (password, quoted[1:-1], json.dumps(password, ensure_ascii=False)[1:-1], "pässwörd", "p\\u00e4"):
        assert form not in shown
    assert str(caught.value).startswith('POST /v2/serverless returned HTTP 400: $.password: got "[REDACTED]"')


def test_a_secret_cut_through_by_the_length_cap_leaves_no_head(make_session: SessionFactory) -> None:
    answer = problem(400, "x" * 1990 + TOKEN + " and more")
    with pytest.raises(ValidationFailed) as caught:
        make_session(Script(answer)).request("POST", URL, idempotent=False, json={"env": {"T": TOKEN}})
    assert caught.value.detail == "x" * 1990 + "[REDACTED]"  # scrubbed first, then cut to 2,000
    assert "hf_" not in str(caught.value)


def test_a_registry_username_is_hidden_too(make_session: SessionFactory) -> None:
    answer = problem(400, "$.username: got 'robot$acme+ci'")
    with pytest.raises(ValidationFailed) as caught:
        make_session(Script(answer)).request(
            "POST", f"{BASE}/registries", idempotent=False, json={"username": "robot$acme+ci", "password": PASSWORD}
        )
    assert "robot$acme+ci" not in str(caught.value)


def test_only_the_apis_words_are_scrubbed_never_our_own(make_session: SessionFactory) -> None:
    """An env value that is also a word of the request line ("templates") is hidden in what the API
    said, not in the method and path we print."""
    answer = problem(404, "no such templates here")
    with pytest.raises(NotFound) as caught:
        make_session(Script(answer)).request(
            "POST", f"{BASE}/templates", idempotent=False, json={"env": {"K": "templates"}}
        )
    assert str(caught.value) == "POST /v2/templates returned HTTP 404: no such [REDACTED] here"


def test_overlapping_secrets_leave_no_tail() -> None:
    assert redact("<abcdefghijkl>", "abcdefgh", "ghijkl") == "<[REDACTED]>"
    assert redact("a KEY b", "KEY", "KEY") == "a [REDACTED] b"


def test_a_retried_failure_logs_no_secret_the_request_carried(
    make_session: SessionFactory, caplog: pytest.LogCaptureFixture
) -> None:
    script = Script(problem(503, f"busy with {TOKEN}"), ok({"id": "ep1"}))
    with caplog.at_level(logging.INFO, logger="pulumi_runpod_endpoint.api"):
        make_session(script).request("PATCH", f"{URL}/ep1", idempotent=True, json={"env": {"T": TOKEN}})
    assert any("busy with [REDACTED]" in message for message in caplog.messages)
    assert all(TOKEN not in message for message in caplog.messages)


def test_a_key_with_surrounding_whitespace_is_redacted_in_its_stripped_form(make_session: SessionFactory) -> None:
    answer = problem(400, f"got key {API_KEY}.")
    with pytest.raises(ValidationFailed) as caught:
        make_session(Script(answer), api_key=f" {API_KEY}\n").request("GET", URL, idempotent=True)
    assert API_KEY not in str(caught.value)
    assert "got key [REDACTED]." in str(caught.value)


def test_transport_errors_never_show_the_key_or_the_query(make_session: SessionFactory) -> None:
    script = Script(raise_(httpx.ConnectError, f"cannot reach http://api.test/v2?api_key={API_KEY}"))
    with pytest.raises(TransportError) as caught:
        make_session(script, attempts=1).request("GET", f"{URL}?api_key={API_KEY}", idempotent=True)
    assert API_KEY not in str(caught.value)
    assert str(caught.value).startswith("GET /v2/serverless failed: ConnectError")


def test_log_records_under_the_package_logger_are_scrubbed(
    make_session: SessionFactory, caplog: pytest.LogCaptureFixture
) -> None:
    make_session(Script(ok({})), api_key=f"\t{API_KEY} ")
    with caplog.at_level(logging.DEBUG, logger="pulumi_runpod_endpoint.api"):
        logging.getLogger("pulumi_runpod_endpoint.api").warning("the key is %s", API_KEY)
    assert caplog.messages == ["the key is [REDACTED]"]


def test_a_noisy_run_logs_nothing_with_the_key_at_debug(
    make_session: SessionFactory, caplog: pytest.LogCaptureFixture
) -> None:
    script = Script(
        problem(503, f"echo {API_KEY}"),
        raise_(httpx.RemoteProtocolError, f"dropped {API_KEY}"),
        problem(429, f"slow down {API_KEY}", headers={"retry-after": "1"}),
        ok({}, headers={"ratelimit": '"minute";r=0;t=3', "ratelimit-policy": '"minute";q=60;w=60'}),
        ok({}),
    )
    with caplog.at_level(logging.DEBUG):
        session = make_session(script)
        session.request("GET", URL, idempotent=True)
        session.request("GET", URL, idempotent=True)
    assert caplog.records, "the session logs its retries and waits"
    assert all(API_KEY not in record.getMessage() for record in caplog.records)
    assert API_KEY not in caplog.text


def test_close_stops_redacting_for_that_session(caplog: pytest.LogCaptureFixture) -> None:
    """A closed session removes its log filter: filters of long-gone sessions do not pile up."""
    with Session("rpa_ONLY_FOR_THIS_TEST", transport=Script(ok({})).transport()):
        pass
    with caplog.at_level(logging.INFO, logger="pulumi_runpod_endpoint.api"):
        logging.getLogger("pulumi_runpod_endpoint.api").info("rpa_ONLY_FOR_THIS_TEST")
    assert caplog.messages == ["rpa_ONLY_FOR_THIS_TEST"]


def test_retry_policy_defaults_are_the_documented_ones() -> None:
    policy = RetryPolicy()
    assert (policy.attempts, policy.rate_limit_retries, policy.max_wait) == (5, 30, 300.0)


# -- redirects ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("status", [301, 302, 307, 308])
def test_a_redirect_is_not_an_answer(make_session: SessionFactory, status: int) -> None:
    """RunPod's API does not redirect: a 3xx means the base URL is wrong (http:// for https://, a proxy's
    login page). Returned as success, a DELETE answered 301 would read as done while nothing was deleted."""
    moved = httpx.Response(status, headers={"location": f"https://login.test/sso?token={API_KEY}"})
    script = Script(moved)
    with pytest.raises(UnexpectedAnswer) as caught:
        make_session(script).request("DELETE", f"{URL}/ep1", idempotent=True)
    assert len(script.requests) == 1
    message = str(caught.value)
    assert f"HTTP {status}" in message
    assert "https://login.test/sso" in message
    assert API_KEY not in message
