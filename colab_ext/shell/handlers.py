"""Handlers of the shell feature: a status route and the commands' WebSocket."""

from __future__ import annotations

import json
from typing import Any

from jupyter_core.utils import ensure_async
from jupyter_server.auth.decorator import authorized, ws_authenticated
from jupyter_server.base.handlers import JupyterHandler
from jupyter_server.base.websocket import WebSocketMixin
from jupyter_server.extension.handler import ExtensionHandlerMixin
from tornado import web
from tornado.websocket import WebSocketHandler

from ..core.errors import ColabError
from ..core.handlers import ColabHandler
from ..core.permissions import EXECUTE_TERMINALS, missing_permission, needs
from .channel import ShellChannel
from .service import ShellService


class ShellStatusHandler(ColabHandler):
    """``GET /colab/shell/status``: whether ``!`` commands can run here, and if not, why."""

    auth_resource = "colab.shell"
    jupyter_permissions = needs(get=())  # it runs nothing

    def initialize(self, name: str, service: ShellService) -> None:
        super().initialize(name)
        self.service = service

    @web.authenticated
    @authorized
    async def get(self) -> None:
        reason = self.service.availability()
        self.write_json(
            {
                "enabled": reason is None,
                "reason": reason,
                "output_limit": self.service.settings.shell_output_limit,
            }
        )


class ShellSocketHandler(ExtensionHandlerMixin, WebSocketMixin, WebSocketHandler, JupyterHandler):
    """``GET /colab/shell/kernels/{kernel_id}/socket`` (WebSocket): run ``!`` commands for a kernel.

    Authenticated like the kernel and terminal sockets; the user must be allowed to ``execute``
    both ``terminals`` (these are shell commands: an admin who forbids terminals forbids them too)
    and ``colab.shell``.
    """

    auth_resource = "colab.shell"
    jupyter_permissions = needs(get=(EXECUTE_TERMINALS,))

    def initialize(self, name: str, service: ShellService) -> None:
        ExtensionHandlerMixin.initialize(self, name)
        self.service = service
        self.channel: ShellChannel | None = None

    def set_default_headers(self) -> None:
        """No HTML headers on a WebSocket (as jupyter_server's kernel socket does)."""

    async def _authorize(self) -> None:
        missing = await missing_permission(self, "get")
        if missing is not None:
            raise web.HTTPError(403, f"You may not run shell commands. {missing}")
        if not await ensure_async(
            self.authorizer.is_authorized(self, self.current_user, "execute", self.auth_resource)
        ):
            raise web.HTTPError(403, f"You may not run shell commands ({self.auth_resource}).")

    @ws_authenticated
    async def get(self, kernel_id: str) -> None:
        await self._authorize()
        try:
            self.service.check_available()
            await self.service.check_kernel(kernel_id)
        except ColabError as error:
            raise web.HTTPError(error.status, error.message) from None
        self.kernel_id = kernel_id
        await super().get(kernel_id)

    def open(self, kernel_id: str) -> None:
        super().open()
        # Small frames (a prompt, an exit) must leave at once: without this, Nagle's algorithm
        # holds the second of two small writes until the browser's delayed ACK (~40 ms).
        self.set_nodelay(True)
        self.channel = ShellChannel(self.service, kernel_id, self._send)
        self.service.channels.add(self.channel)

    async def _send(self, message: dict[str, Any]) -> None:
        await self.write_message(json.dumps(message))

    async def on_message(self, message: str | bytes) -> None:
        if self.channel is None:
            return
        try:
            payload = json.loads(message)
        except ValueError:
            payload = None
        if not isinstance(payload, dict):
            await self.channel.send({"type": "error", "message": "Messages must be JSON objects."})
            return
        await self.channel.handle(payload)

    def on_close(self) -> None:
        channel, self.channel = self.channel, None
        if channel is None:
            return
        self.service.channels.discard(channel)

        async def end() -> None:
            await channel.close()

        self.service.track(end())
