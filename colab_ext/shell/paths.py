"""Where a command may run: a folder inside the server root, never outside it."""

from __future__ import annotations

import os
import posixpath

from ..core.errors import BadRequest, NotFound


def resolve_cwd(root_dir: str, relative: str) -> str:
    """The real path of ``relative`` (a folder, ``/``-separated, relative to ``root_dir``).

    Refuses absolute paths, ``..`` and anything (a symlink included) that resolves outside the root.
    """
    if relative.startswith(("/", "\\")) or (len(relative) > 1 and relative[1] == ":"):
        raise BadRequest(f"The folder {relative!r} must be relative to the server root.")
    parts = [part for part in relative.replace("\\", "/").split("/") if part not in ("", ".")]
    if ".." in parts:
        raise BadRequest(f"The folder {relative!r} may not contain '..'.")
    root = os.path.realpath(root_dir)
    target = os.path.realpath(os.path.join(root, *parts))
    if target != root and not target.startswith(root + os.sep):
        raise BadRequest(
            f"The folder {relative!r} leads outside the server root (through a symlink); "
            "commands run only inside it."
        )
    if not os.path.isdir(target):
        raise NotFound(f"The folder {relative!r} does not exist on the server.")
    return target


def notebook_folder(notebook_path: str) -> str:
    """The folder (relative to the root) of a notebook path."""
    return posixpath.dirname(notebook_path.replace("\\", "/"))
