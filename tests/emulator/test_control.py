"""The control API: journal, faults, settings, clock, templates, workers, reset."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from pulumi_runpod_endpoint.emulator import Emulator, ManualClock
from tests.emulator.helpers import create, gpu_body, problem


@pytest.fixture
def control(emulator: Emulator) -> Iterator[httpx.Client]:
    """No key: the control API is not RunPod's and needs none."""
    with httpx.Client(transport=emulator.transport(), base_url="http://emulator") as client:
        yield client


def test_journal_read_and_clear(api: httpx.Client, control: httpx.Client) -> None:
    api.get("/v2/serverless")
    assert [e["operation"] for e in control.get("/_emulator/journal").json()] == ["listEndpoints"]
    assert control.delete("/_emulator/journal").status_code == 204
    assert control.get("/_emulator/journal").json() == []


def test_control_requests_are_not_journaled(control: httpx.Client) -> None:
    control.get("/_emulator/settings")
    control.get("/_emulator/nope")
    assert control.get("/_emulator/journal").json() == []


def test_faults_set_append_list_and_clear(api: httpx.Client, control: httpx.Client) -> None:
    listed = control.post("/_emulator/faults", json={"faults": [{"kind": "server_error", "match": "listEndpoints"}]})
    assert [f["kind"] for f in listed.json()] == ["server_error"]
    appended = control.post("/_emulator/faults?append=true", json={"kind": "drop", "times": -1, "match": "nothing"})
    assert [f["kind"] for f in appended.json()] == ["server_error", "drop"]
    assert api.get("/v2/serverless").status_code == 503
    assert [f["times"] for f in control.get("/_emulator/faults").json()] == [0, -1]
    assert control.delete("/_emulator/faults").status_code == 204
    assert control.get("/_emulator/faults").json() == []


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ({"kind": "explode"}, "fault kind must be one of"),
        ({"kind": "drop", "tmies": 2}, "unknown fault field(s) tmies"),
        ({"kind": "server_error", "status": 200}, "HTTP error status"),
        ({"kind": "rate_limit", "retryAfter": "soon"}, "retryAfter"),
    ],
)
def test_bad_faults_are_refused_naming_the_problem(
    control: httpx.Client, body: dict[str, object], fragment: str
) -> None:
    problem(control.post("/_emulator/faults", json=body), 400, fragment)


def test_settings_read_and_partial_update(emulator: Emulator, control: httpx.Client) -> None:
    answer = control.post("/_emulator/settings", json={"drainSeconds": 5, "rateLimits": {"minute": 60}}).json()
    assert (answer["drainSeconds"], answer["rateLimits"], answer["rolloutSeconds"]) == (5.0, {"minute": 60}, 1.0)
    assert emulator.settings.drain_seconds == 5
    assert control.get("/_emulator/settings").json() == answer


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ({"drainSecs": 5}, "unknown setting(s) drainSecs"),
        ({"drainSeconds": -1}, "drainSeconds: expected seconds >= 0"),
        ({"rateLimits": {"week": 5}}, "unknown window 'week'"),
        ({"rateLimits": {"minute": 0}}, "rateLimits.minute"),
        ({"workerQuota": "lots"}, "workerQuota"),
        ({"forbiddenKeys": "k"}, "forbiddenKeys: expected a list of strings"),
    ],
)
def test_bad_settings_are_refused_and_change_nothing(
    emulator: Emulator, control: httpx.Client, body: dict[str, object], fragment: str
) -> None:
    before = emulator.settings.to_json()
    problem(control.post("/_emulator/settings", json=body), 400, fragment)
    assert emulator.settings.to_json() == before


def test_the_manual_clock_moves_only_when_told(clock: ManualClock, control: httpx.Client) -> None:
    assert control.get("/_emulator/clock").json() == {
        "now": "2026-11-29T12:00:00Z",
        "epoch": clock.now(),
        "manual": True,
    }
    assert control.post("/_emulator/clock", json={"advance": 90}).json()["now"] == "2026-11-29T12:01:30Z"
    assert (
        control.post("/_emulator/clock", json={"set": "2026-12-01T00:00:00Z"}).json()["now"] == "2026-12-01T00:00:00Z"
    )
    problem(control.post("/_emulator/clock", json={"set": "2026-01-01T00:00:00Z"}), 400, "does not go backwards")
    problem(control.post("/_emulator/clock", json={"advance": -1}), 400, "does not go backwards")
    problem(control.post("/_emulator/clock", json={}), 400, "advance")


def test_a_system_clock_cannot_be_moved() -> None:
    with httpx.Client(transport=Emulator().transport(), base_url="http://emu") as control:
        assert control.get("/_emulator/clock").json()["manual"] is False
        problem(control.post("/_emulator/clock", json={"advance": 1}), 409, "--clock manual")


def test_templates_are_seeded_and_listed(control: httpx.Client) -> None:
    made = control.post("/_emulator/templates", json={"id": "tpl1", "name": "t", "serverless": True, "image": "i"})
    assert made.status_code == 201
    assert control.get("/_emulator/templates").json() == [made.json()]
    problem(control.post("/_emulator/templates", json={"imageName": "x"}), 400, "unknown template field(s) imageName")


def test_workers_can_be_marked_by_status_and_version(api: httpx.Client, control: httpx.Client) -> None:
    made = create(api, gpu_body(workers={"min": 3, "max": 3}))
    path = f"/_emulator/endpoints/{made['id']}/workers"
    assert control.post(path, json={"status": "THROTTLED", "count": 2}).json() == {"moved": 2}
    assert control.post(path, json={"status": "RUNNING", "count": 5, "version": 1}).json() == {"moved": 3}
    assert control.post(path, json={"status": "RUNNING", "version": 9}).json() == {"moved": 0}
    assert api.get(f"/v2/serverless/{made['id']}/workers").json()["summary"]["running"] == 3
    problem(control.post(path, json={"status": "ASLEEP"}), 400, "status must be one of")
    problem(control.post("/_emulator/endpoints/nope/workers", json={"status": "IDLE"}), 404, "nope")


def test_reset_forgets_everything_but_keeps_the_startup_settings(clock: ManualClock) -> None:
    emulator = Emulator(clock=clock)
    emulator.settings.drain_seconds = 7  # as the command line would set it, before serving
    emulator.world.startup_settings = emulator.settings.copy()
    with httpx.Client(
        transport=emulator.transport(), base_url="http://emu", headers={"Authorization": "Bearer k"}
    ) as api:
        create(api, gpu_body())
        api.post("/_emulator/settings", json={"drainSeconds": 1, "forbiddenKeys": ["x"]})
        api.post("/_emulator/faults", json={"kind": "drop", "match": "nothing"})
        api.post("/_emulator/templates", json={"name": "t"})
        assert api.post("/_emulator/reset").status_code == 204
        assert api.get("/v2/serverless").json() == {"endpoints": []}
        assert api.get("/_emulator/faults").json() == []
        assert api.get("/_emulator/templates").json() == []
        settings = api.get("/_emulator/settings").json()
        assert (settings["drainSeconds"], settings["forbiddenKeys"]) == (7.0, [])
        assert [e["operation"] for e in api.get("/_emulator/journal").json()] == ["listEndpoints"]
