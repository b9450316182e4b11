"""REST handlers of the Drive feature: thin, each calling :class:`DriveService`."""

from __future__ import annotations

import asyncio
import html
import json
import secrets
from typing import Any

from jupyter_server.auth.decorator import authorized
from jupyter_server.utils import url_path_join
from tornado import web

from ..core.errors import BadRequest
from ..core.handlers import ColabHandler
from ..core.kernel_proof import require_kernel
from ..core.permissions import EXECUTE_KERNELS, READ_CONTENTS, WRITE_CONTENTS, needs
from .connect_requests import valid_request_id
from .copies import list_folder
from .service import DriveService


class DriveHandler(ColabHandler):
    """Base of the Drive routes."""

    auth_resource = "colab.drive"

    def initialize(self, name: str, drive: DriveService) -> None:
        super().initialize(name)
        self.drive = drive

    async def blocking(self, func: Any, *args: Any) -> Any:
        return await asyncio.get_running_loop().run_in_executor(None, func, *args)

    def user_name(self) -> str:
        """Who is asking, as the server's identity provider names them."""
        return str(getattr(self.current_user, "username", ""))

    def redirect_uri(self) -> str:
        """The OAuth redirect URI this server sends Google: the admin's, or the server's own
        callback route under its base URL, at the address the browser reached it by. The setup
        dialog shows this same value, so the URI a user registers is the one Google checks."""
        return self.drive.settings.drive_redirect_uri or (
            f"{self.request.protocol}://{self.request.host}"
            + url_path_join(self.base_url, "colab/drive/oauth/callback")
        )

    async def status(self) -> dict[str, Any]:
        """The service's status, with the redirect URI (which only a request can tell)."""
        return dict(await self.blocking(self.drive.status), redirect_uri=self.redirect_uri())

    def flag(self, body: dict[str, Any], key: str) -> bool:
        """A true/false field (absent or null: false); anything else is a 400."""
        value = body.get(key)
        if value is None:
            return False
        if not isinstance(value, bool):
            raise BadRequest(f"'{key}' must be true or false.")
        return value

    def positive(self, body: dict[str, Any], key: str, default: float) -> float:
        """A positive number field (absent or null: ``default``); anything else is a 400."""
        value = body.get(key)
        if value is None:
            return default
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not 0 < value < float("inf")
        ):
            raise BadRequest(f"'{key}' must be a positive number.")
        return float(value)

    def text(self, body: dict[str, Any], key: str, required: bool = True) -> str:
        value = body.get(key)
        if value is None and not required:
            return ""
        if not isinstance(value, str) or (required and not value):
            raise BadRequest(f"'{key}' must be a non-empty string.")
        return value


class DriveStatusHandler(DriveHandler):
    """``GET /colab/drive/status``: connected or not (never the token), FUSE, mounts."""

    jupyter_permissions = needs(get=())

    @web.authenticated
    @authorized
    async def get(self) -> None:
        self.write_json(await self.status())


class DriveClientHandler(DriveHandler):
    """``PUT /colab/drive/client``: the OAuth client JSON a user uploads once."""

    jupyter_permissions = needs(put=())

    @web.authenticated
    @authorized
    async def put(self) -> None:
        self.drive.connector.save_client(self.json_body())
        self.write_json(await self.status())


class DriveConnectHandler(DriveHandler):
    """``POST /colab/drive/connect``: the consent-page URL to open (state + PKCE kept here)."""

    jupyter_permissions = needs(post=())

    @web.authenticated
    @authorized
    async def post(self) -> None:
        auth_url = self.drive.connector.start(self.redirect_uri(), self.user_name())
        self.write_json({"auth_url": auth_url})


class DriveCallbackHandler(DriveHandler):
    """``GET /colab/drive/oauth/callback``: where Google sends the browser back (with the
    user's cookie, so it is authenticated like any route). Swaps the code for tokens, only for
    the user who started the sign-in."""

    jupyter_permissions = needs(get=())

    _nonce = ""

    @property
    def content_security_policy(self) -> str:
        # API responses allow nothing; this page runs one inline script, allowed by its nonce.
        return f"{super().content_security_policy}; script-src 'nonce-{self._nonce}'"

    @web.authenticated
    @authorized
    async def get(self) -> None:
        error = self.get_query_argument("error", "")
        if error:
            raise BadRequest(f"Google did not grant access ({error}). Start again to connect.")
        state = self.get_query_argument("state", "")
        code = self.get_query_argument("code", "")
        await self.blocking(self.drive.connector.finish, state, code, self.user_name())
        await self.blocking(self.drive.remember_account)
        self.drive.connect_requests.connected()
        lab = url_path_join(self.base_url, "lab")
        self._nonce = secrets.token_urlsafe(16)
        self.set_header("Content-Security-Policy", self.content_security_policy)
        # A popup closes itself (the lab that opened it is watching); a full tab goes back to
        # JupyterLab.
        page = (
            "<!doctype html><meta charset='utf-8'><title>Google Drive connected</title>"
            "<p>Google Drive is connected. You can close this window.</p>"
            f"<script nonce='{self._nonce}'>if (window.opener) {{ window.opener.postMessage("
            "'colab-drive-connected', window.location.origin); window.close(); }"
            f" else {{ window.location.replace({json.dumps(lab)}); }}</script>"
            f"<noscript><a href='{html.escape(lab)}'>Back to JupyterLab</a></noscript>"
        )
        # APIHandler.finish would label it JSON (and the browser show it as text).
        self.finish(page, set_content_type="text/html; charset=utf-8")


class DriveDisconnectHandler(DriveHandler):
    """``POST /colab/drive/disconnect``: unmount, revoke the token at Google, delete it."""

    jupyter_permissions = needs(post=())

    @web.authenticated
    @authorized
    async def post(self) -> None:
        revoked = await self.drive.disconnect()
        self.write_json(dict(await self.status(), revoked=revoked))


class DriveFilesHandler(DriveHandler):
    """``GET /colab/drive/files?folder=ID&page_token=T``: one page of a Drive folder."""

    jupyter_permissions = needs(get=())

    @web.authenticated
    @authorized
    async def get(self) -> None:
        folder = self.get_query_argument("folder", "root") or "root"
        token = self.get_query_argument("page_token", "") or None

        def page() -> dict[str, Any]:
            api = self.drive.api()
            answer = list_folder(api, folder, token)
            if folder == "root" and token is None:
                answer["shared_drives"] = api.shared_drives()
            return answer

        self.write_json(await self.blocking(page))


class DriveOpenHandler(DriveHandler):
    """``POST /colab/drive/open``: copy a Drive file into a server folder (a job)."""

    jupyter_permissions = needs(post=(WRITE_CONTENTS,))

    @web.authenticated
    @authorized
    async def post(self) -> None:
        body = self.json_body()
        # A clear 409 now rather than a failed job later (off the loop: ADC may probe the network).
        await self.blocking(self.drive.connector.credentials)
        job = await self.blocking(
            self.drive.copies.open_from_drive,
            self.text(body, "file_id"),
            self.text(body, "folder", required=False),
        )
        self.write_json(job.as_json(), status=202)


class DriveSaveHandler(DriveHandler):
    """``POST /colab/drive/save``: upload a server file as a new file in Drive, under the
    ``name`` asked for or its own (a job)."""

    jupyter_permissions = needs(post=(READ_CONTENTS,))

    @web.authenticated
    @authorized
    async def post(self) -> None:
        body = self.json_body()
        await self.blocking(self.drive.connector.credentials)
        name = body.get("name")
        if name is not None and not isinstance(name, str):
            raise BadRequest("'name' must be a string.")
        job = self.drive.copies.save_to_drive(
            self.text(body, "path"),
            self.text(body, "folder_id", required=False) or "root",
            name,  # absent: the file's own name; given: checked as the copy's name
        )
        self.write_json(job.as_json(), status=202)


class DriveJobHandler(DriveHandler):
    """``GET /colab/drive/jobs/{job_id}``: progress; ``DELETE``: cancel."""

    jupyter_permissions = needs(get=(), delete=())

    @web.authenticated
    @authorized
    async def get(self, job_id: str) -> None:
        self.write_json(self.drive.copies.get(job_id).as_json())

    @web.authenticated
    @authorized
    async def delete(self, job_id: str) -> None:
        self.write_json(self.drive.copies.cancel(job_id).as_json())


class DriveMountHandler(DriveHandler):
    """``POST /colab/drive/mount``: mount Drive (default: the configured folder under the root;
    always inside it)."""

    jupyter_permissions = needs(post=(WRITE_CONTENTS,))  # a new folder in the root, written to

    @web.authenticated
    @authorized
    async def post(self) -> None:
        body = self.json_body()
        request_id = self.text(body, "connect_request", required=False)
        if request_id:
            # A drive.mount() that asked the user to connect Drive: wait for the answer first.
            await self.drive.wait_for_connection(valid_request_id(request_id))
        mount = await self.drive.mount(
            self.text(body, "mountpoint", required=False) or None,
            self.flag(body, "readonly"),
            self.flag(body, "force_remount"),
            self.positive(body, "timeout_ms", 120_000) / 1000,
        )
        self.write_json(mount)


class DriveConnectRequestHandler(DriveHandler):
    """``POST /colab/drive/connect-requests/{request_id}/decline``: the user answered "No thanks"
    to a notebook's ``drive.mount()``; that call fails as in Colab."""

    jupyter_permissions = needs(post=())

    @web.authenticated
    @authorized
    async def post(self, request_id: str) -> None:
        self.drive.connect_requests.decline(valid_request_id(request_id))
        self.write_json({"declined": True})


class DriveKernelCredentialsHandler(DriveHandler):
    """``POST /colab/drive/kernel-credentials``: the Drive connection's Google credentials for
    ``google.colab.auth.authenticate_user()`` in a kernel of this server.

    Only a kernel gets them: the request must carry the kernel's id and the key that signs its
    messages, which the server and that kernel know and a browser never sees (so a page's script,
    even with the user's token, gets a 403)."""

    jupyter_permissions = needs(post=(EXECUTE_KERNELS,))

    @web.authenticated
    @authorized
    async def post(self) -> None:
        require_kernel(
            self.kernel_manager, self.json_body(), "google.colab.auth.authenticate_user()"
        )
        self.write_json(self.drive.connector.kernel_credentials())


class DriveUnmountHandler(DriveHandler):
    """``POST /colab/drive/unmount``: flush pending uploads, then unmount."""

    jupyter_permissions = needs(post=(WRITE_CONTENTS,))

    @web.authenticated
    @authorized
    async def post(self) -> None:
        body = self.json_body()
        timeout = self.positive(
            body, "flush_timeout_s", self.drive.settings.drive_unmount_flush_timeout_s
        )
        result = await self.drive.unmount(
            self.text(body, "mountpoint", required=False) or None, timeout
        )
        self.write_json(result)
