"""Where a command may run: a folder inside the server root, never outside it."""

from __future__ import annotations

import posixpath

from ..core.errors import NotFound
from ..core.safe_paths import ServerRoot


def resolve_cwd(root_dir: str, relative: str) -> str:
    """The real path of ``relative`` (a folder, ``/``-separated, relative to ``root_dir``).

    Refuses what :class:`ServerRoot` refuses (absolute paths, ``..``, NUL, names too long, a
    symlink that resolves outside the root), and folders that are not there.
    """
    target = ServerRoot(root_dir).resolve(relative)
    if not target.is_dir():
        raise NotFound(f"The folder {relative!r} does not exist on the server.")
    return str(target)


def notebook_folder(notebook_path: str) -> str:
    """The folder (relative to the root) of a notebook path."""
    return posixpath.dirname(notebook_path.replace("\\", "/"))
