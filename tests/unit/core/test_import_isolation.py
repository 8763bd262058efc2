"""The Pulumi-free layers import without Pulumi, and ``api/`` says nothing about Pulumi (issue 8).

One subprocess (a fresh interpreter, so nothing this test run imported counts) installs a meta-path
finder that raises on ``pulumi`` and the emulator's web stack, imports each module in turn, and reports
what failed and what ended up loaded.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import pulumi_runpod_endpoint

PULUMI_FREE = [
    "pulumi_runpod_endpoint.api",
    "pulumi_runpod_endpoint.api.catalog",
    "pulumi_runpod_endpoint.api.graphql",
    "pulumi_runpod_endpoint.api.ratelimit",
    "pulumi_runpod_endpoint.api.rest",
    "pulumi_runpod_endpoint.api.session",
    "pulumi_runpod_endpoint.config",
    "pulumi_runpod_endpoint.validation",
    "pulumi_runpod_endpoint.dynamic.tokens",
    "pulumi_runpod_endpoint.endpoint.spec",
    "pulumi_runpod_endpoint.endpoint.v2",
    "pulumi_runpod_endpoint.endpoint.service",
    "pulumi_runpod_endpoint.endpoint.backend_rest",
    "pulumi_runpod_endpoint.endpoint.backend_graphql",
    "pulumi_runpod_endpoint.endpoint.legacy",
    "pulumi_runpod_endpoint.endpoint.names",
    "pulumi_runpod_endpoint.network_volume.names",
    "pulumi_runpod_endpoint.registry_auth.names",
    "pulumi_runpod_endpoint.template.names",
]
NEVER_LOADED = [
    "pulumi",
    "pulumi_policy",
    "grpc",
    "dill",
    "starlette",
    "uvicorn",
    "pulumi_runpod_endpoint.dynamic.props",
    "pulumi_runpod_endpoint.dynamic.provider",
    "pulumi_runpod_endpoint.endpoint.provider",
    "pulumi_runpod_endpoint.endpoint.resource",
    "pulumi_runpod_endpoint.emulator",
    "pulumi_runpod_endpoint.provider",
]

PROBE = r"""
import importlib, importlib.abc, json, sys, traceback

BLOCKED = ("pulumi", "pulumi_policy", "grpc", "dill", "starlette", "uvicorn")

class Blocker(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in BLOCKED:
            raise ImportError(f"blocked import of {name}")
        return None

sys.meta_path.insert(0, Blocker())
failures = {}
for module in json.loads(sys.argv[1]):
    try:
        importlib.import_module(module)
    except BaseException:
        failures[module] = traceback.format_exc(limit=-4)
print(json.dumps({"failures": failures, "loaded": sorted(sys.modules)}))
"""


@pytest.fixture(scope="module")
def probe() -> dict[str, Any]:
    root = Path(pulumi_runpod_endpoint.__file__).resolve().parents[1]
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(PULUMI_FREE)],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def test_the_blocker_really_blocks() -> None:
    """Guard against a probe that proves nothing: importing a Pulumi-side module must fail under it."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(["pulumi_runpod_endpoint.dynamic.props"])],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert "blocked import of pulumi" in json.loads(done.stdout)["failures"]["pulumi_runpod_endpoint.dynamic.props"]


@pytest.mark.parametrize("module", PULUMI_FREE)
def test_imports_without_pulumi(probe: dict[str, Any], module: str) -> None:
    assert module not in probe["failures"], probe["failures"].get(module)


@pytest.mark.parametrize("module", NEVER_LOADED)
def test_does_not_pull_in(probe: dict[str, Any], module: str) -> None:
    assert module not in probe["loaded"]


API_DIR = Path(pulumi_runpod_endpoint.__file__).parent / "api"
# What only the provider may say: Pulumi commands, stack config keys, resource inputs and classes.
PULUMI_TALK = re.compile(
    r"\bpulumi\s+(up|destroy|refresh|preview|config|import|stack|login|new)\b"
    r"|\brunpod:[A-Za-z]"
    r"|\badopt_existing_id\b|\bServerlessEndpointArgs\b|\bServerlessEndpoint\b"
    r"|^\s*(import|from)\s+pulumi\b",
    re.IGNORECASE | re.MULTILINE,
)


def test_api_sources_exist() -> None:
    assert {"__init__.py", "errors.py", "session.py"} <= {p.name for p in API_DIR.glob("*.py")}


@pytest.mark.parametrize("source", sorted(p.name for p in API_DIR.glob("*.py")))
def test_api_never_speaks_of_pulumi(source: str) -> None:
    text = (API_DIR / source).read_text(encoding="utf-8")
    found = [m.group(0) for m in PULUMI_TALK.finditer(text)]
    assert found == [], f"api/{source} mentions {found}: advice about Pulumi belongs to the provider"


def test_the_check_catches_pulumi_talk() -> None:
    for sample in (
        "run `pulumi destroy` again",
        "set runpod:apiKey",
        "from pulumi import Output",
        "use adopt_existing_id",
    ):
        assert PULUMI_TALK.search(sample), sample
    for sample in ("The Pulumi-free core", 'getLogger("pulumi_runpod_endpoint.api")', "pulumi-runpod-endpoint/0.2"):
        assert not PULUMI_TALK.search(sample), sample
