"""``/v2/pods``: list and get (listPods, getPod) the declared pods. Nothing creates, changes or
deletes a pod through the API here (POST/PATCH/DELETE are 405): tests declare pods and remove them
through the control API.

Answers are the spec's ``Pod`` and ``ListPodsResponse``. Every required field is filled, from the
declaration where it says something and with plausible values where it does not:

  * ``status`` RUNNING and ``actions`` stop, restart, terminate (``Pod.actions``: "Valid state
    transitions for the current status"; the spec's example RUNNING pod lists exactly those);
    ``runtime`` is therefore not null (it is "Null when the pod is not RUNNING"): ``uptime`` on the
    emulator clock since the declaration, one idle GPU, and the live mapping of each port.
  * ``template`` the template id it was made from, ``registry`` the credential id it pulls with
    (both ``string | null``); ``mounts.network`` its network volume (``NetworkMount``: volumeId and
    path, ``/workspace``), ``{}`` without one; ``env`` ``{}``.
  * ``image``, ``args``, ``disk``, ``ports`` from its template ("Container settings come from ... a
    template referenced by templateId", createPod), or the spec's example image and 50 GB disk.
  * a GPU pod: one ``NVIDIA GeForce RTX 4090`` on SECURE, at the spec's example cost (0.44 USD/h;
    the shipped catalog knows no pod prices); ``cudaVersion`` 12.8, or the template's first allowed
    version when 12.8 is not among them.
  * ``dataCenterId``: its network volume's data center ("an existing NetworkVolume in the same data
    center as the pod"), else US-KS-2 (the spec's example).
  * ``ssh.proxy`` through ssh.runpod.io (a running pod has a machine); ``ssh.direct`` only when
    ``22/tcp`` is in ``ports`` ("Null unless 22/tcp is in ports"). Public addresses are in
    203.0.113.0/24 (RFC 5737, documentation only) and ports are derived from the pod id, so
    answers are reproducible.
  * ``locked`` false, ``globalNetworking.enabled`` false, no ``cluster`` (standalone pods), so
    ``includeClusterPods`` (a boolean; anything else is a 422) changes nothing.
  * ``createdAt`` and ``startedAt``: the declaration instant on the emulator clock.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from ...clock import iso
from ...problems import Unprocessable
from ...routing import Call, Operation, Reply
from ...world import World
from .state import Pod, PodStore

__all__ = ["PodsApi", "view"]

GPU_TYPE = "NVIDIA GeForce RTX 4090"
COST_PER_HOUR = 0.44
CUDA_VERSION = "12.8"
SSH_PROXY = "ssh.runpod.io"
ACTIONS_WHEN_RUNNING = ["stop", "restart", "terminate"]
_PORT = re.compile(r"^(\d{1,5})/(\w+)$")


class PodsApi:
    def __init__(self, world: World, store: PodStore) -> None:
        self.world = world
        self.store = store

    def operations(self) -> list[Operation]:
        return [
            Operation("GET", "/v2/pods", "listPods", self.list_pods),
            Operation("GET", "/v2/pods/{id}", "getPod", self.get),
        ]

    def list_pods(self, call: Call) -> Reply:
        include = call.query_value("includeClusterPods")
        if include is not None and include not in ("true", "false"):
            raise Unprocessable("Request validation failed.", [f"$.includeClusterPods: got '{include}', want boolean"])
        now = self.world.clock.now()
        return Reply(body={"pods": [view(pod, now) for pod in self.store.live()]})

    def get(self, call: Call) -> Reply:
        return Reply(body=view(self.store.get(call.path_params["id"]), self.world.clock.now()))


def view(pod: Pod, now: float) -> dict[str, Any]:
    """The spec's ``Pod`` for a pod running since its declaration, read at ``now``."""
    container = pod.container
    ports = [match for match in map(_PORT.match, container.ports) if match]
    address = _public_ip(pod.id)
    runtime_ports = [
        {"private": int(port), "public": _public_port(pod.id, port), "type": kind, "ip": address}
        if kind != "http"
        else {"private": int(port), "public": None, "type": kind, "ip": None}  # served through RunPod's proxy
        for port, kind in (match.groups() for match in ports)
    ]
    proxy_user = f"{pod.id}-{_digest(pod.id)[:8]}"
    proxy = {"host": SSH_PROXY, "port": 22, "username": proxy_user, "command": f"ssh {proxy_user}@{SSH_PROXY}"}
    direct = None
    if "22/tcp" in container.ports:
        direct_port = _public_port(pod.id, "22")
        direct = {
            "host": address,
            "port": direct_port,
            "username": "root",
            "command": f"ssh root@{address} -p {direct_port}",
        }
    mounts: dict[str, Any] = {}
    if pod.network_volume_id is not None:
        mounts["network"] = [{"volumeId": pod.network_volume_id, "path": "/workspace"}]
    allowed = container.cuda_versions
    return {
        "id": pod.id,
        "name": pod.name,
        "status": "RUNNING",
        "actions": list(ACTIONS_WHEN_RUNNING),
        "image": container.image,
        "args": container.args,
        "disk": container.disk,
        "mounts": mounts,
        "ports": list(container.ports),
        "env": {},
        "registry": pod.registry_id,
        "gpu": {"id": GPU_TYPE, "count": 1},
        "cloud": "SECURE",
        "dataCenterId": pod.data_center_id,
        "cudaVersion": CUDA_VERSION if not allowed or CUDA_VERSION in allowed else allowed[0],
        "ssh": {"proxy": proxy, "direct": direct},
        "template": pod.template_id,
        "cost": COST_PER_HOUR,
        "locked": False,
        "globalNetworking": {"enabled": False},
        "runtime": {
            "uptime": max(0, int(now - pod.created_at)),
            "gpus": [{"util": 0, "memoryUtil": 0}],
            "ports": runtime_ports,
        },
        "createdAt": iso(pod.created_at),
        "startedAt": iso(pod.created_at),
    }


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _public_ip(pod_id: str) -> str:
    return f"203.0.113.{1 + int(_digest(pod_id)[:8], 16) % 254}"


def _public_port(pod_id: str, private: str) -> int:
    return 10000 + int(_digest(f"{pod_id}:{private}")[:8], 16) % 50000
