"""Share links: scoped, revocable, read-only links to one notebook, for people with no account."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..core.private_files import private_folder
from ..core.routing import Route, route
from .handlers import (
    SharedNotebookDownloadHandler,
    SharedPageHandler,
    ShareLinkHandler,
    ShareLinksHandler,
)
from .links import CONTENTS_EVENTS, ShareLinks
from .page import PageBudget
from .renderer import PageRenderer
from .store import ShareLink, ShareLinkStore
from .throttle import GuessThrottle

if TYPE_CHECKING:
    from ..app import ColabExt

__all__ = ["ShareLink", "ShareLinkStore", "ShareLinks", "setup"]


def setup(app: ColabExt) -> list[Route]:
    """Open the link store, follow the contents manager's renames and deletions, give the routes."""
    server = app.serverapp
    assert server is not None
    clock = app.share_clock
    folder = private_folder(Path(server.data_dir) / "colab_ext")
    store = ShareLinkStore(folder / "share-links.sqlite3", clock)
    throttle = GuessThrottle(
        clock, burst=app.share_max_failures, window_s=app.share_throttle_window
    )
    mib = 1 << 20
    renderer = PageRenderer(
        workers=app.share_render_workers, max_bytes=int(app.share_page_cache_mb * mib)
    )
    budget = PageBudget(
        max_item=int(app.share_max_output_mb * mib), max_page=int(app.share_max_page_mb * mib)
    )
    links = ShareLinks(
        store,
        server.contents_manager,
        clock,
        throttle,
        app.share_enabled,
        renderer=renderer,
        budget=budget,
    )
    # jupyter_server reports renames and deletions made through its contents API (JupyterLab's
    # file browser, a notebook's "Rename") as events; a link follows its notebook through them.
    events = server.event_logger
    assert events is not None, "jupyter_server 2 always has an event logger"
    events.add_listener(schema_id=CONTENTS_EVENTS, listener=links.on_contents_event)

    async def stop_listening() -> None:
        events.remove_listener(schema_id=CONTENTS_EVENTS, listener=links.on_contents_event)
        renderer.close()

    app.on_stop(stop_listening)
    api = {"links": links, "public_url": app.share_public_url}
    return [
        route("share/links", ShareLinksHandler, **api),
        route("share/links/{link_id}", ShareLinkHandler, **api),
        route("share/view/{token}", SharedPageHandler, links=links),
        route("share/view/{token}/download", SharedNotebookDownloadHandler, links=links),
    ]
