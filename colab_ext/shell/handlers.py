"""Handlers of the shell feature: a status route and the commands' WebSocket."""

from __future__ import annotations

import json
from typing import Any

from jupyter_server.auth.decorator import authorized, ws_authenticated
from tornado import web

from ..core.handlers import ColabHandler
from ..core.permissions import EXECUTE_TERMINALS, needs
from ..core.sockets import ColabSocketHandler
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


class ShellSocketHandler(ColabSocketHandler):
    """``GET /colab/shell/kernels/{kernel_id}/socket`` (WebSocket): run ``!`` commands for a kernel.

    Authenticated like the kernel and terminal sockets; the user must be allowed to ``execute``
    both ``terminals`` (these are shell commands: an admin who forbids terminals forbids them too)
    and ``colab.shell``. A refusal (and a request that is no WebSocket handshake) is answered as
    JSON (see :class:`ColabSocketHandler`).
    """

    auth_resource = "colab.shell"
    auth_action = "execute"
    jupyter_permissions = needs(get=(EXECUTE_TERMINALS,))

    def initialize(self, name: str, service: ShellService) -> None:
        super().initialize(name)
        self.service = service
        self.channel: ShellChannel | None = None

    @ws_authenticated
    async def get(self, kernel_id: str) -> None:
        await self.authorize("You may not run shell commands.")
        self.service.check_available()
        await self.service.check_kernel(kernel_id)
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
