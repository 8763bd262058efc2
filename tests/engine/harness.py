"""Drive the Pulumi SDK's dynamic-provider host (`python -m pulumi.dynamic`) over gRPC, as the
engine does, with the SDK's own protobuf stubs; and run the emulator CLI on a loopback port."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

import grpc
from google.protobuf import json_format, struct_pb2
from pulumi.dynamic.dynamic import serialize_provider
from pulumi.runtime.proto import provider_pb2, provider_pb2_grpc

from pulumi_runpod_endpoint.emulator.process import EmulatorProcess
from pulumi_runpod_endpoint.provider import ServerlessEndpointProvider
from pulumi_runpod_endpoint.resource import TYPE_TOKEN

__all__ = ["DynamicProviderHost", "EmulatorProcess", "from_struct", "to_struct"]

SERIALIZED_PROVIDER = serialize_provider(ServerlessEndpointProvider())


def to_struct(props: dict[str, Any]) -> struct_pb2.Struct:
    struct = struct_pb2.Struct()
    struct.update(props)
    return struct


def from_struct(struct: struct_pb2.Struct) -> dict[str, Any]:
    return json_format.MessageToDict(struct)  # type: ignore[no-any-return]


class DynamicProviderHost:
    """The SDK's provider host as a subprocess, and a gRPC client that speaks for the engine."""

    def __init__(self, project: str = "runpod-test") -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("RUNPOD_")}
        env["PULUMI_PROJECT"] = project
        self.process = subprocess.Popen(
            [sys.executable, "-m", "pulumi.dynamic"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env
        )
        assert self.process.stdout is not None
        port = int(self.process.stdout.readline().decode().strip())
        self.channel = grpc.insecure_channel(f"127.0.0.1:{port}")
        self.stub = provider_pb2_grpc.ResourceProviderStub(self.channel)
        self.urn_prefix = f"urn:pulumi:test::{project}::{TYPE_TOKEN}::"
        self.responses: list[str] = []  # every property bag the host returned, as JSON text

    def _record(self, props: dict[str, Any]) -> dict[str, Any]:
        self.responses.append(json.dumps(props, sort_keys=True))
        return props

    def urn(self, name: str) -> str:
        return self.urn_prefix + name

    def configure(self, config: dict[str, str]) -> provider_pb2.ConfigureResponse:
        request = provider_pb2.ConfigureRequest(
            variables=config, args=to_struct(dict(config)), acceptSecrets=True, acceptResources=True
        )
        return self.stub.Configure(request)

    def check(
        self, name: str, olds: dict[str, Any], news: dict[str, Any]
    ) -> tuple[dict[str, Any], list[tuple[str, str]]]:
        news = {**news, "__provider": SERIALIZED_PROVIDER}
        response = self.stub.Check(
            provider_pb2.CheckRequest(urn=self.urn(name), olds=to_struct(olds), news=to_struct(news))
        )
        failures = [(f.property, f.reason) for f in response.failures]
        return self._record(from_struct(response.inputs)), failures

    def diff(self, name: str, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> provider_pb2.DiffResponse:
        return self.stub.Diff(
            provider_pb2.DiffRequest(id=id_, urn=self.urn(name), olds=to_struct(olds), news=to_struct(news))
        )

    def create(self, name: str, props: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        response = self.stub.Create(provider_pb2.CreateRequest(urn=self.urn(name), properties=to_struct(props)))
        return response.id, self._record(from_struct(response.properties))

    def read(
        self, name: str, id_: str, props: dict[str, Any], inputs: dict[str, Any] | None = None
    ) -> tuple[str, dict[str, Any], dict[str, Any]]:
        request = provider_pb2.ReadRequest(
            id=id_, urn=self.urn(name), properties=to_struct(props), inputs=to_struct(inputs or {})
        )
        response = self.stub.Read(request)
        return response.id, self._record(from_struct(response.properties)), self._record(from_struct(response.inputs))

    def update(self, name: str, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> dict[str, Any]:
        response = self.stub.Update(
            provider_pb2.UpdateRequest(id=id_, urn=self.urn(name), olds=to_struct(olds), news=to_struct(news))
        )
        return self._record(from_struct(response.properties))

    def delete(self, name: str, id_: str, props: dict[str, Any]) -> None:
        self.stub.Delete(provider_pb2.DeleteRequest(id=id_, urn=self.urn(name), properties=to_struct(props)))

    def stop(self) -> str:
        self.channel.close()
        self.process.terminate()
        _, stderr = self.process.communicate(timeout=10)
        return stderr.decode(errors="replace")
