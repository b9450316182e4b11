"""GitHub: connect, open from GitHub, save a copy in GitHub (commit or pull request), gists,
and open-in links (Colab's ``/github/...`` URLs served by this server)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from jupyter_core.paths import jupyter_data_dir

from ..core.routing import Route, route
from .account import GitHubAccount
from .client import GitHubClients
from .gists import GistSaver
from .handlers import (
    AccountHandler,
    BrowseHandler,
    DeviceFlowHandler,
    GistHandler,
    OpenHandler,
    SaveHandler,
)
from .link_opener import LinkOpener
from .local import LocalNotebooks
from .open_pages import OpenGistLinkHandler, OpenGitHubLinkHandler, OpenLinkHandler
from .opener import GitHubOpener
from .saver import GitHubSaver
from .settings import GitHubSettings
from .token_store import TokenStore

if TYPE_CHECKING:
    from ..app import ColabExt

__all__ = ["GitHubSettings", "setup"]


def setup(app: ColabExt) -> list[Route]:
    """Build the GitHub feature's services and return its REST routes."""
    server = app.serverapp
    assert server is not None
    token_path = Path(
        app.github_token_path or Path(jupyter_data_dir()) / "colab_ext" / "github_token.json"
    )
    store = TokenStore(token_path, os.environ.get("GITHUB_TOKEN"))
    clients = GitHubClients(app)
    account = GitHubAccount(app, store, clients)
    local = LocalNotebooks(server.contents_manager)
    opener = GitHubOpener(account, local)
    services = {
        "account": account,
        "opener": opener,
        "saver": GitHubSaver(account, local),
        "gists": GistSaver(account, local),
    }
    links = LinkOpener(app, opener, local)

    async def stop() -> None:
        await account.close()
        clients.close()

    app.on_stop(stop)
    return [
        route("github/account", AccountHandler, **services),
        route("github/device", DeviceFlowHandler, **services),
        route("github/browse", BrowseHandler, **services),
        route("github/open", OpenHandler, **services),
        route("github/save", SaveHandler, **services),
        route("github/gist", GistHandler, **services),
        # Open-in links: Colab's URL scheme under colab/open/ (pages, not JSON; see open_pages).
        route("open", OpenLinkHandler, links=links),
        route("open/github/{owner}/{repo}/blob/{ref_path}", OpenGitHubLinkHandler, links=links),
        route("open/gist/{gist_path}", OpenGistLinkHandler, links=links),
    ]
