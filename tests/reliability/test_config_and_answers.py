"""Settings that cannot work, and answers that are not the API's.

* Every provider refuses an unusable setting at its first use -- ``check`` in an ``up`` or preview,
  ``delete`` in a ``destroy`` -- naming the key, before any request (the journal stays empty): a
  ``nan`` delete timeout once made a destroy wait for the engine's gRPC deadline.
* An answer that is not RunPod's -- an HTML page, JSON of the wrong shape, a 404 from a path that is
  not the API (a base URL whose path is not the API's: on v2 even that 404 is problem+json) -- is an
  error on refresh and on destroy, REST v2 and GraphQL alike, never "gone": a refresh that read it as
  gone dropped live endpoints from the state, a destroy reported success while the endpoint billed on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from pulumi_runpod_endpoint.dynamic.provider import BaseProvider, ProviderError
from pulumi_runpod_endpoint.endpoint.provider import ServerlessEndpointProvider
from pulumi_runpod_endpoint.network_volume.provider import NetworkVolumeProvider
from pulumi_runpod_endpoint.registry_auth.provider import RegistryAuthProvider
from pulumi_runpod_endpoint.template.provider import TemplateProvider
from tests.conftest import API_KEY
from tests.reliability.harness import World, leaks
from tests.reliability.kinds import ENDPOINT_REST

PROVIDERS: dict[str, tuple[type[BaseProvider], dict[str, Any]]] = {
    "endpoint": (ServerlessEndpointProvider, {"name": "svc", "image": "i:1", "gpu_pools": ["ADA_24"]}),
    "network_volume": (NetworkVolumeProvider, {"name": "v", "size_gb": 10, "data_center_id": "EU-RO-1"}),
    "registry_auth": (RegistryAuthProvider, {"name": "r", "username": "u", "password": "p"}),
    "template": (TemplateProvider, {"name": "t", "image": "i:1"}),
}

BAD_SETTINGS: list[tuple[str, str]] = [
    ("runpod:deleteTimeout", "nan"),
    ("runpod:deleteTimeout", "inf"),
    ("runpod:deleteTimeout", "-1"),
    ("runpod:deleteTimeout", "0"),
    ("runpod:deleteTimeout", "1e12"),
    ("runpod:deleteTimeout", "ten minutes"),
    ("runpod:maxRetryWait", "nan"),
    ("runpod:maxRetryWait", "-5"),
    ("runpod:maxRetryWait", "1e300"),
    ("runpod:requestTimeout", "nan"),
    ("runpod:requestTimeout", "0"),
    ("runpod:requestTimeout", "86400"),
    ("runpod:restUrl", "http://127.0.0.1:8080"),
    ("runpod:restUrl", "http://127.0.0.1:8080/"),
    ("runpod:restUrl", "https://api.runpod.io/v1"),
    ("runpod:restUrl", "https://api.runpod.io/graphql"),
    ("runpod:restUrl", "ftp://api.runpod.io/v2"),
    ("runpod:restUrl", "api.runpod.io/v2"),
    ("runpod:restUrl", "https://api.runpod.io/v2?api_key=x"),
    ("runpod:restUrl", "https://user:pw@api.runpod.io/v2"),
    ("runpod:apiUrl", "http://127.0.0.1:8080"),
    ("runpod:apiUrl", "https://api.runpod.io/v2"),
    ("runpod:apiUrl", "https://api.runpod.io/graphql#x"),
    ("runpod:backend", "aws"),
    ("runpod:api", "soap"),
    ("runpod:apiKey", "rpa_ABC DEF"),
    ("runpod:apiKey", "rpa_ABC\nDEF"),
    ("runpod:apiKey", "rpa_ABC\x00DEF"),  # a control character no HTTP header may carry
    ("runpod:apiKey", "rpa_ABC\x7fDEF"),
    ("runpod:apiKey", "rpa_ABC\u200bDEF"),  # a zero-width space from a copy-paste
    ("runpod:apiKey", "rpa_ABCÉDEF"),  # not ASCII: no header can carry it as it is
]


def _configured(world: World, kind: type[BaseProvider], key: str, value: str) -> BaseProvider:
    config = {key: value}
    if key == "runpod:apiUrl":
        config["runpod:api"] = "graphql"  # the endpoint's GraphQL backend reads it
    return world.provider(kind, **config)


@pytest.fixture
def world() -> Iterator[World]:
    made = World()
    yield made
    made.close()


@pytest.mark.parametrize("resource", sorted(PROVIDERS))
@pytest.mark.parametrize(("key", "value"), BAD_SETTINGS, ids=[f"{k}={v!r}" for k, v in BAD_SETTINGS])
def test_an_unusable_setting_is_refused_at_first_use_naming_the_key(
    world: World, resource: str, key: str, value: str
) -> None:
    kind, program = PROVIDERS[resource]
    operations: list[Callable[[BaseProvider], Any]] = [
        lambda provider: provider.check({}, program),  # the first use in `up` and preview
        lambda provider: provider.delete("abc123", {"name": "x", **program}),  # the first use in `destroy`
        lambda provider: provider.read("abc123", {"name": "x", **program}),  # the first use in `refresh`
    ]
    for operation in operations:
        provider = _configured(world, kind, key, value)
        world.emulator.journal.clear()
        with pytest.raises(ProviderError) as refused:
            operation(provider)
        assert key in str(refused.value)
        assert world.emulator.journal.entries() == [], "a request went out with an unusable setting"
        assert leaks(str(refused.value)) == 0
        if key == "runpod:apiKey":
            assert "ABC" not in str(refused.value) and "DEF" not in str(refused.value)


def test_a_key_with_surrounding_whitespace_works_and_is_never_echoed(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    """Issue 18: 'a key with surrounding whitespace is echoed unredacted in two places'."""
    caplog.set_level("DEBUG")
    padded = f"  {API_KEY}\n"
    provider = world.provider(ServerlessEndpointProvider, **{"runpod:apiKey": padded})
    program = PROVIDERS["endpoint"][1]
    inputs = provider.check({}, program).inputs
    made = provider.create(inputs)
    texts: list[object] = [made.outs, inputs, repr(provider.settings)]
    read = provider.read(made.id, made.outs or {})
    texts += [read.outs]
    with pytest.raises(ProviderError) as missing:
        provider.read("doesnotexist0", {})
    texts += [str(missing.value)]
    provider.delete(made.id, made.outs or {})
    texts += [record.getMessage() for record in caplog.records]
    assert caplog.records, "nothing was logged: the leak check would prove nothing"
    assert leaks(*texts) == 0
    assert all(padded not in str(text) for text in texts)


# -- answers that are not the API's -------------------------------------------------------------------------
class Impostor(httpx.BaseTransport):
    """Answers every request to ``prefix`` itself (a proxy, a login page...); the emulator serves the rest."""

    def __init__(self, inner: httpx.BaseTransport, prefix: str, answer: Callable[[httpx.Request], httpx.Response]):
        self.inner, self.prefix, self.answer = inner, prefix, answer
        self.answered = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.startswith(self.prefix):
            self.answered += 1
            response = self.answer(request)
            response.request = request
            return response
        return self.inner.handle_request(request)


HTML = "<!doctype html><html><body><h1>Sign in</h1></body></html>"
ANSWERS: dict[str, Callable[[httpx.Request], httpx.Response]] = {
    "html-200": lambda _: httpx.Response(200, text=HTML, headers={"content-type": "text/html"}),
    "html-404": lambda _: httpx.Response(404, text="<html>404 Not Found</html>", headers={"content-type": "text/html"}),
    "bare-404": lambda _: httpx.Response(404, text="Not Found"),
    "json-wrong-shape": lambda _: httpx.Response(200, json={"status": "ok", "items": []}),
    "json-null": lambda _: httpx.Response(200, json=None),
    "empty-200": lambda _: httpx.Response(200),
    "redirect": lambda _: httpx.Response(302, headers={"location": "https://login.example.com/?next=/v2"}),
}
BACKENDS = {
    "rest": ({}, "/proxy/v2", {"runpod:restUrl": "http://emulator/proxy/v2"}),
    "graphql": ({"runpod:api": "graphql"}, "/proxy/graphql", {"runpod:apiUrl": "http://emulator/proxy/graphql"}),
}


def _live_endpoint(world: World) -> tuple[str, dict[str, Any]]:
    provider = world.provider(ServerlessEndpointProvider)
    made = provider.create(provider.check({}, ENDPOINT_REST.program).inputs)
    return made.id, dict(made.outs or {})


def _refresh(provider: BaseProvider, id_: str, outs: dict[str, Any]) -> Any:
    return provider.read(id_, outs)


def _destroy(provider: BaseProvider, id_: str, outs: dict[str, Any]) -> Any:
    return provider.delete(id_, outs)


@pytest.mark.parametrize("backend", sorted(BACKENDS))
@pytest.mark.parametrize("answer", [*sorted(ANSWERS), "the-apis-own-404-at-a-wrong-path"])
@pytest.mark.parametrize("operation", [_refresh, _destroy], ids=["refresh", "destroy"])
def test_an_answer_that_is_not_the_apis_is_an_error_never_gone(
    world: World, backend: str, answer: str, operation: Callable[[BaseProvider, str, dict[str, Any]], Any]
) -> None:
    id_, outs = _live_endpoint(world)
    config, prefix, urls = BACKENDS[backend]
    if answer != "the-apis-own-404-at-a-wrong-path":  # else the emulator answers /proxy/... itself: a 404 problem
        world.transport.inner = Impostor(world.emulator.transport(), prefix, ANSWERS[answer])
    provider = world.provider(ServerlessEndpointProvider, **config, **urls)
    with pytest.raises(ProviderError) as failed:
        operation(provider, id_, outs)
    message = str(failed.value)
    assert "runpod:restUrl" in message if backend == "rest" else "runpod:apiUrl" in message
    assert id_ in ENDPOINT_REST.truth(world), "the endpoint is gone"
    assert ENDPOINT_REST.truth(world)[id_].marker == outs["workers_max"], "the endpoint was changed"
    assert leaks(message) == 0


@pytest.mark.parametrize("backend", sorted(BACKENDS))
def test_the_apis_own_not_found_on_a_proven_base_is_gone(world: World, backend: str) -> None:
    """The other side: after the API has answered like itself, its 404 for that id means gone."""
    id_, outs = _live_endpoint(world)
    assert world.truth.client.delete(f"/v2/serverless/{id_}").status_code == 204
    config, _, _ = BACKENDS[backend]
    provider = world.provider(ServerlessEndpointProvider, **config)
    assert provider.read(id_, outs).id in ("", None)
    provider.delete(id_, outs)


@pytest.mark.parametrize("resource", sorted(PROVIDERS))
def test_an_invalid_key_is_one_request_and_one_clear_error(world: World, resource: str) -> None:
    """Kept from issue 18's 'what already holds': a refused key is never retried, and says what to do."""
    kind, program = PROVIDERS[resource]
    provider = world.provider(kind, **{"runpod:apiKey": "rpa_NOT_A_KEY_0123456789"})
    inputs = provider.check({}, {k: v for k, v in program.items() if k != "name"} | {"auto_name_prefix": "x"})
    world.emulator.journal.clear()
    with pytest.raises(ProviderError) as refused:
        provider.create(inputs.inputs)
    assert [entry.status for entry in world.emulator.journal.entries()] == [401]
    message = str(refused.value)
    assert "HTTP 401" in message and "runpod:apiKey" in message
    assert "rpa_NOT_A_KEY_0123456789" not in message
