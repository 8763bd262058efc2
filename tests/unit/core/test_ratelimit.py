"""api/ratelimit.py: RateLimit / RateLimit-Policy parsing and the Pacer's decisions."""

from __future__ import annotations

import threading

import pytest

from pulumi_runpod_endpoint.api.ratelimit import Pacer, parse_structured_list
from tests.unit.core.fakes import FakeClock

SPEC_RATELIMIT = '"minute";r=0;t=12, "hour";r=2800;t=1812, "day";r=49500;t=45012'
SPEC_POLICY = '"minute";q=60;w=60, "hour";q=3000;w=3600, "day";q=50000;w=86400'
MINUTE_POLICY = '"minute";q=60;w=60'


def headers(ratelimit: str, policy: str | None = MINUTE_POLICY) -> dict[str, str]:
    found = {"ratelimit": ratelimit}
    if policy is not None:
        found["ratelimit-policy"] = policy
    return found


def reserve(pacer: Pacer) -> tuple[float, str | None]:
    """One reservation, its wait rounded to the millisecond (the pacer's arithmetic is float)."""
    wait, window = pacer.reserve()
    return round(wait, 3), window


def waits(pacer: Pacer, n: int) -> list[float]:
    """Reserve n requests at the same instant (all in flight), returning each one's wait."""
    return [pacer.reserve()[0] for _ in range(n)]


# -- parsing ----------------------------------------------------------------------------------------
def test_the_specs_examples_parse_into_windows() -> None:
    assert parse_structured_list(SPEC_RATELIMIT) == {
        "minute": {"r": 0.0, "t": 12.0},
        "hour": {"r": 2800.0, "t": 1812.0},
        "day": {"r": 49500.0, "t": 45012.0},
    }
    assert parse_structured_list(SPEC_POLICY)["hour"] == {"q": 3000.0, "w": 3600.0}


def test_token_names_and_spacing_are_accepted() -> None:
    assert parse_structured_list("minute;r=5;t=3 ,  hour; r=1; t=9") == {
        "minute": {"r": 5.0, "t": 3.0},
        "hour": {"r": 1.0, "t": 9.0},
    }


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", {}),
        ("garbage!!", {}),
        ("limit=100, remaining=50, reset=5", {}),  # an older draft's shape: not ours, ignored
        ('"minute";r=abc;t=12', {"minute": {"t": 12.0}}),
        ('"minute";r=-1;t=12', {"minute": {"t": 12.0}}),
        ('"minute";r=nan;t=inf', {"minute": {}}),
        ('"minute";r;t=4', {"minute": {"t": 4.0}}),
        ('"minute";r=1;t=2, ???, "hour";r=3;t=4', {"minute": {"r": 1.0, "t": 2.0}, "hour": {"r": 3.0, "t": 4.0}}),
    ],
)
def test_malformed_members_and_parameters_are_skipped(value: str, expected: dict[str, dict[str, float]]) -> None:
    assert parse_structured_list(value) == expected


def test_a_huge_header_parses_quickly_and_keeps_what_it_can() -> None:
    value = ", ".join(f'"w{i}";r={i};t=1' for i in range(5000)) + ", " + "x=" * 100_000
    parsed = parse_structured_list(value)
    assert len(parsed) == 5000
    assert parsed["w4999"] == {"r": 4999.0, "t": 1.0}


# -- pacing -------------------------------------------------------------------------------------------
def test_without_headers_the_pacer_never_waits(clock: FakeClock) -> None:
    pacer = Pacer(clock)
    pacer.observe({})
    pacer.observe({"ratelimit-policy": MINUTE_POLICY})  # a policy alone says nothing about what is left
    assert waits(pacer, 500) == [0.0] * 500
    assert pacer.reserve() == (0.0, None)


@pytest.mark.parametrize(
    "value", ["garbage", '"minute";r=abc;t=12', '"minute";t=12', '"minute";r=0', '"minute";r=-3;t=5']
)
def test_malformed_headers_never_make_the_pacer_wait(clock: FakeClock, value: str) -> None:
    pacer = Pacer(clock)
    pacer.observe(headers(value))
    assert waits(pacer, 100) == [0.0] * 100


def test_while_more_than_half_the_quota_remains_requests_burst(clock: FakeClock) -> None:
    pacer = Pacer(clock)
    pacer.observe(headers('"minute";r=40;t=30'))
    assert waits(pacer, 10) == [0.0] * 10  # 40 .. 31 left: all above 30


def test_below_half_the_quota_the_rest_is_spread_until_the_reset(clock: FakeClock) -> None:
    pacer = Pacer(clock)
    pacer.observe(headers('"minute";r=4;t=20'))
    # 4 left over 20 s: one now, then every (time left / requests left) seconds
    assert waits(pacer, 4) == pytest.approx([0.0, 5.0, 10.0, 15.0])


def test_spreading_starts_where_the_burst_ends(clock: FakeClock) -> None:
    pacer = Pacer(clock)
    pacer.observe(headers('"minute";r=32;t=30'))
    got = waits(pacer, 5)
    assert got[:2] == [0.0, 0.0]  # 32 and 31 left: more than half of 60
    assert got[2] == 0.0  # 30 left: the first spread request goes now
    assert got[3] == pytest.approx(1.0)  # ... and sets the pace: 30 s / 30 requests
    assert got[4] == pytest.approx(30 / 30 + 29 / 29)


def test_with_none_left_the_next_request_waits_for_the_reset(clock: FakeClock) -> None:
    pacer = Pacer(clock)
    pacer.observe(headers('"minute";r=0;t=12'))
    assert reserve(pacer) == (12.0, "minute")


def test_after_the_reset_the_new_windows_quota_bursts_again(clock: FakeClock) -> None:
    pacer = Pacer(clock)
    pacer.observe(headers('"minute";r=0;t=12'))
    clock.now += 12
    assert waits(pacer, 29) == [0.0] * 29


def test_requests_reserved_after_a_spent_window_share_the_next_one(clock: FakeClock) -> None:
    pacer = Pacer(clock)
    pacer.observe(headers('"minute";r=0;t=12'))
    got = waits(pacer, 32)
    # the next window opens at 12 s: its generous half (60 .. 31 left) and the first spread request go then
    assert got[:31] == [pytest.approx(12.0)] * 31
    assert got[31] == pytest.approx(12.0 + 60 / 30)  # then 30 left for the window's 60 s


def test_without_a_policy_the_remaining_requests_are_spread(clock: FakeClock) -> None:
    pacer = Pacer(clock)
    pacer.observe(headers('"minute";r=2;t=10', policy=None))
    assert waits(pacer, 2) == pytest.approx([0.0, 5.0])


def test_without_a_policy_every_request_reserved_in_a_spent_window_waits_for_its_reset(clock: FakeClock) -> None:
    pacer = Pacer(clock)
    pacer.observe(headers('"minute";r=0;t=10', policy=None))
    assert waits(pacer, 3) == pytest.approx([10.0, 10.0, 10.0])
    clock.now += 10
    assert waits(pacer, 3) == [0.0, 0.0, 0.0]  # reset, budget unknown: not binding until an answer says


def test_the_tightest_window_wins(clock: FakeClock) -> None:
    pacer = Pacer(clock)
    pacer.observe(headers(SPEC_RATELIMIT, SPEC_POLICY))
    assert reserve(pacer) == (12.0, "minute")


def test_an_hour_window_near_its_end_binds_even_with_minute_quota_left(clock: FakeClock) -> None:
    pacer = Pacer(clock)
    pacer.observe(headers('"minute";r=59;t=50, "hour";r=1;t=1800', '"minute";q=60;w=60, "hour";q=3000;w=3600'))
    assert pacer.reserve() == (0.0, None)
    wait, window = pacer.reserve()
    assert window == "hour"
    assert wait == pytest.approx(1800.0)


def test_requests_in_flight_are_not_counted_twice(clock: FakeClock) -> None:
    pacer = Pacer(clock)
    for _ in range(3):
        pacer.reserve()  # three requests on their way
    pacer.observe(headers('"minute";r=2;t=10'))  # the first answer: the two others are not in r yet
    assert reserve(pacer) == (10.0, "minute")


def test_released_requests_no_longer_count_as_in_flight(clock: FakeClock) -> None:
    pacer = Pacer(clock)
    for _ in range(3):
        pacer.reserve()
        pacer.release()
    pacer.reserve()
    pacer.observe(headers('"minute";r=2;t=10'))
    assert waits(pacer, 2) == pytest.approx([0.0, 5.0])


def test_concurrent_threads_share_one_budget(clock: FakeClock) -> None:
    pacer = Pacer(clock)
    pacer.observe(headers('"minute";r=4;t=20'))
    barrier = threading.Barrier(6)
    results: list[float] = []
    lock = threading.Lock()

    def worker() -> None:
        barrier.wait()
        wait, _ = pacer.reserve()
        with lock:
            results.append(wait)

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # 4 spread over the 20 s left, then two more at the start of the next window, whichever thread got which
    assert sorted(results) == pytest.approx([0.0, 5.0, 10.0, 15.0, 20.0, 20.0])


def test_describe_names_the_window_its_budget_and_reset(clock: FakeClock) -> None:
    pacer = Pacer(clock)
    pacer.observe(headers('"hour";r=0;t=1800', '"hour";q=3000;w=3600'))
    assert pacer.describe("hour") == "hour window: 0 of 3000 left, resets in 1800s"
    assert pacer.describe("day") == "day window"
