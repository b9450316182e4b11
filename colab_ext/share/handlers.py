"""REST handlers of share links, and the share pages that visitors open.

The share pages (:class:`SharedPageHandler`, :class:`SharedNotebookDownloadHandler`) are the only
colab-ext routes that skip the server's authentication: a visitor has no account. They accept one
thing, a link token, and answer 404 to anything else, with a strict Content-Security-Policy.
They answer GET and HEAD only (405 with ``Allow`` to anything else), and never write the token
to the server's log: not in the access log, not in an error's line or traceback.
"""

from __future__ import annotations

import html
import json
import re
import traceback
import uuid
from typing import Any
from urllib.parse import quote

from jupyter_server.auth.decorator import allow_unauthenticated, authorized
from jupyter_server.base.handlers import JupyterHandler
from jupyter_server.extension.handler import ExtensionHandlerMixin
from jupyter_server.utils import url_path_join
from tornado import web

from ..core.errors import ColabError
from ..core.handlers import ColabHandler
from ..core.permissions import READ_CONTENTS, needs
from ..core.routing import API_PREFIX
from .links import GONE, ShareLinks, Throttled
from .page import CONTENT_SECURITY_POLICY

#: Where share pages live, below ``<base_url>`` (the token follows).
VIEW_PATH = f"{API_PREFIX}/share/view"

#: The token in a share route's URL, however it is spelled (for redacting it from logs).
_TOKEN_IN_URL = re.compile(r"(/share/view/)[^/?#]*")


class _ShareApiHandler(ColabHandler):
    auth_resource = "colab.share"

    def initialize(self, name: str, links: ShareLinks, public_url: str) -> None:
        super().initialize(name)
        self.links = links
        self.public_url = public_url

    def link_url(self, token: str) -> str:
        """The address a visitor opens: the admin's public URL, or the one this browser used."""
        base = self.public_url or f"{self.request.protocol}://{self.request.host}{self.base_url}"
        return url_path_join(base, VIEW_PATH, token)


class ShareLinksHandler(_ShareApiHandler):
    """``GET /colab/share/links``: every link; ``POST``: a new link (its URL is shown once)."""

    # A link publishes a server notebook, and the list names notebooks: both read contents.
    jupyter_permissions = needs(get=(READ_CONTENTS,), post=(READ_CONTENTS,))

    @web.authenticated
    @authorized
    async def get(self) -> None:
        self.write_json(
            {
                "enabled": self.links.enabled,
                "public_url": self.public_url or None,
                "links": await self.links.list(),
            }
        )

    @web.authenticated
    @authorized
    async def post(self) -> None:
        body = self.json_body()
        user = self.current_user
        link = await self.links.create(
            body.get("path"),
            include_outputs=body.get("include_outputs", True),
            expires_in_s=body.get("expires_in_s"),
            label=body.get("label", ""),
            created_by=getattr(user, "username", "") or "",
        )
        token = link.pop("token")
        self.write_json({**link, "url": self.link_url(token)}, status=201)


class ShareLinkHandler(_ShareApiHandler):
    """``DELETE /colab/share/links/{link_id}``: revoke a link (``?forget=1`` also removes it)."""

    jupyter_permissions = needs(delete=())  # it only takes a publication back

    @web.authenticated
    @authorized
    async def delete(self, link_id: str) -> None:
        if self.flag_argument("forget"):
            await self.links.delete(link_id)
            self.set_status(204)
            self.finish()
            return
        self.write_json(await self.links.revoke(link_id))


class _SharePageHandler(ExtensionHandlerMixin, JupyterHandler):
    """Base of the unauthenticated share pages: their own headers, errors as a small HTML page."""

    def initialize(self, name: str, links: ShareLinks) -> None:
        super().initialize(name)
        self.links = links

    @property
    def content_security_policy(self) -> str:
        return CONTENT_SECURITY_POLICY

    def set_default_headers(self) -> None:
        super().set_default_headers()
        # The token is in the URL: never send it to the sites a page links to or loads from.
        self.set_header("Referrer-Policy", "no-referrer")
        # A revoked link must not come back from a cache.
        self.set_header("Cache-Control", "no-store")
        self.set_header("X-Robots-Tag", "noindex, nofollow")
        self.set_header("X-Frame-Options", "DENY")
        self.set_header("Content-Security-Policy", CONTENT_SECURITY_POLICY)

    #: What a share route answers; anything else is a 405 naming these.
    ALLOWED = "GET, HEAD"

    #: A visitor is no Jupyter user: the link's own token is the authority, checked against the
    #: publication, which its author could only make with ``read`` on ``contents``.
    jupyter_permissions = needs(get=(), head=())

    def client(self) -> str:
        """The visitor's address, for the log (the proxy's view with trust_xheaders)."""
        return str(self.request.remote_ip or "unknown")

    def redact(self, text: str) -> str:
        """``text`` with this request's token hidden (it is in the URL)."""
        # No path_kwargs yet when tornado refused the method before routing arguments.
        token = (getattr(self, "path_kwargs", None) or {}).get("token")
        if token:
            text = text.replace(quote(token), "<token>").replace(token, "<token>")
        return _TOKEN_IN_URL.sub(r"\1<token>", text)

    async def prepare(self) -> None:  # type: ignore[override]
        # Before the server's own checks (XSRF, login), which would answer POST and the like 403:
        # a share page is read-only, whoever asks. (Methods tornado does not know at all, TRACE
        # say, never get here: tornado answers them 405 itself, through write_error below.)
        if self.request.method not in ("GET", "HEAD"):
            raise web.HTTPError(405)
        await super().prepare()

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        exc_info = kwargs.get("exc_info")
        error = exc_info[1] if exc_info else None
        if isinstance(error, Throttled):
            self.set_header("Retry-After", str(int(error.retry_after) + 1))
        if status_code == 405:
            self.set_header("Allow", self.ALLOWED)
        if isinstance(error, ColabError):
            status_code, message = error.status, error.message
        elif status_code == 404:
            message = GONE
        elif status_code == 405:
            message = "A share page can only be read (GET or HEAD)."
        else:
            reference = getattr(self, "_failure_reference", None)
            message = "The share page could not be shown."
            if reference:
                message += f" (The server's log has the details, reference {reference}.)"
        self.set_status(status_code)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        if self.request.method == "HEAD":
            self.finish()
            return
        self.finish(_ERROR_PAGE.format(message=html.escape(message)))

    def log_exception(self, typ: Any, value: Any, tb: Any) -> None:
        # Never log the token (it is in the path): what happened, to whom, and a traceback with
        # the token cut out; never tornado's line, which prints the whole request.
        if isinstance(value, ColabError | web.HTTPError):
            status = value.status if isinstance(value, ColabError) else value.status_code
            self.log.info("colab-ext share page: %s for %s", status, self.client())
            return
        reference = self._failure_reference = uuid.uuid4().hex[:8]
        trace = self.redact("".join(traceback.format_exception(typ, value, tb)))
        self.log.error(
            "colab-ext share page failed (ref %s) %s\n%s", reference, self._request_summary(), trace
        )

    def _request_summary(self) -> str:
        return f"{self.request.method} {VIEW_PATH}/<token> ({self.client()})"

    def _log(self) -> None:
        # The access log prints the URL, which holds the token: log it with the token hidden.
        uri = self.request.uri
        if uri:
            self.request.uri = self.redact(uri)
        try:
            super()._log()
        finally:
            self.request.uri = uri


class SharedPageHandler(_SharePageHandler):
    """``GET /colab/share/view/{token}``: the notebook, rendered read-only. No authentication."""

    @allow_unauthenticated
    async def get(self, token: str) -> None:
        page = await self.links.page(token, f"{quote(token)}/download")
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.finish(page)

    @allow_unauthenticated
    async def head(self, token: str) -> None:
        """Whether the page opens, without rendering it or counting a visit."""
        await self.links.check(token)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.finish()


class SharedNotebookDownloadHandler(_SharePageHandler):
    """``GET /colab/share/view/{token}/download``: the shared ``.ipynb``. No authentication."""

    @allow_unauthenticated
    async def get(self, token: str) -> None:
        shared = await self.links.visit(token, count=False)
        self.set_header("Content-Type", "application/x-ipynb+json")
        self.set_header("Content-Disposition", f"attachment; filename*=UTF-8''{quote(shared.name)}")
        self.finish(json.dumps(shared.notebook, indent=1, ensure_ascii=False))

    @allow_unauthenticated
    async def head(self, token: str) -> None:
        """Whether the download opens, without sending it."""
        await self.links.check(token)
        self.set_header("Content-Type", "application/x-ipynb+json")
        self.finish()


_ERROR_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="robots" content="noindex">
<title>Share link not available</title>
<style>body{{font-family:system-ui,sans-serif;max-width:36em;margin:4em auto;padding:0 1em;
color:#333}}h1{{font-size:1.3em}}</style></head>
<body><h1>Share link not available</h1><p class="colab-share-gone">{message}</p></body></html>
"""
