"""Where the previous release's provider lived: kept so that its resources can still be read and deleted.

A dynamic resource's state holds its provider pickled *by reference*: stacks made with 0.1 name
``pulumi_runpod_endpoint.provider.ServerlessEndpointProvider``. The engine unpickles that reference to
refresh, update or destroy those resources, so this import path must keep resolving -- to today's
provider, which reads 0.1 state (``endpoint/legacy.py``). Later state names the class's new home,
``pulumi_runpod_endpoint.endpoint.provider.ServerlessEndpointProvider`` (which keeps resolving too), and
today's names ``pulumi_runpod_endpoint.endpoint.new_provider`` (``dynamic/reference.py``).
"""

from .endpoint.provider import ServerlessEndpointProvider

__all__ = ["ServerlessEndpointProvider"]
