"""scripts/refresh-catalog: rewrites the snapshot in v2's shapes, or leaves it alone on a bad answer."""

from __future__ import annotations

import datetime
import importlib.util
import json
from importlib.machinery import SourceFileLoader
from pathlib import Path
from types import ModuleType

import pytest

from pulumi_runpod_endpoint.api.catalog import Catalog
from tests.conftest import API_KEY
from tests.unit.lookups.conftest import CPUS, DATA_CENTERS, GPUS, FakeCatalog

SCRIPT = Path(__file__).resolve().parents[3] / "scripts" / "refresh-catalog"
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


@pytest.fixture
def snapshot(tmp_path: Path) -> Path:
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps({"_about": "old", "gpus": GPUS[:1], "cpus": CPUS, "dataCenters": DATA_CENTERS}))
    return path


def run(script: ModuleType, fake: FakeCatalog, path: Path, env: dict[str, str] = ENV) -> int:
    code: int = script.main(
        ["--output", str(path)], env, transport=fake.transport, today=lambda: datetime.date(2026, 11, 29)
    )
    return code


def test_the_snapshot_is_rewritten_in_the_files_shape(
    script: ModuleType, fake: FakeCatalog, snapshot: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fake.gpus = [*GPUS, {**GPUS[0], "id": "NVIDIA B300", "pool": "BLACKWELL_288", "memory": 288}]
    assert run(script, fake, snapshot) == 0
    data = json.loads(snapshot.read_text())
    assert list(data) == ["_about", "gpus", "cpus", "dataCenters"]
    assert data["gpus"] == fake.gpus and data["cpus"] == CPUS and data["dataCenters"] == DATA_CENTERS
    assert "2026-11-29" in data["_about"] and "https://api.runpod.io/v2/catalog" in data["_about"]
    Catalog.from_lists(data["gpus"], data["cpus"], data["dataCenters"])  # what check reads
    assert fake.calls == ["GET /v2/catalog/gpus", "GET /v2/catalog/cpus", "GET /v2/catalog/datacenters"]
    out = capsys.readouterr().out
    assert "+NVIDIA A40" in out and "NVIDIA B300" in out and API_KEY not in out


@pytest.mark.parametrize("broken", [[], [{"name": "no id"}], ["text"]])
def test_an_empty_or_broken_answer_leaves_the_snapshot_alone(
    script: ModuleType, fake: FakeCatalog, snapshot: Path, broken: list[object]
) -> None:
    before = snapshot.read_text()
    fake.data_centers = broken
    assert run(script, fake, snapshot) == 1
    assert snapshot.read_text() == before


def test_a_refused_key_leaves_the_snapshot_alone_and_is_never_printed(
    script: ModuleType, fake: FakeCatalog, snapshot: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = snapshot.read_text()
    wrong = "rpa_WRONG_KEY_abcdef"
    assert run(script, fake, snapshot, {"RUNPOD_API_KEY": wrong}) == 1
    assert snapshot.read_text() == before
    err = capsys.readouterr().err
    assert "API key was refused" in err and wrong not in err


def test_without_a_key_it_says_which_variable_to_set(
    script: ModuleType, fake: FakeCatalog, snapshot: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(script, fake, snapshot, {}) == 2
    assert "RUNPOD_API_KEY" in capsys.readouterr().err and fake.calls == []
