"""Share links as a service: create, list, revoke, and open one for a visitor.

Plain asyncio code, no tornado. The store's blocking SQLite calls run in worker threads; the
notebook is read through the server's contents manager (so any contents manager works, and the
server's own rules about hidden files apply), and its page is rendered by a
:class:`~colab_ext.share.renderer.PageRenderer`: once per notebook version, off the event loop.
"""

from __future__ import annotations

import asyncio
import functools
import os
import posixpath
from collections.abc import Hashable
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from jupyter_core.utils import ensure_async

from ..core.errors import BadRequest, ColabError, NotFound
from .page import PageBudget, render_notebook, strip_outputs
from .renderer import PageRenderer
from .store import Clock, ShareLink, ShareLinkStore
from .throttle import GuessThrottle

#: The one answer for every token that opens nothing: wrong, revoked, expired, deleted notebook.
GONE = "This share link does not exist, has expired, or was turned off by its owner."

#: The longest a link may live, when it expires at all (a year).
MAX_EXPIRY_S = 366 * 24 * 3600

CONTENTS_EVENTS = "https://events.jupyter.org/jupyter_server/contents_service/v1"


class Throttled(ColabError):
    """Too many wrong tokens sent to this server lately (a right token is never throttled)."""

    status = 429

    def __init__(self, retry_after: float) -> None:
        super().__init__(f"Too many attempts. Try again in {int(retry_after) + 1} seconds.")
        self.retry_after = retry_after


@dataclass
class SharedNotebook:
    """What a visitor gets: the link and the notebook as saved now (outputs stripped if chosen)."""

    link: ShareLink
    name: str
    notebook: dict[str, Any]


class ShareLinks:
    """The share-link service of one server."""

    def __init__(
        self,
        store: ShareLinkStore,
        contents_manager: Any,
        clock: Clock,
        throttle: GuessThrottle,
        enabled: bool = True,
        *,
        renderer: PageRenderer | None = None,
        budget: PageBudget | None = None,
    ) -> None:
        self.store = store
        self.contents = contents_manager
        self.clock = clock
        self.throttle = throttle
        self.enabled = enabled
        self.renderer = renderer or PageRenderer()
        self.budget = budget or PageBudget()

    # ---- for the owner (authenticated routes) -------------------------------------------------

    async def create(
        self,
        path: Any,
        *,
        include_outputs: Any = True,
        expires_in_s: Any = None,
        label: Any = "",
        created_by: str = "",
    ) -> dict[str, Any]:
        """A new link to the notebook at ``path``; the answer carries its token, once."""
        if not self.enabled:
            raise ColabError(
                "Share links are turned off on this server (c.ColabExt.share_enabled).", status=403
            )
        path = self._notebook_path(path)
        if not isinstance(include_outputs, bool):
            raise BadRequest("include_outputs must be true or false.")
        if expires_in_s is not None and (
            not isinstance(expires_in_s, int | float)
            or isinstance(expires_in_s, bool)
            or not 0 < expires_in_s <= MAX_EXPIRY_S
        ):
            raise BadRequest("expires_in_s must be a number of seconds up to a year, or null.")
        if not isinstance(label, str) or len(label) > 200:
            raise BadRequest("label must be text of at most 200 characters.")
        await self._read(path)  # it must exist, be a notebook, and lie inside the server root
        link, token = await asyncio.to_thread(
            self.store.create,
            path,
            include_outputs=include_outputs,
            expires_in_s=expires_in_s,
            label=label.strip(),
            created_by=created_by,
        )
        return {**link.public(self.clock()), "token": token}

    async def list(self) -> list[dict[str, Any]]:
        """Every link, newest first, with whether it still opens."""
        links = await asyncio.to_thread(self.store.all)
        now = self.clock()
        return [link.public(now) for link in links]

    async def revoke(self, link_id: str) -> dict[str, Any]:
        """Turn a link off at once."""
        link = await asyncio.to_thread(self.store.revoke, link_id)
        self.renderer.forget(link_id)
        if link is None:
            raise NotFound(f"There is no share link {link_id!r}. It may have been deleted.")
        return link.public(self.clock())

    async def delete(self, link_id: str) -> None:
        """Forget a link (it stops working too)."""
        self.renderer.forget(link_id)
        if not await asyncio.to_thread(self.store.delete, link_id):
            raise NotFound(f"There is no share link {link_id!r}. It may have been deleted.")

    # ---- for a visitor (the unauthenticated share page) ----------------------------------------

    async def open(self, token: str) -> ShareLink:
        """The live link ``token`` opens; :class:`NotFound` for anything else, never more detail.

        Only wrong tokens are throttled (see throttle.py for why): a right one always opens.
        """
        link = None
        if self.enabled and _plausible(token):
            link = await asyncio.to_thread(self.store.find, token)
        if link is None:
            wait = self.throttle.failed()
            raise NotFound(GONE) if wait is None else Throttled(wait)
        return link

    async def visit(self, token: str, *, count: bool = True) -> SharedNotebook:
        """The notebook ``token`` opens, as saved now (for the download)."""
        link = await self.open(token)
        try:
            notebook = await self._read(link.path)
        except ColabError:
            raise NotFound(GONE) from None
        if count:
            await asyncio.to_thread(self.store.record_visit, link.id)
        if not link.include_outputs:
            notebook = strip_outputs(notebook)
        return SharedNotebook(link, posixpath.basename(link.path), notebook)

    async def check(self, token: str) -> tuple[ShareLink, Hashable]:
        """The link ``token`` opens and the version of its notebook now (404 when it is gone)."""
        link = await self.open(token)
        try:
            version = await self._version(link.path)
        except ColabError:
            raise NotFound(GONE) from None
        return link, version

    async def page(self, token: str, download_href: str) -> str:
        """The HTML page a visitor sees: rendered once per notebook version and kept."""
        link, version = await self.check(token)
        name = posixpath.basename(link.path)
        note = "Read-only copy, as last saved."
        if not link.include_outputs:
            note += " Outputs are not shared."
        if link.expires_at is not None:
            when = datetime.fromtimestamp(link.expires_at, timezone.utc)
            note += f" This link expires on {when:%Y-%m-%d at %H:%M} UTC."

        async def build() -> str:
            try:
                notebook = await self._read(link.path)
            except ColabError:
                raise NotFound(GONE) from None
            if not link.include_outputs:
                notebook = strip_outputs(notebook)
            render = functools.partial(
                render_notebook,
                notebook,
                name=name,
                download_href=download_href,
                note=note,
                budget=self.budget,
            )
            return await self.renderer.run(render)

        key = (version, link.path, download_href, note)
        page = await self.renderer.page(link.id, key, build)
        await asyncio.to_thread(self.store.record_visit, link.id)
        return page

    # ---- following the contents manager -------------------------------------------------------

    async def on_contents_event(self, logger: Any, schema_id: str, data: dict[str, Any]) -> None:
        """Follow renames made in JupyterLab; stop links whose notebook (or folder) is deleted."""
        action, path = data.get("action"), _normal(data.get("path", ""))
        if action == "rename" and data.get("source_path") is not None:
            await asyncio.to_thread(self.store.follow_rename, _normal(data["source_path"]), path)
        elif action == "delete":
            await asyncio.to_thread(self.store.revoke_path, path)

    # ---- helpers ------------------------------------------------------------------------------

    def _notebook_path(self, path: Any) -> str:
        if not isinstance(path, str) or not path.strip():
            raise BadRequest("path must be the notebook's path, relative to the server root.")
        parts = path.replace("\\", "/").split("/")
        if path.startswith("/") or ".." in parts or "\x00" in path:
            raise BadRequest(f"{path!r} is not a path inside the server root.")
        normal = _normal(path)
        if not normal.endswith(".ipynb"):
            raise BadRequest("Only notebooks (.ipynb) can be shared.")
        return normal

    async def _read(self, path: str) -> dict[str, Any]:
        """The saved notebook at ``path``, refused when it is missing or leads out of the root."""
        self._inside_root(path)
        try:
            model = await ensure_async(self.contents.get(path, content=True, type="notebook"))
        except Exception as error:
            raise NotFound(f"There is no notebook at {path!r} ({error}).") from None
        content = model.get("content")
        if not isinstance(content, dict):
            raise NotFound(f"{path!r} is not a notebook.")
        return dict(content)

    async def _version(self, path: str) -> Hashable:
        """What changes whenever the notebook at ``path`` is saved: its mtime and size."""
        self._inside_root(path)
        try:
            model = await ensure_async(self.contents.get(path, content=False, type="notebook"))
        except Exception as error:
            raise NotFound(f"There is no notebook at {path!r} ({error}).") from None
        version: tuple[Any, ...] = (str(model.get("last_modified")), model.get("size"))
        root = getattr(self.contents, "root_dir", None)
        if root:
            # The contents manager reports a symlink's own times (lstat): add its target's.
            version += await asyncio.to_thread(_file_version, root, path)
        return version

    def _inside_root(self, path: str) -> None:
        # A symlink inside the root may point anywhere: refuse what resolves outside it.
        root = getattr(self.contents, "root_dir", None)
        if not root:
            return  # a contents manager without local files: it keeps to its own store
        real_root = os.path.realpath(root)
        real = os.path.realpath(os.path.join(real_root, *path.split("/")))
        if os.path.commonpath([real_root, real]) != real_root:
            raise NotFound(f"{path!r} leads outside the server root.")


def _file_version(root: str, path: str) -> tuple[int, int, int]:
    try:
        info = os.stat(os.path.join(root, *path.split("/")))
    except OSError:
        raise NotFound(f"There is no notebook at {path!r}.") from None
    return info.st_ino, info.st_mtime_ns, info.st_size


def _normal(path: str) -> str:
    return posixpath.normpath(path.strip("/")) if path.strip("/") else ""


def _plausible(token: str) -> bool:
    # token_urlsafe(32) gives 43 characters of [A-Za-z0-9_-]; anything else is not worth a lookup.
    return 32 <= len(token) <= 64 and all(c.isascii() and (c.isalnum() or c in "-_") for c in token)
