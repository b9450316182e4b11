"""The Drive feature's one service: connection state, copies, mounts, and the file the
kernels use to find the server."""

from __future__ import annotations

import asyncio
import logging
import os
from pathlib import Path
from typing import Any

from ..core.errors import BadRequest, ColabError
from ..core.private_files import read_json_object, write_private_json
from ..core.safe_paths import ServerRoot, refuse_nul
from ..runtime.kernel_site import server_info_path
from .client.api import DriveApi
from .connect_requests import DECLINED, NOT_CONNECTED, STILL_WAITING, ConnectRequests
from .copies import CopyJobs
from .mount import ENABLE_FUSE, DriveMounts
from .oauth import DriveConnector
from .settings import DriveSettings
from .store import CredentialStore, drive_data_dir


class DriveService:
    """Everything the Drive handlers need, built once per server."""

    def __init__(
        self,
        settings: DriveSettings,
        root_dir: str,
        log: logging.Logger,
        contents_manager: Any = None,
    ) -> None:
        self.settings, self.log = settings, log
        self.store = CredentialStore(drive_data_dir())
        self.connector = DriveConnector(
            self.store,
            admin_client_file=settings.drive_client_secrets_file,
            service_account_file=settings.drive_service_account_file,
            use_adc=settings.drive_use_application_default_credentials,
            revoke_uri=settings.drive_revoke_uri,
        )
        self.root = ServerRoot(root_dir, contents_manager)
        self.copies = CopyJobs(self.root, self.api)
        self.mounts = DriveMounts(settings.drive_fuse_device, self.store.folder / "mounts", log)
        self.server_file: Path | None = None
        self.connect_requests = ConnectRequests()

    def api(self) -> DriveApi:
        return DriveApi(
            self.connector.credentials(),
            self.settings.drive_api_endpoint,
            self.settings.drive_request_timeout_s,
        )

    @property
    def account_path(self) -> Path:
        return self.store.folder / "account.json"

    def status(self) -> dict[str, Any]:
        problem = self.mounts.problem()
        return {
            "connected": self.connector.is_connected(),
            "credential_kind": self.connector.kind,
            "account": read_json_object(self.account_path)
            if self.connector.is_connected()
            else None,
            "client_source": self.connector.client_source(),
            "fuse": {
                "available": problem is None,
                "problem": problem,
                "how_to_enable": ENABLE_FUSE if problem else None,
            },
            "mount_path": self.settings.drive_mount_path,
            "mounts": [self._with_relative(m) for m in self.mounts.statuses()],
        }

    def _with_relative(self, mount: dict[str, Any]) -> dict[str, Any]:
        path = Path(mount["mountpoint"])
        inside = path == self.root.root or self.root.root in path.parents
        return dict(mount, path=self.root.relative(path) if inside else None)

    def remember_account(self) -> None:
        """Keep who is connected (name and email only) to show it; blocking."""
        try:
            user = self.api().about().get("user", {})
        except ColabError:
            user = {}
        write_private_json(
            self.account_path, {"email": user.get("emailAddress"), "name": user.get("displayName")}
        )

    def mount_config(self) -> dict[str, Any]:
        settings = self.settings
        return {
            "endpoint": settings.drive_api_endpoint,
            "store_dir": str(self.store.folder),
            "service_account_file": settings.drive_service_account_file,
            "use_adc": settings.drive_use_application_default_credentials,
            "listing_ttl": settings.drive_listing_cache_s,
            "read_ahead_mb": settings.drive_read_ahead_mb,
            "timeout": settings.drive_request_timeout_s,
        }

    def mountpoint(self, requested: str | None) -> Path:
        """Where to mount, always inside the server root: a relative path (the browser's) is
        taken from the root; an absolute one (kernel code sends ``os.path.abspath``) must lead
        into it. The mount runs with the server's rights, so a mount elsewhere would write where
        the user's Jupyter permissions on contents do not reach."""
        if requested and os.path.isabs(requested):
            refuse_nul(requested, "The mountpoint")
            path = Path(os.path.realpath(requested))
            if self.root.root in path.parents:  # the same checks as a relative path gets
                path = self.root.resolve(self.root.relative(path))
        else:
            path = self.root.resolve(requested or self.settings.drive_mount_path)
        if self.root.root not in path.parents:
            raise BadRequest(
                f"Drive can be mounted only in a folder inside the server's root folder, "
                f"not at {requested or path}."
            )
        return path

    async def mount(
        self, requested: str | None, readonly: bool, force: bool, timeout: float
    ) -> dict[str, Any]:
        if not self.connector.is_connected():
            raise ColabError(NOT_CONNECTED, status=409)
        path = self.mountpoint(requested)
        if not path.parent.is_dir():
            raise BadRequest(f"Mountpoint must be in a directory that exists: {path.parent}.")
        mount = await self.mounts.mount(path, readonly, self.mount_config(), force, timeout)
        return self._with_relative(mount.status())

    async def wait_for_connection(self, request_id: str) -> None:
        """For a ``drive.mount()`` that asked the user to connect: returns once Drive is
        connected; a 409 when the user declined, or (to be asked again) while still waiting."""
        answer = await self.connect_requests.wait(
            request_id, self.connector.is_connected(), self.settings.drive_connect_wait_s
        )
        if answer == "declined":
            raise ColabError(DECLINED, status=409)
        if answer == "waiting":
            raise ColabError(STILL_WAITING, status=409)

    async def unmount(self, requested: str | None, flush_timeout: float) -> dict[str, Any]:
        path = self.mountpoint(requested)
        left = await self.mounts.unmount(path, flush_timeout)
        return {"mountpoint": str(path), "unflushed": left}

    async def disconnect(self) -> bool:
        await self.mounts.stop_all()
        revoked = await asyncio.get_running_loop().run_in_executor(None, self.connector.disconnect)
        self.account_path.unlink(missing_ok=True)
        return revoked

    # --- how kernels find the server --------------------------------------------------------------
    def write_server_file(self, url: str, token: str) -> None:
        """``<runtime dir>/colab-ext-server-<pid>.json`` (0600 in Jupyter's 0700 runtime dir): the
        URL and token a kernel started by this server uses for ``drive.mount()``. Kernels are
        told its path in their environment (``runtime/kernel_site.py``)."""
        self.server_file = server_info_path()
        self.server_file.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        write_private_json(self.server_file, {"url": url, "token": token, "pid": os.getpid()})

    async def stop(self) -> None:
        """The server stops: every mount flushed and unmounted, each in a few seconds at most."""
        await self.mounts.shut_down()
        if self.server_file is not None:
            self.server_file.unlink(missing_ok=True)


__all__ = ["DriveService"]
