"""Paths from the browser, kept inside the server root (no ``..``, no absolute paths, no
symlinks that lead out)."""

from __future__ import annotations

import os
from pathlib import Path

from ..core.errors import BadRequest, NotFound


class ServerRoot:
    """The server's root folder (``ServerApp.root_dir``)."""

    def __init__(self, root_dir: str) -> None:
        self.root = Path(os.path.realpath(root_dir))

    def resolve(self, relative: str, *, must_exist: bool = False) -> Path:
        """The absolute path of ``relative`` (an API path like ``a/b.ipynb``), or a 400."""
        relative = relative.strip()
        if relative.startswith(("/", "\\")) or os.path.isabs(relative):
            raise BadRequest("Paths are relative to the server's root folder, not absolute.")
        if ".." in Path(relative).parts:
            raise BadRequest("Paths may not contain '..'.")
        candidate = self.root / relative
        real = Path(os.path.realpath(candidate))
        if real != self.root and self.root not in real.parents:
            raise BadRequest(f"{relative!r} leads outside the server's root folder.")
        if must_exist and not real.exists():
            raise NotFound(f"There is no {relative!r} on the server.")
        return real

    def relative(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()
