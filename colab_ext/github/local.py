"""Notebooks on this server, always through Jupyter's contents manager and inside its root."""

from __future__ import annotations

import json
import os
import posixpath
from typing import Any

from jupyter_core.utils import ensure_async
from tornado import web

from ..core.errors import BadRequest, NotFound
from ..core.safe_paths import ServerRoot, clean_relative, fit_name, safe_name


def checked_path(path: str, root: ServerRoot | None) -> str:
    """A browser-given path, relative to the server root, refused with a 400 if it could leave
    the root (``..``, absolute paths, symlinks that point outside) or no file could have it (NUL,
    names too long)."""
    clean = clean_relative(path)
    if root is not None:
        root.resolve(clean)
    return clean


class LocalNotebooks:
    """Reads and writes notebooks for the GitHub feature."""

    def __init__(self, contents_manager: Any) -> None:
        self.contents = contents_manager
        root_dir: str | None = getattr(contents_manager, "root_dir", None)
        self.root = ServerRoot(root_dir, contents_manager) if root_dir else None

    async def read(self, path: str) -> dict[str, Any]:
        clean = checked_path(path, self.root)
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
        clean = checked_path(path, self.root)
        model = {"type": "notebook", "format": "json", "content": notebook}
        await ensure_async(self.contents.save(model, clean))
        return clean

    async def free_path(self, folder: str, name: str) -> str:
        """``folder/name``, or ``folder/stem-1.ipynb`` (and so on) if that is taken.

        ``name`` comes from GitHub (a gist's file name may hold '/', '..' or NUL): only a safe
        name is used, and a hidden one only where the server allows hidden files.
        """
        folder = checked_path(folder, self.root)
        if folder and not await ensure_async(self.contents.dir_exists(folder)):
            raise NotFound(f"There is no folder '{folder}' on this server.")
        stem, extension = os.path.splitext(safe_name(name, "notebook.ipynb"))
        candidate, number = fit_name(stem, extension), 0
        while await ensure_async(self.contents.file_exists(posixpath.join(folder, candidate))):
            number += 1
            candidate = fit_name(stem, f"-{number}{extension}")
        return self._checked_new(posixpath.join(folder, candidate))

    def _checked_new(self, path: str) -> str:
        """A new file's path, refused when hidden (and hidden files are not allowed) or when a
        link of that name leads outside the root (Jupyter would write through it)."""
        if self.root is not None:
            folder, name = posixpath.split(path)
            self.root.child(self.root.resolve(folder), name)
        return path
