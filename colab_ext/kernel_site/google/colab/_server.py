"""How kernel code reaches the Jupyter server that started it (standard library only).

The server puts the path of its server-info file (``colab-ext-server-<pid>.json``: URL and token,
owner-only) in every kernel's environment as ``JPY_COLAB_EXT_SERVER_INFO``. A kernel started
another way may name the server with ``JPY_COLAB_EXT_SERVER_URL`` / ``JPY_COLAB_EXT_SERVER_TOKEN``
(the older ``COLAB_EXT_SERVER_URL`` / ``COLAB_EXT_SERVER_TOKEN`` are still read). As a last
resort the file of an ancestor process is looked for in Jupyter's runtime folder.

This module must not import ``colab_ext`` or anything outside the standard library: the kernel may
run another Python than the server's.
"""

from __future__ import annotations

import json
import os
import re
import sys
import urllib.error
import urllib.request
from typing import Any

__all__ = ["ServerError", "ServerTimeout", "call", "server"]

#: The variable the server sets in every kernel it starts.
SERVER_INFO_VARIABLE = "JPY_COLAB_EXT_SERVER_INFO"


class ServerError(RuntimeError):
    """The server could not be reached, or answered with an error.

    ``status`` is the HTTP status (0 when no answer came) and ``message`` the server's own message,
    meant for a person.
    """

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class ServerTimeout(ServerError, TimeoutError):
    """No answer within the time given."""

    def __init__(self, message: str = "the Jupyter server did not answer in time") -> None:
        super().__init__(0, message)


_KERNEL_FILE = re.compile(r"kernel-(.+)\.json$")


def kernel_id() -> str:
    """This kernel's id: jupyter_server names a kernel's connection file ``kernel-<id>.json``."""
    try:
        from ipykernel.connect import get_connection_file

        path = get_connection_file()
    except Exception:
        path = ""
    found = _KERNEL_FILE.search(os.path.basename(path or ""))
    return found.group(1) if found else os.environ.get("JPY_COLAB_EXT_KERNEL_ID", "")


def kernel_key() -> str:
    """The key that signs this kernel's messages: known to the server and this kernel, never to
    a browser, so a route that answers only kernels asks for it."""
    try:
        from ipykernel.kernelbase import Kernel

        if not Kernel.initialized():
            return ""
        kernel: Any = Kernel.instance()
        key: Any = kernel.session.key
    except Exception:
        return ""
    return key.decode() if isinstance(key, bytes) else str(key or "")


def runtime_dir() -> str:
    """Jupyter's runtime folder (owner-only), where this server and its kernels keep their files."""
    return _runtime_dir()


def _runtime_dir() -> str:
    """Jupyter's runtime folder, as ``jupyter_core.paths.jupyter_runtime_dir`` finds it."""
    if os.environ.get("JUPYTER_RUNTIME_DIR"):
        return os.environ["JUPYTER_RUNTIME_DIR"]
    if os.environ.get("JUPYTER_DATA_DIR"):
        data = os.environ["JUPYTER_DATA_DIR"]
    elif sys.platform == "darwin":
        data = os.path.expanduser("~/Library/Jupyter")
    elif os.name == "nt":
        data = os.path.join(os.environ.get("APPDATA", os.path.expanduser("~")), "jupyter")
    else:
        xdg = os.environ.get("XDG_DATA_HOME") or os.path.expanduser("~/.local/share")
        data = os.path.join(xdg, "jupyter")
    return os.path.join(data, "runtime")


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


def _read_info(path: str) -> tuple[str, str]:
    with open(path, encoding="utf-8") as info:
        data = json.load(info)
    return str(data["url"]), str(data["token"])


def server() -> tuple[str, str]:
    """The URL and token of the Jupyter server this kernel talks to."""
    for prefix in ("JPY_COLAB_EXT_", "COLAB_EXT_"):
        url = os.environ.get(prefix + "SERVER_URL")
        if url:
            return url, os.environ.get(prefix + "SERVER_TOKEN", "")
    named = os.environ.get(SERVER_INFO_VARIABLE)
    if named:
        try:
            return _read_info(named)
        except (OSError, ValueError, KeyError) as error:
            raise ServerError(
                0,
                f"the colab-ext server file {named} could not be read ({error}); the Jupyter "
                "server that started this kernel has probably stopped: restart the kernel from a "
                "running server.",
            ) from None
    runtime = _runtime_dir()
    for pid in _ancestors():
        path = os.path.join(runtime, f"colab-ext-server-{pid}.json")
        if os.path.exists(path):
            try:
                return _read_info(path)
            except (OSError, ValueError, KeyError):
                continue
    raise ServerError(
        0,
        "this kernel was not started by a Jupyter server with colab-ext (no "
        f"{SERVER_INFO_VARIABLE} in its environment, no colab-ext-server-<pid>.json in {runtime}). "
        "Start it from JupyterLab with colab-ext installed, or set JPY_COLAB_EXT_SERVER_URL and "
        "JPY_COLAB_EXT_SERVER_TOKEN.",
    )


def call(route: str, body: dict[str, Any], timeout: float) -> dict[str, Any]:
    """POST ``body`` as JSON to ``<server>/colab/<route>`` and return the JSON answer.

    Raises :class:`ServerError` with the server's message on an error answer or when the server
    cannot be reached, and :class:`ServerTimeout` when it does not answer within ``timeout``
    seconds.
    """
    url, token = server()
    request = urllib.request.Request(  # noqa: S310 - the server's own URL
        url.rstrip("/") + "/colab/" + route.lstrip("/"),
        data=json.dumps(body).encode(),
        method="POST",
        headers={"Content-Type": "application/json", "Authorization": f"token {token}"},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:  # noqa: S310
            raw = answer.read()
    except urllib.error.HTTPError as error:
        try:
            message = str(json.loads(error.read() or b"{}").get("message") or "")
        except (ValueError, AttributeError, OSError):
            message = ""
        raise ServerError(
            error.code, message or f"the Jupyter server answered {error.code} {error.reason}"
        ) from None
    except TimeoutError:
        raise ServerTimeout() from None
    except OSError as error:
        if "timed out" in str(error):
            raise ServerTimeout() from None
        raise ServerError(
            0, f"the Jupyter server at {url} could not be reached ({error})"
        ) from None
    try:
        answer_body = json.loads(raw or b"{}")
    except ValueError:
        raise ServerError(0, "the Jupyter server's answer was not JSON") from None
    return dict(answer_body) if isinstance(answer_body, dict) else {"value": answer_body}
