"""Handlers of the resource monitor: the latest sample over HTTP, and every new one pushed."""

from __future__ import annotations

import contextlib
import functools
import socket
import struct
from typing import Any

from jupyter_server.auth.decorator import authorized, ws_authenticated
from tornado import web
from tornado.iostream import IOStream, StreamClosedError

from ..core.handlers import ColabHandler
from ..core.permissions import READ_KERNELS, needs
from ..core.sockets import ColabSocketHandler
from .sampler import ResourceSampler

#: The kernel's send buffer for each subscriber. Autotuned, it grows to megabytes: thousands of
#: stale frames queued for a reader that stopped taking them, before the skip in ``_deliver``
#: starts. A few frames' worth keeps what a slow reader gets next close to the newest sample.
SEND_BUFFER_BYTES = 32 * 1024


class ResourcesHandler(ColabHandler):
    """``GET /colab/resources``: RAM, CPU, disk, GPUs and who holds GPU memory, right now.

    ``?history=1`` adds the recent samples for charts. Asking (re)starts the shared sampler,
    which stops by itself when nobody has asked for a while.
    """

    auth_resource = "colab.resources"
    jupyter_permissions = needs(get=(READ_KERNELS,))  # GPU holders name kernels and notebooks

    def initialize(self, name: str, sampler: ResourceSampler) -> None:
        super().initialize(name)
        self.sampler = sampler

    @web.authenticated
    @authorized
    async def get(self) -> None:
        payload = await self.sampler.snapshot(history=self.flag_argument("history"))
        self.set_header("Content-Type", "application/json")
        self.set_header("Cache-Control", "no-store")
        self.finish(payload)


@functools.lru_cache(maxsize=2)
def text_frame(payload: bytes) -> bytes:
    """``payload`` as one whole, unmasked WebSocket text frame (RFC 6455, 5.2).

    A server's frames are never masked, so every subscriber gets the same bytes: the frame is
    built once per sample (the cache hits on the sampler's one ``bytes`` object per tick, whose
    hash Python keeps) and written as is, not re-framed for each socket.
    """
    size = len(payload)
    if size < 126:
        header = struct.pack("!BB", 0x81, size)
    elif size <= 0xFFFF:
        header = struct.pack("!BBH", 0x81, 126, size)
    else:
        header = struct.pack("!BBQ", 0x81, 127, size)
    return header + payload


class ResourcesSocketHandler(ColabSocketHandler):
    """``GET /colab/resources/socket`` (WebSocket): every new sample, pushed as it is taken.

    Authenticated like the kernel and terminal sockets, and the user must be allowed to
    ``read`` ``colab.resources`` and Jupyter's ``kernels``. Each frame is one sample (the
    ``Resources`` JSON without history), serialised once per tick for all subscribers; the first
    frame is the latest sample. The browser sends nothing. A subscriber that has not taken the
    previous frame yet skips this one: a meter wants the newest figure, not a backlog. A refused
    or malformed handshake is answered as JSON (see :class:`ColabSocketHandler`).
    """

    auth_resource = "colab.resources"
    auth_action = "read"
    jupyter_permissions = needs(get=(READ_KERNELS,))  # as ResourcesHandler

    def initialize(self, name: str, sampler: ResourceSampler) -> None:
        super().initialize(name)
        self.sampler = sampler
        self._subscribed = False

    @ws_authenticated
    async def get(self, *args: Any, **kwargs: Any) -> None:
        await self.authorize("You may not read this server's resources.")
        await super().get(*args, **kwargs)

    def open(self, *args: Any, **kwargs: Any) -> None:
        super().open(*args, **kwargs)
        self.set_nodelay(True)  # one small frame a tick: send it now, not after a delayed ACK
        connection = self.ws_connection
        if connection is not None and connection.stream is not None:
            with contextlib.suppress(OSError):
                connection.stream.socket.setsockopt(
                    socket.SOL_SOCKET, socket.SO_SNDBUF, SEND_BUFFER_BYTES
                )
        self._subscribed = True
        self.sampler.subscribe(self._deliver)

    def _deliver(self, payload: bytes) -> None:
        connection = self.ws_connection
        stream = None if connection is None else connection.stream
        if connection is None or connection.is_closing() or stream is None:
            self._unsubscribe()
            return
        if stream.writing():
            return  # the browser has not taken the previous frame: skip it, never queue
        # The shared, prebuilt frame as it is: no framing, no coroutine per subscriber. This
        # handler never negotiates permessage-deflate (tornado's default
        # get_compression_options), so frames go out uncompressed.
        frame = text_frame(payload)
        sent = 0
        if type(stream) is IOStream:
            # Plain TCP with nothing queued: one send() straight to the kernel, which is what
            # IOStream.write would end in, without its future and buffer bookkeeping.
            try:
                sent = stream.socket.send(frame)
            except BlockingIOError:
                sent = 0
            except OSError:
                return  # the connection is gone: tornado's reader sees it and calls on_close
        if sent < len(frame):
            # TLS, or a full socket buffer: the rest through tornado, which waits for the socket.
            with contextlib.suppress(StreamClosedError):
                stream.write(frame[sent:])

    def on_message(self, message: str | bytes) -> None:
        """The browser has nothing to say on this socket; anything it sends is ignored."""

    def on_close(self) -> None:
        self._unsubscribe()

    def _unsubscribe(self) -> None:
        if self._subscribed:
            self._subscribed = False
            with contextlib.suppress(Exception):
                self.sampler.unsubscribe(self._deliver)
