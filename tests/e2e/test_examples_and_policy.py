"""Every example runs `pulumi up` and `pulumi destroy` cleanly against the emulator, and the
policy pack gates `pulumi preview`."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import API_KEY
from tests.e2e.conftest import ROOT, make_project
from tests.engine.harness import EmulatorProcess

pytestmark = pytest.mark.e2e
AUTH = {"Authorization": f"Bearer {API_KEY}"}
EXAMPLES = ROOT / "examples"
POLICY_PACK = EXAMPLES / "policy-pack"


def test_every_example_is_covered() -> None:
    found = {p.parent.name for p in EXAMPLES.glob("*/Pulumi.yaml")}
    assert found == {"gpu-network-volume", "cpu-endpoint", "multi-region", "adopt-existing", "tensorone"}
    assert (ROOT / "Pulumi.yaml").read_text().count("main: examples/quickstart/") == 1


def quickstart_tree(tmp: Path) -> Path:
    """The root project (Pulumi.yaml whose main is examples/quickstart/), without the repo."""
    tree = tmp / "src" / "runpod-quickstart"
    shutil.copytree(EXAMPLES / "quickstart", tree / "examples" / "quickstart")
    shutil.copy(ROOT / "Pulumi.yaml", tree / "Pulumi.yaml")
    return tree


@pytest.mark.parametrize("example", ["quickstart", "gpu-network-volume", "cpu-endpoint", "multi-region"])
def test_example_up_and_destroy(example: str, tmp_path: Path, cli_bin: Path, emu: EmulatorProcess) -> None:
    source = quickstart_tree(tmp_path) if example == "quickstart" else EXAMPLES / example
    project = make_project(source, tmp_path, cli_bin, emu)
    project.up()
    assert len(emu.http.get("/v1/endpoints", headers=AUTH).json()) == 1
    project.pulumi("preview", "--expect-no-changes")
    project.pulumi("destroy", "--yes")
    assert emu.http.get("/v1/endpoints", headers=AUTH).json() == []


def test_example_adopt_existing(tmp_path: Path, cli_bin: Path, emu: EmulatorProcess) -> None:
    made = [
        emu.http.post("/v1/endpoints", json={"templateId": "tmplconsole", "name": name}, headers=AUTH).json()["id"]
        for name in ("by-hand", "shared")
    ]
    project = make_project(EXAMPLES / "adopt-existing", tmp_path, cli_bin, emu)
    project.config("adoptId", made[0])
    project.config("referenceId", made[1])
    project.up()
    outputs = project.outputs()
    assert (outputs["adopted_id"], outputs["shared_name"]) == (made[0], "shared")
    project.pulumi("destroy", "--yes")
    assert [e["id"] for e in emu.http.get("/v1/endpoints", headers=AUTH).json()] == [made[1]]


def test_example_tensorone(tmp_path: Path, cli_bin: Path, tensorone_process: EmulatorProcess) -> None:
    tensorone_process.reset()
    project = make_project(EXAMPLES / "tensorone", tmp_path, cli_bin, None)
    project.config("runpod:apiUrl", f"{tensorone_process.url}/graphql")
    project.config("runpod:apiKey", API_KEY, secret=True)
    project.up()
    assert project.outputs()["url"].startswith("https://api.tensorone.ai/v2/")
    assert {op.split()[1] for op in tensorone_process.operations()} <= {"saveEndpoint", "myself"}
    project.pulumi("destroy", "--yes")
    assert [op.split()[1] for op in tensorone_process.operations()][-3:] == ["saveEndpoint", "deleteEndpoint", "myself"]


def test_policy_pack_blocks_a_mandatory_violation_then_passes(
    tmp_path: Path, cli_bin: Path, emu: EmulatorProcess
) -> None:
    project = make_project(ROOT / "tests" / "e2e" / "program", tmp_path, cli_bin, emu)
    project.config("workersMax", "20")
    failed = project.pulumi("preview", "--policy-pack", str(POLICY_PACK), check=False)
    output = failed.stdout + failed.stderr
    assert failed.returncode != 0
    assert "max-workers" in output
    assert "workers_max is 20, above the cap of 10" in output
    assert emu.journal() == [], "a blocked preview makes no API call"

    project.config("workersMax", "3")
    passed = project.pulumi("preview", "--policy-pack", str(POLICY_PACK))
    assert "mandatory" not in passed.stdout
