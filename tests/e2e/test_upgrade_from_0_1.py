"""A stack made with 0.1 (REST v1 / GraphQL names, state in tests/fixtures/legacy_0_1) upgrades in
place with the real CLI: the state is imported, the program moved to today's names, and `pulumi up`
updates endpoints that exist -- never a replacement, which would delete serving endpoints."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from pulumi_runpod_endpoint.endpoint.backend_rest import desired_config
from pulumi_runpod_endpoint.endpoint.spec import check_spec
from tests.conftest import API_KEY
from tests.e2e.conftest import ROOT, Project, make_project
from tests.engine.harness import EmulatorProcess

pytestmark = pytest.mark.e2e
AUTH = {"Authorization": f"Bearer {API_KEY}"}
FIXTURE = ROOT / "tests" / "fixtures" / "legacy_0_1"
ENDPOINT_TYPE = "pulumi-python:dynamic/runpod:ServerlessEndpoint"
REPLACING = {"replace", "create-replacement", "delete-replaced"}


def seed_the_emulator(emu: EmulatorProcess, moved: dict[str, dict[str, Any]]) -> dict[str, str]:
    """Endpoints (and their templates) that match the old stack's, as RunPod would still hold them."""
    for template in sorted({inputs["template_id"] for inputs in moved.values()}):
        emu.add_template(id=template, name=template, image="runpod/legacy:1", serverless=True)
    ids: dict[str, str] = {}
    for name, inputs in moved.items():
        spec, problems = check_spec(inputs)
        assert spec is not None, problems
        body = desired_config(spec).create_body()
        answer = emu.http.post("/v2/serverless", json=body, headers=AUTH)
        assert answer.status_code == 201, answer.text
        ids[name] = answer.json()["id"]
    return ids


def import_old_state(project: Project, ids: dict[str, str]) -> None:
    """The 0.1 export, under this stack's passphrase salt, pointing at the seeded endpoints."""
    state = json.loads((FIXTURE / "state-show-secrets.json").read_text())
    salt = yaml.safe_load((project.directory / f"Pulumi.{project.stack}.yaml").read_text())["encryptionsalt"]
    state["deployment"]["secrets_providers"]["state"]["salt"] = salt
    for resource in state["deployment"]["resources"]:
        name = resource["urn"].rsplit("::", 1)[1]
        if resource["type"] == ENDPOINT_TYPE and name in ids:
            resource["id"] = ids[name]
    (project.directory / "old-state.json").write_text(json.dumps(state))
    project.pulumi("stack", "import", "--file", "old-state.json")


def test_a_0_1_stack_upgrades_in_place(tmp_path: Path, cli_bin: Path, emu: EmulatorProcess) -> None:
    source = tmp_path / "src" / "legacy-runpod"
    shutil.copytree(ROOT / "tests" / "e2e" / "upgrade_program", source)
    moved = json.loads((FIXTURE / "moved.json").read_text())
    # The fixture's volume ids are placeholders no emulator holds: the volumes are left out on both sides.
    moved = {name: {k: v for k, v in inputs.items() if k != "network_volume_ids"} for name, inputs in moved.items()}
    (source / "moved.json").write_text(json.dumps(moved))
    project = make_project(source, tmp_path, cli_bin, emu, stack="legacy")
    ids = seed_the_emulator(emu, moved)
    import_old_state(project, ids)

    steps = project.preview_ops()
    endpoint_steps = [op for op, kind in steps if kind == ENDPOINT_TYPE]
    assert endpoint_steps and not set(endpoint_steps) & REPLACING, steps

    project.up()
    assert sorted(e["id"] for e in emu.http.get("/v2/serverless", headers=AUTH).json()["endpoints"]) == sorted(
        ids.values()
    )
    project.pulumi("preview", "--expect-no-changes")
    project.pulumi("destroy", "--yes")
    assert emu.http.get("/v2/serverless", headers=AUTH).json()["endpoints"] == []
