"""Kernel-side ``drive.mount`` / ``drive.flush_and_unmount`` with Colab's signatures and errors.

The kernel asks the Jupyter server that started it to mount (the server supervises the FUSE
process). It finds that server through ``<runtime dir>/colab-ext-server-<pid>.json``, written
owner-only by the server, where ``<pid>`` is one of the kernel's ancestors; the variables
``COLAB_EXT_SERVER_URL`` and ``COLAB_EXT_SERVER_TOKEN`` override it (e.g. for remote kernels).
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

_mounted: set[str] = set()


def _ancestors() -> list[int]:
    pids, pid = [], os.getpid()
    for _ in range(64):
        try:
            with open(f"/proc/{pid}/stat") as stat:
                pid = int(stat.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            break
        if pid <= 1:
            break
        pids.append(pid)
    return pids or [os.getppid()]


def _server() -> tuple[str, str]:
    url, token = os.environ.get("COLAB_EXT_SERVER_URL"), os.environ.get("COLAB_EXT_SERVER_TOKEN")
    if url:
        return url, token or ""
    from jupyter_core.paths import jupyter_runtime_dir

    runtime = Path(jupyter_runtime_dir())
    for pid in _ancestors():
        info = runtime / f"colab-ext-server-{pid}.json"
        if info.exists():
            data = json.loads(info.read_text())
            return str(data["url"]), str(data["token"])
    raise ValueError(
        "mount failed: this kernel was not started by a Jupyter server with colab-ext (no "
        f"colab-ext-server-<pid>.json in {runtime} for any parent process). Set "
        "COLAB_EXT_SERVER_URL and COLAB_EXT_SERVER_TOKEN to reach the server."
    )


def _call(route: str, body: dict[str, Any], timeout: float) -> dict[str, Any]:
    url, token = _server()
    request = urllib.request.Request(  # noqa: S310 - the server's own URL
        url.rstrip("/") + "/colab/" + route,
        data=json.dumps(body).encode(),
        method="POST",
        headers={"Content-Type": "application/json", "Authorization": f"token {token}"},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:  # noqa: S310
            return dict(json.loads(answer.read() or b"{}"))
    except urllib.error.HTTPError as error:
        try:
            message = json.loads(error.read()).get("message", "")
        except ValueError:
            message = ""
        raise _Failed(error.code, message or f"the server answered {error.code}") from None
    except OSError as error:
        if "timed out" in str(error):
            raise TimeoutError() from None
        raise _Failed(0, f"the Jupyter server could not be reached ({error})") from None


class _Failed(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


def mount(
    mountpoint: str, force_remount: bool = False, timeout_ms: int = 120000, readonly: bool = False
) -> None:
    """Mount your Google Drive at the specified mountpoint path (as Colab's ``drive.mount``)."""
    if " " in mountpoint:
        raise ValueError("Mountpoint must not contain a space.")
    mountpoint = os.path.abspath(os.path.expanduser(mountpoint))
    if os.path.ismount(mountpoint) and not force_remount and mountpoint in _mounted:
        print(
            f"Drive already mounted at {mountpoint}; to attempt to forcibly remount, call "
            f'drive.mount("{mountpoint}", force_remount=True).'
        )
        return
    if os.path.exists(mountpoint) and not os.path.isdir(mountpoint):
        raise ValueError("Mountpoint must either be a directory or not exist")
    if not os.path.isdir(os.path.dirname(mountpoint)):
        raise ValueError("Mountpoint must be in a directory that exists")
    if os.path.isdir(mountpoint) and not os.path.ismount(mountpoint) and os.listdir(mountpoint):
        raise ValueError("Mountpoint must not already contain files")
    body = {
        "mountpoint": mountpoint,
        "force_remount": force_remount,
        "timeout_ms": timeout_ms,
        "readonly": readonly,
    }
    try:
        _call("drive/mount", body, timeout_ms / 1000 + 10)
    except TimeoutError:
        raise ValueError("mount failed: timeout during initial read of root folder") from None
    except _Failed as failure:
        if failure.status == 409 and "already mounted" in failure.message:
            _mounted.add(mountpoint)
            print(
                f"Drive already mounted at {mountpoint}; to attempt to forcibly remount, call "
                f'drive.mount("{mountpoint}", force_remount=True).'
            )
            return
        if failure.status == 504:
            raise ValueError("mount failed: timeout during initial read of root folder") from None
        raise ValueError(f"mount failed: {failure.message}") from None
    _mounted.add(mountpoint)
    print(f"Mounted at {mountpoint}")


def flush_and_unmount(timeout_ms: int = 24 * 60 * 60 * 1000) -> None:
    """Flush pending writes to Drive and unmount what ``mount`` mounted (as Colab's)."""
    if not _mounted:
        print("Drive not mounted, so nothing to flush and unmount.")
        return
    for mountpoint in sorted(_mounted):
        try:
            answer = _call(
                "drive/unmount",
                {"mountpoint": mountpoint, "flush_timeout_s": timeout_ms / 1000},
                timeout_ms / 1000 + 60,
            )
        except (_Failed, TimeoutError) as failure:
            message = getattr(failure, "message", "timed out")
            raise ValueError(f"flush_and_unmount failed: {message}") from None
        _mounted.discard(mountpoint)
        if answer.get("unflushed"):
            names = ", ".join(u["path"] for u in answer["unflushed"])
            raise ValueError(f"flush_and_unmount failed: uploads still pending for {names}")
    print("All changes made in this colab session should now be visible in Drive.")
