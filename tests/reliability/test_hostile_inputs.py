"""Hostile inputs, per resource: each refused at ``check`` naming its field, with no API call at all;
and valid-but-unusual inputs that must pass.

Every value goes into an otherwise valid program. The families: wrong types (numbers as strings,
booleans as numbers, lists for maps...), bounds (0, negatives, beyond RunPod's 32-bit integers, NaN,
infinities), enums (wrong case, padding, unknown), text (empty, whitespace, NUL, newlines, other
control characters, Unicode line separators and bidirectional overrides, unencodable surrogates,
10,000 characters, 1 MB), lists (empty where a value is needed, duplicates, wrong items, thousands
of items), maps (10,000 env vars, a 1 MB value, None values, bad names), unknown fields. Nothing
here is timed: each check's cost is bounded by construction (sizes are judged before items are
walked, and messages show values cut short).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from pulumi.output import Unknown

from pulumi_runpod_endpoint.dynamic.props import UNKNOWN
from pulumi_runpod_endpoint.dynamic.provider import BaseProvider
from pulumi_runpod_endpoint.endpoint.provider import ServerlessEndpointProvider
from pulumi_runpod_endpoint.network_volume.provider import NetworkVolumeProvider
from pulumi_runpod_endpoint.registry_auth.provider import RegistryAuthProvider
from pulumi_runpod_endpoint.template.provider import TemplateProvider
from tests.reliability.harness import World

MB = 1024 * 1024
BIG = 2**31  # one beyond RunPod's 32-bit integers
NAN, INF = float("nan"), float("inf")


# -- families of hostile values ----------------------------------------------------------------------------
def hostile_text(*, allow: tuple[str, ...] = ()) -> dict[str, Any]:
    """Values no free-text field takes (``allow`` names the families a field does accept)."""
    values: dict[str, Any] = {
        "empty": "",
        "spaces": "   ",
        "tab-only": "\t",
        "nul": "a\x00b",
        "newline": "a\nb",
        "trailing-newline": "abc\n",
        "cr": "a\rb",
        "crlf": "a\r\nb",
        "escape": "a\x1b[31mb",
        "bell": "a\x07b",
        "delete": "a\x7fb",
        "c1-next-line": "a\x85b",
        "unicode-line-separator": "a\u2028b",
        "unicode-paragraph-separator": "a\u2029b",
        "bidi-override": "safe\u202eexe.txt",
        "bidi-isolate": "a\u2066b\u2069",
        "lone-surrogate": "a\ud800b",
        "leading-space": " abc",
        "trailing-space": "abc ",
        "10k-chars": "x" * 10_000,
        "1mb": "x" * MB,
        "int": 12345,
        "float": 1.5,
        "bool-true": True,
        "bool-false": False,
        "list": ["abc"],
        "map": {"a": "b"},
    }
    for family in allow:
        values.pop(family)
    return values


def hostile_id() -> dict[str, Any]:
    """Values no RunPod id field takes."""
    return {
        **hostile_text(),
        "slash": "a/b",
        "dot-dot": "..",
        "question": "abc?x=1",
        "space-inside": "ab cd",
        "300-chars": "a" * 300,
        "unicode": "ïd",
    }


def hostile_whole_number(low: int, high: int) -> dict[str, Any]:
    """Values a whole-number field within [low, high] refuses."""
    return {
        "below": low - 1,
        "negative": -1 if low > -1 else low - 100,
        "above": high + 1,
        "int32-overflow": BIG,
        "int64-overflow": 2**63,
        "googol": 10**100,
        "fraction": low + 0.5,
        "nan": NAN,
        "inf": INF,
        "minus-inf": -INF,
        "string": str(low),
        "bool-true": True,
        "bool-false": False,
        "list": [low],
        "map": {"n": low},
    }


def hostile_args() -> dict[str, Any]:
    """Container args: free text, so only what no request can carry, absurd sizes and wrong types."""
    return {"nul": "a\x00b", "surrogate": "a\ud800", "5k-chars": "x" * 5_000, "1mb": "x" * MB, "int": 1, "list": ["a"]}


def hostile_bool() -> dict[str, Any]:
    return {"int-1": 1, "int-0": 0, "string-true": "true", "string-yes": "yes", "list": [True], "float": 1.0001}


def hostile_enum(good: str) -> dict[str, Any]:
    return {
        "lowercase": good.lower(),
        "padded": f" {good} ",
        "unknown": "NOT_A_VALUE",
        "empty": "",
        "int": 1,
        "list": [good],
        "nul": good + "\x00",
    }


def hostile_string_list(good: str) -> dict[str, Any]:
    return {
        "unknown-item": ["NOT_A_VALUE_1"],
        "bare-string": good,
        "empty-item": [""],
        "space-item": ["   "],
        "none-item": [None],
        "int-item": [1],
        "nested": [[good]],
        "map": {good: good},
        "duplicates-and-unknowns": [good, "x\n"],
        "thousands": [good] * 5_000,
        "a-million-then-a-number": [good] * 1_000_000 + [1],
    }


def hostile_env() -> dict[str, Any]:
    return {
        "10k-vars": {f"V{i}": "x" for i in range(10_000)},
        "1mb-value": {"A": "x" * MB},
        "none-value": {"A": None},
        "int-value": {"A": 1},
        "bool-value": {"A": True},
        "float-value": {"A": 1.5},
        "list-value": {"A": ["x"]},
        "map-value": {"A": {"x": "y"}},
        "nul-value": {"A": "x\x00y"},
        "surrogate-value": {"A": "x\udfffy"},
        "empty-name": {"": "x"},
        "digit-name": {"1A": "x"},
        "space-name": {"A B": "x"},
        "equals-name": {"A=B": "x"},
        "newline-name": {"A\nB": "x"},
        "unicode-name": {"ÄPFEL": "x"},
        "long-name": {"A" * 300: "x"},
        "string": "A=1",
        "list": [{"key": "A", "value": "1"}],
        "deep-value": {"A": _nested(100)},
    }


def _nested(depth: int) -> Any:
    value: Any = "x"
    for _ in range(depth):
        value = [value]
    return value


# -- resources ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Table:
    resource: str
    provider: type[BaseProvider]
    program: dict[str, Any]
    values: dict[str, dict[str, Any]]  # field -> label -> a hostile value for it
    combinations: list[tuple[str, str, dict[str, Any]]]  # (field named in the failure, label, program changes)
    valid: list[tuple[str, dict[str, Any]]]  # (label, program changes)

    @property
    def hostile(self) -> list[tuple[str, str, dict[str, Any]]]:
        """One row per hostile input: (field named in the failure, label, the program change)."""
        singles = [
            (field, label, {field: value}) for field, values in self.values.items() for label, value in values.items()
        ]
        return [*singles, *self.combinations]


ENDPOINT = Table(
    resource="endpoint",
    provider=ServerlessEndpointProvider,
    program={"name": "svc", "image": "runpod/worker:1.0", "gpu_pools": ["ADA_24"]},
    values={
        "name": hostile_text(),
        "image": {**hostile_text(), "space-inside": "runpod/worker 1.0"},
        "template_id": hostile_id(),
        "registry_auth_id": hostile_id(),
        "container_args": hostile_args(),
        "container_disk_gb": hostile_whole_number(1, 2**31 - 1),
        "ports": {
            "zero": ["0/http"],
            "too-high": ["70000/tcp"],
            "udp": ["8000/udp"],
            "no-protocol": ["8000"],
            "int": [8000],
            "duplicate": ["8000/http", "8000/http"],
            "string": "8000/http",
            "thousands": ["8000/http"] * 5_000,
        },
        "env": hostile_env(),
        "gpu_pools": {**hostile_string_list("ADA_24"), "empty": []},
        "gpu_excluded_types": {"not-in-pools": ["NVIDIA H100 80GB HBM3"], "leading-minus": ["-NVIDIA L4"]},
        "gpu_count": hostile_whole_number(1, 8),
        "allowed_cuda_versions": {
            "major-only": ["12"],
            "three-parts": ["12.4.1"],
            "words": ["twelve"],
            "float": [12.4],
            "duplicate": ["12.4", "12.4"],
            "string": "12.4",
        },
        "min_cuda_version": {"major-only": "12", "float": 12.4, "newline": "12.4\n", "empty": ""},
        "workers_min": hostile_whole_number(0, 2**31 - 1),
        "workers_max": hostile_whole_number(0, 2**31 - 1),
        "idle_timeout": hostile_whole_number(1, 3600),
        "execution_timeout_ms": hostile_whole_number(1000, 2**31 - 1),
        "scaler_type": hostile_enum("QUEUE_DELAY"),
        "scaler_value": {
            "zero": 0,
            "below-half": 0.4,
            "negative": -1,
            "int32-overflow": BIG,
            "nan": NAN,
            "inf": INF,
            "string": "4",
            "bool": True,
        },
        "type": hostile_enum("QUEUE"),
        "flashboot": {"on": "on", "int": 1, "lower": "flashboot", "empty": "", "list": ["OFF"]},
        "data_center_ids": hostile_string_list("EU-RO-1"),
        "network_volume_ids": {
            **{k: v for k, v in hostile_string_list("vol1").items() if k != "unknown-item"},
            "empty-id": [""],
            "space-inside": ["a b"],
            "300-chars": ["v" * 300],
            "duplicate": ["v1", "v1"],
        },
        "adopt_existing_id": hostile_id(),
        "wait_for_rollout": hostile_bool(),
        "rollout_timeout_seconds": {
            "zero": 0,
            "negative": -1,
            "a-year": 365 * 86400,
            "nan": NAN,
            "inf": INF,
            "string": "60",
            "bool": True,
        },
        "template_revision": {"empty": "", "200-chars": "r" * 200, "int": 123, "list": ["r"]},
        "nmae": {"typo-field": "svc"},
        "gpuPools": {"camel-case-field": ["ADA_24"]},
    },
    combinations=[
        ("workers_min", "above-workers_max", {"workers_min": 5, "workers_max": 2}),
        ("scaler_value", "fraction-for-REQUEST_COUNT", {"scaler_type": "REQUEST_COUNT", "scaler_value": 2.5}),
        ("cpu", "cpu-and-flavors", {"cpu": [{"flavor_id": "cpu3c", "vcpu_count": 2}], "cpu_flavor_ids": ["cpu3c"]}),
        ("cpu", "empty", {"gpu_pools": None, "cpu": []}),
        ("cpu", "missing-count", {"gpu_pools": None, "cpu": [{"flavor_id": "cpu3c"}]}),
        ("cpu", "three-vcpus", {"gpu_pools": None, "cpu": [{"flavor_id": "cpu3c", "vcpu_count": 3}]}),
        ("cpu", "unknown-flavor", {"gpu_pools": None, "cpu": [{"flavor_id": "cpu99", "vcpu_count": 2}]}),
        ("cpu", "bool-count", {"gpu_pools": None, "cpu": [{"flavor_id": "cpu3c", "vcpu_count": True}]}),
        ("cpu_flavor_ids", "empty", {"gpu_pools": None, "cpu_flavor_ids": []}),
        ("vcpu_count", "three", {"gpu_pools": None, "cpu_flavor_ids": ["cpu3c"], "vcpu_count": 3}),
        ("gpu_count", "on-a-cpu-endpoint", {"gpu_pools": None, "cpu_flavor_ids": ["cpu3c"], "gpu_count": 2}),
        ("image", "neither-image-nor-template", {"image": None}),
        ("gpu_pools", "neither-gpu-nor-cpu", {"gpu_pools": None}),
        ("name", "missing", {"name": None}),
        ("scaler_type", "load-balancer-on-queue-delay", {"type": "LOAD_BALANCER", "scaler_type": "QUEUE_DELAY"}),
        (
            "min_cuda_version",
            "set-and-floor",
            {"allowed_cuda_versions": ["12.4"], "min_cuda_version": "12.4"},
        ),
    ],
    valid=[
        ("name-unknown-in-preview", {"name": UNKNOWN}),
        ("name-unknown-object", {"name": Unknown()}),  # type: ignore[no-untyped-call]
        ("image-unknown", {"image": UNKNOWN}),
        ("env-value-unknown", {"env": {"TOKEN": UNKNOWN}}),
        ("network-volume-unknown", {"network_volume_ids": [UNKNOWN]}),
        ("template-unknown", {"image": None, "template_id": UNKNOWN}),
        ("scaler_value-fraction", {"scaler_value": 2.5}),
        ("scaler_value-half", {"scaler_value": 0.5}),
        ("whole-float-from-the-wire", {"workers_max": 3.0, "execution_timeout_ms": 600000.0}),
        ("runpod-secret-reference", {"env": {"HF_TOKEN": "{{ RUNPOD_SECRET_hf_token }}"}}),
        ("env-value-multiline", {"env": {"CERT": "-----BEGIN-----\nabc\n-----END-----"}}),
        ("env-value-unicode", {"env": {"GREETING": "grüß dich 👋"}}),
        ("env-value-empty", {"env": {"EMPTY": ""}}),
        ("env-256-vars", {"env": {f"V{i}": "x" for i in range(256)}}),
        ("name-unicode", {"name": "modèle-推論"}),
        ("name-191-chars", {"name": "n" * 191}),
        ("workers-int32-max", {"workers_max": 2**31 - 1}),
        ("flashboot-true", {"flashboot": True}),
        ("empty-data-centers", {"data_center_ids": []}),
        ("auto-name-long-prefix", {"name": None, "auto_name_prefix": "p" * 10_000}),
    ],
)

VOLUME = Table(
    resource="network_volume",
    provider=NetworkVolumeProvider,
    program={"name": "weights", "size_gb": 20, "data_center_id": "EU-RO-1"},
    values={
        "name": hostile_text(),
        "size_gb": hostile_whole_number(10, 4096),
        "data_center_id": {**hostile_text(), "unknown": "MARS-1", "lowercase": "eu-ro-1"},
        "type": hostile_enum("STANDARD"),
        "adopt_existing_id": hostile_id(),
        "allow_replacement": hostile_bool(),
        "nmae": {"typo-field": "weights"},
        "sizeGb": {"camel-case-field": 20},
    },
    combinations=[
        ("name", "missing", {"name": None}),
        ("size_gb", "missing", {"size_gb": None}),
        ("data_center_id", "missing", {"data_center_id": None}),
        ("type", "tier-not-offered", {"data_center_id": "EU-SE-1", "type": "HIGH_PERFORMANCE"}),
    ],
    valid=[
        ("name-unknown-in-preview", {"name": UNKNOWN}),
        ("size-unknown", {"size_gb": UNKNOWN}),
        ("data-center-unknown", {"data_center_id": UNKNOWN}),
        ("size-whole-float", {"size_gb": 20.0}),
        ("size-bounds", {"size_gb": 4096}),
        ("name-unicode", {"name": "poids-模型"}),
        ("auto-name", {"name": None, "auto_name_prefix": "weights"}),
    ],
)

REGISTRY = Table(
    resource="registry_auth",
    provider=RegistryAuthProvider,
    program={"name": "ghcr", "username": "robot", "password": "s3cret-token"},
    values={
        "name": hostile_text(),
        "username": hostile_text(),
        "password": {
            "empty": "",
            "spaces": "   ",
            "nul": "pass\x00word",
            "lone-surrogate": "pass\ud800",
            "tabs-only": "\t\t",
            "newlines-only": "\n\n",
            "float": 1.5,
            "zero": 0,
            "20k-chars": "p" * 20_000,
            "1mb": "p" * MB,
            "int": 12345,
            "bool": True,
            "list": ["p"],
            "map": {"p": "w"},
        },
        "adopt_existing_id": hostile_id(),
        "nmae": {"typo-field": "ghcr"},
        "server": {"unknown-field": "ghcr.io"},
    },
    combinations=[
        ("name", "missing", {"name": None}),
        ("username", "missing", {"username": None}),
        ("password", "missing", {"password": None}),
    ],
    valid=[
        ("name-unknown-in-preview", {"name": UNKNOWN}),
        ("password-unknown", {"password": UNKNOWN}),
        ("password-multiline-json-key", {"password": '{\n  "type": "service_account",\n  "private_key": "x"\n}'}),
        ("password-unicode", {"password": "pässwörd-🔑"}),
        ("password-16k", {"password": "p" * 16 * 1024}),
        ("username-aws", {"username": "AWS"}),
        ("auto-name", {"name": None, "auto_name_prefix": "ghcr"}),
    ],
)

TEMPLATE = Table(
    resource="template",
    provider=TemplateProvider,
    program={"name": "base", "image": "runpod/base:1.0"},
    values={
        "name": hostile_text(),
        "image": {**hostile_text(), "space-inside": "runpod/base 1.0"},
        "container_args": hostile_args(),
        "container_disk_gb": hostile_whole_number(1, 2**31 - 1),
        "ports": {
            "zero": ["0/http"],
            "too-high": ["70000/tcp"],
            "udp": ["8000/udp"],
            "duplicate": ["8000/http", "8000/http"],
            "string": "8000/http",
        },
        "env": hostile_env(),
        "registry_auth_id": hostile_id(),
        "serverless": hostile_bool(),
        "public": hostile_bool(),
        "category": hostile_enum("NVIDIA"),
        "allowed_cuda_versions": {"major-only": ["12"], "float": [12.4], "string": "12.4"},
        "adopt_existing_id": hostile_id(),
        "allow_public_env": hostile_bool(),
        "nmae": {"typo-field": "base"},
        "imageName": {"camel-case-field": "runpod/base:1.0"},
    },
    combinations=[
        ("name", "missing", {"name": None}),
        ("image", "missing", {"image": None}),
        ("public", "public-with-env", {"public": True, "env": {"TOKEN": "x"}}),
    ],
    valid=[
        ("name-unknown-in-preview", {"name": UNKNOWN}),
        ("image-unknown", {"image": UNKNOWN}),
        ("env-unknown", {"env": UNKNOWN}),
        ("runpod-secret-reference", {"env": {"HF_TOKEN": "{{ RUNPOD_SECRET_hf_token }}"}}),
        ("public-with-env-opted-in", {"public": True, "env": {"MODEL": "x"}, "allow_public_env": True}),
        ("cpu-category", {"category": "CPU"}),
        ("disk-whole-float", {"container_disk_gb": 20.0}),
    ],
)

TABLES = (ENDPOINT, VOLUME, REGISTRY, TEMPLATE)


def _program(table: Table, changes: dict[str, Any]) -> dict[str, Any]:
    program = {**table.program, **changes}
    return {key: value for key, value in program.items() if value is not None}


@pytest.fixture(scope="module")
def world() -> Iterator[World]:
    made = World()
    yield made
    made.close()


def _check(world: World, table: Table, changes: dict[str, Any]) -> Any:
    provider = world.provider(table.provider)
    world.emulator.journal.clear()
    result = provider.check({}, _program(table, changes))
    assert world.emulator.journal.entries() == [], "check made an API call"
    return result


HOSTILE = [
    pytest.param(table, field, changes, id=f"{table.resource}:{field}={label}")
    for table in TABLES
    for field, label, changes in table.hostile
]
VALID = [
    pytest.param(table, changes, id=f"{table.resource}:{label}") for table in TABLES for label, changes in table.valid
]


def test_every_resource_has_at_least_100_hostile_inputs() -> None:
    counts = {table.resource: len(table.hostile) for table in TABLES}
    assert min(counts.values()) >= 100, counts


@pytest.mark.parametrize(("table", "field", "changes"), HOSTILE)
def test_hostile_input_is_refused_at_check_naming_the_field(
    world: World, table: Table, field: str, changes: dict[str, Any]
) -> None:
    result = _check(world, table, changes)
    fields = [failure.property for failure in result.failures]
    assert field in fields, f"passed check: {result.failures}"
    for failure in result.failures:
        assert failure.reason.strip(), "a failure without a message"
        assert len(failure.reason) < 2_000, "a failure message that floods the terminal"
    if table is REGISTRY and field in ("username", "password"):
        secret = changes[field]
        if isinstance(secret, str) and len(secret.strip()) > 3:
            assert not any(secret in failure.reason for failure in result.failures), "a secret echoed in a message"


@pytest.mark.parametrize(("table", "changes"), VALID)
def test_valid_but_unusual_input_passes_check(world: World, table: Table, changes: dict[str, Any]) -> None:
    result = _check(world, table, changes)
    assert result.failures == []
