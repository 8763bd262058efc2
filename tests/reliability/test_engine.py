"""Through the real dynamic-provider host, over gRPC as the engine drives it: what the engine sees.

* an unusable setting fails the first operation with a message naming the key, and nothing is sent;
* a base URL whose path is not the API's fails refresh and destroy -- the endpoint stays in the state
  and on the API -- on REST v2 and on GraphQL;
* the API key (given with surrounding whitespace, as pasted) appears in no answer, no error and no
  log line of the host, with every library logging at DEBUG.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import grpc
import httpx
import pytest

from pulumi_runpod_endpoint.emulator import Emulator, EmulatorSettings
from tests.conftest import API_KEY
from tests.engine.harness import SERIALIZED_PROVIDER
from tests.reliability.harness import leaks
from tests.reliability.load import Recorder, ServedEmulator, WarpClock, WarpedHost

pytestmark = pytest.mark.engine

PROGRAM: dict[str, Any] = {"name": "svc", "image": "runpod/worker:1.0", "gpu_pools": ["ADA_24"], "env": {"A": "1"}}


class Api:
    """The emulator on a loopback port (in this process), and a plain client of it."""

    def __init__(self) -> None:
        clock = WarpClock(1)
        self.emulator = Emulator(flavor="runpod", clock=clock, settings=EmulatorSettings())
        self.recorder = Recorder(self.emulator, clock)
        self.served = ServedEmulator(self.recorder)
        self.url = self.served.url
        self.client = httpx.Client(
            transport=self.emulator.transport(),
            base_url="http://emulator",
            headers={"Authorization": f"Bearer {API_KEY}"},
        )

    def endpoints(self) -> dict[str, Any]:
        return {item["id"]: item for item in self.client.get("/v2/serverless").json()["endpoints"]}

    def close(self) -> None:
        self.client.close()
        self.served.stop()


@pytest.fixture(scope="module")
def api() -> Iterator[Api]:
    made = Api()
    yield made
    made.close()


@pytest.fixture
def host() -> Iterator[WarpedHost]:
    made = WarpedHost(1, debug=True)
    yield made
    log = made.stop()
    assert leaks(log) == 0, "the API key is in the host's log"


def _configure(host: WarpedHost, api: Api, **config: str) -> None:
    host.configure(
        {"runpod:apiKey": API_KEY, "runpod:restUrl": f"{api.url}/v2", "runpod:apiUrl": f"{api.url}/graphql", **config}
    )


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("runpod:deleteTimeout", "nan"),
        ("runpod:requestTimeout", "inf"),
        ("runpod:maxRetryWait", "-1"),
        ("runpod:restUrl", "http://127.0.0.1:9"),
        ("runpod:apiKey", "rpa_ABC DEF"),
    ],
)
def test_an_unusable_setting_reaches_the_engine_naming_the_key_and_nothing_is_sent(
    host: WarpedHost, api: Api, key: str, value: str
) -> None:
    _configure(host, api, **{key: value})
    before = len(api.recorder.snapshot())
    with pytest.raises(grpc.RpcError) as refused:
        host.check("svc", {}, PROGRAM)
    assert key in str(refused.value.details())
    with pytest.raises(grpc.RpcError) as refused:  # a destroy's first operation
        host.delete("svc", "abc123", {"name": "svc", **PROGRAM, "__provider": SERIALIZED_PROVIDER})
    assert key in str(refused.value.details())
    assert len(api.recorder.snapshot()) == before, "a request went out"


@pytest.mark.parametrize(
    ("config", "setting"),
    [
        ({"runpod:restUrl": "{url}/proxy/v2"}, "runpod:restUrl"),
        ({"runpod:api": "graphql", "runpod:apiUrl": "{url}/proxy/graphql"}, "runpod:apiUrl"),
    ],
    ids=["rest", "graphql"],
)
def test_a_wrong_base_url_fails_refresh_and_destroy_and_the_endpoint_stays(
    host: WarpedHost, api: Api, config: dict[str, str], setting: str
) -> None:
    with WarpedHost(1) as maker:  # the `up` that made it, with the right URLs
        _configure(maker, api)
        inputs, failures = maker.check("svc", {}, PROGRAM)
        assert failures == []
        id_, outs = maker.create("svc", inputs)
    # The next `pulumi refresh` / `destroy` runs a new host, with the URL setting changed.
    _configure(host, api, **{key: value.format(url=api.url) for key, value in config.items()})
    with pytest.raises(grpc.RpcError) as refresh:
        host.read("svc", id_, outs, inputs)
    assert setting in str(refresh.value.details())
    with pytest.raises(grpc.RpcError) as destroy:
        host.delete("svc", id_, outs)
    assert setting in str(destroy.value.details())
    assert id_ in api.endpoints() and api.endpoints()[id_]["workers"]["max"] == outs["workers_max"]


def test_a_padded_key_is_in_no_answer_error_or_debug_log(host: WarpedHost, api: Api) -> None:
    """Issue 18: 'a key with surrounding whitespace is echoed unredacted in two places'."""
    host.configure({"runpod:apiKey": f"  {API_KEY}\n", "runpod:restUrl": f"{api.url}/v2"})
    inputs, _ = host.check("svc", {}, PROGRAM)
    id_, outs = host.create("svc", inputs)
    host.read("svc", id_, outs, inputs)
    news, _ = host.check("svc", inputs, {**PROGRAM, "workers_max": 5})
    outs = host.update("svc", id_, outs, news)
    errors = []
    for failing in (
        lambda: host.read("missing", "doesnotexist00", {}, {"__provider": inputs["__provider"]}),
        lambda: host.check("bad", {}, {**PROGRAM, "name": "x\n"}),
        lambda: host.create("dup", {**inputs, "gpu_pools": ["NOT_A_POOL"]}),
    ):
        try:
            failing()
        except grpc.RpcError as error:
            errors.append(str(error.details()))
    host.delete("svc", id_, outs)
    log = host.stderr()
    assert "httpcore" in log and "pulumi_runpod_endpoint" in log, "DEBUG logging was on: the scan means something"
    assert errors, "the failing operations failed"
    assert leaks(*host.responses, *errors, log) == 0


def test_a_key_no_header_can_carry_is_refused_without_a_request_and_never_echoed(host: WarpedHost, api: Api) -> None:
    """A key with a control character reached the HTTP layer, whose refusal quoted the whole header --
    'Illegal header value b"Bearer <key>"' -- into the error the engine prints."""
    key = API_KEY[:10] + "\x00" + API_KEY[10:]
    host.configure({"runpod:apiKey": key, "runpod:restUrl": f"{api.url}/v2"})
    before = len(api.recorder.snapshot())
    with pytest.raises(grpc.RpcError) as refused:
        host.check("svc", {}, PROGRAM)
    details = str(refused.value.details())
    assert "runpod:apiKey" in details
    assert API_KEY[:10] not in details and API_KEY[10:] not in details
    assert len(api.recorder.snapshot()) == before
