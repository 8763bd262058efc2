"""The yardstick: a minimal Pulumi dynamic provider for a RunPod Serverless endpoint on REST v2.

It makes exactly the requests ``ServerlessEndpoint`` makes on the happy path, and nothing else:

    create  POST  /v2/serverless                     (the same body as ours for the bench's inputs)
    read    GET   /v2/serverless/{id}
    update  PATCH /v2/serverless/{id}                (only the groups that changed: ``workers`` or ``image``)
    delete  PATCH /v2/serverless/{id} workers 0/0, DELETE /v2/serverless/{id}, GET /v2/serverless/{id} (404)

No validation, no retries, no pacing, no recovery of a lost create answer, no error advice: what is
left is the cost of the dynamic-provider host, the engine and the HTTP requests themselves, so ours
minus this is what our provider adds. It is pickled by reference exactly like ours (``__reduce__``
returns the class), so the serialized ``__provider`` is tiny and the host imports this module to
unpickle it. httpx is imported when the first request is made, not when the host unpickles the
provider: the yardstick's cold start is the host's own plus this small module.

Inputs are the flat names ours takes, for the subset the benchmarks use: ``name``, ``image``,
``gpu_pools``, ``workers_min``, ``workers_max``; every other field is sent with the documented default.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

import pulumi
import pulumi.dynamic
from pulumi.dynamic import CheckResult, ConfigureRequest, CreateResult, DiffResult, ReadResult, UpdateResult

if TYPE_CHECKING:
    import httpx

__all__ = ["ReferenceEndpoint", "ReferenceFullEndpoint", "ReferenceFullProvider", "ReferenceProvider", "create_body"]

_PROVIDER_KEY = "__provider"
_DEFAULTS: dict[str, Any] = {"workers_min": 0, "workers_max": 3}


def create_body(inputs: dict[str, Any]) -> dict[str, Any]:
    """The v2 create body ours sends for these inputs (with ours's documented defaults). Whole numbers
    arrive from the engine's protobuf wire as floats: sent as integers, as ours sends them."""
    return {
        "name": inputs["name"],
        "type": "QUEUE",
        "image": inputs["image"],
        "gpu": {"pools": list(inputs["gpu_pools"]), "count": 1},
        "workers": {"min": int(inputs["workers_min"]), "max": int(inputs["workers_max"]), "idleTimeout": 10},
        "scaling": {"type": "QUEUE_DELAY", "queueDelay": 4.0},
        "timeout": 300000,
        "flashboot": "OFF",
    }


class ReferenceProvider(pulumi.dynamic.ResourceProvider):
    serialize_as_secret_always = False

    def __init__(self) -> None:
        super().__init__()
        self._config: dict[str, str] = {}
        self._client: httpx.Client | None = None
        self._lock = threading.Lock()

    def __reduce__(self) -> tuple[type[ReferenceProvider], tuple[()]]:
        return (type(self), ())

    def configure(self, req: ConfigureRequest) -> None:
        self._config = {key: req.config.get(key) for key in ("runpod:apiKey", "runpod:restUrl")}

    def _http(self) -> httpx.Client:
        with self._lock:
            if self._client is None:
                import httpx

                self._client = httpx.Client(
                    base_url=self._config["runpod:restUrl"].rstrip("/") + "/",
                    headers={"Authorization": f"Bearer {self._config['runpod:apiKey']}"},
                    timeout=60.0,
                )
            return self._client

    def _outputs(self, inputs: dict[str, Any], answer: dict[str, Any]) -> dict[str, Any]:
        return {**inputs, "created_at": answer.get("createdAt")}

    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        return CheckResult({**_DEFAULTS, **{k: v for k, v in news.items() if k != _PROVIDER_KEY}}, [])

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        changed = any(olds.get(key) != value for key, value in news.items() if key != _PROVIDER_KEY)
        return DiffResult(changes=changed, replaces=[], stables=[], delete_before_replace=False)

    def create(self, props: dict[str, Any]) -> CreateResult:
        inputs = {k: v for k, v in props.items() if k != _PROVIDER_KEY}
        response = self._http().post("serverless", json=create_body(inputs))
        response.raise_for_status()
        answer = response.json()
        return CreateResult(answer["id"], self._outputs(inputs, answer))

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        response = self._http().get(f"serverless/{id_}")
        if response.status_code == 404:
            return ReadResult(None, {})
        response.raise_for_status()
        answer = response.json()
        inputs = {k: v for k, v in props.items() if k != _PROVIDER_KEY}
        observed = {
            "name": answer["name"],
            "image": answer["image"],
            "gpu_pools": answer["gpu"]["pools"],
            "workers_min": answer["workers"]["min"],
            "workers_max": answer["workers"]["max"],
        }
        return ReadResult(id_, self._outputs({**inputs, **observed}, answer))

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        body: dict[str, Any] = {}
        if news["image"] != olds.get("image"):
            body["image"] = news["image"]
        if (news["workers_min"], news["workers_max"]) != (olds.get("workers_min"), olds.get("workers_max")):
            body["workers"] = {"min": int(news["workers_min"]), "max": int(news["workers_max"]), "idleTimeout": 10}
        inputs = {k: v for k, v in news.items() if k != _PROVIDER_KEY}
        if not body:
            return UpdateResult({**{k: v for k, v in olds.items() if k != _PROVIDER_KEY}, **inputs})
        response = self._http().patch(f"serverless/{id_}", json=body)
        response.raise_for_status()
        return UpdateResult(self._outputs(inputs, response.json()))

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        http = self._http()
        http.patch(f"serverless/{id_}", json={"workers": {"min": 0, "max": 0, "idleTimeout": 10}}).raise_for_status()
        http.delete(f"serverless/{id_}").raise_for_status()
        gone = http.get(f"serverless/{id_}")
        if gone.status_code != 404:
            raise RuntimeError(f"endpoint {id_} still exists after its delete (HTTP {gone.status_code})")


# ours's names for the API's request URLs (requestUrls) and the spec fields ours's check defaults
_URL_NAMES = {"run": "run", "runSync": "run_sync", "status": "status", "stream": "stream", "cancel": "cancel",
              "retry": "retry", "purgeQueue": "purge_queue", "health": "health"}  # fmt: skip
_SPEC_DEFAULTS: dict[str, Any] = {"type": "QUEUE", "gpu_count": 1, "idle_timeout": 10, "scaler_type": "QUEUE_DELAY",
                                  "scaler_value": 4, "execution_timeout_ms": 300000, "flashboot": "OFF"}  # fmt: skip


class ReferenceFullProvider(ReferenceProvider):
    """The reference with ours's state: the same inputs after check (the defaulted spec fields) and the
    same outputs (the API's request URLs and their shortcuts, the managed list, env keys, backend), made
    with no more code than that. Ours minus this is what our code costs; this minus the reference is
    what the outputs ``ServerlessEndpoint`` promises (issue 16) cost the engine and the SDK."""

    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        return CheckResult({**_SPEC_DEFAULTS, **super().check(olds, news).inputs}, [])

    def _outputs(self, inputs: dict[str, Any], answer: dict[str, Any]) -> dict[str, Any]:
        urls = {_URL_NAMES[key]: url for key, url in (answer.get("requestUrls") or {}).items() if key in _URL_NAMES}
        return {
            **inputs,
            "created_at": answer.get("createdAt"),
            "request_urls": urls,
            "run_url": urls.get("run"),
            "runsync_url": urls.get("run_sync"),
            "health_url": urls.get("health"),
            "managed_fields": [name for name in inputs if name != "auto_name_prefix"],
            "env_keys": [],
            "backend": "rest",
            "bound_template": False,
        }


_PROVIDER = ReferenceProvider()
_FULL_PROVIDER = ReferenceFullProvider()


class ReferenceEndpoint(pulumi.dynamic.Resource, module="bench", name="ReferenceEndpoint"):
    """The reference resource: its inputs are its outputs; nothing else is declared."""

    def __init__(self, resource_name: str, props: dict[str, Any], opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(_PROVIDER, resource_name, props, opts)


class ReferenceFullEndpoint(pulumi.dynamic.Resource, module="bench", name="ReferenceFullEndpoint"):
    """The reference with ours's state (``ReferenceFullProvider``); the program gives it ours's placeholders."""

    def __init__(self, resource_name: str, props: dict[str, Any], opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(_FULL_PROVIDER, resource_name, props, opts)
