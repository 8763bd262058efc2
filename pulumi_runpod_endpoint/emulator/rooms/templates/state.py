"""Templates in their canonical shape (the v2 ``Template`` fields an endpoint can inherit)."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Template", "TemplateStore"]


@dataclass
class Template:
    id: str
    name: str
    image: str | None = None
    args: str = ""
    disk: int | None = None
    ports: list[str] = field(default_factory=list)
    env: dict[str, str] = field(default_factory=dict)
    registry: str | None = None
    serverless: bool = False
    """v2 templates default to pod templates (QUIRKS.md): an endpoint from one is a 422."""
    allowed_cuda_versions: list[str] = field(default_factory=list)

    @classmethod
    def from_json(cls, data: dict[str, Any], new_id: str) -> Template:
        if not isinstance(data, dict):
            raise ValueError("a template is a JSON object")
        known = {"id", "name", "image", "args", "disk", "ports", "env", "registry", "serverless", "allowedCudaVersions"}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValueError(f"unknown template field(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
        env = data.get("env", {})
        if not isinstance(env, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in env.items()):
            raise ValueError("env must be an object of strings")
        return cls(
            id=str(data.get("id") or new_id),
            name=str(data.get("name", "template")),
            image=data.get("image"),
            args=str(data.get("args", "")),
            disk=data.get("disk"),
            ports=[str(port) for port in data.get("ports", [])],
            env=dict(env),
            registry=data.get("registry"),
            serverless=bool(data.get("serverless", False)),
            allowed_cuda_versions=[str(v) for v in data.get("allowedCudaVersions", [])],
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "image": self.image,
            "args": self.args,
            "disk": self.disk,
            "ports": list(self.ports),
            "env": dict(self.env),
            "registry": self.registry,
            "serverless": self.serverless,
            "allowedCudaVersions": list(self.allowed_cuda_versions),
        }


class TemplateStore:
    def __init__(self) -> None:
        self._templates: dict[str, Template] = {}
        self._lock = threading.Lock()

    def add(self, template: Template) -> Template:
        with self._lock:
            self._templates[template.id] = template
        return template

    def get(self, template_id: str) -> Template | None:
        with self._lock:
            return self._templates.get(template_id)

    def remove(self, template_id: str) -> None:
        with self._lock:
            self._templates.pop(template_id, None)

    def all(self) -> list[Template]:
        with self._lock:
            return list(self._templates.values())

    def reset(self) -> None:
        with self._lock:
            self._templates.clear()
