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

from pulumi_runpod_endpoint import endpoint, network_volume, registry_auth, template
from pulumi_runpod_endpoint.dynamic.tokens import type_token
from pulumi_runpod_endpoint.emulator.process import EmulatorProcess
from pulumi_runpod_endpoint.endpoint.provider import ServerlessEndpointProvider
from pulumi_runpod_endpoint.network_volume.provider import NetworkVolumeProvider
from pulumi_runpod_endpoint.registry_auth.provider import RegistryAuthProvider
from pulumi_runpod_endpoint.template.provider import TemplateProvider

__all__ = ["KINDS", "SERIALIZED_PROVIDER", "DynamicProviderHost", "EmulatorProcess", "from_struct", "to_struct"]

# resource kind -> (the serialized provider a program would send, the type token)
KINDS: dict[str, tuple[str, str]] = {
    "endpoint": (serialize_provider(ServerlessEndpointProvider()), type_token(endpoint.TYPE_NAME)),
    "volume": (serialize_provider(NetworkVolumeProvider()), type_token(network_volume.TYPE_NAME)),
    "registry": (serialize_provider(RegistryAuthProvider()), type_token(registry_auth.TYPE_NAME)),
    "template": (serialize_provider(TemplateProvider()), type_token(template.TYPE_NAME)),
}
SERIALIZED_PROVIDER = KINDS["endpoint"][0]


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
        self.project = project
        self.responses: list[str] = []  # every property bag the host returned, as JSON text

    def _record(self, props: dict[str, Any]) -> dict[str, Any]:
        self.responses.append(json.dumps(props, sort_keys=True))
        return props

    def urn(self, name: str, kind: str = "endpoint") -> str:
        return f"urn:pulumi:test::{self.project}::{KINDS[kind][1]}::{name}"

    def configure(self, config: dict[str, str]) -> provider_pb2.ConfigureResponse:
        request = provider_pb2.ConfigureRequest(
            variables=config, args=to_struct(dict(config)), acceptSecrets=True, acceptResources=True
        )
        return self.stub.Configure(request)

    def check(
        self, name: str, olds: dict[str, Any], news: dict[str, Any], kind: str = "endpoint"
    ) -> tuple[dict[str, Any], list[tuple[str, str]]]:
        news = {**news, "__provider": KINDS[kind][0]}
        response = self.stub.Check(
            provider_pb2.CheckRequest(urn=self.urn(name, kind), olds=to_struct(olds), news=to_struct(news))
        )
        failures = [(f.property, f.reason) for f in response.failures]
        return self._record(from_struct(response.inputs)), failures

    def diff(
        self, name: str, id_: str, olds: dict[str, Any], news: dict[str, Any], kind: str = "endpoint"
    ) -> provider_pb2.DiffResponse:
        return self.stub.Diff(
            provider_pb2.DiffRequest(id=id_, urn=self.urn(name, kind), olds=to_struct(olds), news=to_struct(news))
        )

    def create(self, name: str, props: dict[str, Any], kind: str = "endpoint") -> tuple[str, dict[str, Any]]:
        request = provider_pb2.CreateRequest(urn=self.urn(name, kind), properties=to_struct(props))
        response = self.stub.Create(request)
        return response.id, self._record(from_struct(response.properties))

    def read(
        self,
        name: str,
        id_: str,
        props: dict[str, Any],
        inputs: dict[str, Any] | None = None,
        kind: str = "endpoint",
    ) -> tuple[str, dict[str, Any], dict[str, Any]]:
        request = provider_pb2.ReadRequest(
            id=id_, urn=self.urn(name, kind), properties=to_struct(props), inputs=to_struct(inputs or {})
        )
        response = self.stub.Read(request)
        return response.id, self._record(from_struct(response.properties)), self._record(from_struct(response.inputs))

    def update(
        self, name: str, id_: str, olds: dict[str, Any], news: dict[str, Any], kind: str = "endpoint"
    ) -> dict[str, Any]:
        response = self.stub.Update(
            provider_pb2.UpdateRequest(id=id_, urn=self.urn(name, kind), olds=to_struct(olds), news=to_struct(news))
        )
        return self._record(from_struct(response.properties))

    def delete(self, name: str, id_: str, props: dict[str, Any], kind: str = "endpoint") -> None:
        request = provider_pb2.DeleteRequest(id=id_, urn=self.urn(name, kind), properties=to_struct(props))
        self.stub.Delete(request)

    def stop(self) -> str:
        self.channel.close()
        self.process.terminate()
        _, stderr = self.process.communicate(timeout=10)
        return stderr.decode(errors="replace")
