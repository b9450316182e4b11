"""Notebooks on this server, always through Jupyter's contents manager and inside its root."""

from __future__ import annotations

import json
import os
import posixpath
from pathlib import Path
from typing import Any

from jupyter_core.utils import ensure_async
from tornado import web

from ..core.errors import BadRequest, NotFound


def checked_path(path: str, root_dir: str | None) -> str:
    """A browser-given path, relative to the server root, refused if it could leave the root
    (``..``, absolute paths, symlinks that point outside)."""
    text = (path or "").replace("\\", "/").strip()
    if text.startswith("/") or text.startswith("~") or ":" in text.split("/")[0]:
        raise BadRequest(f"'{path}' must be a path relative to the Jupyter root folder.")
    parts = [p for p in text.split("/") if p not in ("", ".")]
    if ".." in parts:
        raise BadRequest(f"'{path}' may not contain '..': it must stay inside the Jupyter root.")
    clean = "/".join(parts)
    if root_dir:
        root = Path(root_dir).resolve()
        real = (root / clean).resolve()
        if real != root and root not in real.parents:
            raise BadRequest(f"'{path}' leads outside the Jupyter root folder.")
    return clean


class LocalNotebooks:
    """Reads and writes notebooks for the GitHub feature."""

    def __init__(self, contents_manager: Any) -> None:
        self.contents = contents_manager
        self.root_dir: str | None = getattr(contents_manager, "root_dir", None)

    async def read(self, path: str) -> dict[str, Any]:
        clean = checked_path(path, self.root_dir)
        if not clean.endswith(".ipynb"):
            raise BadRequest(f"'{path}' is not a notebook (.ipynb).")
        try:
            model = await ensure_async(self.contents.get(clean, content=True, type="notebook"))
        except web.HTTPError as error:
            if error.status_code == 404:
                raise NotFound(f"There is no notebook '{clean}' on this server.") from None
            raise BadRequest(f"'{clean}' could not be read: {error.log_message}") from None
        # A round trip through JSON turns nbformat's NotebookNode into plain dicts.
        notebook: dict[str, Any] = json.loads(json.dumps(model["content"]))
        return notebook

    async def write(self, path: str, notebook: dict[str, Any]) -> str:
        clean = checked_path(path, self.root_dir)
        model = {"type": "notebook", "format": "json", "content": notebook}
        await ensure_async(self.contents.save(model, clean))
        return clean

    async def free_path(self, folder: str, name: str) -> str:
        """``folder/name``, or ``folder/stem-1.ipynb`` (and so on) if that is taken."""
        folder = checked_path(folder, self.root_dir)
        if folder and not await ensure_async(self.contents.dir_exists(folder)):
            raise NotFound(f"There is no folder '{folder}' on this server.")
        stem, extension = os.path.splitext(posixpath.basename(name) or "notebook.ipynb")
        candidate = posixpath.join(folder, stem + extension)
        number = 0
        while await ensure_async(self.contents.file_exists(candidate)):
            number += 1
            candidate = posixpath.join(folder, f"{stem}-{number}{extension}")
        return checked_path(candidate, self.root_dir)
