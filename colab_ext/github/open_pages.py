"""The pages behind open-in links: what a browser navigates to, so HTML rather than JSON.

A link's GET only shows what it would open and asks to confirm (nothing fetched, nothing
written): any page on the web can send a logged-in user's browser to a link. The page's form
POSTs, with Jupyter's XSRF token, to ``colab/open``, which copies the notebook and redirects
(303) to it in JupyterLab. Nothing is ever run. A logged-out user is sent to the login page by
``@web.authenticated`` with the whole link (path and query) as ``next``, and back after it.
"""

from __future__ import annotations

import html
from typing import Any
from urllib.parse import quote

from jupyter_server.auth.decorator import authorized
from jupyter_server.base.handlers import JupyterHandler
from jupyter_server.extension.handler import ExtensionHandlerMixin
from jupyter_server.utils import url_path_join
from tornado import web

from ..core.errors import ColabError
from ..core.handlers import JsonErrors
from ..core.permissions import WRITE_CONTENTS, needs, refuse_unpermitted
from .link_opener import LinkOpener
from .open_links import OpenLink, gist_link, github_link, parse_source, url_link

#: Nothing runs on these pages; the form may only post back to this server.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'self'"
)

_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body {{ font: 15px/1.5 system-ui, sans-serif; max-width: 40em; margin: 4em auto; padding: 0 1em;
  color: #222; background: #fff; }}
@media (prefers-color-scheme: dark) {{ body {{ color: #ddd; background: #1e1e1e; }} }}
code {{ word-break: break-all; }}
input[type=text] {{ width: 100%; box-sizing: border-box; padding: .3em; font: inherit; }}
button {{ font: inherit; padding: .3em 1.2em; margin-right: 1em; }}
</style></head>
<body><h1>{title}</h1>{body}</body></html>
"""


class OpenPageHandler(ExtensionHandlerMixin, JsonErrors, JupyterHandler):
    """Base of the open-in pages: authenticated and authorized as every colab-ext route
    (``colab.github`` resource, Jupyter's permissions declared per method), errors as a page."""

    auth_resource = "colab.github"
    jupyter_permissions = needs(get=())

    def initialize(self, name: str, **services: Any) -> None:
        super().initialize(name)
        self.links: LinkOpener = services["links"]

    @property
    def content_security_policy(self) -> str:
        return CONTENT_SECURITY_POLICY

    def set_default_headers(self) -> None:
        super().set_default_headers()
        self.set_header("Cache-Control", "no-store")
        self.set_header("Content-Security-Policy", CONTENT_SECURITY_POLICY)

    async def prepare(self) -> None:  # type: ignore[override]
        await super().prepare()
        await refuse_unpermitted(self)

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        exc_info = kwargs.get("exc_info")
        error = exc_info[1] if exc_info else None
        if isinstance(error, ColabError):
            status_code, message = error.status, error.message
        elif isinstance(error, web.HTTPError):
            message = error.log_message or error.reason or self._reason
            if error.log_message and error.args:
                message = error.log_message % error.args
        else:
            status_code, message = 500, "colab-ext could not open this link. See the server log."
        self.set_status(status_code)
        lab = url_path_join(self.base_url, "lab")
        body = (
            f"<p>{html.escape(message)}</p><p><a href='{html.escape(lab)}'>Go to JupyterLab</a></p>"
        )
        self.render_page("The notebook could not be opened", body)

    def render_page(self, title: str, body: str) -> None:
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.finish(_PAGE.format(title=html.escape(title), body=body))

    def confirm(self, link: OpenLink) -> None:
        """The page that asks before anything is fetched."""
        action = url_path_join(self.base_url, "colab/open")
        lab = url_path_join(self.base_url, "lab")
        folder = self.links.default_folder()
        body = (
            "<p>This link asks to copy a notebook to this server and open it:</p>"
            f"<p><code>{html.escape(link.description)}</code></p>"
            f"<form method='post' action='{html.escape(action)}'>"
            f"{self.xsrf_form_html()}"
            f"<input type='hidden' name='source' value='{html.escape(link.source)}'>"
            "<p><label for='folder'>Into the folder (empty: the top folder)</label><br>"
            f"<input type='text' id='folder' name='folder' value='{html.escape(folder)}'></p>"
            "<p>It is only opened: nothing in it runs until you run it.</p>"
            "<p><button type='submit' id='open'>Open notebook</button>"
            f"<a href='{html.escape(lab)}'>Cancel</a></p></form>"
        )
        self.render_page("Open notebook", body)


class OpenGitHubLinkHandler(OpenPageHandler):
    """``GET /colab/open/github/{owner}/{repo}/blob/{ref_path}``: Colab's GitHub link form."""

    @web.authenticated
    @authorized
    async def get(self, owner: str, repo: str, ref_path: str) -> None:
        self.confirm(github_link(owner, repo, ref_path))


class OpenGistLinkHandler(OpenPageHandler):
    """``GET /colab/open/gist/{gist_path}``: Colab's gist link form, ``[user/]id[/file]``."""

    @web.authenticated
    @authorized
    async def get(self, gist_path: str) -> None:
        self.confirm(gist_link(gist_path))


class OpenLinkHandler(OpenPageHandler):
    """``GET /colab/open?url=``: a notebook at an https URL on an allow-listed host.
    ``POST /colab/open`` (the confirmation form): copy the notebook, then 303 to it."""

    jupyter_permissions = needs(get=(), post=(WRITE_CONTENTS,))  # POST writes into the root

    @web.authenticated
    @authorized
    async def get(self) -> None:
        url = self.get_query_argument("url", "")
        self.confirm(url_link(url, self.links.settings.open_url_allowed_hosts))

    @web.authenticated
    @authorized
    async def post(self) -> None:
        hosts = self.links.settings.open_url_allowed_hosts
        link = parse_source(self.get_body_argument("source", ""), hosts)
        path = await self.links.open(link, self.get_body_argument("folder", ""))
        self.redirect(url_path_join(self.base_url, "lab/tree", quote(path)), status=303)
