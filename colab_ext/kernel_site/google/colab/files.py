"""Colab's ``google.colab.files``: ``download(filename)`` and ``view(filepath)``, with Colab's
signatures and errors.

The kernel names the file to the page, which uses JupyterLab's own means: a download through the
server's ``/files`` URL (as the file browser's Download does), or a tab with the file open (a
folder opens in the file browser). The request goes out on IOPub under the running cell
(``colab_ext_files_request``), so only the page that ran the cell acts on it, and reopening the
notebook does not download again, as a saved output would. The page reaches only what the server
serves, so the file must be under the server's root folder (the server names it in
``JPY_COLAB_EXT_ROOT_DIR``); ``/content`` paths lead where the server maps ``/content``.

``upload(target_dir)`` asks the page that ran the cell for files (``colab_ext_files_upload``): it
shows a picker in the cell's output and writes the chosen files into the folder through the
server's contents API, in chunks, as the file browser uploads; nothing passes through the kernel's
channels. The page then names what it wrote on the kernel's stdin channel (as ``eval_js`` is
answered), and ``upload`` reads those files back, as Colab returns them. ``upload_file`` is not
there yet: using it raises :class:`UnsupportedInColabExt`.

Standard library (and the running ipykernel) only.
"""

from __future__ import annotations

import os
import sys
import uuid
from typing import Any

from . import _content, _iopub, _stdin_reply
from ._unsupported import unsupported

__all__ = ["FileOutsideServerRootError", "download", "upload", "view"]

#: The IOPub message that asks the page to download or open a file.
REQUEST_MESSAGE = "colab_ext_files_request"
#: The IOPub message that asks the page for files to upload.
UPLOAD_MESSAGE = "colab_ext_files_upload"
#: The server's root folder, set by the server for its kernels.
ROOT_VARIABLE = "JPY_COLAB_EXT_ROOT_DIR"
#: Colab's names that colab-ext does not provide yet.
_NOT_YET = ("upload_file",)


class FileOutsideServerRootError(ValueError):
    """The file is outside the Jupyter server's root folder, which is all the page can reach."""


def _server_root() -> str:
    root = os.environ.get(ROOT_VARIABLE)
    if not root:
        raise RuntimeError(
            "this kernel was not started by a Jupyter server with colab-ext (no "
            f"{ROOT_VARIABLE} in its environment), so no page can receive the file. Start it "
            "from JupyterLab with colab-ext installed."
        )
    return os.path.realpath(root)


def _relative_to(root: str, path: str) -> str | None:
    """``path`` relative to ``root`` with ``/`` separators ('' for the root), or None outside."""
    if path == root:
        return ""
    prefix = root.rstrip(os.sep) + os.sep
    if not path.startswith(prefix):
        return None
    return path[len(prefix) :].replace(os.sep, "/")


def _served_as(root: str, local: str) -> str | None:
    """Where the server serves ``local``, relative to ``root``, or None outside it."""
    # As written first (a symlink inside the root is served under its own name), then resolved
    # (a /content symlink, a cwd reached through a link).
    for candidate in (local, os.path.realpath(local)):
        relative = _relative_to(root, candidate)
        if relative is not None:
            return relative
    return None


def _server_path(filename: str, local: str, verb: str) -> str:
    """Where the server serves ``local``, relative to its root (as the file browser names it)."""
    root = _server_root()
    relative = _served_as(root, local)
    if relative is not None:
        return relative
    raise FileOutsideServerRootError(
        f"Cannot {verb} {filename}: only files under the Jupyter server's root folder {root} "
        "(the file browser's top folder) can be reached from the page here. Copy it there "
        f"first, e.g. shutil.copy({filename!r}, {root!r}), and {verb} the copy."
    )


def _local(filename: Any) -> str:
    """``filename`` as an absolute path of this machine (``/content`` translated)."""
    path = os.fspath(filename)
    return _content.local_path(os.fsdecode(path) if isinstance(path, bytes) else path)


def _ask_page(action: str, path: str, local: str) -> None:
    request = {
        "action": action,
        "path": path,
        "name": os.path.basename(local),
        "kind": "directory" if os.path.isdir(local) else "file",
        "size": os.path.getsize(local) if os.path.isfile(local) else None,
    }
    if not _iopub.announce(REQUEST_MESSAGE, request):
        raise RuntimeError(
            f"google.colab.files.{action} needs a notebook: run it in a cell of a notebook "
            "open in JupyterLab."
        )


def download(filename: str) -> None:
    """Downloads the file to the user's local disk via a browser download action.

    Raises:
      FileNotFoundError: the file cannot be found.
      IsADirectoryError: it is a folder (make an archive of it first).
      FileOutsideServerRootError: it is outside the server's root folder.
    """
    local = _local(filename)
    if not os.path.exists(local):
        raise FileNotFoundError(f"Cannot find file: {filename}")
    if os.path.isdir(local):
        raise IsADirectoryError(
            f"Cannot download {filename}: it is a folder. Make an archive of it first, e.g. "
            f"shutil.make_archive('archive', 'zip', {filename!r}), and download archive.zip."
        )
    _ask_page("download", _server_path(str(filename), local, "download"), local)


def view(filepath: str) -> None:
    """Views a file in a JupyterLab tab; a folder opens in the file browser.

    Raises:
      FileNotFoundError: the file cannot be found.
      FileOutsideServerRootError: it is outside the server's root folder.
    """
    local = _local(filepath)
    if not os.path.exists(local):
        raise FileNotFoundError(f"Cannot find file: {filepath}")
    _ask_page("view", _server_path(str(filepath), local, "view"), local)


def upload(target_dir: str = "") -> dict[str, bytes]:
    """Render a widget to upload local (to the browser) files to the kernel.

    Blocks until the files are available. The files are saved in ``target_dir`` (the current
    folder by default, created if missing); a name already there gets a free one, ``name (1).ext``,
    as in Colab. Cancelling uploads nothing and returns ``{}``.

    Args:
      target_dir: The folder to save the files in, under the server's root folder.

    Returns:
      A map of the form {<filename>: <file contents>} for all uploaded files.

    Raises:
      FileOutsideServerRootError: ``target_dir`` is outside the server's root folder.
      RuntimeError: no page can answer (the cell was run headless, by nbclient or papermill).
    """
    kernel = _stdin_reply.running_kernel("google.colab.files.upload")
    if not _iopub.frontend_can_answer():
        # nbclient, papermill: no person will choose files, and waiting would hang the run.
        raise RuntimeError(
            "google.colab.files.upload needs a person to choose files in the page, and this cell "
            "was run by a frontend that cannot answer (it sent it without allow_stdin, as "
            "nbclient and papermill do). Run it from JupyterLab, or copy the files in place."
        )
    folder = _local(target_dir or os.getcwd())
    root = _server_root()
    relative = _served_as(root, folder)
    if relative is None:
        raise FileOutsideServerRootError(
            f"Cannot upload to {target_dir or folder}: the page can write only under the Jupyter "
            f"server's root folder {root} (the file browser's top folder). Upload to a folder "
            "there, e.g. files.upload('uploads'), and move the files with shutil.move."
        )
    os.makedirs(folder, exist_ok=True)
    request_id = uuid.uuid4().hex
    request = {"id": request_id, "dir": relative, "multiple": True}
    if not _iopub.announce(UPLOAD_MESSAGE, request):
        raise RuntimeError(
            "google.colab.files.upload could not reach the page: run it in a cell of a notebook "
            "open in JupyterLab."
        )
    reply = (
        _stdin_reply.read_reply(
            kernel,
            request_id,
            None,
            "google.colab.files.upload",
            lambda: _iopub.announce(UPLOAD_MESSAGE, {**request, "reannounced": True}),
        )
        or {}
    )
    if "error" in reply:
        raise RuntimeError(f"google.colab.files.upload: {reply['error']}")
    return _read_uploaded(folder, target_dir, reply.get("data") or {})


def _read_uploaded(folder: str, target_dir: str, answer: dict[str, Any]) -> dict[str, bytes]:
    """The files the page says it wrote into ``folder``, read back, with Colab's lines."""
    uploaded: dict[str, bytes] = {}
    for item in answer.get("files") or []:
        name, saved = item.get("name"), item.get("saved")
        if not isinstance(name, str) or not _single_name(saved):
            continue
        with open(os.path.join(folder, saved), "rb") as file:
            uploaded[name] = file.read()
        print(f"Saving {name} to {os.path.join(target_dir, saved)}")
    for item in answer.get("errors") or []:
        print(f"Could not upload {item.get('name')}: {item.get('error')}", file=sys.stderr)
    return uploaded


def _single_name(name: Any) -> bool:
    """Whether ``name`` is one name in the folder: the page's answer is checked, not trusted."""
    return isinstance(name, str) and name not in ("", ".", "..") and "/" not in name


def __getattr__(name: str) -> Any:
    if name in _NOT_YET:
        raise unsupported(f"files.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
