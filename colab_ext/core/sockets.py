"""The one base class of colab-ext's WebSocket routes.

A WebSocket route is first an HTTP ``GET``: until the upgrade it can be refused like any route
(no credentials, no permission, no such kernel, not a WebSocket handshake at all). Those refusals
leave as the same ``{"message", "reason"}`` JSON as every other colab-ext route, never as
Jupyter's HTML error page or tornado's plain-text line.
"""

from __future__ import annotations

import json
from typing import Any, ClassVar

from jupyter_core.utils import ensure_async
from jupyter_server.base.handlers import JupyterHandler
from jupyter_server.base.websocket import WebSocketMixin
from jupyter_server.extension.handler import ExtensionHandlerMixin
from tornado.websocket import WebSocketHandler

from .errors import ColabError
from .handlers import JsonErrors
from .permissions import Permissions, missing_permission, needs

#: What tornado's own handshake refusals mean, for the person reading them, by status.
_HANDSHAKE_HINTS = {
    400: (
        "This route is a WebSocket: open it with a WebSocket client (a GET with "
        "'Connection: Upgrade', 'Upgrade: websocket', 'Sec-WebSocket-Key' and "
        "'Sec-WebSocket-Version: 13')."
    ),
    403: "The page that opened this WebSocket is not served by this Jupyter server.",
    426: "This WebSocket speaks protocol version 13 only ('Sec-WebSocket-Version: 13').",
}


class ColabSocketHandler(
    ExtensionHandlerMixin, JsonErrors, WebSocketMixin, WebSocketHandler, JupyterHandler
):
    """Authenticated WebSocket route. Subclasses set ``auth_resource``, ``auth_action`` (what the
    user must be allowed to do on it) and ``jupyter_permissions`` (``get``: what Jupyter's own
    permissions it needs), decorate ``get`` with ``@ws_authenticated`` and call
    :meth:`authorize` before anything else.
    """

    auth_resource = "colab"
    #: The action on ``auth_resource`` that opening the socket needs.
    auth_action = "read"
    #: ``get`` -> the Jupyter permissions the socket needs (see :mod:`.permissions`).
    jupyter_permissions: ClassVar[Permissions] = needs()

    def set_default_headers(self) -> None:
        """No HTML headers on a WebSocket (as jupyter_server's kernel socket does)."""

    async def authorize(self, refused: str) -> None:
        """A 403 unless the user may open this socket: ``refused`` says what they may not do."""
        missing = await missing_permission(self, "get")
        if missing is not None:
            raise ColabError(f"{refused} {missing}", status=403)
        allowed = await ensure_async(
            self.authorizer.is_authorized(
                self, self.current_user, self.auth_action, self.auth_resource
            )
        )
        if not allowed:
            raise ColabError(
                f"{refused} This needs the '{self.auth_action}' permission on "
                f"'{self.auth_resource}', which your account does not have.",
                status=403,
            )

    def finish(self, chunk: Any = None) -> Any:
        """Tornado refuses a bad handshake itself (no ``Upgrade`` header, a foreign origin, an
        old protocol version) with a plain-text line: send it as JSON too, with what to do."""
        status = self.get_status()
        if status >= 400 and not self._headers.get("Content-Type", "").startswith(
            "application/json"
        ):
            detail = (chunk.decode() if isinstance(chunk, bytes) else str(chunk or "")).strip()
            hint = _HANDSHAKE_HINTS.get(status, "")
            message = " ".join(part for part in (detail, hint) if part) or self._reason
            self.set_header("Content-Type", "application/json")
            chunk = json.dumps({"message": message, "reason": self._reason})
        return super().finish(chunk)
