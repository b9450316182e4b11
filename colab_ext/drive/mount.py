"""The server side of the mount: starts the FUSE process, watches it, restarts it if it dies,
and flushes then unmounts it on request or when the server stops.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import ctypes.util
import logging
import os
import shutil
import signal
import sys
import time
from pathlib import Path
from typing import Any

from ..core.errors import BadRequest, ColabError, Conflict
from ..core.private_files import read_json_object, write_private_json

ENABLE_FUSE = (
    "Install FUSE on the server (Debian/Ubuntu: apt-get install fuse3). In a container, start it "
    "with --device /dev/fuse --cap-add SYS_ADMIN (Docker/Podman), or give the pod access to "
    "/dev/fuse and the SYS_ADMIN capability (Kubernetes). Open from / Save a copy in Drive work "
    "without it."
)
RESTARTS_ALLOWED = 5  # within RESTART_WINDOW_S, then the mount is left down with its error
RESTART_WINDOW_S = 300.0
#: At server shutdown every mount gets this long (all at once) to flush its uploads, unmount and
#: exit. A hung Drive or mount must not hold the server's exit up: a container's stop allows
#: 10 s in all before it kills everything anyway.
SHUTDOWN_WAIT_S = 5.0
#: Then each step of ending it by force (SIGKILL, then a lazy unmount) gets at most this long.
FORCE_STEP_S = 2.0
#: The most a shutdown of all mounts takes; under the server's limit for one clean-up step
#: (``app.STOP_STEP_S``), so the mounts are ended by force here rather than left running.
SHUTDOWN_LIMIT_S = SHUTDOWN_WAIT_S + 2 * FORCE_STEP_S


def fuse_problem(device: str) -> str | None:
    """Why a FUSE mount cannot work here, or None."""
    if not os.path.exists(device):
        return f"FUSE is not available: there is no {device} on this server."
    if not os.access(device, os.R_OK | os.W_OK):
        return f"FUSE is not available: this server may not open {device} (permission denied)."
    if not (ctypes.util.find_library("fuse3") or ctypes.util.find_library("fuse")):
        return "FUSE is not available: the libfuse library is not installed."
    if os.geteuid() != 0 and not (shutil.which("fusermount3") or shutil.which("fusermount")):
        return "FUSE is not available: fusermount3 is not installed."
    return None


def is_mounted(path: Path) -> bool:
    with contextlib.suppress(OSError):
        return os.path.ismount(path)
    return False


async def run_quietly(*command: str) -> int:
    process = await asyncio.create_subprocess_exec(
        *command, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL
    )
    return await process.wait()


async def fusermount_unmount(path: Path, lazy: bool = False) -> None:
    tool = shutil.which("fusermount3") or shutil.which("fusermount")
    if tool:
        await run_quietly(tool, "-u", *(["-z"] if lazy else []), str(path))
    elif is_mounted(path):
        await run_quietly("umount", *(["-l"] if lazy else []), str(path))


def fuse_library_env() -> dict[str, str]:
    """The mount process's environment: libfuse 3 where it is installed. It hands over reads of
    up to 1 MiB (libfuse 2: 128 KiB), so 8x fewer Python callbacks per byte; mfusepy would pick
    libfuse 2 first. An admin's own FUSE_LIBRARY_PATH/NAME wins."""
    env = dict(os.environ)
    chosen = "FUSE_LIBRARY_PATH" in env or "FUSE_LIBRARY_NAME" in env
    if not chosen and ctypes.util.find_library("fuse3"):
        env["FUSE_LIBRARY_NAME"] = "fuse3"
    return env


def _end_with_parent() -> None:
    """In the child before exec: SIGTERM when the server dies, so libfuse unmounts and the
    pending uploads are flushed instead of leaving a dead mount behind (Linux only)."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


class DriveMount:
    """One mount: a FUSE process at ``mountpoint``."""

    def __init__(
        self,
        mountpoint: Path,
        readonly: bool,
        config: dict[str, Any],
        work_dir: Path,
        log: logging.Logger,
    ) -> None:
        self.mountpoint, self.readonly, self.log = mountpoint, readonly, log
        self.work_dir = work_dir
        self.config = dict(
            config,
            mountpoint=str(mountpoint),
            readonly=readonly,
            cache_dir=str(work_dir / "cache"),
            status_file=str(work_dir / "status.json"),
        )
        self.process: asyncio.subprocess.Process | None = None
        #: Whether this mount made its folder (it was not there): only then is it removed again.
        self.made_folder = False
        self.stopping = False
        self.restarts: list[float] = []
        self.problem: str | None = None
        self.watcher: asyncio.Task[None] | None = None

    def status(self) -> dict[str, Any]:
        reported = read_json_object(Path(self.config["status_file"])) or {}
        alive = self.process is not None and self.process.returncode is None
        return {
            "mountpoint": str(self.mountpoint),
            "readonly": self.readonly,
            "state": reported.get("state", "starting") if alive else "stopped",
            "direct_reads": bool(reported.get("direct_reads")),
            "pending_uploads": reported.get("pending", []),
            "uploading": reported.get("uploading"),
            "failed_uploads": reported.get("failed", []),
            "restarts": len(self.restarts),
            "problem": self.problem,
        }

    def _prepare(self) -> tuple[Path, int]:
        """Check the mountpoint, write the child's config; its config path and a log fd."""
        try:
            self.mountpoint.mkdir()
            self.made_folder = True  # kept across restarts, which find it there
        except FileExistsError:
            pass
        except FileNotFoundError:
            raise BadRequest(
                f"Mountpoint must be in a directory that exists: {self.mountpoint.parent}."
            ) from None
        if any(self.mountpoint.iterdir()):
            raise BadRequest(
                f"Mountpoint must be an empty folder: {self.mountpoint} has files in it."
            )
        self.work_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        Path(self.config["status_file"]).unlink(missing_ok=True)
        config_path = self.work_dir / "config.json"
        write_private_json(config_path, self.config)
        log = os.open(self.work_dir / "fuse.log", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        return config_path, log

    async def start(self, timeout: float) -> None:
        if is_mounted(self.mountpoint):  # left over by a process that died
            await fusermount_unmount(self.mountpoint, lazy=True)
        config_path, log_fd = self._prepare()
        try:
            self.process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "colab_ext.drive.fusefs",
                str(config_path),
                stdin=asyncio.subprocess.DEVNULL,
                stdout=asyncio.subprocess.DEVNULL,
                stderr=log_fd,
                # Its own session: a Ctrl-C at the server's terminal reaches the server, which
                # then flushes and unmounts in order; and it ends (flushing) if the server dies.
                start_new_session=True,
                preexec_fn=_end_with_parent,
                env=fuse_library_env(),
            )
        finally:
            os.close(log_fd)  # the child has its own copy
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.returncode is not None:
                raise ColabError(f"The Drive mount process exited: {self._log_tail()}", status=500)
            if is_mounted(self.mountpoint) and self.status()["state"] == "mounted":
                self.problem = None
                self.watcher = asyncio.create_task(self._watch(self.process))
                return
            await asyncio.sleep(0.1)
        await self.stop(flush_timeout=0)
        raise ColabError(f"Mounting Drive took longer than {timeout:g} s.", status=504)

    def _log_tail(self) -> str:
        with contextlib.suppress(OSError):
            lines = (self.work_dir / "fuse.log").read_text(errors="replace").strip().splitlines()
            return lines[-1] if lines else "no message"
        return "no message"

    async def _watch(self, process: asyncio.subprocess.Process) -> None:
        code = await process.wait()
        if self.stopping:
            return
        self.log.warning("colab-ext: the Drive mount at %s died (exit %s)", self.mountpoint, code)
        now = time.monotonic()
        self.restarts = [t for t in self.restarts if now - t < RESTART_WINDOW_S] + [now]
        await fusermount_unmount(self.mountpoint, lazy=True)
        if len(self.restarts) > RESTARTS_ALLOWED:
            self.problem = f"The mount process kept dying; the last error: {self._log_tail()}"
            return
        try:
            await self.start(timeout=60)
        except ColabError as error:
            self.problem = error.message

    async def _end_process(self, process: asyncio.subprocess.Process) -> None:
        for signal_it, wait in ((None, 5.0), (process.terminate, 15.0), (process.kill, 5.0)):
            if signal_it is not None:
                with contextlib.suppress(ProcessLookupError):
                    signal_it()
            try:
                await asyncio.wait_for(process.wait(), wait)
                return
            except asyncio.TimeoutError:
                continue

    async def stop(self, flush_timeout: float) -> list[dict[str, Any]]:
        """Wait for pending uploads (up to ``flush_timeout``), then unmount.

        Returns the uploads that were still pending when it gave up waiting.
        """
        self.stopping = True
        deadline = time.monotonic() + flush_timeout
        # The child reports through its status file; polling it is the simplest honest wait.
        while self.status()["pending_uploads"] and time.monotonic() < deadline:  # noqa: ASYNC110
            await asyncio.sleep(0.2)
        left = self.status()["pending_uploads"]
        await fusermount_unmount(self.mountpoint)
        if is_mounted(self.mountpoint):
            # Busy (a kernel's working folder is inside, say): detach it now; those processes
            # lose access, as with Colab's flush_and_unmount. Uploads were flushed above.
            await fusermount_unmount(self.mountpoint, lazy=True)
        if self.process is not None and self.process.returncode is None:
            await self._end_process(self.process)
        if self.watcher is not None:
            self.watcher.cancel()
        self.remove_made_folder()
        return list(left)

    async def stop_within(self, timeout: float) -> None:
        """Server shutdown: :meth:`stop` with ``timeout`` seconds for all of it (flush, unmount,
        exit). A mount not done by then is ended by force, with a warning that names it and
        the uploads it had not finished: they are lost."""
        try:
            await asyncio.wait_for(self.stop(flush_timeout=timeout), timeout)
            return
        except asyncio.TimeoutError:
            pass
        unfinished = [upload["path"] for upload in self.status()["pending_uploads"]]
        self.log.warning(
            "colab-ext: the Drive mount at %s did not stop within %g s of the server's shutdown; "
            "its process is killed and the folder lazily unmounted. Uploads not finished: %s",
            self.mountpoint,
            timeout,
            ", ".join(unfinished) or "none",
        )
        await self._end_by_force()

    async def _end_by_force(self) -> None:
        # SIGKILL first: a process that is gone closes /dev/fuse, so the unmount after it cannot
        # wait on the filesystem. Each step bounded, so that nothing here can hang either.
        self.stopping = True  # the watcher must not start it again
        process = self.process
        if process is not None and process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                process.kill()
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(process.wait(), FORCE_STEP_S)
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(fusermount_unmount(self.mountpoint, lazy=True), FORCE_STEP_S)
        if self.watcher is not None:
            self.watcher.cancel()
        self.remove_made_folder()

    def remove_made_folder(self) -> None:
        """Remove the mount folder when this mount made it and it is empty again, so an unmount
        leaves the server root as it found it. A folder the user made stays, and so does one
        with anything in it (rmdir removes only an empty folder, and never a mount)."""
        if self.made_folder and not is_mounted(self.mountpoint):
            with contextlib.suppress(OSError):
                self.mountpoint.rmdir()
                self.made_folder = False


class DriveMounts:
    """Every mount of this server, by folder."""

    def __init__(self, device: str, work_root: Path, log: logging.Logger) -> None:
        self.device, self.work_root, self.log = device, work_root, log
        self.mounts: dict[Path, DriveMount] = {}
        self.lock = asyncio.Lock()

    def problem(self) -> str | None:
        return fuse_problem(self.device)

    def statuses(self) -> list[dict[str, Any]]:
        return [mount.status() for mount in self.mounts.values()]

    async def mount(
        self,
        mountpoint: Path,
        readonly: bool,
        config: dict[str, Any],
        force: bool = False,
        timeout: float = 120.0,
    ) -> DriveMount:
        problem = self.problem()
        if problem:
            raise ColabError(f"{problem} {ENABLE_FUSE}", status=501)
        async with self.lock:
            existing = self.mounts.get(mountpoint)
            if existing is not None and existing.status()["state"] != "stopped":
                if not force:
                    raise Conflict(f"Drive is already mounted at {mountpoint}.")
                await existing.stop(flush_timeout=60)
            work = self.work_root / f"mount-{abs(hash(str(mountpoint))):x}"
            mount = DriveMount(mountpoint, readonly, config, work, self.log)
            self.mounts[mountpoint] = mount
            try:
                await mount.start(timeout)
            except ColabError:
                self.mounts.pop(mountpoint, None)  # gone already if the server is stopping
                mount.remove_made_folder()  # the process exited: nothing is mounted there
                raise
            return mount

    async def unmount(self, mountpoint: Path, flush_timeout: float) -> list[dict[str, Any]]:
        async with self.lock:
            mount = self.mounts.pop(mountpoint, None)
            if mount is None:
                raise BadRequest(f"Drive is not mounted at {mountpoint}.")
            return await mount.stop(flush_timeout)

    async def stop_all(self) -> None:
        for mountpoint in list(self.mounts):
            with contextlib.suppress(Exception):
                await self.unmount(mountpoint, flush_timeout=120)

    async def shut_down(self) -> None:
        """Server shutdown: every mount at once, each within :data:`SHUTDOWN_WAIT_S` (see
        :meth:`DriveMount.stop_within`). Not under the lock: a mount being started holds it."""
        mounts = list(self.mounts.values())
        self.mounts.clear()
        results = await asyncio.gather(
            *(mount.stop_within(SHUTDOWN_WAIT_S) for mount in mounts), return_exceptions=True
        )
        for mount, result in zip(mounts, results, strict=True):
            if isinstance(result, Exception):
                self.log.warning(
                    "colab-ext: stopping the Drive mount at %s failed: %s", mount.mountpoint, result
                )


__all__ = ["ENABLE_FUSE", "DriveMount", "DriveMounts", "fuse_problem"]
