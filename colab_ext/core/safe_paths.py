"""Names and paths from outside (the browser, Drive, GitHub, gists) made safe before they touch
the disk.

A *name* from a remote service becomes one harmless path component (:func:`safe_name`): Drive and
gists allow ``/``, ``..``, NUL and names no file system takes. A *path* from the browser is refused
with a 400 that says why when it could leave the server root (:class:`ServerRoot`); symlinks are
resolved before the check, so a link that leads out is refused too. Every feature that writes or
runs somewhere on the server goes through here, so there is one set of rules and messages.
"""

from __future__ import annotations

import errno
import os
import unicodedata
from pathlib import Path
from typing import Any

from jupyter_core.paths import is_hidden

from .errors import BadRequest, NotFound

#: NAME_MAX of Linux file systems (ext4, xfs, btrfs, tmpfs): the longest name, in bytes.
MAX_NAME_BYTES = 255
#: The longest name :func:`safe_name` makes: room is left for the ``-checkpoint`` Jupyter adds
#: to a file's name when it checkpoints it, or every later save of the file would fail.
SAFE_NAME_BYTES = MAX_NAME_BYTES - len("-checkpoint")
#: PATH_MAX less its terminating NUL: the longest path the kernel takes, in bytes.
MAX_PATH_BYTES = 4095
#: Past this many bytes a "suffix" is not an extension worth keeping when a name is shortened.
_MAX_EXTENSION_BYTES = 32
#: Unicode categories replaced in names: control characters (NUL among them), lone surrogates
#: (they cannot be encoded, so every os call fails on them), line and paragraph separators.
_UNSAFE_CATEGORIES = {"Cc", "Cs", "Zl", "Zp"}


def safe_name(name: str, fallback: str = "untitled") -> str:
    """``name`` as a single path component that is safe to create.

    ``/``, ``\\``, NUL and other control characters become ``_``; ``.`` and ``..`` become ``_``
    and ``__``; an empty name becomes ``fallback``; past 255 bytes (UTF-8) the name is shortened,
    keeping its extension. A leading dot is kept: whether hidden files may be created is the
    server's rule, which :meth:`ServerRoot.child` applies.
    """
    cleaned = "".join("_" if _unsafe(char) else char for char in name)
    if cleaned in (".", ".."):
        cleaned = "_" * len(cleaned)
    if not cleaned:
        cleaned = fallback
    stem, extension = os.path.splitext(cleaned)
    if len(extension.encode()) > _MAX_EXTENSION_BYTES:
        stem, extension = cleaned, ""
    return fit_name(stem, extension)


def fit_name(stem: str, tail: str, max_bytes: int = SAFE_NAME_BYTES) -> str:
    """``stem + tail``, the stem shortened (never mid-character) so the whole fits in
    ``max_bytes``.

    ``tail`` is kept whole: an extension, or a `` (1).txt`` that tells copies apart.
    """
    room = max_bytes - len(tail.encode())
    if room < 1:
        raise ValueError(f"{tail!r} leaves no room for a name")
    return stem.encode()[:room].decode(errors="ignore") + tail


def _unsafe(char: str) -> bool:
    return char in "/\\" or unicodedata.category(char) in _UNSAFE_CATEGORIES


def shown(text: str, limit: int = 80) -> str:
    """``text`` quoted for a message: escapes visible (``\\x00``), long ones cut short."""
    quoted = repr(text)
    return quoted if len(quoted) <= limit else quoted[: limit - 4] + "...'"


def refuse_nul(text: str, what: str) -> None:
    """A 400 when ``text`` holds a NUL: no path, name or command line can carry one."""
    if "\x00" in text:
        raise BadRequest(
            f"{what} {shown(text)} contains a NUL character (\\x00), which no file name, path "
            "or command may contain. Remove it and try again."
        )


def clean_relative(path: str) -> str:
    """A browser-given path (``a/b.ipynb``, relative to the server root) normalised to
    ``/``-separated parts, or a 400 saying what is wrong with it.

    Refused: NUL, absolute paths (``/x``, ``\\x``, ``C:x``, ``~x``), ``..``, a part longer than a
    file system's 255 bytes, a path longer than 4095 bytes. This checks the text only;
    :meth:`ServerRoot.resolve` also follows symlinks.
    """
    text = (path or "").strip()
    refuse_nul(text, "The path")
    if text.startswith(("/", "\\", "~")) or (len(text) > 1 and text[1] == ":"):
        raise BadRequest(
            f"{shown(text)} must be relative to the server root (the folder Jupyter serves), "
            "not absolute."
        )
    parts = [part for part in text.replace("\\", "/").split("/") if part not in ("", ".")]
    if ".." in parts:
        raise BadRequest(f"{shown(text)} may not contain '..': paths stay inside the server root.")
    for part in parts:
        if len(part.encode(errors="surrogatepass")) > MAX_NAME_BYTES:
            raise BadRequest(
                f"The name {shown(part)} is longer than {MAX_NAME_BYTES} bytes, the most a file "
                "system allows. Use a shorter name."
            )
    clean = "/".join(parts)
    if len(clean.encode(errors="surrogatepass")) > MAX_PATH_BYTES:
        raise BadRequest(
            f"The path {shown(clean)} is longer than {MAX_PATH_BYTES} bytes, the most a path may "
            "have. Use a shorter one."
        )
    return clean


class ServerRoot:
    """The server's root folder (``ServerApp.root_dir``) and the rules for what is inside it.

    ``contents_manager`` (Jupyter's) supplies ``allow_hidden``, read at each use so that the
    server's own setting decides, as it does for Jupyter's contents API.
    """

    def __init__(self, root_dir: str, contents_manager: Any = None) -> None:
        self.root = Path(os.path.realpath(root_dir))
        self.contents_manager = contents_manager

    @property
    def allow_hidden(self) -> bool:
        return bool(getattr(self.contents_manager, "allow_hidden", False))

    def resolve(self, relative: str, *, must_exist: bool = False) -> Path:
        """The real path of ``relative`` (see :func:`clean_relative`), or a 400 when it, or a
        symlink on the way, leads outside the root; with ``must_exist``, a 404 when it is not
        there."""
        clean = clean_relative(relative)
        real = self.inside(self.root / clean, clean)
        if must_exist and not _exists(real):
            raise NotFound(f"There is no {shown(clean)} on the server.")
        return real

    def inside(self, path: Path, relative: str) -> Path:
        """The real path of ``path`` (symlinks followed), or a 400 when that is outside the root.
        ``relative`` is how the user knows the path, for the message."""
        real = Path(os.path.realpath(path))
        if real != self.root and self.root not in real.parents:
            raise BadRequest(
                f"{shown(relative)} leads outside the server root (through a symbolic link); "
                "colab-ext reads and writes only inside it."
            )
        return real

    def child(self, folder: Path, name: str, fallback: str = "untitled") -> Path:
        """Where a file named ``name`` by someone else (Drive, GitHub) goes in ``folder``, a real
        folder inside the root: the name made safe (:func:`safe_name`), refused when hidden files
        are not allowed here, or when a symlink of that name leads outside the root.

        The path returned is not resolved: replacing a symlink there replaces the link itself.
        """
        target = folder / safe_name(name, fallback)
        self.refuse_hidden(target)
        self.inside(target, self.relative(target))
        return target

    def refuse_hidden(self, path: Path) -> None:
        """A 400, as Jupyter's contents API gives, for creating ``path`` (inside the root) when it
        is hidden and the server does not allow hidden files."""
        if not self.allow_hidden and _hidden(path, self.root):
            raise BadRequest(
                f"{shown(self.relative(path))} is hidden (a name that starts with '.', or in a "
                "folder that does), and this server does not allow creating hidden files "
                "(ContentsManager.allow_hidden is False). Rename it, or choose another folder."
            )

    def relative(self, path: Path) -> str:
        """``path`` (inside the root, not necessarily resolved) as an API path: ``a/b.ipynb``."""
        return path.relative_to(self.root).as_posix()


def _hidden(path: Path, root: Path) -> bool:
    """Jupyter's own rule (a part that starts with '.', or a hidden flag where there is one)."""
    try:
        return is_hidden(str(path), str(root))
    except OSError:  # a link loop, say: not worth the risk
        return True


def _exists(path: Path) -> bool:
    try:
        path.stat()
    except OSError as error:
        if error.errno in (errno.ENOENT, errno.ENOTDIR, errno.ELOOP, errno.ENAMETOOLONG):
            return False
        raise
    return True
