"""The pack project's __main__ builds one PolicyPack with every rule."""

from __future__ import annotations

import runpy
from pathlib import Path
from typing import Any

import pulumi_policy
import pytest

from pulumi_runpod_endpoint.policy import POLICY_TABLE

PACK = Path(__file__).resolve().parents[2] / "examples" / "policy-pack"


def test_pack_main_builds_the_pack(monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[dict[str, Any]] = []
    monkeypatch.setattr(pulumi_policy, "PolicyPack", lambda **kwargs: built.append(kwargs))
    runpy.run_path(str(PACK / "__main__.py"), run_name="__main__")
    [pack] = built
    assert pack["name"] == "runpod-endpoints"
    assert [p.name for p in pack["policies"]] == [spec.name for spec in POLICY_TABLE]
    assert (PACK / "PulumiPolicy.yaml").read_text().count("runtime: python") == 1
