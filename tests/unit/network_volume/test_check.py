"""check refuses, before any API call, what would fail at the API or lose a volume's data."""

from __future__ import annotations

from typing import Any

import pytest
from pulumi.output import Unknown

from pulumi_runpod_endpoint.network_volume.provider import NetworkVolumeProvider
from tests.unit.emulated import configure
from tests.unit.network_volume.conftest import WORLD


def _no_session(_settings: Any) -> Any:
    raise AssertionError("check must make no API call")


PROVIDER = configure(NetworkVolumeProvider(session_factory=_no_session, catalog=lambda: WORLD))
VOLUME = {"name": "weights", "size_gb": 50, "data_center_id": "EU-RO-1"}


def failures(news: dict[str, Any], olds: dict[str, Any] | None = None) -> dict[str, str]:
    return {f.property: f.reason for f in PROVIDER.check(olds or {}, news).failures}


def checked(news: dict[str, Any], olds: dict[str, Any] | None = None) -> dict[str, Any]:
    result = PROVIDER.check(olds or {}, news)
    assert result.failures == [], result.failures
    return result.inputs


def test_a_minimal_volume_passes_and_leaves_the_tier_to_the_data_center() -> None:
    assert checked(VOLUME) == VOLUME


def test_the_auto_name_is_chosen_once_and_kept() -> None:
    first = checked({**VOLUME, "name": None, "auto_name_prefix": "weights"})
    assert first["name"].startswith("weights-") and len(first["name"]) == len("weights-") + 7
    assert checked({**VOLUME, "name": None, "auto_name_prefix": "weights"}, olds=first)["name"] == first["name"]


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"size_gb": 5}, "size_gb", "from 10 to 4096"),
        ({"size_gb": 4097}, "size_gb", "from 10 to 4096"),
        ({"size_gb": True}, "size_gb", "whole number"),
        ({"size_gb": 50.5}, "size_gb", "whole number"),
        ({"size_gb": "50"}, "size_gb", "whole number"),
        ({"size_gb": 2**40}, "size_gb", "from 10 to 4096"),
        ({"size_gb": None}, "size_gb", "required"),
        ({"data_center_id": None}, "data_center_id", "required"),
        ({"data_center_id": "MOON-1"}, "data_center_id", "EU-RO-1, US-KS-2, EU-SE-1"),
        ({"data_center_id": "AP-JP-1"}, "type", "offers no network volumes"),
        ({"type": "FAST"}, "type", "STANDARD, HIGH_PERFORMANCE"),
        ({"data_center_id": "EU-SE-1", "type": "HIGH_PERFORMANCE"}, "type", "it offers STANDARD"),
        ({"name": ""}, "name", "empty"),
        ({"name": "a\nb"}, "name", "control characters"),
        ({"name": "x" * 500}, "name", "at most 191"),
        ({"name": 7}, "name", "string"),
        ({"bogus": 1}, "bogus", "not an input"),
        ({"adopt_existing_id": " vol 1"}, "adopt_existing_id", "network volume id"),
        ({"allow_replacement": "yes"}, "allow_replacement", "True or False"),
    ],
)
def test_each_bad_input_is_named_with_what_is_allowed(change: dict[str, Any], field: str, words: str) -> None:
    found = failures({**VOLUME, **change})
    assert field in found, found
    assert words in found[field]


def test_a_data_center_without_the_tier_names_the_tiers_it_offers_and_where_the_tier_is() -> None:
    message = failures({**VOLUME, "data_center_id": "EU-SE-1", "type": "HIGH_PERFORMANCE"})["type"]
    assert "EU-SE-1 does not offer HIGH_PERFORMANCE" in message
    assert "EU-RO-1, US-KS-2" in message


def test_every_bad_field_is_named_at_once() -> None:
    assert set(failures({"name": "", "size_gb": 1, "data_center_id": "MOON-1"})) == {
        "name",
        "size_gb",
        "data_center_id",
    }


def test_a_volume_grows() -> None:
    old = checked(VOLUME)
    assert checked({**VOLUME, "size_gb": 500}, olds=old)["size_gb"] == 500


@pytest.mark.parametrize("allow", [False, True])
def test_a_shrink_is_refused_saying_why_even_with_allow_replacement(allow: bool) -> None:
    old = checked({**VOLUME, "size_gb": 100})
    message = failures({**VOLUME, "size_gb": 50, "allow_replacement": allow}, olds=old)["size_gb"]
    assert "cannot shrink from 100 to 50" in message
    assert "can only grow" in message


@pytest.mark.parametrize(
    ("field", "before", "after"),
    [("data_center_id", "EU-RO-1", "EU-SE-1"), ("type", "STANDARD", "HIGH_PERFORMANCE")],
)
def test_a_replacing_change_is_refused_unless_the_program_opts_in(field: str, before: str, after: str) -> None:
    old = checked({**VOLUME, "data_center_id": "EU-RO-1", field: before})
    message = failures({**old, field: after}, olds=old)[field]
    assert f"from {before!r} to {after!r}" in message
    assert "EMPTY" in message and "model weights" in message
    assert "allow_replacement=True" in message and f"set {field} back to {before!r}" in message
    assert checked({**old, field: after, "allow_replacement": True}, olds=old)[field] == after


def test_declaring_a_tier_that_was_left_to_the_data_center_is_for_diff_to_judge() -> None:
    old = checked(VOLUME)
    assert checked({**VOLUME, "type": "HIGH_PERFORMANCE"}, olds=old)["type"] == "HIGH_PERFORMANCE"


def test_unknown_values_in_a_preview_are_not_judged_nor_the_rules_that_need_them() -> None:
    old = checked({**VOLUME, "size_gb": 100})
    news = {**VOLUME, "size_gb": Unknown(), "data_center_id": Unknown(), "type": "HIGH_PERFORMANCE"}
    inputs = checked(news, olds=old)
    assert isinstance(inputs["size_gb"], Unknown) and isinstance(inputs["data_center_id"], Unknown)


def test_known_bad_values_are_still_refused_in_a_preview() -> None:
    assert set(failures({**VOLUME, "name": Unknown(), "size_gb": 3})) == {"size_gb"}


def test_the_tensorone_backend_is_refused_because_it_has_no_rest_api() -> None:
    provider = configure(NetworkVolumeProvider(session_factory=_no_session, catalog=lambda: WORLD), backend="tensorone")
    assert "tensorone backend does not have" in failures_of(provider, VOLUME)[""]


def failures_of(provider: NetworkVolumeProvider, news: dict[str, Any]) -> dict[str, str]:
    return {f.property: f.reason for f in provider.check({}, news).failures}


def test_huge_or_hostile_values_are_refused_quickly_and_briefly() -> None:
    found = failures({**VOLUME, "name": "n" * 1_000_000, "data_center_id": "\x00" * 100_000, "size_gb": 10**100})
    assert set(found) == {"name", "data_center_id", "size_gb"}
    assert all(len(message) < 700 for message in found.values())
