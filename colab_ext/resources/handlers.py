"""Handlers of the resource monitor: the latest sample over HTTP, and every new one pushed."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from jupyter_core.utils import ensure_async
from jupyter_server.auth.decorator import authorized, ws_authenticated
from jupyter_server.base.handlers import JupyterHandler
from jupyter_server.base.websocket import WebSocketMixin
from jupyter_server.extension.handler import ExtensionHandlerMixin
from tornado import web
from tornado.websocket import WebSocketClosedError, WebSocketHandler

from ..core.handlers import ColabHandler
from .sampler import ResourceSampler


class ResourcesHandler(ColabHandler):
    """``GET /colab/resources``: RAM, CPU, disk, GPUs and who holds GPU memory, right now.

    ``?history=1`` adds the recent samples for charts. Asking (re)starts the shared sampler,
    which stops by itself when nobody has asked for a while.
    """

    auth_resource = "colab.resources"

    def initialize(self, name: str, sampler: ResourceSampler) -> None:
        super().initialize(name)
        self.sampler = sampler

    @web.authenticated
    @authorized
    async def get(self) -> None:
        history = self.get_argument("history", "0").lower() in ("1", "true", "yes")
        payload = await self.sampler.snapshot(history=history)
        self.set_header("Content-Type", "application/json")
        self.set_header("Cache-Control", "no-store")
        self.finish(payload)


def _retrieve(future: asyncio.Future[None]) -> None:
    # A write to a socket that closed meanwhile fails; on_close unsubscribes, nothing to report.
    if not future.cancelled():
        future.exception()


class ResourcesSocketHandler(
    ExtensionHandlerMixin, WebSocketMixin, WebSocketHandler, JupyterHandler
):
    """``GET /colab/resources/socket`` (WebSocket): every new sample, pushed as it is taken.

    Authenticated like the kernel and terminal sockets, and the user must be allowed to
    ``read`` ``colab.resources``. Each frame is one sample (the ``Resources`` JSON without
    history), serialised once per tick for all subscribers; the first frame is the latest
    sample. The browser sends nothing. A subscriber that has not taken the previous frame yet
    skips this one: a meter wants the newest figure, not a backlog.
    """

    auth_resource = "colab.resources"

    def initialize(self, name: str, sampler: ResourceSampler) -> None:
        ExtensionHandlerMixin.initialize(self, name)
        self.sampler = sampler
        self._sending: asyncio.Future[None] | None = None
        self._subscribed = False

    def set_default_headers(self) -> None:
        """No HTML headers on a WebSocket (as jupyter_server's kernel socket does)."""

    @ws_authenticated
    async def get(self, *args: Any, **kwargs: Any) -> None:
        allowed = await ensure_async(
            self.authorizer.is_authorized(self, self.current_user, "read", self.auth_resource)
        )
        if not allowed:
            raise web.HTTPError(403, "You may not read this server's resources.")
        await super().get(*args, **kwargs)

    def open(self, *args: Any, **kwargs: Any) -> None:
        super().open(*args, **kwargs)
        self.set_nodelay(True)  # one small frame a tick: send it now, not after a delayed ACK
        self._subscribed = True
        self.sampler.subscribe(self._deliver)

    def _deliver(self, payload: bytes) -> None:
        if self._sending is not None and not self._sending.done():
            return  # the browser has not taken the previous frame: skip, never queue
        try:
            # bytes with binary=False go out as a text frame as they are: no re-encoding.
            self._sending = self.write_message(payload)
        except WebSocketClosedError:
            self._unsubscribe()
            return
        self._sending.add_done_callback(_retrieve)

    def on_message(self, message: str | bytes) -> None:
        """The browser has nothing to say on this socket; anything it sends is ignored."""

    def on_close(self) -> None:
        self._unsubscribe()

    def _unsubscribe(self) -> None:
        if self._subscribed:
            self._subscribed = False
            with contextlib.suppress(Exception):
                self.sampler.unsubscribe(self._deliver)
