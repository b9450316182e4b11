"""Kernel websockets through Jupyter Enterprise Gateway that connect on the first try.

jupyter_server 2.x relays a notebook's kernel websocket to the gateway with
``GatewayWebSocketConnection``. Three things in it, together with Enterprise Gateway 3.3 and
JupyterLab 4 in Chromium, leave a notebook's kernel status at ``unknown`` (docs/gateway.md has the
whole story, with the logs that show it):

1. It answers the browser with no subprotocol (jupyter_server#1311 forces the legacy protocol,
   because it sends the browser's frames to the gateway unchanged). JupyterLab offers
   ``v1.kernel.websocket.jupyter.org``; Chromium fails a handshake that offered a subprotocol and
   got none back, so JupyterLab opens a second socket at once, with the same ``session_id``.
2. When the browser's socket closes while the connection to the gateway is still being set up
   (the gateway holds its handshake until a new kernel answers ``kernel_info``), it cancels that
   future. Cancelling does not stop tornado's handshake: it completes, and the connection is
   left open with nobody reading it or closing it.
3. The gateway (jupyter_server 1.x's channels handler) lets one connection per
   ``kernel:session_id`` live: the second socket waits for the orphan to close, which it never
   does, until the server's handshake timeout (``GatewayClient.request_timeout``, 42 s). The
   browser's ``kernel_info_request`` is then dropped, and the server retries in the background.

:class:`GatewayKernelWebsocket` fixes 1 and 2 on the server. It answers the browser with the
subprotocol the gateway speaks (learnt once per gateway, from the first kernel websocket, whose
handshake waits for the gateway's) and connects to the gateway in that same protocol, so frames
pass through as they are (text as text, binary as binary); and a gateway connection whose browser
socket has gone is closed as soon as it exists, never left open. If the gateway connection drops
later, the browser's socket is closed with it, so JupyterLab shows the reconnection and reconnects
itself (the gateway replays what the kernel sent meanwhile) instead of the server retrying while
the browser's messages are dropped.

It replaces jupyter_server's class only on a server with a gateway, and only when no admin chose
another class (:func:`use_for_gateway_kernels`). It relies on ``GatewayWebSocketConnection``'s
``prepare``/``connect``/``disconnect`` hooks and its ``kernel_ws_protocol`` trait, read against
jupyter_server 2.21.1; ``tests/runtime/test_gateway_websocket.py`` checks them against a real
gateway.
"""

from __future__ import annotations

import asyncio
from typing import Any, cast

import tornado.websocket
from jupyter_server.gateway.connections import GatewayWebSocketConnection
from jupyter_server.gateway.gateway_client import GatewayClient
from jupyter_server.utils import url_path_join
from tornado import web
from tornado.escape import url_escape
from tornado.httpclient import HTTPClientError, HTTPRequest

#: jupyter_server's own class for gateway kernels, which this one replaces.
UPSTREAM_CLASS = GatewayWebSocketConnection
#: Close code for the browser's socket when the gateway's goes away (RFC 6455: 1011, an
#: unexpected condition on the server); JupyterLab reconnects on any close.
GATEWAY_LOST = 1011
#: The subprotocol each gateway (by URL) chose from an offer of subprotocols ("" for legacy),
#: learnt from the first kernel websocket that made that offer.
GATEWAY_PROTOCOL: dict[tuple[str, tuple[str, ...]], str] = {}


class GatewayKernelWebsocket(GatewayWebSocketConnection):
    """A kernel websocket relayed to a gateway, speaking the protocol both ends agreed on."""

    #: The gateway connection, once its handshake is done.
    gateway_ws: tornado.websocket.WebSocketClientConnection | None = None
    _relay: asyncio.Task[None] | None = None

    def _offered(self) -> list[str]:
        """The subprotocols the browser offered, in its order of preference."""
        header = self.websocket_handler.request.headers.get("Sec-WebSocket-Protocol", "")
        return [name.strip() for name in header.split(",") if name.strip()]

    def _gateway_url(self) -> str:
        client = GatewayClient.instance()
        url = url_path_join(
            client.ws_url or "", client.kernels_endpoint, url_escape(self.kernel_id), "channels"
        )
        session = self.session.session
        return f"{url}?session_id={url_escape(session)}" if session else url

    async def _open_gateway(
        self, subprotocols: list[str]
    ) -> tornado.websocket.WebSocketClientConnection | None:
        """Connect to the kernel's channels on the gateway, offering ``subprotocols``; None if
        the browser's socket closed meanwhile (the gateway's is then closed too)."""
        url = self._gateway_url()
        self.log.info("Connecting to %s (offering %s)", url, subprotocols or "no subprotocol")
        request = HTTPRequest(url, **GatewayClient.instance().load_connection_args())  # type: ignore[no-untyped-call]
        future = cast(
            "asyncio.Future[tornado.websocket.WebSocketClientConnection]",
            tornado.websocket.websocket_connect(request, subprotocols=subprotocols or None),
        )
        # Never cancel this future (cancelling does not stop the handshake, see the module
        # docstring): a connection that completes after the browser left is closed here.
        self.ws_future = future
        try:
            ws = await asyncio.shield(future)
        except asyncio.CancelledError:
            future.add_done_callback(_close_when_connected)
            raise
        if self.disconnected:
            ws.close()
            self.log.debug("Closed the gateway connection of a browser socket that closed first")
            return None
        return ws

    async def prepare(self) -> None:
        """Before the browser's handshake: pick the subprotocol to answer it with.

        The first socket to a gateway waits for the gateway's own handshake to learn which of
        the browser's subprotocols the gateway speaks; later ones are answered at once with
        what it agreed (holding every handshake would queue them: Chromium opens one websocket
        to a host at a time)."""
        offered = self._offered()
        key = (GatewayClient.instance().url or "", tuple(offered))
        known = GATEWAY_PROTOCOL.get(key)
        if known is not None:
            self.kernel_ws_protocol = known
            return
        try:
            ws = await self._open_gateway(offered)
        except HTTPClientError as error:
            # The gateway's own refusal (unknown kernel, forbidden, ...) goes to the browser,
            # which then asks for the kernel's model and shows it dead or reconnects.
            raise web.HTTPError(
                error.code, f"Gateway refused the kernel websocket: {error}"
            ) from error
        except OSError as error:
            raise web.HTTPError(
                503, f"Gateway unreachable for the kernel websocket: {error}"
            ) from error
        if ws is None:
            raise web.HTTPError(410, "the browser closed its socket before the kernel answered")
        agreed = ws.selected_subprotocol or ""
        if agreed and agreed not in offered:
            ws.close()
            raise web.HTTPError(502, f"Gateway chose a subprotocol nobody offered: {agreed!r}")
        GATEWAY_PROTOCOL[key] = agreed
        self.kernel_ws_protocol = agreed
        self.gateway_ws = self.ws = ws

    async def connect(self) -> None:
        """Once the browser's socket is open: connect to the gateway in the protocol the browser
        was answered with (tornado holds the browser's messages until this returns), then relay
        what the gateway sends."""
        agreed = self.kernel_ws_protocol or ""
        self.log.debug("Kernel %s websocket speaks %r", self.kernel_id, agreed or "legacy")
        if self.gateway_ws is None:
            try:
                ws = await self._open_gateway([agreed] if agreed else [])
            except (HTTPClientError, OSError) as error:
                self.log.warning("Gateway refused kernel %s's websocket: %s", self.kernel_id, error)
                self._close_browser(f"the gateway refused: {error}")
                return
            if ws is None:  # the browser left meanwhile
                return
            if (ws.selected_subprotocol or "") != agreed:
                # The gateway changed since it was asked: the next socket asks it again.
                GATEWAY_PROTOCOL.pop(
                    (GatewayClient.instance().url or "", tuple(self._offered())), None
                )
                ws.close()
                self._close_browser("the gateway changed its kernel websocket protocol")
                return
            self.gateway_ws = self.ws = ws
        self._relay = asyncio.ensure_future(self._relay_from_gateway(self.gateway_ws))
        self._relay.add_done_callback(self._relay_done)

    def _close_browser(self, reason: str) -> None:
        self.disconnected = True
        self.websocket_handler.close(GATEWAY_LOST, reason[:120])

    def _relay_done(self, task: asyncio.Task[None]) -> None:
        if not task.cancelled() and task.exception() is not None:
            self.log.error(
                "Relaying kernel %s from the gateway failed",
                self.kernel_id,
                exc_info=task.exception(),
            )

    async def _relay_from_gateway(self, ws: tornado.websocket.WebSocketClientConnection) -> None:
        while True:
            try:
                message = await ws.read_message()
            except Exception as error:  # the stream broke: same as a close
                self.log.warning(
                    "Reading from the gateway failed for %s: %s", self.kernel_id, error
                )
                message = None
            if message is None:
                break
            self.handle_outgoing_message(message)
        if not self.disconnected:
            self.log.warning(
                "Lost the gateway connection of kernel %s (close code %s); closing the "
                "browser's socket so that it reconnects",
                self.kernel_id,
                ws.close_code,
            )
            self._close_browser("lost the connection to the gateway")

    def handle_outgoing_message(self, incoming_msg: str | bytes, *args: Any) -> None:
        """Gateway to browser, as the same kind of frame."""
        try:
            self.websocket_handler.write_message(
                incoming_msg, binary=isinstance(incoming_msg, bytes)
            )
        except tornado.websocket.WebSocketClosedError:
            self.log.debug(
                "Browser socket of kernel %s closed: a message is dropped", self.kernel_id
            )

    def handle_incoming_message(self, message: str | bytes) -> None:
        """Browser to gateway, as the same kind of frame."""
        ws = self.gateway_ws
        if ws is None or self.disconnected:
            self.log.warning(
                "Dropping a message for kernel %s: no gateway connection", self.kernel_id
            )
            return
        try:
            ws.write_message(message, binary=isinstance(message, bytes))
        except tornado.websocket.WebSocketClosedError:
            self.log.warning(
                "Dropping a message for kernel %s: gateway connection closed", self.kernel_id
            )

    def disconnect(self) -> None:  # type: ignore[override] # sync, as jupyter_server's gateway one
        """The browser's socket closed: close the gateway's, now or once it exists."""
        self.disconnected = True
        if self.gateway_ws is not None:
            self.gateway_ws.close()
        elif self.ws_future is not None and not self.ws_future.done():
            self.ws_future.add_done_callback(_close_when_connected)


def _close_when_connected(future: asyncio.Future[Any]) -> None:
    """Close a gateway connection whose browser socket has gone, if its handshake succeeded."""
    if not future.cancelled() and future.exception() is None:
        future.result().close()


def use_for_gateway_kernels(settings: dict[str, Any], log: Any) -> bool:
    """Relay gateway kernels' websockets with :class:`GatewayKernelWebsocket`, on a server with a
    gateway whose admin kept jupyter_server's own class. True if it did."""
    if settings.get("kernel_websocket_connection_class") is not UPSTREAM_CLASS:
        return False
    settings["kernel_websocket_connection_class"] = GatewayKernelWebsocket
    log.info(
        "colab-ext: kernel websockets to the gateway negotiate their subprotocol with it and "
        "close cleanly (docs/gateway.md)"
    )
    return True
