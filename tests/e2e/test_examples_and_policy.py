"""Every example runs `pulumi up`, a no-change preview and `pulumi destroy` cleanly against the
emulator, and the policy pack gates `pulumi preview`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import API_KEY
from tests.e2e.conftest import ROOT, make_project
from tests.engine.harness import EmulatorProcess

pytestmark = pytest.mark.e2e
AUTH = {"Authorization": f"Bearer {API_KEY}"}
EXAMPLES = ROOT / "examples"
POLICY_PACK = EXAMPLES / "policy-pack"


def listed(emu: EmulatorProcess, path: str, key: str) -> list[dict[str, Any]]:
    return emu.http.get(f"/v2/{path}", headers=AUTH).json()[key]  # type: ignore[no-any-return]


def everything(emu: EmulatorProcess) -> dict[str, int]:
    return {
        "endpoints": len(listed(emu, "serverless", "endpoints")),
        "volumes": len(listed(emu, "network-volumes", "networkVolumes")),
        "registries": len(listed(emu, "registries", "registries")),
        "templates": len(listed(emu, "templates", "templates")),
    }


def test_every_example_is_covered() -> None:
    found = {p.parent.name for p in EXAMPLES.glob("*/Pulumi.yaml")}
    assert found == {"cpu-endpoint", "load-balancer", "multi-region", "full-stack", "adopt-existing", "tensorone"}
    assert (ROOT / "Pulumi.yaml").read_text().count("main: examples/quickstart/") == 1


def quickstart_tree(tmp: Path) -> Path:
    """The root project (Pulumi.yaml whose main is examples/quickstart/), without the repo."""
    tree = tmp / "src" / "runpod-quickstart"
    shutil.copytree(EXAMPLES / "quickstart", tree / "examples" / "quickstart")
    shutil.copy(ROOT / "Pulumi.yaml", tree / "Pulumi.yaml")
    return tree


@pytest.mark.parametrize(
    ("example", "made"),
    [
        ("quickstart", {"endpoints": 1, "volumes": 0, "registries": 0, "templates": 0}),
        ("cpu-endpoint", {"endpoints": 2, "volumes": 0, "registries": 0, "templates": 0}),
        ("load-balancer", {"endpoints": 1, "volumes": 0, "registries": 0, "templates": 0}),
        ("multi-region", {"endpoints": 1, "volumes": 3, "registries": 0, "templates": 0}),
        ("full-stack", {"endpoints": 1, "volumes": 1, "registries": 1, "templates": 1}),
    ],
)
def test_example_up_and_destroy(
    example: str, made: dict[str, int], tmp_path: Path, cli_bin: Path, emu: EmulatorProcess
) -> None:
    source = quickstart_tree(tmp_path) if example == "quickstart" else EXAMPLES / example
    project = make_project(source, tmp_path, cli_bin, emu)
    project.up()
    assert everything(emu) == made
    project.pulumi("preview", "--expect-no-changes")
    project.pulumi("destroy", "--yes")
    assert everything(emu) == dict.fromkeys(made, 0)


def test_example_full_stack_rolls_a_template_edit_out_to_the_endpoint(
    tmp_path: Path, cli_bin: Path, emu: EmulatorProcess
) -> None:
    project = make_project(EXAMPLES / "full-stack", tmp_path, cli_bin, emu)
    project.up()
    [endpoint] = listed(emu, "serverless", "endpoints")
    assert endpoint["image"] == "ghcr.io/example/llm-worker:1.0"
    # The revision digests the template's env values: it is a secret wherever the state keeps it.
    revision = project.pulumi("stack", "output", "template_revision", "--show-secrets").stdout.strip()
    assert len(revision) == 16
    state = project.export()
    assert revision not in json.dumps(state)
    by_type = {r["type"].rsplit(":", 1)[-1]: r for r in state["deployment"]["resources"]}
    for place in (by_type["Template"]["inputs"]["revision"], by_type["Template"]["outputs"]["revision"],
                  by_type["ServerlessEndpoint"]["inputs"]["template_revision"],
                  by_type["ServerlessEndpoint"]["outputs"]["template_revision"]):  # fmt: skip
        assert "ciphertext" in place
    # A stack written before the revision was a secret keeps it plain until an `up` (nothing to change)
    # rewrites it: every place is ciphertext again.
    for resource, where, key in (("Template", "inputs", "revision"), ("Template", "outputs", "revision"),
                                 ("ServerlessEndpoint", "inputs", "template_revision"),
                                 ("ServerlessEndpoint", "outputs", "template_revision")):  # fmt: skip
        by_type[resource][where][key] = revision
    older = tmp_path / "older-state.json"
    older.write_text(json.dumps(state))
    project.pulumi("stack", "import", "--file", str(older))
    assert revision in json.dumps(project.export())
    project.up()
    assert revision not in json.dumps(project.export())
    project.pulumi("refresh", "--yes")  # a refresh rebuilds outputs from what the API reports
    assert revision not in json.dumps(project.export())
    project.config("image", "ghcr.io/example/llm-worker:1.1")
    project.config("volumeGb", "200")
    project.up()
    [endpoint] = listed(emu, "serverless", "endpoints")
    assert endpoint["image"] == "ghcr.io/example/llm-worker:1.1"  # the same up re-applied the template
    assert listed(emu, "network-volumes", "networkVolumes")[0]["size"] == 200  # grown in place
    # Rotate the registry password: a new (auto-named) credential first, the template moved to it, then
    # the old one deleted -- the template never points at a missing credential.
    [old] = listed(emu, "registries", "registries")
    project.config("registryPassword", "rotated-password-value", secret=True)
    project.up()
    [new] = listed(emu, "registries", "registries")
    assert new["id"] != old["id"]
    [template] = listed(emu, "templates", "templates")
    assert template["registry"] == new["id"]
    project.pulumi("destroy", "--yes")
    assert everything(emu) == {"endpoints": 0, "volumes": 0, "registries": 0, "templates": 0}


def _make_endpoint(emu: EmulatorProcess, name: str) -> str:
    body = {"name": name, "type": "QUEUE", "image": "byhand:1", "gpu": {"pools": ["AMPERE_24"]},
            "scaling": {"type": "QUEUE_DELAY", "queueDelay": 4}}  # fmt: skip
    return str(emu.http.post("/v2/serverless", json=body, headers=AUTH).json()["id"])


def test_example_adopt_existing(tmp_path: Path, cli_bin: Path, emu: EmulatorProcess) -> None:
    made = [_make_endpoint(emu, name) for name in ("by-hand", "shared")]
    project = make_project(EXAMPLES / "adopt-existing", tmp_path, cli_bin, emu)
    project.config("adoptId", made[0])
    project.config("referenceId", made[1])
    project.up()
    outputs = project.outputs()
    assert (outputs["adopted_id"], outputs["shared_name"]) == (made[0], "shared")
    project.pulumi("destroy", "--yes")
    assert [e["id"] for e in listed(emu, "serverless", "endpoints")] == [made[1]]


def test_example_tensorone(tmp_path: Path, cli_bin: Path, tensorone_process: EmulatorProcess) -> None:
    tensorone_process.reset()
    project = make_project(EXAMPLES / "tensorone", tmp_path, cli_bin, None)
    project.config("runpod:apiUrl", f"{tensorone_process.url}/graphql")
    project.config("runpod:apiKey", API_KEY, secret=True)
    project.up()
    assert project.outputs()["url"].startswith("https://api.tensorone.ai/v2/")
    assert project.outputs()["backend"] == "tensorone"
    project.pulumi("preview", "--expect-no-changes")
    project.pulumi("destroy", "--yes")
    assert [op.split()[1] for op in tensorone_process.operations()][-1] == "myself"


def test_the_same_program_on_runpods_graphql(tmp_path: Path, cli_bin: Path, emu: EmulatorProcess) -> None:
    project = make_project(quickstart_tree(tmp_path), tmp_path, cli_bin, emu)
    project.config("runpod:api", "graphql")
    project.up()
    assert project.outputs()["backend"] == "graphql"
    assert {op.split()[0] for op in emu.operations()} == {"POST"}  # GraphQL only
    project.pulumi("preview", "--expect-no-changes")
    project.pulumi("destroy", "--yes")
    assert listed(emu, "serverless", "endpoints") == []


def test_policy_pack_blocks_a_mandatory_violation_then_passes(
    tmp_path: Path, cli_bin: Path, emu: EmulatorProcess
) -> None:
    project = make_project(ROOT / "tests" / "e2e" / "program", tmp_path, cli_bin, emu)
    project.config("workersMax", "20")
    failed = project.pulumi("preview", "--policy-pack", str(POLICY_PACK), check=False)
    output = failed.stdout + failed.stderr
    assert failed.returncode != 0
    assert "max-workers" in output
    assert "workers_max is 20" in output
    assert emu.journal() == [], "a blocked preview makes no API call"

    project.config("workersMax", "3")
    passed = project.pulumi("preview", "--policy-pack", str(POLICY_PACK))
    assert "mandatory" not in passed.stdout
