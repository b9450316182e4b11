"""The one place that knows about each kernel: its notebook, its processes and its environment.

Other features (resources, shell, Drive) ask this service; none reaches into the kernel manager
itself. Gateway kernels run elsewhere: they have no local process and no local environment.
"""

from __future__ import annotations

import builtins
import os
import posixpath
from dataclasses import dataclass
from typing import Any

import psutil
from jupyter_core.utils import ensure_async

from ..core.errors import NotFound
from ..core.upstream_internals import is_gateway, kernel_pid, launch_args


@dataclass(frozen=True)
class KernelFacts:
    """What the server knows about one running kernel."""

    id: str
    name: str
    execution_state: str | None
    last_activity: str | None
    connections: int
    notebook_path: str | None
    pid: int | None


class KernelDirectory:
    """Looks up kernels, their notebooks, process trees and environments.

    Reads are live (no cache): kernels come and go, and a stale answer would point a user at the
    wrong notebook.
    """

    def __init__(self, kernel_manager: Any, session_manager: Any) -> None:
        self.kernel_manager = kernel_manager
        self.session_manager = session_manager

    @property
    def is_remote(self) -> bool:
        """True when kernels run on a gateway, so none of them is a process of this machine."""
        return is_gateway(self.kernel_manager)

    async def notebooks(self) -> dict[str, str]:
        """Kernel id to the path (relative to the server root) of the notebook it serves."""
        return {
            session["kernel"]["id"]: notebook_path(session["path"], session.get("name"))
            for session in await self.session_manager.list_sessions()
            if session.get("kernel") and session.get("path")
        }

    async def list(self) -> list[KernelFacts]:
        """Every running kernel."""
        notebook_of = await self.notebooks()
        return [
            KernelFacts(
                id=model["id"],
                name=model["name"],
                execution_state=model.get("execution_state"),
                last_activity=str(model["last_activity"]) if model.get("last_activity") else None,
                connections=int(model.get("connections", 0)),
                notebook_path=notebook_of.get(model["id"]),
                pid=self.pid(model["id"]),
            )
            # A gateway's kernel manager answers asynchronously (it asks the gateway).
            for model in await ensure_async(self.kernel_manager.list_kernels())
        ]

    async def get(self, kernel_id: str) -> KernelFacts:
        """One kernel, or :class:`NotFound` with a message that names it."""
        for kernel in await self.list():
            if kernel.id == kernel_id:
                return kernel
        raise NotFound(f"There is no running kernel with id {kernel_id}.")

    def pid(self, kernel_id: str) -> int | None:
        """The process id of a local kernel; None for gateway kernels or one that is starting."""
        if self.is_remote or kernel_id not in self.kernel_manager:
            return None
        return kernel_pid(self.kernel_manager.get_kernel(kernel_id))

    def process_tree(self, kernel_id: str) -> set[int]:
        """The kernel's process and all its descendants (a kernel may spawn GPU workers)."""
        pid = self.pid(kernel_id)
        if pid is None:
            return set()
        try:
            root = psutil.Process(pid)
            return {pid} | {child.pid for child in root.children(recursive=True)}
        except psutil.Error:
            return set()

    def kernel_of_pid(self, pid: int) -> str | None:
        """The id of the local kernel whose process tree holds ``pid``, if any."""
        roots: dict[int, str] = {}
        for kernel_id in self.kernel_manager.list_kernel_ids():
            kernel_pid = self.pid(kernel_id)
            if kernel_pid is not None:
                roots[kernel_pid] = kernel_id
        try:
            process: psutil.Process | None = psutil.Process(pid)
        except psutil.Error:
            return None
        while process is not None:
            if process.pid in roots:
                return roots[process.pid]
            try:
                process = process.parent()
            except psutil.Error:
                return None
        return None

    def environment(self, kernel_id: str) -> dict[str, str] | None:
        """The environment the kernel process runs with, as the OS sees it (``/proc``).

        This is the truth whatever started or restarted the kernel; None for gateway kernels.
        """
        pid = self.pid(kernel_id)
        if pid is None:
            return None
        try:
            with open(f"/proc/{pid}/environ", "rb") as environ:
                raw = environ.read()
        except OSError:
            try:
                return dict(psutil.Process(pid).environ())
            except psutil.Error:
                return None
        pairs = (item.split(b"=", 1) for item in raw.split(b"\0") if b"=" in item)
        return {os.fsdecode(key): os.fsdecode(value) for key, value in pairs}

    def launch_environment(self, kernel_id: str) -> dict[str, str] | None:
        """The environment the next restart of a local kernel will start it with.

        jupyter_client keeps it in the kernel manager's launch arguments; a kernel started without
        an explicit environment (``POST /api/kernels``) inherits the server's, so that is returned.
        """
        if self.is_remote or kernel_id not in self.kernel_manager:
            return None
        arguments = launch_args(self.kernel_manager.get_kernel(kernel_id))
        env = arguments.get("env") if arguments is not None else None
        return dict(env) if isinstance(env, dict) else dict(os.environ)

    def set_launch_environment(self, kernel_id: str, env: dict[str, str]) -> None:
        """Make the next restart of a local kernel start it with exactly ``env``.

        jupyter_client's public ``update_env`` can only add or overwrite variables; a runtime type
        must also remove the ones the previous type set, so the launch arguments are replaced
        (an upstream internal: see :mod:`colab_ext.core.upstream_internals`).
        """
        if self.is_remote or kernel_id not in self.kernel_manager:
            raise NotFound(f"There is no local kernel with id {kernel_id}.")
        manager = self.kernel_manager.get_kernel(kernel_id)
        manager.update_env(env=env)
        arguments = launch_args(manager)
        if arguments is not None:
            arguments["env"] = dict(env)

    def local_environments(
        self, exclude: str | None = None, *, planned: bool = False
    ) -> builtins.list[dict[str, str]]:
        """The environment of every local kernel (but ``exclude``): the live one from ``/proc``,
        or with ``planned`` the one its next restart uses (they differ only between a runtime
        change and the restart that applies it)."""
        environments = []
        for kernel_id in self.kernel_manager.list_kernel_ids():
            if kernel_id != exclude:
                read = self.launch_environment if planned else self.environment
                environment = read(kernel_id)
                if environment is not None:
                    environments.append(environment)
        return environments

    async def sessions_of(self, kernel_id: str) -> builtins.list[dict[str, Any]]:
        """The sessions (notebooks, consoles) bound to a kernel."""
        return [
            session
            for session in await self.session_manager.list_sessions()
            if (session.get("kernel") or {}).get("id") == kernel_id
        ]


def notebook_path(session_path: str, name: Any) -> str:
    """The file a session is for. JupyterLab 4 names the session of a notebook it opens
    ``<folder>/<uuid>`` and sends the file's name apart; after a rename it updates the path and
    not the name. So the path wins when it names a notebook, the name otherwise."""
    if session_path.endswith(".ipynb") or not isinstance(name, str) or "/" in name:
        return session_path
    if not name.endswith(".ipynb"):
        return session_path
    return posixpath.join(posixpath.dirname(session_path), name)
