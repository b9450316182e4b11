"""REST handlers of the GitHub feature: thin, each hands its request to one service."""

from __future__ import annotations

from typing import Any

from jupyter_server.auth.decorator import authorized
from tornado import web

from ..core.errors import BadRequest
from ..core.handlers import ColabHandler
from ..core.permissions import READ_CONTENTS, WRITE_CONTENTS, needs
from .account import GitHubAccount
from .gists import GistSaver
from .opener import GitHubOpener
from .saver import GitHubSaver
from .service_requests import (
    parse_browse_request,
    parse_gist_request,
    parse_open_request,
    parse_save_request,
)


class GitHubHandler(ColabHandler):
    """Base of the GitHub handlers: the ``colab.github`` resource and the services."""

    auth_resource = "colab.github"

    def initialize(self, name: str, **services: Any) -> None:
        super().initialize(name)
        self.account: GitHubAccount = services["account"]
        self.opener: GitHubOpener = services["opener"]
        self.saver: GitHubSaver = services["saver"]
        self.gists: GistSaver = services["gists"]


class AccountHandler(GitHubHandler):
    """``/colab/github/account``: who is connected (GET), connect with a token (PUT),
    disconnect (DELETE). The token itself is never sent back."""

    jupyter_permissions = needs(get=(), put=(), delete=())  # GitHub's side only

    @web.authenticated
    @authorized
    async def get(self) -> None:
        self.write_json(await self.account.status())

    @web.authenticated
    @authorized
    async def put(self) -> None:
        token = self.json_body().get("token")
        if not isinstance(token, str):
            raise BadRequest('Send the token as {"token": "..."}.')
        self.write_json(await self.account.connect(token))

    @web.authenticated
    @authorized
    async def delete(self) -> None:
        self.write_json(await self.account.disconnect())


class DeviceFlowHandler(GitHubHandler):
    """``POST /colab/github/device``: start GitHub's device flow; poll the account for the end."""

    jupyter_permissions = needs(post=())

    @web.authenticated
    @authorized
    async def post(self) -> None:
        self.write_json(await self.account.start_device_flow())


class BrowseHandler(GitHubHandler):
    """``GET /colab/github/browse?owner=&repo=&ref=&path=``: one level of a repository."""

    jupyter_permissions = needs(get=())

    @web.authenticated
    @authorized
    async def get(self) -> None:
        query = {k: self.get_argument(k, "") for k in ("owner", "repo", "ref", "path")}
        self.write_json(await self.opener.browse(parse_browse_request(query)))


class OpenHandler(GitHubHandler):
    """``POST /colab/github/open``: copy a notebook from GitHub (URL or location) to a folder."""

    jupyter_permissions = needs(post=(WRITE_CONTENTS,))  # it writes the copy into the root

    @web.authenticated
    @authorized
    async def post(self) -> None:
        self.write_json(await self.opener.open(parse_open_request(self.json_body())))


class SaveHandler(GitHubHandler):
    """``POST /colab/github/save``: commit a copy of a notebook, or open a pull request. A file
    that changed upstream is a 409 whose JSON says how (``conflict``)."""

    jupyter_permissions = needs(post=(READ_CONTENTS,))  # it publishes a server file

    @web.authenticated
    @authorized
    async def post(self) -> None:
        self.write_json(await self.saver.save(parse_save_request(self.json_body())))


class GistHandler(GitHubHandler):
    """``POST /colab/github/gist``: create the notebook's gist, or update the one it has."""

    jupyter_permissions = needs(post=(READ_CONTENTS,))  # it publishes a server file

    @web.authenticated
    @authorized
    async def post(self) -> None:
        self.write_json(await self.gists.save(parse_gist_request(self.json_body())))
