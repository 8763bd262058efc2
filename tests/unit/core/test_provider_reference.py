"""A program names each provider without importing it; the state's ``__provider`` is the same either way.

Every ``pulumi up`` and ``preview`` runs the program, and the program imported each resource's provider
only so that the SDK could pickle it -- and with it pydantic and the spec models (about 100 ms for the
four resources), though a program runs no operation. Now it passes a ``ProviderReference`` to its room's
``new_provider``; these tests pin that the bytes are the provider's own, that they load a fresh
provider in the host, that states written before still load, and that the program's import stays light.
"""

from __future__ import annotations

import base64
import json
import pickle
import subprocess
import sys
from collections.abc import Callable

import dill
import pytest
from pulumi.dynamic import ResourceProvider
from pulumi.dynamic.dynamic import serialize_provider
from pydantic import BaseModel

from bench.reference_provider import ReferenceProvider
from bench.support import OURS, REFERENCE, provider_blob
from pulumi_runpod_endpoint import endpoint, network_volume, registry_auth, template
from pulumi_runpod_endpoint.dynamic.provider import BaseProvider
from pulumi_runpod_endpoint.dynamic.reference import ProviderReference
from pulumi_runpod_endpoint.endpoint.provider import ServerlessEndpointProvider
from pulumi_runpod_endpoint.network_volume.provider import NetworkVolumeProvider
from pulumi_runpod_endpoint.registry_auth.provider import RegistryAuthProvider
from pulumi_runpod_endpoint.template.provider import TemplateProvider
from pulumi_runpod_endpoint.validation import matching_fields

ROOMS: list[tuple[Callable[[], ResourceProvider], type[BaseProvider]]] = [
    (endpoint.new_provider, ServerlessEndpointProvider),
    (network_volume.new_provider, NetworkVolumeProvider),
    (registry_auth.new_provider, RegistryAuthProvider),
    (template.new_provider, TemplateProvider),
]
IDS = ["endpoint", "network_volume", "registry_auth", "template"]


@pytest.mark.parametrize(("factory", "provider_class"), ROOMS, ids=IDS)
def test_the_reference_pickles_to_the_providers_own_bytes_and_loads_a_fresh_provider(
    factory: Callable[[], ResourceProvider], provider_class: type[BaseProvider]
) -> None:
    blob = serialize_provider(ProviderReference(factory))
    assert blob == serialize_provider(provider_class())
    raw = base64.b64decode(blob)
    assert f"{factory.__module__}".encode() in raw and b"new_provider" in raw
    assert len(blob) <= 100  # every resource's inputs and outputs carry it: the state stays small
    for loads in (dill.loads, pickle.loads):
        loaded = loads(raw)
        assert type(loaded) is provider_class
        assert loaded.settings.api_key == ""  # fresh: configure runs again in the host


class _PicklesAsItsClass:
    """How the previous release pickled a provider: its class, called with no arguments."""

    def __init__(self, provider_class: type[BaseProvider]) -> None:
        self.provider_class = provider_class

    def __reduce__(self) -> tuple[type[BaseProvider], tuple[()]]:
        return (self.provider_class, ())


@pytest.mark.parametrize(("factory", "provider_class"), ROOMS, ids=IDS)
def test_state_written_by_the_previous_release_still_loads(
    factory: Callable[[], ResourceProvider], provider_class: type[BaseProvider]
) -> None:
    raw = dill.dumps(_PicklesAsItsClass(provider_class))
    assert provider_class.__module__.encode() in raw and b"new_provider" not in raw
    assert type(dill.loads(raw)) is provider_class


class TunedEndpointProvider(ServerlessEndpointProvider):
    """A user's subclass: it must come back as itself, not as the room's provider."""


def test_a_subclass_without_its_own_factory_pickles_as_its_class() -> None:
    raw = dill.dumps(TunedEndpointProvider())
    assert b"TunedEndpointProvider" in raw and b"new_provider" not in raw
    assert type(dill.loads(raw)) is TunedEndpointProvider


def test_the_bench_builds_the_same_bytes_without_importing_anything() -> None:
    assert provider_blob(*OURS) == serialize_provider(ServerlessEndpointProvider())
    assert provider_blob(*REFERENCE) == serialize_provider(ReferenceProvider())


PROGRAM = r"""
import json, sys
import pulumi, pulumi.dynamic
import pulumi_runpod_endpoint as package
classes = [package.ServerlessEndpoint, package.NetworkVolume, package.RegistryAuth, package.Template]
print(json.dumps(sorted(sys.modules)))
"""


def test_a_program_declaring_every_resource_imports_no_provider_pydantic_or_http_stack() -> None:
    result = subprocess.run([sys.executable, "-c", PROGRAM], capture_output=True, text=True, check=True, timeout=120)
    loaded = set(json.loads(result.stdout.strip().splitlines()[-1]))
    ours = {name for name in loaded if name.startswith("pulumi_runpod_endpoint.")}
    heavy = {name for name in ours if name.rsplit(".", 1)[-1] in ("provider", "spec", "properties", "v2")}
    assert heavy == set()
    assert {name for name in ours if name.startswith("pulumi_runpod_endpoint.api")} == set()
    assert {"pydantic", "pydantic_core", "httpx", "httpcore"} & loaded == set()


def test_a_model_whose_fields_differ_from_its_names_fails_the_import() -> None:
    class Spec(BaseModel):
        name: str
        size_gb: int

    assert matching_fields(Spec, ("name", "size_gb")) == ("name", "size_gb")
    for names in (("name",), ("size_gb", "name"), ("name", "size_gb", "type")):
        with pytest.raises(ImportError, match=r"differ from names\.py"):
            matching_fields(Spec, names)
