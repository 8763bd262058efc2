"""End-to-end fixtures: the real pulumi CLI (built by scripts/install-pulumi-cli.sh), a local
file backend, and the emulator on a loopback port."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import API_KEY
from tests.engine.harness import EmulatorProcess

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_CLI_DIRS = sorted((Path.home() / ".cache" / "pulumi-runpod-endpoint").glob("pulumi-v*/bin"))
PASSPHRASE = "e2e-passphrase"


def _cli_bin() -> Path | None:
    configured = os.environ.get("PULUMI_CLI_BIN")
    candidates = [Path(configured)] if configured else DEFAULT_CLI_DIRS[::-1]
    for candidate in candidates:
        if (candidate / "pulumi").is_file() and (candidate / "pulumi-language-python-host").is_file():
            return candidate
    return None


@pytest.fixture(scope="session")
def cli_bin() -> Path:
    found = _cli_bin()
    if found is None:
        reason = "the pulumi CLI is not built: run scripts/install-pulumi-cli.sh (needs Go), or set PULUMI_CLI_BIN"
        if os.environ.get("CI"):
            pytest.fail(reason + " -- CI must run the end-to-end tests")
        pytest.skip(reason)
    return found


@dataclass
class Project:
    """One Pulumi project copied to a temporary folder, with its own backend and home."""

    directory: Path
    env: dict[str, str]
    stack: str = "e2e"
    log: list[str] = field(default_factory=list)

    def pulumi(self, *args: str, check: bool = True, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            ["pulumi", *args, "--non-interactive"],
            cwd=self.directory,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        self.log.append(f"$ pulumi {' '.join(args)}\n{result.stdout}\n{result.stderr}")
        if check and result.returncode != 0:
            raise AssertionError(
                f"pulumi {' '.join(args)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
            )
        return result

    def config(self, key: str, value: str, *, secret: bool = False) -> None:
        self.pulumi("config", "set", *(["--secret"] if secret else []), key, value)

    def up(self, *args: str) -> subprocess.CompletedProcess[str]:
        return self.pulumi("up", "--yes", "--skip-preview", *args)

    def outputs(self) -> dict[str, Any]:
        return json.loads(self.pulumi("stack", "output", "--json", "--show-secrets").stdout)  # type: ignore[no-any-return]

    def export(self, *args: str) -> dict[str, Any]:
        return json.loads(self.pulumi("stack", "export", *args).stdout)  # type: ignore[no-any-return]

    def preview_ops(self, *args: str) -> list[tuple[str, str]]:
        """(operation, resource type) of every step a preview plans, from `pulumi preview --json`."""
        result = self.pulumi("preview", "--json", *args)
        steps = json.loads(result.stdout).get("steps", [])
        return [(step["op"], step["urn"].split("::")[2]) for step in steps]


def make_project(
    source: Path, tmp: Path, cli_bin: Path, emulator: EmulatorProcess | None, *, stack: str = "e2e"
) -> Project:
    directory = tmp / source.name
    shutil.copytree(source, directory, ignore=shutil.ignore_patterns("__pycache__", "Pulumi.*.yaml"))
    env = {key: value for key, value in os.environ.items() if not key.startswith(("RUNPOD_", "PULUMI_"))}
    env.update(
        PATH=os.pathsep.join([str(cli_bin), str(Path(sys.executable).parent), env.get("PATH", "")]),
        PULUMI_HOME=str(tmp / "pulumi-home"),
        PULUMI_BACKEND_URL=f"file://{tmp / 'backend'}",
        PULUMI_CONFIG_PASSPHRASE=PASSPHRASE,
        PULUMI_SKIP_UPDATE_CHECK="1",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION="true",
    )
    (tmp / "backend").mkdir(exist_ok=True)
    project = Project(directory, env, stack=stack)
    project.pulumi("stack", "init", project.stack)
    if emulator is not None:
        project.config("runpod:apiUrl", f"{emulator.url}/graphql")
        project.config("runpod:restUrl", f"{emulator.url}/v2")
        project.config("runpod:apiKey", API_KEY, secret=True)
    return project


@pytest.fixture
def project(tmp_path: Path, cli_bin: Path, emu: EmulatorProcess, request: pytest.FixtureRequest) -> Iterator[Project]:
    made = make_project(Path(__file__).parent / "program", tmp_path, cli_bin, emu)
    yield made
    if request.node.rep_call.failed if hasattr(request.node, "rep_call") else False:
        print("\n".join(made.log))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report
