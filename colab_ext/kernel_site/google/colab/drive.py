"""Colab's ``google.colab.drive``: mount Google Drive in kernel code, with Colab's signatures,
messages and errors.

The kernel asks the Jupyter server that started it to mount (the server runs the FUSE process,
so a stuck Drive never hangs the kernel's own process). ``/content/...`` paths lead to the
folder the server maps ``/content`` to. Standard library only.
"""

from __future__ import annotations

import os
import uuid
from typing import Any

from . import _content, _iopub, _server

__all__ = ["flush_and_unmount", "mount"]

#: Where this kernel mounted Drive (what ``flush_and_unmount`` takes back), as the server names it.
_mounted: dict[str, str] = {}

#: Words of the server's 409s (colab_ext/drive/connect_requests.py).
NOT_CONNECTED = "Connect to Google Drive before mounting it"
DECLINED = "declined to connect Google Drive"
STILL_WAITING = "Still waiting for Google Drive"
#: The IOPub message that asks the page to show the prompt (``state: open``) or take it away.
CONNECT_MESSAGE = "colab_ext_drive_connect"

_NOT_CONNECTED = (
    "mount failed: Google Drive is not connected to this Jupyter server yet. In JupyterLab, "
    "choose File > Google Drive > Connect to Google Drive…, then run this cell again."
)


def _mount_once_connected(body: dict[str, Any], shown: str, timeout: float) -> dict[str, Any]:
    """Drive is not connected: ask the user in the page that ran this cell, as Colab does, and
    mount once they connected it. Waits as long as the user takes (the stop button ends it);
    raises the server's 409 when they decline, or at once when the frontend cannot ask anyone
    (it sent the cell without ``allow_stdin``: nbclient, papermill)."""
    if not _iopub.frontend_can_answer():
        raise _server.ServerError(409, NOT_CONNECTED)  # nobody to ask: Colab's error at once
    request_id = uuid.uuid4().hex
    asked = _iopub.announce(
        CONNECT_MESSAGE, {"id": request_id, "state": "open", "mountpoint": shown}
    )
    if not asked:
        raise _server.ServerError(409, NOT_CONNECTED)
    print(
        "Google Drive is not connected to this Jupyter server: connect it in the dialog in "
        "JupyterLab (or File > Google Drive > Connect to Google Drive…). Waiting…",
        flush=True,
    )
    try:
        while True:
            try:
                return _server.call(
                    "drive/mount", {**body, "connect_request": request_id}, timeout + 40
                )
            except _server.ServerError as failure:
                if not (failure.status == 409 and STILL_WAITING in failure.message):
                    raise
            # Again for a page opened meanwhile (the one that ran the cell was reloaded, say):
            # a page that shows the prompt already ignores it.
            _iopub.announce(
                CONNECT_MESSAGE,
                {"id": request_id, "state": "open", "mountpoint": shown, "reannounced": True},
            )
    finally:
        _iopub.announce(CONNECT_MESSAGE, {"id": request_id, "state": "closed", "mountpoint": shown})


def _already_mounted(shown: str) -> None:
    print(
        f"Drive already mounted at {shown}; to attempt to forcibly remount, call "
        f'drive.mount("{shown}", force_remount=True).'
    )


def _check_mountpoint(path: str) -> None:
    """Colab's own checks on the folder, in Colab's words."""
    if os.path.islink(path):
        raise ValueError("Mountpoint must not be a symlink")
    if os.path.isdir(path) and not os.path.ismount(path) and os.listdir(path):
        raise ValueError("Mountpoint must not already contain files")
    if not os.path.isdir(path) and os.path.exists(path):
        raise ValueError("Mountpoint must either be a directory or not exist")
    if not os.path.isdir(os.path.dirname(path)):
        raise ValueError("Mountpoint must be in a directory that exists")


def mount(
    mountpoint: str, force_remount: bool = False, timeout_ms: int = 120000, readonly: bool = False
) -> None:
    """Mount your Google Drive at the specified mountpoint path (``MyDrive/`` inside it).

    Prints ``Mounted at <mountpoint>``; raises ``ValueError`` as Colab does when the folder is not
    usable or the mount fails.
    """
    if " " in mountpoint:
        raise ValueError("Mountpoint must not contain a space.")
    shown = os.path.abspath(os.path.expanduser(mountpoint))
    path = _content.local_path(mountpoint)
    if not force_remount and path in _mounted and os.path.ismount(path):
        _already_mounted(shown)
        return
    if not os.path.ismount(path):
        _check_mountpoint(path)
    body = {
        "mountpoint": path,
        "force_remount": bool(force_remount),
        "timeout_ms": timeout_ms,
        "readonly": bool(readonly),
    }
    try:
        try:
            answer = _server.call("drive/mount", body, timeout_ms / 1000 + 10)
        except _server.ServerError as failure:
            if not (failure.status == 409 and NOT_CONNECTED in failure.message):
                raise
            answer = _mount_once_connected(body, shown, timeout_ms / 1000 + 10)
    except _server.ServerTimeout:
        raise ValueError("mount failed: timeout during initial read of root folder") from None
    except _server.ServerError as failure:
        if failure.status == 409 and "already mounted" in failure.message:
            _mounted[path] = path
            _already_mounted(shown)
            return
        if failure.status == 409 and NOT_CONNECTED in failure.message:
            raise ValueError(_NOT_CONNECTED) from None
        if failure.status == 409 and DECLINED in failure.message:
            # Colab's words when the user does not permit access.
            raise ValueError("mount failed: credential propagation was unsuccessful") from None
        if failure.status == 504:
            raise ValueError("mount failed: timeout during initial read of root folder") from None
        raise ValueError(f"mount failed: {failure.message}") from None
    _mounted[path] = str(answer.get("mountpoint") or path)
    print(f"Mounted at {shown}")


def flush_and_unmount(timeout_ms: int = 24 * 60 * 60 * 1000) -> None:
    """Flush pending writes to Drive, then unmount what ``mount`` mounted in this kernel."""
    if not _mounted:
        print("Drive not mounted, so nothing to flush and unmount.")
        return
    for path in sorted(_mounted):
        try:
            answer = _server.call(
                "drive/unmount",
                {"mountpoint": path, "flush_timeout_s": timeout_ms / 1000},
                timeout_ms / 1000 + 60,
            )
        except _server.ServerError as failure:
            raise ValueError(f"flush_and_unmount failed: {failure.message}") from None
        del _mounted[path]
        if answer.get("unflushed"):
            names = ", ".join(str(item.get("path")) for item in answer["unflushed"])
            raise ValueError(f"flush_and_unmount failed: uploads still pending for {names}")
    print("All changes made in this colab session should now be visible in Drive.")
