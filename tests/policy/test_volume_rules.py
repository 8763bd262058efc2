"""Network volumes: the size cap, and where they sit next to the endpoints that mount them.

The cross-resource rules are stack rules: an endpoint is linked to the NetworkVolumes its
``network_volume_ids`` was computed from by the engine's property dependencies -- also in a preview,
where the volume ids are still unknown (the case that matters: the mistake is caught before anything
is created).
"""

from __future__ import annotations

from tests.policy.analyzer import UNKNOWN, Declared, endpoint, stack_violations, violations, volume


# -- volume-size-cap ----------------------------------------------------------------------------------------
def test_volume_size_cap() -> None:
    [message] = violations("volume-size-cap", volume(size_gb=2048))
    assert message == (
        "NetworkVolume 'weights': size_gb is 2048, above the cap of 1024 GB (volume-size-cap); a network volume "
        "bills per GB per month until it is deleted, used or not. Fix: set size_gb to 1024 or less, or raise the "
        "policy's maxSizeGb. (A volume never shrinks: for an existing one, create a smaller volume, copy what you "
        "need, then remove this one.)"
    )
    assert violations("volume-size-cap", volume(size_gb=1024)) == []


def test_volume_size_cap__config_and_unknown_sizes() -> None:
    assert violations("volume-size-cap", volume(size_gb=2048), config={"maxSizeGb": 4096.0}) == []
    assert violations("volume-size-cap", volume(size_gb=200), config={"maxSizeGb": 100})
    assert violations("volume-size-cap", volume(size_gb=UNKNOWN), config={"maxSizeGb": 10}) == []


# -- volumes-in-endpoint-data-centers ------------------------------------------------------------------------
def mounting(*volumes: str, **inputs: object) -> Declared:
    """An endpoint whose network_volume_ids are these volumes' ids (unknown: this is a preview)."""
    declared = endpoint("api", network_volume_ids=[UNKNOWN] * len(volumes), **inputs)
    declared.depends = {"network_volume_ids": list(volumes)}
    return declared


def test_volume_placement__volumes_in_the_endpoints_data_centers_pass() -> None:
    stack = [
        volume("ro"),
        volume("cz", data_center_id="EU-CZ-1"),
        mounting("ro", "cz", data_center_ids=["EU-RO-1", "EU-CZ-1"]),
    ]
    assert stack_violations("volumes-in-endpoint-data-centers", stack) == []
    assert stack_violations("one-volume-per-data-center", stack) == []


def test_volume_placement__no_overlap_means_no_worker_can_start() -> None:
    stack = [volume("weights"), mounting("weights", data_center_ids=["US-KS-2"])]
    [message] = stack_violations("volumes-in-endpoint-data-centers", stack)
    assert message == (
        "ServerlessEndpoint 'api': none of the network volumes in network_volume_ids is in its data_center_ids "
        "[US-KS-2]: NetworkVolume 'weights' is in EU-RO-1 (volumes-in-endpoint-data-centers). Workers run only where "
        "their volume is, and this endpoint allows none of those data centers, so no worker can start. Fix: add "
        "EU-RO-1 to data_center_ids, or create the volumes in US-KS-2 (a volume's data center is fixed: that means "
        "new volumes)."
    )


def test_volume_placement__one_volume_outside() -> None:
    stack = [volume("ro"), volume("ks", data_center_id="US-KS-2"), mounting("ro", "ks", data_center_ids=["EU-RO-1"])]
    [message] = stack_violations("volumes-in-endpoint-data-centers", stack)
    assert message == (
        "ServerlessEndpoint 'api': network_volume_ids includes NetworkVolume 'ks' in US-KS-2, outside its "
        "data_center_ids [EU-RO-1] (volumes-in-endpoint-data-centers): its workers can never mount it. Fix: add "
        "US-KS-2 to data_center_ids, or remove the volume from network_volume_ids (or replace it with one in "
        "EU-RO-1)."
    )


def test_volume_placement__an_endpoint_without_data_centers_goes_where_its_volumes_are() -> None:
    stack = [volume("ks", data_center_id="US-KS-2"), mounting("ks")]
    assert stack_violations("volumes-in-endpoint-data-centers", stack) == []


def test_volume_placement__after_up_with_known_ids() -> None:
    stack = [volume("weights"), mounting("weights", data_center_ids=["US-KS-2"])]
    stack[1].inputs = {**stack[1].inputs, "network_volume_ids": ["vol123abc"]}
    assert stack_violations("volumes-in-endpoint-data-centers", stack)


def test_volume_placement__volumes_outside_the_stack_come_from_the_config() -> None:
    outside = endpoint("api", network_volume_ids=["volro000001"], data_center_ids=["US-KS-2"])
    assert stack_violations("volumes-in-endpoint-data-centers", [outside]) == []  # nothing known about the id
    config = {"externalVolumes": {"volro000001": "EU-RO-1"}}
    [message] = stack_violations("volumes-in-endpoint-data-centers", [outside], config=config)
    assert "volume 'volro000001' (externalVolumes) is in EU-RO-1" in message


def test_volume_placement__unknown_data_centers_are_not_judged() -> None:
    unknown_endpoint = [volume("weights"), mounting("weights", data_center_ids=UNKNOWN)]
    assert stack_violations("volumes-in-endpoint-data-centers", unknown_endpoint) == []
    unknown_volume = [volume("weights", data_center_id=UNKNOWN), mounting("weights", data_center_ids=["US-KS-2"])]
    assert stack_violations("volumes-in-endpoint-data-centers", unknown_volume) == []


def test_volume_placement__other_dependencies_are_not_volumes() -> None:
    declared = endpoint("api", network_volume_ids=[UNKNOWN], data_center_ids=["US-KS-2"])
    declared.depends = {"network_volume_ids": ["other"], "template_id": ["weights"]}
    other = endpoint("other")
    assert stack_violations("volumes-in-endpoint-data-centers", [volume("weights"), other, declared]) == []


# -- one-volume-per-data-center ------------------------------------------------------------------------------
def test_one_volume_per_data_center() -> None:
    stack = [volume("a"), volume("b"), volume("c", data_center_id="EU-CZ-1"), mounting("a", "b", "c")]
    [message] = stack_violations("one-volume-per-data-center", stack)
    assert message == (
        "ServerlessEndpoint 'api': network_volume_ids has 2 volumes in EU-RO-1 (NetworkVolume 'a', NetworkVolume "
        "'b') (one-volume-per-data-center): an endpoint mounts at most one network volume per data center. Fix: "
        "keep one volume in EU-RO-1 in network_volume_ids (put what the others hold on it), or move the others' "
        "data to volumes in other data centers."
    )


def test_one_volume_per_data_center__with_volumes_from_the_config() -> None:
    declared = endpoint("api", network_volume_ids=[UNKNOWN, "volro000001"])
    declared.depends = {"network_volume_ids": ["a"]}
    config = {"externalVolumes": {"volro000001": "EU-RO-1"}}
    [message] = stack_violations("one-volume-per-data-center", [volume("a"), declared], config=config)
    assert "2 volumes in EU-RO-1 (NetworkVolume 'a', volume 'volro000001' (externalVolumes))" in message
    assert stack_violations("one-volume-per-data-center", [volume("a"), declared]) == []


def test_a_volume_read_with_get_counts_by_its_recorded_state() -> None:
    # NetworkVolume.get: the engine presents what the read returned (no managed fields of its own).
    read = volume("shared")
    read.state = {
        "name": "shared",
        "size_gb": 500.0,
        "data_center_id": "US-KS-2",
        "type": "STANDARD",
        "managed_fields": [],
    }
    declared = mounting("shared", data_center_ids=["EU-RO-1"])
    assert (
        "NetworkVolume 'shared' is in US-KS-2"
        in stack_violations("volumes-in-endpoint-data-centers", [read, declared])[0]
    )
