"""Copies the notebook an open-in link names into a folder of this server (never runs it)."""

from __future__ import annotations

import json
import posixpath
from typing import Any
from urllib.parse import unquote, urlsplit

from jupyter_core.utils import ensure_async
from tornado.httpclient import AsyncHTTPClient, HTTPClientError, HTTPRequest

from ..core.errors import BadRequest, ColabError, NotFound, Unavailable
from ..core.safe_paths import safe_name
from .local import LocalNotebooks, checked_path
from .notebooks import parse, with_record
from .open_links import OpenLink
from .opener import GitHubOpener
from .settings import GitHubSettings


async def download(url: str, max_bytes: int) -> bytes:
    """``url``'s body, refused past ``max_bytes`` while it streams; no redirects (they could
    lead off the allow-listed host), no cookies, no GitHub token."""
    chunks: list[bytes] = []
    received = 0

    def collect(chunk: bytes) -> None:
        nonlocal received
        received += len(chunk)
        if received > max_bytes:
            # Raising here ends the transfer; tornado reports it as a failed request.
            raise OverflowError("too large")
        chunks.append(chunk)

    request = HTTPRequest(
        url,
        follow_redirects=False,
        request_timeout=30,
        streaming_callback=collect,
        headers={"Accept": "application/x-ipynb+json, application/json, text/plain"},
        user_agent="colab-ext",
    )
    host = urlsplit(url).hostname
    try:
        await AsyncHTTPClient().fetch(request)
    except Exception as error:
        if received <= max_bytes:
            raise _failure(host, error) from None
        raise BadRequest(
            f"The notebook at {host} is larger than the {max_bytes:,} bytes this server opens "
            "from a link."
        ) from None
    return b"".join(chunks)


def _failure(host: str | None, error: Exception) -> ColabError:
    if isinstance(error, HTTPClientError) and error.code == 404:
        return NotFound(f"{host} has no notebook at that URL.")
    if isinstance(error, HTTPClientError) and error.code != 599:
        return ColabError(f"{host} answered {error.code} for that URL.", status=502)
    return Unavailable(f"{host} did not answer ({type(error).__name__}).")


class LinkOpener:
    """Fetches a link's notebook (GitHub's through :class:`GitHubOpener`, with its GitHub record
    kept, so saving back works) and saves it into a folder: under a new name when another file
    has its name, or the same file when an identical copy is already there (a link clicked
    twice opens one notebook, not two)."""

    def __init__(
        self,
        settings: GitHubSettings,
        opener: GitHubOpener,
        local: LocalNotebooks,
    ) -> None:
        self.settings = settings
        self.opener = opener
        self.local = local

    def default_folder(self) -> str:
        """The folder links copy into unless the user picks another (the admin's setting)."""
        return self.settings.open_in_folder.strip("/")

    async def open(self, link: OpenLink, folder: str) -> str:
        """Copy the notebook into ``folder``; its path on this server."""
        limit = self.settings.open_max_bytes
        if link.location is not None:
            name, data, record = await self.opener.read(link.location, max_bytes=limit)
        else:
            url = str(link.url)
            name = unquote(posixpath.basename(urlsplit(url).path))
            data, record = await download(url, limit), {}
        if len(data) > limit:  # a gist's content comes whole: checked once it is here
            raise BadRequest(f"'{name}' is larger than the {limit:,} bytes a link may open.")
        notebook = parse(data, name)
        if record:
            notebook = with_record(notebook, **record)
        return await self._place(folder, name, notebook)

    async def _place(self, folder: str, name: str, notebook: dict[str, Any]) -> str:
        folder = checked_path(folder, self.local.root)
        await self._make_folder(folder)
        same_name = posixpath.join(folder, safe_name(name, "notebook.ipynb"))
        contents = self.local.contents
        if await ensure_async(contents.file_exists(same_name)):
            try:
                existing = await self.local.read(same_name)
            except ColabError:
                existing = None
            if existing is not None and _comparable(existing) == _comparable(notebook):
                return same_name
        path = await self.local.free_path(folder, name)
        return await self.local.write(path, notebook)

    async def _make_folder(self, folder: str) -> None:
        """Create ``folder`` (and its parents) when missing, as a person typing a new folder
        name on the confirmation page expects."""
        contents = self.local.contents
        done = ""
        for part in [p for p in folder.split("/") if p]:
            done = posixpath.join(done, part)
            if not await ensure_async(contents.dir_exists(done)):
                checked_path(done, self.local.root)
                await ensure_async(contents.save({"type": "directory"}, done))


def _comparable(notebook: dict[str, Any]) -> str:
    """The notebook without what Jupyter adds when it reads one (trust flags, signature)."""
    copy = json.loads(json.dumps(notebook))
    copy.get("metadata", {}).pop("signature", None)
    for cell in copy.get("cells", []):
        cell.get("metadata", {}).pop("trusted", None)
        if isinstance(cell.get("source"), list):
            cell["source"] = "".join(cell["source"])
        for output in cell.get("outputs", []):
            for key in ("text",):
                if isinstance(output.get(key), list):
                    output[key] = "".join(output[key])
    return json.dumps(copy, sort_keys=True)
