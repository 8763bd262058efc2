"""Serve an httpx ``Client``'s requests from the emulator's ASGI app in-process, synchronously.

No socket, no thread: each request runs the app to completion on a private event loop. An
injected connection drop becomes the same ``httpx.RemoteProtocolError`` a real socket gives.
"""

from __future__ import annotations

import asyncio

import httpx
from starlette.types import ASGIApp

from .middleware import DroppedConnection

__all__ = ["EmulatorTransport"]


class EmulatorTransport(httpx.BaseTransport):
    def __init__(self, app: ASGIApp) -> None:
        self._asgi = httpx.ASGITransport(app=app)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        async def run() -> httpx.Response:
            response = await self._asgi.handle_async_request(request)
            content = await response.aread()
            return httpx.Response(response.status_code, headers=response.headers, content=content, request=request)

        try:
            return asyncio.run(run())
        except DroppedConnection as error:
            raise httpx.RemoteProtocolError(str(error), request=request) from error
