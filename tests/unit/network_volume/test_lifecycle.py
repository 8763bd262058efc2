"""The provider against a fake of REST v2: the calls per operation, lost answers, refusals, drift."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from pulumi_runpod_endpoint.api.session import Session
from pulumi_runpod_endpoint.dynamic.provider import ProviderError
from pulumi_runpod_endpoint.network_volume.provider import NetworkVolumeProvider
from tests.conftest import API_KEY, FakeTime
from tests.unit.fake_v2 import configure
from tests.unit.network_volume.conftest import TIMING, WORLD, FakeVolumes

VOLUME = {"name": "weights", "size_gb": 50, "data_center_id": "US-KS-2"}


def create(provider: NetworkVolumeProvider, news: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    result = provider.check({}, news)
    assert result.failures == [], result.failures
    created = provider.create(result.inputs)
    return created.id, dict(created.outs or {})


def test_an_auto_named_create_is_one_request_and_reports_the_default_tier(
    provider: NetworkVolumeProvider, fake: FakeVolumes
) -> None:
    volume_id, outs = create(provider, {**VOLUME, "name": None, "auto_name_prefix": "weights"})
    assert fake.calls == ["POST /v2/network-volumes"]
    assert outs["name"].startswith("weights-") and outs["type"] == "HIGH_PERFORMANCE"
    assert fake.volumes[volume_id]["size"] == 50
    again = provider.check(outs, {**VOLUME, "name": None, "auto_name_prefix": "weights"}).inputs
    assert not provider.diff(volume_id, outs, again).changes


def test_a_create_with_an_explicit_name_lists_first(provider: NetworkVolumeProvider, fake: FakeVolumes) -> None:
    create(provider, {**VOLUME, "type": "STANDARD"})
    assert fake.calls == ["GET /v2/network-volumes", "POST /v2/network-volumes"]
    [volume] = fake.volumes.values()
    assert volume["type"] == "STANDARD"


def test_a_lost_create_answer_finds_the_volume_it_made_instead_of_making_another(
    provider: NetworkVolumeProvider, fake: FakeVolumes
) -> None:
    fake.fault("POST", "/v2/network-volumes", "lose_answer")
    volume_id, _ = create(provider, {**VOLUME, "name": None, "auto_name_prefix": "weights"})
    assert list(fake.volumes) == [volume_id]
    assert fake.calls == ["POST /v2/network-volumes", "GET /v2/network-volumes"]


def test_a_lost_answer_never_adopts_a_same_named_volume_made_elsewhere(
    provider: NetworkVolumeProvider, fake: FakeVolumes
) -> None:
    foreign = fake.add(name="weights", size=50, dataCenter="US-KS-2", type="HIGH_PERFORMANCE")
    fake.fault("POST", "/v2/network-volumes", "lose_answer")
    volume_id, _ = create(provider, VOLUME)
    assert volume_id != foreign["id"]
    assert sorted(fake.volumes) == sorted([foreign["id"], volume_id])


def test_a_create_that_never_arrived_is_sent_again_once(
    provider: NetworkVolumeProvider, fake: FakeVolumes, fake_time: FakeTime
) -> None:
    fake.fault("POST", "/v2/network-volumes", "status", 502)  # may have been committed: look first, then resend
    create(provider, {**VOLUME, "name": None, "auto_name_prefix": "weights"})
    assert len(fake.volumes) == 1
    assert fake.count("POST") == 2
    assert sum(fake_time.sleeps) <= TIMING.settle + TIMING.max_poll


def test_two_new_same_named_volumes_after_a_lost_answer_are_ambiguous(
    provider: NetworkVolumeProvider, fake: FakeVolumes
) -> None:
    original = fake.create

    def create_twice(request: httpx.Request, path: dict[str, str]) -> httpx.Response:
        original(request, path)  # someone else made the same volume at the same moment
        return original(request, path)

    next(route for route in fake.routes if route.method == "POST").handler = create_twice
    fake.fault("POST", "/v2/network-volumes", "lose_answer")
    with pytest.raises(ProviderError) as failed:
        create(provider, VOLUME)
    assert "2 network volumes with that name appeared" in str(failed.value)
    assert "adopt_existing_id" in str(failed.value)


def test_read_is_one_request_and_shows_drift(provider: NetworkVolumeProvider, fake: FakeVolumes) -> None:
    volume_id, outs = create(provider, VOLUME)
    fake.volumes[volume_id]["size"] = 80
    fake.calls.clear()
    result = provider.read(volume_id, outs)
    assert fake.calls == [f"GET /v2/network-volumes/{volume_id}"]
    assert result.outs["size_gb"] == 80 and result.inputs["size_gb"] == 80


def test_a_refresh_drops_a_volume_deleted_outside_pulumi(provider: NetworkVolumeProvider, fake: FakeVolumes) -> None:
    volume_id, outs = create(provider, VOLUME)
    del fake.volumes[volume_id]
    assert provider.read(volume_id, outs).id is None


def test_a_get_of_a_missing_volume_fails(provider: NetworkVolumeProvider) -> None:
    with pytest.raises(ProviderError, match="does not exist"):
        provider.read("vol404", {})


def test_a_wrong_base_url_never_reads_as_gone_nor_deletes_as_done(
    fake: FakeVolumes, session: Session, fake_time: FakeTime
) -> None:
    right = configure(NetworkVolumeProvider(session_factory=lambda _: session, catalog=lambda: WORLD, timing=TIMING,
                                            sleep=fake_time.sleep, clock=fake_time.clock))  # fmt: skip
    volume_id, outs = create(right, VOLUME)
    wrong = configure(
        NetworkVolumeProvider(session_factory=lambda _: session, timing=TIMING, sleep=fake_time.sleep,
                              clock=fake_time.clock),
        restUrl="https://proxy.example/v2",
    )  # fmt: skip
    with pytest.raises(ProviderError, match="runpod:restUrl"):
        wrong.read(volume_id, outs)
    with pytest.raises(ProviderError, match="runpod:restUrl"):
        wrong.delete(volume_id, outs)
    assert volume_id in fake.volumes


def test_growing_and_renaming_is_one_patch_of_what_changed(provider: NetworkVolumeProvider, fake: FakeVolumes) -> None:
    volume_id, outs = create(provider, VOLUME)
    fake.calls.clear()
    news = provider.check(outs, {**VOLUME, "size_gb": 200}).inputs
    result = provider.update(volume_id, outs, news)
    assert fake.calls == [f"PATCH /v2/network-volumes/{volume_id}"]
    assert result.outs["size_gb"] == 200 == fake.volumes[volume_id]["size"]


def test_an_update_with_nothing_mutable_to_send_makes_no_call(
    provider: NetworkVolumeProvider, fake: FakeVolumes
) -> None:
    volume_id, outs = create(provider, VOLUME)
    fake.calls.clear()
    result = provider.update(volume_id, outs, {**VOLUME, "type": "HIGH_PERFORMANCE"})
    assert fake.calls == []
    assert result.outs["type"] == "HIGH_PERFORMANCE" and "type" in result.outs["managed_fields"]


def test_an_update_below_the_size_last_read_is_refused_before_any_call(
    provider: NetworkVolumeProvider, fake: FakeVolumes
) -> None:
    volume_id, outs = create(provider, {**VOLUME, "size_gb": 100})
    fake.calls.clear()
    with pytest.raises(ProviderError, match="cannot shrink from 100 to 60"):
        provider.update(volume_id, outs, {**VOLUME, "size_gb": 60})
    assert fake.calls == []


def test_delete_is_delete_then_verify(provider: NetworkVolumeProvider, fake: FakeVolumes) -> None:
    volume_id, outs = create(provider, VOLUME)
    fake.calls.clear()
    provider.delete(volume_id, outs)
    assert fake.calls == [f"DELETE /v2/network-volumes/{volume_id}", f"GET /v2/network-volumes/{volume_id}"]
    assert fake.volumes == {}


def test_deleting_a_volume_already_gone_succeeds(provider: NetworkVolumeProvider, fake: FakeVolumes) -> None:
    provider.delete("vol404", {})
    assert fake.calls == ["DELETE /v2/network-volumes/vol404", "GET /v2/network-volumes"]  # the list proves the URL


def test_a_refused_delete_is_retried_with_backoff_until_it_works(
    provider: NetworkVolumeProvider, fake: FakeVolumes, fake_time: FakeTime
) -> None:
    volume_id, outs = create(provider, VOLUME)
    fake.attached[volume_id] = 3
    provider.delete(volume_id, outs)
    assert fake.volumes == {}
    assert fake_time.sleeps == [1.0, 2.0, 4.0]


def test_a_delete_refused_past_the_deadline_fails_with_the_apis_words(
    provider: NetworkVolumeProvider, fake: FakeVolumes, fake_time: FakeTime
) -> None:
    volume_id, outs = create(provider, VOLUME)
    fake.attached[volume_id] = 10**6
    fake.pods.append({"id": "pod1", "name": "trainer", "mounts": {"network": [{"volumeId": volume_id, "path": "/w"}]}})
    fake.pods.append({"id": "pod2", "name": "other", "mounts": {}})
    fake.endpoints.append({"id": "ep1", "name": "api", "networkVolumes": [volume_id]})
    with pytest.raises(ProviderError) as failed:
        provider.delete(volume_id, outs)
    message = str(failed.value)
    assert "within 120s" in message and "attached to a pod or endpoint" in message
    assert "Still using it: pod pod1 ('trainer'), endpoint ep1 ('api')" in message
    assert "runpod:deleteTimeout" in message
    assert sum(fake_time.sleeps) <= TIMING.delete_timeout
    assert volume_id in fake.volumes


def test_adopting_reads_then_grows_the_existing_volume(provider: NetworkVolumeProvider, fake: FakeVolumes) -> None:
    existing = fake.add(name="weights", size=40, dataCenter="US-KS-2", type="HIGH_PERFORMANCE")
    volume_id, outs = create(provider, {**VOLUME, "adopt_existing_id": existing["id"]})
    assert volume_id == existing["id"] and outs["size_gb"] == 50
    assert fake.calls == [f"GET /v2/network-volumes/{volume_id}", f"PATCH /v2/network-volumes/{volume_id}"]


@pytest.mark.parametrize(
    ("existing", "words"),
    [
        ({"dataCenter": "EU-RO-1"}, "set data_center_id='EU-RO-1'"),
        ({"size": 500}, "cannot shrink to 50"),
        ({"type": "STANDARD"}, "set type='STANDARD'"),
    ],
)
def test_adopting_a_volume_that_would_lose_data_is_refused_without_any_change(
    provider: NetworkVolumeProvider, fake: FakeVolumes, existing: dict[str, Any], words: str
) -> None:
    record = fake.add(**{"name": "w", "size": 50, "dataCenter": "US-KS-2", "type": "HIGH_PERFORMANCE", **existing})
    before = dict(record)
    with pytest.raises(ProviderError) as refused:
        create(provider, {**VOLUME, "type": "HIGH_PERFORMANCE", "adopt_existing_id": record["id"]})
    assert words in str(refused.value) and "Nothing was changed" in str(refused.value)
    assert fake.count("PATCH") == 0 and fake.volumes[record["id"]] == before


def test_adopting_a_missing_volume_says_so(provider: NetworkVolumeProvider) -> None:
    with pytest.raises(ProviderError, match="no network volume with that id"):
        create(provider, {**VOLUME, "adopt_existing_id": "vol404"})


def test_a_refused_key_is_one_request_and_never_printed(fake: FakeVolumes, fake_time: FakeTime) -> None:
    wrong_key = "rpa_WRONG_" + API_KEY[::-1]
    with Session(wrong_key, transport=fake.transport, sleep=fake_time.sleep, clock=fake_time.clock) as session:
        provider = configure(NetworkVolumeProvider(session_factory=lambda _: session, catalog=lambda: WORLD))
        with pytest.raises(ProviderError) as refused:
            create(provider, {**VOLUME, "name": None, "auto_name_prefix": "w"})
    assert len(fake.calls) == 1
    assert "API key was refused" in str(refused.value)
    assert wrong_key not in str(refused.value) and API_KEY not in str(refused.value)
