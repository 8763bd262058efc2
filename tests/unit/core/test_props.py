"""dynamic/props.py: property bags made plain -- secrets, unknowns, managed fields, changed fields."""

from __future__ import annotations

from typing import Any

import pytest
from pulumi.dynamic.dynamic import PROVIDER_KEY as SDK_PROVIDER_KEY
from pulumi.runtime import rpc

from pulumi_runpod_endpoint.dynamic.props import (
    MANAGED_FIELDS,
    PROVIDER_KEY,
    UNKNOWN,
    changed_fields,
    clean,
    is_unknown,
    managed_fields,
    unwrap,
)

FIELDS = ("name", "image", "env", "gpu_pools", "workers_max", "template_id")


# The wire signature of a secret (pulumi sdk/go/common/resource/properties.go): a fact of the protocol,
# written out here so the test checks the code against the protocol, not against itself.
SIG_KEY = "4dabf18193072939515e22adb298388d"
SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270"


def secret(value: Any) -> dict[str, Any]:
    """A secret exactly as the engine hands it to a dynamic provider."""
    return {SIG_KEY: SECRET_SIG, "value": value}


def test_the_constants_are_the_sdks_own() -> None:
    assert UNKNOWN == rpc.UNKNOWN
    assert PROVIDER_KEY == SDK_PROVIDER_KEY
    assert MANAGED_FIELDS == "managed_fields"


def test_the_secret_helper_matches_the_sdks_signature() -> None:
    assert rpc.is_rpc_secret(secret("x"))
    assert rpc.unwrap_rpc_secret(secret("x")) == "x"


def test_unwrap_removes_secrets_at_any_depth() -> None:
    wrapped = secret({"env": secret({"TOKEN": secret("s3cret")}), "list": [secret(1), [secret(secret("deep"))]]})
    assert unwrap(wrapped) == {"env": {"TOKEN": "s3cret"}, "list": [1, ["deep"]]}


def test_unwrap_leaves_plain_values_and_lookalikes_alone() -> None:
    lookalike = {SIG_KEY: "not-the-secret-signature", "value": 1}
    assert unwrap(lookalike) == lookalike
    assert unwrap({"value": 1}) == {"value": 1}
    assert unwrap("x") == "x"
    assert unwrap(None) is None


def test_clean_drops_the_provider_blob_and_nones_and_unwraps() -> None:
    props = {PROVIDER_KEY: "gASV...", "name": "a", "image": None, "env": secret({"K": "v"})}
    assert clean(props) == {"name": "a", "env": {"K": "v"}}


@pytest.mark.parametrize(
    "value", [UNKNOWN, [1, UNKNOWN], {"a": {"b": [UNKNOWN]}}, secret(UNKNOWN)], ids=["bare", "list", "nested", "secret"]
)
def test_unknown_anywhere_inside_is_unknown(value: Any) -> None:
    assert is_unknown(unwrap(value))


@pytest.mark.parametrize("value", ["x", 0, None, [], {}, [1, "a"], {"k": "v"}, "04da6b54"])
def test_known_values_are_known(value: Any) -> None:
    assert not is_unknown(value)


def test_managed_fields_of_checked_inputs_are_the_fields_they_set() -> None:
    assert managed_fields({"name": "a", "image": None, "env": {}, "other": 1}, FIELDS) == ["name", "env"]


def test_managed_fields_of_outputs_are_their_recorded_list_in_spec_order() -> None:
    outputs = {"name": "a", "image": "x", "workers_max": 3, MANAGED_FIELDS: ["workers_max", "name", "bogus"]}
    assert managed_fields(outputs, FIELDS) == ["name", "workers_max"]


# -- changed_fields ---------------------------------------------------------------------------------------
def outputs(**values: Any) -> dict[str, Any]:
    return {**values, MANAGED_FIELDS: [k for k in FIELDS if values.get(k) is not None]}


def test_nothing_changed() -> None:
    olds = outputs(name="a", image="x:1", workers_max=3)
    assert changed_fields(olds, {"name": "a", "image": "x:1", "workers_max": 3}, FIELDS) == []


def test_a_changed_value_is_a_change() -> None:
    olds = outputs(name="a", workers_max=3)
    assert changed_fields(olds, {"name": "a", "workers_max": 4}, FIELDS) == ["workers_max"]


def test_changes_come_in_spec_order() -> None:
    olds = outputs(name="a", image="x:1", workers_max=3)
    news = {"workers_max": 4, "name": "b", "image": "x:2"}
    assert changed_fields(olds, news, FIELDS) == ["name", "image", "workers_max"]


def test_a_value_under_a_secret_compares_by_its_plain_value() -> None:
    olds = outputs(name="a", env={"K": "v"})
    assert changed_fields(olds, {"name": "a", "env": secret({"K": secret("v")})}, FIELDS) == []
    assert changed_fields(olds, {"name": "a", "env": secret({"K": "w"})}, FIELDS) == ["env"]


def test_an_unknown_new_value_is_a_change() -> None:
    olds = outputs(name="a", image="x:1")
    assert changed_fields(olds, {"name": UNKNOWN, "image": secret(UNKNOWN)}, FIELDS) == ["name", "image"]


def test_a_field_the_program_stopped_setting_is_a_change() -> None:
    olds = outputs(name="a", image="x:1")
    assert changed_fields(olds, {"name": "a"}, FIELDS) == ["image"]
    assert changed_fields(olds, {"name": "a", "image": None}, FIELDS) == ["image"]


def test_a_field_the_api_filled_in_but_nobody_declared_is_not_a_change() -> None:
    olds = {"name": "a", "workers_max": 3, MANAGED_FIELDS: ["name"]}
    assert changed_fields(olds, {"name": "a"}, FIELDS) == []


def test_dropping_an_unclearable_field_only_ends_its_management() -> None:
    olds = outputs(name="a", template_id="t1")
    assert changed_fields(olds, {"name": "a"}, FIELDS, unclearable=["template_id"]) == []
    assert changed_fields(olds, {"name": "a", "template_id": "t2"}, FIELDS, unclearable=["template_id"]) == [
        "template_id"
    ]


@pytest.mark.parametrize(("old", "new"), [([], None), ({}, None), ("", None), (None, []), ([], {})])
def test_empty_values_mean_the_same(old: Any, new: Any) -> None:
    olds = {"name": "a", "env": old, MANAGED_FIELDS: ["name", "env"]}
    news: dict[str, Any] = {"name": "a"}
    if new is not None:
        news["env"] = new
    assert changed_fields(olds, news, FIELDS) == []


def test_zero_and_false_are_values_not_emptiness() -> None:
    olds = outputs(name="a", workers_max=3)
    assert changed_fields(olds, {"name": "a", "workers_max": 0}, FIELDS) == ["workers_max"]


def test_normalizers_say_when_two_values_mean_the_same() -> None:
    olds = outputs(name="a", gpu_pools=["ADA_24", "AMPERE_48"])
    as_set = {"gpu_pools": lambda pools: sorted(pools)}
    assert changed_fields(olds, {"name": "a", "gpu_pools": ["AMPERE_48", "ADA_24"]}, FIELDS, as_set) == []
    assert changed_fields(olds, {"name": "a", "gpu_pools": ["AMPERE_48"]}, FIELDS, as_set) == ["gpu_pools"]


def test_normalizers_never_see_empty_values() -> None:
    seen: list[Any] = []

    def normalize(value: Any) -> Any:
        seen.append(value)
        return value

    olds = {"name": "a", "env": {}, MANAGED_FIELDS: ["name", "env"]}
    changed_fields(olds, {"name": "a", "env": {"K": "v"}}, FIELDS, {"env": normalize})
    assert seen == [{"K": "v"}]


def test_the_provider_blob_is_never_a_field() -> None:
    olds = outputs(name="a")
    news = {"name": "a", PROVIDER_KEY: "a-new-pickle"}
    assert changed_fields(olds, news, (*FIELDS, PROVIDER_KEY)) == []


def test_whole_numbers_from_the_engines_wire_become_ints_and_fractions_stay() -> None:
    # protobuf Struct carries every number as a double: a program's 3 arrives as 3.0
    cleaned = clean({"workers_max": 3.0, "scaler_value": 2.5, "nested": [{"vcpu_count": 4.0}], "bad": float("nan")})
    assert cleaned["workers_max"] == 3 and isinstance(cleaned["workers_max"], int)
    assert cleaned["scaler_value"] == 2.5
    assert cleaned["nested"] == [{"vcpu_count": 4}] and isinstance(cleaned["nested"][0]["vcpu_count"], int)
    assert cleaned["bad"] != cleaned["bad"]  # NaN stays a float, for validation to refuse
