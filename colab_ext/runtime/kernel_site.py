"""What every local kernel gets at start: ``google.colab`` on its path, the way back to this
server, the server's root folder, and Colab's ``/content``.

``colab_ext/kernel_site/`` (the folder above the ``google/colab`` shim) goes first on the
``PYTHONPATH`` of every Python kernel, the kernel's own ``PYTHONPATH`` kept after it. The hook is
on the kernel manager's ``start_kernel``, which every start goes through (a notebook's session, the
REST API, a runtime-type switch); a restart reuses the launch environment, so it keeps them too.
Gateway kernels run elsewhere and get none of this.

``/content``: where the server may (run as root, or ``/`` writable), it makes ``/content`` a symlink
to the content folder (``c.ColabExt.content_dir``) once it listens and removes it when it stops.
It replaces only a dangling symlink or one left by a colab-ext server that is gone. Otherwise the
shim translates ``/content`` paths itself (see ``kernel_site/google/colab/_content.py``).
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from jupyter_core.paths import jupyter_runtime_dir
from jupyter_core.utils import ensure_async

from ..core.upstream_internals import KERNEL_START, live_method, replace_live_method

#: The folder put first on Python kernels' ``PYTHONPATH``.
KERNEL_SITE = Path(__file__).resolve().parent.parent / "kernel_site"
#: The server-info file (URL and token) the shim reads to reach this server.
SERVER_INFO_VARIABLE = "JPY_COLAB_EXT_SERVER_INFO"
#: The folder ``/content`` stands for.
CONTENT_VARIABLE = "JPY_COLAB_EXT_CONTENT_DIR"
#: The server's root (the file browser's top folder): ``files.download`` and ``files.view`` name
#: files to the page relative to it.
ROOT_VARIABLE = "JPY_COLAB_EXT_ROOT_DIR"
#: Colab's working folder.
CONTENT_LINK = Path("/content")
#: ``/content`` leads through ``<runtime dir>/<HOP_PREFIX><server pid>``: whose link it is.
HOP_PREFIX = "colab-ext-content-"
#: colab-ext's own server settings (``COLAB_EXT_GITHUB_API_URL``, ...) are not for kernels, and a
#: ``COLAB_`` name there makes notebooks believe they run in Colab.
SERVER_ONLY_PREFIX = "COLAB_EXT_"
#: The IPython extension (in ``kernel_site/``) that runs ``!`` commands in ipykernel kernels.
SHELL_EXTENSION = "colab_ext_shell"
#: jupyter_server drops IOPub output past this rate; the extension paces its output under it.
IOPUB_RATE_VARIABLE = "JPY_COLAB_EXT_IOPUB_DATA_RATE_LIMIT"
#: Names a user may have set for kernels, still honoured under their new names.
RENAMED = {
    "COLAB_EXT_SERVER_URL": "JPY_COLAB_EXT_SERVER_URL",
    "COLAB_EXT_SERVER_TOKEN": "JPY_COLAB_EXT_SERVER_TOKEN",
}


def server_info_path() -> Path:
    """``<runtime dir>/colab-ext-server-<pid>.json``: where this server writes its URL and token
    (owner-only) for its kernels."""
    return Path(jupyter_runtime_dir()) / f"colab-ext-server-{os.getpid()}.json"


def content_folder(root_dir: str, setting: str) -> Path:
    """The folder ``/content`` maps to: the server root when ``setting`` is empty, else
    ``setting`` (relative to the root, or absolute)."""
    root = Path(os.path.realpath(os.path.expanduser(root_dir)))
    if not setting:
        return root
    return Path(os.path.realpath(root / os.path.expanduser(setting)))


def kernel_environment(
    env: Mapping[str, str],
    *,
    python: bool,
    content_dir: Path | None,
    root_dir: Path | None = None,
) -> dict[str, str]:
    """``env`` with what a kernel of this server needs added, and colab-ext's own server-only
    variables left out."""
    result = {k: v for k, v in env.items() if not k.startswith(SERVER_ONLY_PREFIX)}
    for old, new in RENAMED.items():
        if old in env and new not in result:
            result[new] = env[old]
    result[SERVER_INFO_VARIABLE] = str(server_info_path())
    if content_dir is not None:
        result[CONTENT_VARIABLE] = str(content_dir)
    if root_dir is not None:
        result[ROOT_VARIABLE] = str(root_dir)
    if python:
        site = str(KERNEL_SITE)
        rest = [p for p in result.get("PYTHONPATH", "").split(os.pathsep) if p and p != site]
        result["PYTHONPATH"] = os.pathsep.join([site, *rest])
    return result


class KernelSiteHook:
    """Installed on the server's kernel manager by :meth:`install`."""

    def __init__(
        self,
        kernel_manager: Any,
        kernel_spec_manager: Any,
        content_dir: Path | None,
        log: logging.Logger | None = None,
        root_dir: Path | None = None,
    ) -> None:
        self.kernel_manager = kernel_manager
        self.kernel_spec_manager = kernel_spec_manager
        self.content_dir = content_dir
        self.root_dir = root_dir
        self.log = log or logging.getLogger(__name__)

    async def kernel_kind(self, kernel_name: str | None) -> tuple[bool, bool]:
        """(runs Python, is ipykernel) for the kernelspec: only Python kernels get the shim on
        their path, and only ipykernel ones take IPython's ``--ext`` argument."""
        name = kernel_name or getattr(self.kernel_manager, "default_kernel_name", "python3")
        try:
            spec = await ensure_async(self.kernel_spec_manager.get_kernel_spec(name))
        except Exception:  # an unknown kernel fails its start on its own, with its own message
            return False, False
        python = str(getattr(spec, "language", "")).lower() == "python"
        argv = [str(arg) for arg in getattr(spec, "argv", None) or []]
        return python, python and any("ipykernel" in arg for arg in argv)

    def iopub_data_rate_limit(self) -> float | None:
        """The server's IOPub data rate limit, where its config sets one."""
        config = getattr(getattr(self.kernel_manager, "parent", None), "config", None)
        for section in ("ZMQChannelsWebsocketConnection", "ServerApp"):
            value = config.get(section, {}).get("iopub_data_rate_limit") if config else None
            if isinstance(value, (int, float)):
                return float(value)
        return None

    def install(self) -> None:
        """Wrap ``start_kernel`` so every local kernel starts with :func:`kernel_environment`."""
        original = live_method(self.kernel_manager, KERNEL_START)

        async def start_kernel(*args: Any, **kwargs: Any) -> str:
            env = kwargs.get("env")
            python, ipykernel = await self.kernel_kind(kwargs.get("kernel_name"))
            kwargs["env"] = kernel_environment(
                env if isinstance(env, Mapping) else os.environ,
                python=python,
                content_dir=self.content_dir,
                root_dir=self.root_dir,
            )
            if ipykernel:
                # IPython's --ext alias (InteractiveShellApp.extra_extensions); a restart reuses
                # the launch arguments, so it keeps it. JPY_COLAB_EXT_SHELL=off turns it off.
                extra = [str(a) for a in kwargs.get("extra_arguments") or []]
                flag = f"--ext={SHELL_EXTENSION}"
                kwargs["extra_arguments"] = extra if flag in extra else [*extra, flag]
                limit = self.iopub_data_rate_limit()
                if limit is not None:
                    kwargs["env"][IOPUB_RATE_VARIABLE] = str(limit)
            return str(await original(*args, **kwargs))

        replace_live_method(self.kernel_manager, KERNEL_START, start_kernel)


class ContentLink:
    """``/content`` as a symlink to the content folder, where this process may make one.

    The link goes through ``<runtime dir>/colab-ext-content-<pid>`` (itself a link to the folder),
    so a link left by a server that was killed is known as colab-ext's and replaced, while a live
    server's link, the admin's own and a real folder are left alone.
    """

    def __init__(
        self,
        target: Path,
        link: Path = CONTENT_LINK,
        hop_dir: Path | None = None,
        log: logging.Logger | None = None,
    ) -> None:
        self.target, self.link = target, link
        self.hop = (hop_dir or server_info_path().parent) / f"{HOP_PREFIX}{os.getpid()}"
        self.log = log or logging.getLogger(__name__)
        #: True once this process made the link (and so removes it on stop).
        self.made = False

    def points_here(self) -> bool:
        return os.path.realpath(self.link) == os.path.realpath(self.target)

    def owner(self) -> int | None:
        """The process id of the colab-ext server whose link ``/content`` is, if it is one."""
        try:
            hop = os.readlink(self.link)
        except OSError:
            return None
        name = os.path.basename(hop)
        digits = name[len(HOP_PREFIX) :]
        return int(digits) if name.startswith(HOP_PREFIX) and digits.isdigit() else None

    def replaceable(self) -> bool:
        """Nothing there, a dangling link, or the link of a colab-ext server that is gone."""
        if not os.path.lexists(self.link):
            return True
        if self.link.is_symlink() and not self.link.exists():
            return True
        owner = self.owner()
        return owner is not None and owner != os.getpid() and not _alive(owner)

    def ensure(self) -> None:
        """Make the content folder, and the link to it where :meth:`replaceable`."""
        try:
            self.target.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            self.log.warning("colab-ext: the content folder %s: %s", self.target, error)
            return
        if not self.replaceable():
            if not self.points_here():
                self.log.info(
                    "colab-ext: %s is not colab-ext's to replace; kernels translate /content "
                    "paths to %s",
                    self.link,
                    self.target,
                )
            return
        staged = self.link.with_name(f".{self.link.name}.colab-ext-{os.getpid()}")
        try:
            self.hop.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            self.hop.unlink(missing_ok=True)
            self.hop.symlink_to(self.target, target_is_directory=True)
            staged.unlink(missing_ok=True)
            staged.symlink_to(self.hop, target_is_directory=True)
            os.replace(staged, self.link)  # atomic; fails on a real folder that appeared meanwhile
        except OSError as error:
            with contextlib.suppress(OSError):
                staged.unlink(missing_ok=True)
            with contextlib.suppress(OSError):
                self.hop.unlink(missing_ok=True)
            self.log.info(
                "colab-ext: no %s symlink (%s); kernels translate /content paths to %s",
                self.link,
                error,
                self.target,
            )
            return
        self.made = True
        self.log.info("colab-ext: %s -> %s", self.link, self.target)

    async def remove(self) -> None:
        """Take the link away on shutdown, if this process made it and it is still its own."""
        if self.made and self.owner() == os.getpid():
            self.link.unlink(missing_ok=True)
        if self.made:
            self.hop.unlink(missing_ok=True)
        self.made = False


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True
