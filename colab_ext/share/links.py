"""Share links as a service: create, list, revoke, and open one for a visitor.

Plain asyncio code, no tornado. The store's blocking SQLite calls run in worker threads; the
notebook is read through the server's contents manager (so any contents manager works, and the
server's own rules about hidden files apply), and rendered in a worker thread too.
"""

from __future__ import annotations

import asyncio
import os
import posixpath
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from jupyter_core.utils import ensure_async

from ..core.errors import BadRequest, ColabError, NotFound
from .page import render_notebook, strip_outputs
from .store import Clock, ShareLink, ShareLinkStore
from .throttle import GuessThrottle

#: The one answer for every token that opens nothing: wrong, revoked, expired, deleted notebook.
GONE = "This share link does not exist, has expired, or was turned off by its owner."

#: The longest a link may live, when it expires at all (a year).
MAX_EXPIRY_S = 366 * 24 * 3600

CONTENTS_EVENTS = "https://events.jupyter.org/jupyter_server/contents_service/v1"


class Throttled(ColabError):
    """Too many wrong tokens from one client address."""

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
    ) -> None:
        self.store = store
        self.contents = contents_manager
        self.clock = clock
        self.throttle = throttle
        self.enabled = enabled

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
        if link is None:
            raise NotFound(f"There is no share link {link_id!r}. It may have been deleted.")
        return link.public(self.clock())

    async def delete(self, link_id: str) -> None:
        """Forget a link (it stops working too)."""
        if not await asyncio.to_thread(self.store.delete, link_id):
            raise NotFound(f"There is no share link {link_id!r}. It may have been deleted.")

    # ---- for a visitor (the unauthenticated share page) ----------------------------------------

    async def visit(self, token: str, client: str, *, count: bool = True) -> SharedNotebook:
        """The notebook ``token`` opens; :class:`NotFound` for anything else, never more detail."""
        wait = self.throttle.retry_after(client)
        if wait is not None:
            raise Throttled(wait)
        link = None
        if self.enabled and _plausible(token):
            link = await asyncio.to_thread(self.store.find, token)
        if link is None:
            self.throttle.failed(client)
            raise NotFound(GONE)
        try:
            notebook = await self._read(link.path)
        except ColabError:
            raise NotFound(GONE) from None
        if count:
            await asyncio.to_thread(self.store.record_visit, link.id)
        if not link.include_outputs:
            notebook = strip_outputs(notebook)
        return SharedNotebook(link, posixpath.basename(link.path), notebook)

    async def render(self, shared: SharedNotebook, download_href: str) -> str:
        """The HTML page of a visit (in a worker thread: nbconvert takes a while on big ones)."""
        note = "Read-only copy, as last saved."
        if not shared.link.include_outputs:
            note += " Outputs are not shared."
        if shared.link.expires_at is not None:
            when = datetime.fromtimestamp(shared.link.expires_at, timezone.utc)
            note += f" This link expires on {when:%Y-%m-%d at %H:%M} UTC."
        return await asyncio.to_thread(
            render_notebook,
            shared.notebook,
            name=shared.name,
            download_href=download_href,
            note=note,
        )

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

    def _inside_root(self, path: str) -> None:
        # A symlink inside the root may point anywhere: refuse what resolves outside it.
        root = getattr(self.contents, "root_dir", None)
        if not root:
            return  # a contents manager without local files: it keeps to its own store
        real_root = os.path.realpath(root)
        real = os.path.realpath(os.path.join(real_root, *path.split("/")))
        if os.path.commonpath([real_root, real]) != real_root:
            raise NotFound(f"{path!r} leads outside the server root.")


def _normal(path: str) -> str:
    return posixpath.normpath(path.strip("/")) if path.strip("/") else ""


def _plausible(token: str) -> bool:
    # token_urlsafe(32) gives 43 characters of [A-Za-z0-9_-]; anything else is not worth a lookup.
    return 32 <= len(token) <= 64 and all(c.isascii() and (c.isalnum() or c in "-_") for c in token)
