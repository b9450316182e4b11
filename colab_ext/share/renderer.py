"""Share pages rendered once per notebook version, off the event loop, a bounded number at a time.

Rendering a page is CPU work in pure Python (nbconvert, bleach): seconds for a big notebook.
Done on every visit, in the loop's shared thread pool, seven visits to one big page kept every
other share page waiting for minutes. So:

- a page is kept once rendered, keyed by everything it shows (link, notebook version, options);
  memory for pages is bounded, least recently used first out;
- visits arriving while their page renders wait for that one render instead of starting others;
- renders run in a pool of their own with few threads: the event loop never runs one, and a
  burst of big pages queues there instead of taking every worker of the server.

A render that has started runs to its end even when its visitor leaves: its page is kept for the
next visitor, and :class:`~colab_ext.share.page.PageBudget` bounds how long it takes.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from concurrent.futures import ThreadPoolExecutor


class PageRenderer:
    """Renders share pages in a small pool and keeps them, up to ``max_bytes`` of pages."""

    def __init__(self, *, workers: int = 2, max_bytes: int = 64 << 20) -> None:
        self.max_bytes = max_bytes
        self._pool = ThreadPoolExecutor(
            max_workers=max(1, workers), thread_name_prefix="colab-ext-share-render"
        )
        self._pages: OrderedDict[tuple[str, Hashable], str] = OrderedDict()
        self._bytes = 0
        self._rendering: dict[tuple[str, Hashable], asyncio.Future[str]] = {}
        #: Renders started since the server started (tests and admins read it).
        self.renders = 0

    @property
    def in_progress(self) -> int:
        """Renders running or queued now."""
        return len(self._rendering)

    async def page(
        self, link_id: str, version: Hashable, build: Callable[[], Awaitable[str]]
    ) -> str:
        """The page of ``link_id`` at ``version``: kept, being built, or built now by ``build``.

        ``version`` must change whenever the page would (the notebook's mtime and size, the
        link's options). ``build`` reads the notebook and hands the rendering to :meth:`run`.
        """
        key = (link_id, version)
        if key in self._pages:
            self._pages.move_to_end(key)
            return self._pages[key]
        running = self._rendering.get(key)
        if running is None:
            running = asyncio.ensure_future(self._build(key, build))
            # Read its error even when every visitor left, so that asyncio does not log it.
            running.add_done_callback(lambda done: done.cancelled() or done.exception())
            self._rendering[key] = running
        # A visitor who leaves cancels only their own wait, never the shared render.
        return await asyncio.shield(running)

    async def run(self, render: Callable[[], str]) -> str:
        """Run ``render`` in this renderer's pool."""
        return await asyncio.get_running_loop().run_in_executor(self._pool, render)

    async def _build(self, key: tuple[str, Hashable], build: Callable[[], Awaitable[str]]) -> str:
        self.renders += 1
        try:
            page = await build()
        finally:
            self._rendering.pop(key, None)
        self._keep(key, page)
        return page

    def _keep(self, key: tuple[str, Hashable], page: str) -> None:
        # Older versions of the same link's page will not be asked for again.
        for old in [k for k in self._pages if k[0] == key[0]]:
            self._bytes -= len(self._pages.pop(old))
        if len(page) > self.max_bytes:
            return
        self._pages[key] = page
        self._bytes += len(page)
        while self._bytes > self.max_bytes:
            _, dropped = self._pages.popitem(last=False)
            self._bytes -= len(dropped)

    def forget(self, link_id: str) -> None:
        """Drop a link's kept pages (it was revoked or deleted)."""
        for old in [k for k in self._pages if k[0] == link_id]:
            self._bytes -= len(self._pages.pop(old))

    def close(self) -> None:
        """Stop taking renders; those queued are dropped, a running one is left to finish."""
        self._pool.shutdown(wait=False, cancel_futures=True)
