"""scripts/refresh-catalog against the emulator's /v2/catalog: rewrites the snapshot in v2's shapes, or leaves
it alone on a bad answer."""

from __future__ import annotations

import datetime
import importlib.util
import json
from importlib.machinery import SourceFileLoader
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from pulumi_runpod_endpoint.api.catalog import Catalog
from tests.conftest import API_KEY
from tests.unit.emulated import Stack

ROOT = Path(__file__).resolve().parents[3]
SCRIPT = ROOT / "scripts" / "refresh-catalog"
SHIPPED = ROOT / "pulumi_runpod_endpoint" / "data" / "catalog.json"
ENV = {"RUNPOD_API_KEY": API_KEY}


def load_script() -> ModuleType:
    loader = SourceFileLoader("refresh_catalog", str(SCRIPT))
    spec = importlib.util.spec_from_loader("refresh_catalog", loader)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


@pytest.fixture
def script() -> ModuleType:
    return load_script()


def shipped() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(SHIPPED.read_text(encoding="utf-8"))
    return data


@pytest.fixture
def snapshot(tmp_path: Path) -> Path:
    """An older snapshot: it lacks the A40 and still lists a GPU RunPod has retired since."""
    old = shipped()
    gpus = [gpu for gpu in old["gpus"] if gpu["id"] != "NVIDIA A40"]
    gpus.append({**gpus[0], "id": "NVIDIA GeForce GTX 1080", "pool": None})
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps({**old, "_about": "old", "gpus": gpus}))
    return path


def run(script: ModuleType, stack: Stack, path: Path, env: dict[str, str] = ENV) -> int:
    code: int = script.main(
        ["--output", str(path)], env, transport=stack.transport(), today=lambda: datetime.date(2026, 11, 29)
    )
    return code


def test_the_snapshot_is_rewritten_in_the_files_shape(
    script: ModuleType, stack: Stack, snapshot: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(script, stack, snapshot) == 0
    assert stack.calls() == ["GET listGpuTypes 200", "GET listCpuTypes 200", "GET listDataCenters 200"]
    data = json.loads(snapshot.read_text())
    assert list(data) == ["_about", "gpus", "cpus", "dataCenters"]
    assert data["gpus"] == stack.remote("catalog/gpus")["gpus"]  # exactly what the API answered
    assert data["cpus"] == stack.remote("catalog/cpus")["cpus"]
    assert data["dataCenters"] == stack.remote("catalog/datacenters")["dataCenters"]
    assert "2026-11-29" in data["_about"] and "https://api.runpod.io/v2/catalog" in data["_about"]
    Catalog.from_lists(data["gpus"], data["cpus"], data["dataCenters"])  # what check reads
    out = capsys.readouterr().out
    assert "+NVIDIA A40" in out and "-NVIDIA GeForce GTX 1080" in out and API_KEY not in out


@pytest.mark.parametrize("broken", [[], [{"name": "no id"}], ["text"]])
def test_an_empty_or_broken_answer_leaves_the_snapshot_alone(
    script: ModuleType, stack: Stack, snapshot: Path, broken: list[object]
) -> None:
    # A recorded answer: the emulator serves RunPod's catalog, never a broken one.
    stack.intercept("GET", "/v2/catalog/datacenters", lambda _r, _f: httpx.Response(200, json={"dataCenters": broken}))
    before = snapshot.read_text()
    assert run(script, stack, snapshot) == 1
    assert snapshot.read_text() == before


def test_a_refused_key_leaves_the_snapshot_alone_and_is_never_printed(
    script: ModuleType, stack: Stack, snapshot: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = snapshot.read_text()
    wrong = "rpa_WRONG_KEY_abcdef"
    assert run(script, stack, snapshot, {"RUNPOD_API_KEY": wrong}) == 1
    assert stack.calls() == ["GET listGpuTypes 401"]
    assert snapshot.read_text() == before
    err = capsys.readouterr().err
    assert "API key was refused" in err and wrong not in err


def test_without_a_key_it_says_which_variable_to_set(
    script: ModuleType, stack: Stack, snapshot: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(script, stack, snapshot, {}) == 2
    assert "RUNPOD_API_KEY" in capsys.readouterr().err and stack.calls() == []
