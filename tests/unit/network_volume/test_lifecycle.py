"""The provider against the in-process emulator: the calls per operation, lost answers, refusals, drift."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from pulumi_runpod_endpoint.dynamic.provider import ProviderError
from pulumi_runpod_endpoint.emulator import Fault
from pulumi_runpod_endpoint.network_volume.provider import NetworkVolumeProvider
from tests.conftest import API_KEY
from tests.unit.emulated import Forward, Stack, configure
from tests.unit.network_volume.conftest import TIMING, volume_provider

VOLUME = {"name": "weights", "size_gb": 50, "data_center_id": "US-KS-2"}
AUTO = {**VOLUME, "name": None, "auto_name_prefix": "weights"}


def create(provider: NetworkVolumeProvider, news: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    result = provider.check({}, news)
    assert result.failures == [], result.failures
    created = provider.create(result.inputs)
    return created.id, dict(created.outs or {})


def volumes(stack: Stack) -> dict[str, dict[str, Any]]:
    """The account's volumes as the API lists them now (one journaled request)."""
    return {volume["id"]: volume for volume in stack.remote("network-volumes")["networkVolumes"]}


def test_an_auto_named_create_is_one_request_and_reports_the_default_tier(
    provider: NetworkVolumeProvider, stack: Stack
) -> None:
    volume_id, outs = create(provider, AUTO)
    assert stack.calls() == ["POST createNetworkVolume 201"]
    [sent] = stack.requests("createNetworkVolume")
    assert "type" not in sent  # left to the data center, whose default tier the read reports
    assert outs["name"].startswith("weights-") and outs["type"] == "STANDARD"
    assert volumes(stack)[volume_id]["size"] == 50
    again = provider.check(outs, AUTO).inputs
    assert not provider.diff(volume_id, outs, again).changes


def test_a_create_with_an_explicit_name_lists_first(provider: NetworkVolumeProvider, stack: Stack) -> None:
    volume_id, _ = create(provider, {**VOLUME, "type": "HIGH_PERFORMANCE"})
    assert stack.calls() == ["GET listNetworkVolumes 200", "POST createNetworkVolume 201"]
    assert volumes(stack)[volume_id]["type"] == "HIGH_PERFORMANCE"


def test_a_lost_create_answer_finds_the_volume_it_made_instead_of_making_another(
    provider: NetworkVolumeProvider, stack: Stack
) -> None:
    stack.emulator.faults.set([Fault(kind="lose_response", match="createNetworkVolume")])
    volume_id, _ = create(provider, AUTO)
    assert stack.calls() == ["POST createNetworkVolume dropped", "GET listNetworkVolumes 200"]
    assert list(volumes(stack)) == [volume_id]


def test_a_lost_answer_never_adopts_a_same_named_volume_made_elsewhere(
    provider: NetworkVolumeProvider, stack: Stack
) -> None:
    foreign = stack.seed("network-volumes", name="weights", size=50, dataCenter="US-KS-2")
    stack.emulator.faults.set([Fault(kind="lose_response", match="createNetworkVolume")])
    volume_id, _ = create(provider, VOLUME)
    assert volume_id != foreign["id"]
    assert sorted(volumes(stack)) == sorted([foreign["id"], volume_id])


def test_a_create_that_may_not_have_arrived_is_looked_for_then_sent_again_once(
    provider: NetworkVolumeProvider, stack: Stack
) -> None:
    stack.emulator.faults.set([Fault(kind="server_error", status=502, match="createNetworkVolume")])
    create(provider, AUTO)  # a 502 may have been committed: look first, then resend
    assert stack.calls().count("POST createNetworkVolume 201") == 1
    assert stack.calls()[0] == "POST createNetworkVolume 502" and stack.calls()[1] == "GET listNetworkVolumes 200"
    assert len(volumes(stack)) == 1
    assert sum(stack.sleeps) <= TIMING.settle + TIMING.max_poll


def test_a_dropped_connection_before_the_create_is_resent_once_and_makes_one_volume(
    provider: NetworkVolumeProvider, stack: Stack
) -> None:
    stack.emulator.faults.set([Fault(kind="drop", match="createNetworkVolume")])
    volume_id, _ = create(provider, AUTO)
    posts = [call for call in stack.calls() if call.startswith("POST")]
    assert posts == ["POST createNetworkVolume dropped", "POST createNetworkVolume 201"]
    assert list(volumes(stack)) == [volume_id]
    assert sum(stack.sleeps) <= TIMING.settle + TIMING.max_poll


def test_a_rate_limited_create_waits_as_asked_and_sends_once_more(
    provider: NetworkVolumeProvider, stack: Stack
) -> None:
    stack.emulator.faults.set([Fault(kind="rate_limit", match="createNetworkVolume", retry_after=3)])
    create(provider, AUTO)  # a 429 did nothing: sending again cannot duplicate
    assert stack.calls() == ["POST createNetworkVolume 429", "POST createNetworkVolume 201"]
    assert stack.sleeps == [3.0]


def test_two_new_same_named_volumes_after_a_lost_answer_are_ambiguous(
    provider: NetworkVolumeProvider, stack: Stack
) -> None:
    def twice(request: httpx.Request, forward: Forward) -> httpx.Response:
        with pytest.raises(httpx.RemoteProtocolError):
            forward(request)  # another client made the same volume at the same moment (its answer was lost too)
        return forward(request)

    stack.intercept("POST", "/v2/network-volumes", twice)
    stack.emulator.faults.set([Fault(kind="lose_response", match="createNetworkVolume", times=2)])
    with pytest.raises(ProviderError) as failed:
        create(provider, VOLUME)
    assert "2 network volumes with that name appeared" in str(failed.value)
    assert "adopt_existing_id" in str(failed.value)
    assert stack.calls() == ["GET listNetworkVolumes 200", "POST createNetworkVolume dropped",
                             "POST createNetworkVolume dropped", "GET listNetworkVolumes 200"]  # fmt: skip


def test_read_is_one_request_and_shows_drift(provider: NetworkVolumeProvider, stack: Stack) -> None:
    volume_id, outs = create(provider, VOLUME)
    assert stack.api.patch(f"/v2/network-volumes/{volume_id}", json={"size": 80}).status_code == 200
    stack.clear()
    result = provider.read(volume_id, outs)
    assert stack.calls() == ["GET getNetworkVolume 200"]
    assert result.outs["size_gb"] == 80 and result.inputs["size_gb"] == 80


def test_a_refresh_drops_a_volume_deleted_outside_pulumi(provider: NetworkVolumeProvider, stack: Stack) -> None:
    volume_id, outs = create(provider, VOLUME)
    assert stack.api.delete(f"/v2/network-volumes/{volume_id}").status_code == 204
    assert provider.read(volume_id, outs).id is None


def test_a_get_of_a_missing_volume_fails(provider: NetworkVolumeProvider) -> None:
    with pytest.raises(ProviderError, match="does not exist"):
        provider.read("vol404", {})


def test_a_wrong_base_url_never_reads_as_gone_nor_deletes_as_done(
    provider: NetworkVolumeProvider, stack: Stack
) -> None:
    volume_id, outs = create(provider, VOLUME)
    wrong = volume_provider(stack, restUrl="http://emulator/proxy/v2")  # a path that is not RunPod's API
    with pytest.raises(ProviderError, match="runpod:restUrl"):
        wrong.read(volume_id, outs)
    with pytest.raises(ProviderError, match="runpod:restUrl"):
        wrong.delete(volume_id, outs)
    assert volume_id in volumes(stack)


def test_growing_and_renaming_is_one_patch_of_what_changed(provider: NetworkVolumeProvider, stack: Stack) -> None:
    volume_id, outs = create(provider, VOLUME)
    stack.clear()
    news = provider.check(outs, {**VOLUME, "name": "weights-2", "size_gb": 200}).inputs
    result = provider.update(volume_id, outs, news)
    assert stack.calls() == ["PATCH updateNetworkVolume 200"]
    assert stack.requests("updateNetworkVolume") == [{"name": "weights-2", "size": 200}]
    assert result.outs["size_gb"] == 200 == volumes(stack)[volume_id]["size"]


def test_an_update_with_nothing_mutable_to_send_makes_no_call(provider: NetworkVolumeProvider, stack: Stack) -> None:
    volume_id, outs = create(provider, {**VOLUME, "type": "HIGH_PERFORMANCE"})
    stack.clear()
    result = provider.update(volume_id, outs, {**VOLUME, "type": "HIGH_PERFORMANCE"})
    assert stack.calls() == []
    assert result.outs["type"] == "HIGH_PERFORMANCE" and "type" in result.outs["managed_fields"]


def test_an_update_below_the_size_last_read_is_refused_before_any_call(
    provider: NetworkVolumeProvider, stack: Stack
) -> None:
    volume_id, outs = create(provider, {**VOLUME, "size_gb": 100})
    stack.clear()
    with pytest.raises(ProviderError, match="cannot shrink from 100 to 60"):
        provider.update(volume_id, outs, {**VOLUME, "size_gb": 60})
    assert stack.calls() == []


def test_delete_is_delete_then_verify(provider: NetworkVolumeProvider, stack: Stack) -> None:
    volume_id, outs = create(provider, VOLUME)
    stack.clear()
    provider.delete(volume_id, outs)
    assert stack.calls() == ["DELETE deleteNetworkVolume 204", "GET getNetworkVolume 404"]
    assert volumes(stack) == {}


def test_deleting_a_volume_already_gone_succeeds(provider: NetworkVolumeProvider, stack: Stack) -> None:
    provider.delete("vol404", {})
    assert stack.calls() == ["DELETE deleteNetworkVolume 404", "GET listNetworkVolumes 200"]  # the list proves the URL


# The spec lists no refusal for deleteNetworkVolume (and the emulator has none): these are the API's
# answers for "not now" that the lifecycle retries, injected as the fault plan's 400.
def test_a_refused_delete_is_retried_with_backoff_until_it_works(provider: NetworkVolumeProvider, stack: Stack) -> None:
    volume_id, outs = create(provider, VOLUME)
    stack.emulator.faults.set([Fault(kind="server_error", status=400, match="deleteNetworkVolume", times=3)])
    provider.delete(volume_id, outs)
    assert volumes(stack) == {}
    assert stack.sleeps == [1.0, 2.0, 4.0]


def test_a_delete_refused_past_the_deadline_fails_with_the_apis_words_and_what_uses_it(
    provider: NetworkVolumeProvider, stack: Stack
) -> None:
    volume_id, outs = create(provider, VOLUME)
    endpoint_id = stack.endpoint(name="api", networkVolumes=[volume_id], dataCenterIds=["US-KS-2"])
    stack.endpoint(name="other")
    pod_id = stack.pod(name="trainer", networkVolumeId=volume_id)
    stack.pod(name="other")  # mounts no volume
    stack.emulator.faults.set([Fault(kind="server_error", status=400, match="deleteNetworkVolume", times=-1)])
    with pytest.raises(ProviderError) as failed:
        provider.delete(volume_id, outs)
    message = str(failed.value)
    assert "within 120s" in message and "injected server error" in message  # the API's own words
    users = f"pod {pod_id} ('trainer'), endpoint {endpoint_id} ('api')"
    assert f"Still using it: {users}. Run " in message  # and nothing else
    assert "runpod:deleteTimeout" in message
    assert sum(stack.sleeps) <= TIMING.delete_timeout
    stack.emulator.faults.clear()
    assert volume_id in volumes(stack)


def test_endpoints_that_use_it_are_named_even_when_the_pods_cannot_be_listed(
    provider: NetworkVolumeProvider, stack: Stack
) -> None:
    volume_id, outs = create(provider, VOLUME)
    endpoint_id = stack.endpoint(name="api", networkVolumes=[volume_id], dataCenterIds=["US-KS-2"])
    stack.pod(name="trainer", networkVolumeId=volume_id)  # there, but this key may not list pods
    stack.emulator.faults.set([Fault(kind="server_error", status=400, match="deleteNetworkVolume", times=-1),
                               Fault(kind="server_error", status=403, match="listPods", times=-1)])  # fmt: skip
    with pytest.raises(ProviderError) as failed:
        provider.delete(volume_id, outs)
    assert f"Still using it: endpoint {endpoint_id} ('api'). Run " in str(failed.value)
    assert "GET listPods 403" in stack.calls() and "GET listEndpoints 200" in stack.calls()


def test_adopting_reads_then_grows_the_existing_volume(provider: NetworkVolumeProvider, stack: Stack) -> None:
    existing = stack.seed("network-volumes", name="weights", size=40, dataCenter="US-KS-2", type="HIGH_PERFORMANCE")
    volume_id, outs = create(provider, {**VOLUME, "adopt_existing_id": existing["id"]})
    assert volume_id == existing["id"] and outs["size_gb"] == 50
    assert stack.calls() == ["GET getNetworkVolume 200", "PATCH updateNetworkVolume 200"]
    assert stack.requests("updateNetworkVolume") == [{"size": 50}]


@pytest.mark.parametrize(
    ("existing", "words"),
    [
        ({"dataCenter": "EU-RO-1", "type": "STANDARD"}, "set data_center_id='EU-RO-1'"),
        ({"size": 500}, "cannot shrink to 50"),
        ({"type": "STANDARD"}, "set type='STANDARD'"),
    ],
)
def test_adopting_a_volume_that_would_lose_data_is_refused_without_any_change(
    provider: NetworkVolumeProvider, stack: Stack, existing: dict[str, Any], words: str
) -> None:
    record = stack.seed(
        "network-volumes", **{"name": "w", "size": 50, "dataCenter": "US-KS-2", "type": "HIGH_PERFORMANCE", **existing}
    )
    with pytest.raises(ProviderError) as refused:
        create(provider, {**VOLUME, "type": "HIGH_PERFORMANCE", "adopt_existing_id": record["id"]})
    assert words in str(refused.value) and "Nothing was changed" in str(refused.value)
    assert stack.calls() == ["GET getNetworkVolume 200"]
    assert volumes(stack)[record["id"]] == record


def test_adopting_a_missing_volume_says_so(provider: NetworkVolumeProvider) -> None:
    with pytest.raises(ProviderError, match="no network volume with that id"):
        create(provider, {**VOLUME, "adopt_existing_id": "vol404"})


def test_a_refused_key_is_one_request_and_never_printed(stack: Stack) -> None:
    wrong_key = "rpa_WRONG_" + API_KEY[::-1]
    provider = NetworkVolumeProvider(session_factory=lambda _: stack.session(wrong_key))
    configure(provider, apiKey=wrong_key)
    with pytest.raises(ProviderError) as refused:
        create(provider, AUTO)
    assert stack.calls() == ["POST createNetworkVolume 401"]
    assert "API key was refused" in str(refused.value)
    assert wrong_key not in str(refused.value) and API_KEY not in str(refused.value)
