"""Colab's ``/content`` folder, mapped to the folder the server's admin chose.

Where the server could, it made ``/content`` a symlink to that folder, and nothing here is needed.
Where it could not (no rights on ``/``, or a real ``/content`` already there), paths under
``/content`` are translated: in ``drive.mount`` and, once ``google.colab`` is imported, in IPython's
``%cd``. The folder is in ``JPY_COLAB_EXT_CONTENT_DIR``, set by the server for its kernels.
"""

from __future__ import annotations

import os
from typing import Any

CONTENT = "/content"
CONTENT_VARIABLE = "JPY_COLAB_EXT_CONTENT_DIR"


def content_dir() -> str | None:
    """The folder ``/content`` stands for, if the server named one."""
    return os.environ.get(CONTENT_VARIABLE) or None


def needs_translation() -> bool:
    """True when ``/content`` does not lead to the content folder by itself."""
    folder = content_dir()
    if folder is None:
        return False
    return os.path.realpath(CONTENT) != os.path.realpath(folder)


def local_path(path: str) -> str:
    """``path`` with a leading ``/content`` replaced by the content folder where needed."""
    expanded = os.path.abspath(os.path.expanduser(path))
    folder = content_dir()
    if folder is None or not (expanded == CONTENT or expanded.startswith(CONTENT + "/")):
        return expanded
    if not needs_translation():
        return expanded
    return os.path.join(folder, expanded[len(CONTENT) :].lstrip("/")).rstrip("/") or folder


def cd_argument(parameter_s: str) -> str:
    """``%cd``'s argument with a ``/content`` path translated (its ``-q``/``-b`` kept)."""
    options, rest = [], parameter_s.strip()
    while rest.startswith("-") and rest.split(None, 1)[0] in ("-q", "-b", "-qb", "-bq"):
        parts = rest.split(None, 1)
        options.append(parts[0])
        rest = parts[1].strip() if len(parts) > 1 else ""
    path = rest.strip("'\"")
    if not (path == CONTENT or path.startswith(CONTENT + "/")):
        return parameter_s
    translated = local_path(path)
    if " " in translated:
        translated = f'"{translated}"'
    return " ".join([*options, translated])


def install_cd_translation() -> None:
    """Make IPython's ``%cd /content/...`` go to the content folder, only where needed."""
    if not needs_translation():
        return
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is None:
        return
    line_magics = shell.magics_manager.magics["line"]
    original = line_magics.get("cd")
    if original is None or getattr(original, "_colab_ext_content", False):
        return
    # IPython 9 may list a stand-in that looks the magic up by name when called, which would
    # find this wrapper; reading an attribute of it loads the real one.
    original = getattr(getattr(original, "__self__", None), "cd", original)

    def cd(parameter_s: str = "", *args: Any, **kwargs: Any) -> Any:
        return original(cd_argument(parameter_s), *args, **kwargs)

    cd._colab_ext_content = True  # type: ignore[attr-defined]
    cd.__doc__ = original.__doc__
    shell.register_magic_function(cd, "line", "cd")
