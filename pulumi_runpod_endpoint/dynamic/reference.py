"""A provider named by its factory: what a program hands the SDK, without importing the provider.

The SDK pickles the provider a dynamic resource is given into the resource's ``__provider`` input;
the dynamic-provider host unpickles it to run each operation. Pickling a class needs its module
imported, and a provider's module imports what its operations need (pydantic and the spec models:
70-110 ms). A program runs no operation, yet paid that on every ``pulumi up`` and ``preview``.

So each room's package has a ``new_provider()`` that imports its provider when called, a program
passes a ``ProviderReference`` to it, and the room's provider pickles the same way
(``BaseProvider.factory``): ``__provider`` is ``pulumi_runpod_endpoint.<room>.new_provider()``, the
same few dozen bytes whoever serialized it (never a key, a client or a setting), and only the host,
which runs the operations, imports the provider's module. State written by earlier releases names the
provider class itself (``pulumi_runpod_endpoint.endpoint.provider.ServerlessEndpointProvider``, or 0.1's
``pulumi_runpod_endpoint.provider...``); those paths keep resolving.
"""

from __future__ import annotations

from collections.abc import Callable

from pulumi.dynamic import ResourceProvider

__all__ = ["ProviderReference"]


class ProviderReference(ResourceProvider):
    """Stands in for a provider in the program: it pickles exactly as that provider does."""

    # Nothing secret is pickled (a function's import path), so the SDK need not make it a secret.
    serialize_as_secret_always = False

    def __init__(self, factory: Callable[[], ResourceProvider]) -> None:
        super().__init__()
        self.factory = factory

    def __reduce__(self) -> tuple[Callable[[], ResourceProvider], tuple[()]]:
        return (self.factory, ())

    def __repr__(self) -> str:
        return f"ProviderReference({self.factory.__module__}.{self.factory.__qualname__})"
