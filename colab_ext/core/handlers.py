"""The one base class of every colab-ext REST handler."""

from __future__ import annotations

import json
import uuid
from typing import Any, ClassVar

from jupyter_server.base.handlers import APIHandler
from jupyter_server.extension.handler import ExtensionHandlerMixin
from tornado import web

from .errors import BadRequest, ColabError
from .permissions import Permissions, needs, refuse_unpermitted
from .upstream_internals import reason_phrase

#: The values a yes/no query argument may take (``enum`` in the OpenAPI file).
FLAG_VALUES = {"1": True, "true": True, "0": False, "false": False}


class JsonErrors:
    """Errors as ``{"message", "reason"}`` JSON and user-facing refusals logged in one line: the
    HTTP routes and the WebSockets share it. Goes before tornado's handler in the bases."""

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        """Turn any failure into ``{"message", "reason"}`` JSON, never a traceback."""
        write_json_error(self, status_code, kwargs.get("exc_info"))

    def log_exception(self, typ: Any, value: Any, tb: Any) -> None:
        """User-facing errors are not server faults: log them in one line, no traceback."""
        handler: Any = self
        if isinstance(value, ColabError):
            handler.log.info(
                "colab-ext %s %s: %s", handler.request.method, handler.request.path, value
            )
            return
        super().log_exception(typ, value, tb)  # type: ignore[misc]


class ColabHandler(ExtensionHandlerMixin, JsonErrors, APIHandler):
    """Authenticated JSON handler. Subclasses set ``auth_resource``, decorate every method
    with ``@web.authenticated`` and ``@authorized``, and declare in ``jupyter_permissions`` what
    each method needs of Jupyter's own permissions (see :mod:`.permissions`); a request without
    them gets a 403 that names the missing one, before the method runs.

    Errors always leave as ``{"message": ...}`` JSON that a person can act on. Unexpected ones are
    logged here with their traceback and a reference, and the browser sees only the reference:
    a traceback tells a user nothing and may leak paths or secrets.
    """

    auth_resource = "colab"
    #: Method name -> the Jupyter permissions it needs. Undeclared methods are refused.
    jupyter_permissions: ClassVar[Permissions] = needs()

    async def prepare(self) -> None:  # type: ignore[override]
        await super().prepare()
        await refuse_unpermitted(self)

    def json_body(self) -> dict[str, Any]:
        """The request body as a JSON object, or a 400 that says what is wrong with it."""
        try:
            body = json.loads(self.request.body or b"{}")
        except ValueError as error:
            raise BadRequest(f"The request body is not valid JSON: {error}.") from None
        if not isinstance(body, dict):
            raise BadRequest("The request body must be a JSON object.")
        return body

    def flag_argument(self, name: str, default: bool = False) -> bool:
        """A yes/no query argument: ``1``/``true`` or ``0``/``false`` (the OpenAPI file's enum);
        anything else is a 400 that says so, rather than read as one or the other."""
        value = self.get_query_argument(name, None)
        if value is None:
            return default
        if value not in FLAG_VALUES:
            raise BadRequest(
                f"'{name}' must be one of {', '.join(FLAG_VALUES)}, not {value[:40]!r}."
            )
        return FLAG_VALUES[value]

    def write_json(self, payload: Any, status: int = 200) -> None:
        """Send ``payload`` as JSON."""
        self.set_status(status)
        self.finish(json.dumps(payload, default=str))


def write_json_error(handler: Any, status_code: int, exc_info: Any = None) -> None:
    """Finish ``handler``'s request with ``{"message", "reason"}`` JSON for a failure.

    A :class:`ColabError` keeps its status and message, and adds its ``details``; tornado's
    ``HTTPError`` its status and log message; anything else is a 500 whose details (with a
    reference) go to the server log only: a traceback tells a user nothing and may leak paths or
    secrets.
    """
    error = exc_info[1] if exc_info else None
    reason = reason_phrase(handler)
    details: dict[str, Any] = {}
    if isinstance(error, ColabError):
        details = error.details
        status_code, message = error.status, error.message
    elif isinstance(error, web.HTTPError):
        template = error.log_message or error.reason or reason
        message = template % error.args if error.log_message and error.args else template
    elif error is not None:
        reference = uuid.uuid4().hex[:8]
        handler.log.error("colab-ext internal error (ref %s)", reference, exc_info=exc_info)
        status_code = 500
        message = (
            f"colab-ext hit an unexpected error (reference {reference}). "
            "The server log has the details."
        )
    else:
        message = reason
    handler.set_status(status_code)
    handler.set_header("Content-Type", "application/json")
    body = {**details, "message": message, "reason": reason_phrase(handler)}
    handler.finish(json.dumps(body))
