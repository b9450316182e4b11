"""A fake Google Drive v3 and OAuth 2.0 server on loopback, speaking the real wire protocol.

The real client libraries (google-api-python-client, google-auth, google-auth-oauthlib) talk to
it unchanged. What it covers: the consent page and token endpoint (authorization code with PKCE,
refresh, revoke), ``about``, ``drives``, ``files`` list (``q`` with parents/name/trashed and
paging), get (metadata, ``alt=media`` with ``Range``), export of Google Docs types, metadata
create/update/delete, and resumable uploads (``308`` with ``Range``, ``bytes */TOTAL`` status
queries). Contents live in files on disk so gigabyte files keep memory flat.

Faults are injected with :meth:`FakeDrive.fault`: a status code (5xx, 429), a connection dropped
after some bytes of a transfer, or a slow answer.

This module has the accounts, the server and its routes; the state and test helpers are in
``fake_store.py``, the endpoints in ``fake_oauth.py``, ``fake_files_api.py`` and
``fake_media.py`` on the plumbing of ``fake_http.py``.
"""

from __future__ import annotations

import json
import re
import shutil
import threading
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from typing import Any

from tests.drive.fake_files_api import FilesEndpoints
from tests.drive.fake_media import MediaEndpoints
from tests.drive.fake_oauth import OAuthEndpoints
from tests.drive.fake_store import FOLDER, FakeStore


@dataclass
class FakeDrive(FakeStore):
    """The fake: the store plus the account and its tokens; start it with :meth:`start`, stop
    with :meth:`stop`."""

    client_id: str = "fake-client.apps.example"
    client_secret: str = "fake-secret"
    email: str = "ada@example.com"
    codes: dict[str, dict[str, str]] = field(default_factory=dict)
    access_tokens: set[str] = field(default_factory=set)
    refresh_tokens: set[str] = field(default_factory=set)
    token_lifetime_s: int = 3600
    assertions: list[str] = field(default_factory=list)
    port: int = 0

    def start(self) -> FakeDrive:
        self.files["root"] = {"id": "root", "name": "My Drive", "mimeType": FOLDER, "parents": []}
        handler = type("Handler", (_Handler,), {"fake": self})
        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        shutil.rmtree(self.root, ignore_errors=True)

    # --- test helpers -------------------------------------------------------------------------
    def client_config(self) -> dict[str, Any]:
        """An OAuth client JSON like the one Google's console downloads, pointing here."""
        return {
            "web": {
                "client_id": self.client_id,
                "client_secret": self.client_secret,
                "auth_uri": f"{self.url}/o/oauth2/auth",
                "token_uri": f"{self.url}/token",
                "redirect_uris": [],
            }
        }

    def service_account(self) -> dict[str, Any]:
        """A service account key JSON whose token endpoint is this fake (a fresh RSA key)."""
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import rsa

        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode()
        return {
            "type": "service_account",
            "project_id": "fake-project",
            "private_key_id": "fake-key",
            "private_key": pem,
            "client_email": "robot@fake-project.iam.gserviceaccount.com",
            "client_id": "1234",
            "token_uri": f"{self.url}/token",
        }


class _Handler(OAuthEndpoints, FilesEndpoints, MediaEndpoints):
    """The fake's routes: each request to its endpoint."""

    def _dispatch(self, method: str, path: str) -> None:
        if path == "/o/oauth2/auth" and method == "GET":
            return self._consent()
        if path == "/o/oauth2/approve" and method == "GET":
            return self._approve()
        if path == "/token" and method == "POST":
            return self._token()
        if path == "/revoke" and method == "POST":
            return self._revoke()
        if path == "/_fake/find" and method == "GET":  # for the browser tests
            found = self.fake.find(self.query.get("name", ""), self.query.get("parent", "root"))
            return self._json({"file": found})
        if path.startswith(("/drive/v3/", "/upload/drive/v3/")) and not self._authorized():
            self._drain()
            return self._json({"error": {"code": 401, "message": "Invalid Credentials"}}, 401)
        if path == "/drive/v3/about":
            return self._json({"user": {"displayName": "Ada", "emailAddress": self.fake.email}})
        if path == "/drive/v3/drives":
            drives = [{"id": k, "name": v} for k, v in self.fake.shared_drives.items()]
            return self._json({"drives": drives})
        if path.startswith("/upload/drive/v3/files"):
            return self._upload(method, path)
        match = re.fullmatch(r"/drive/v3/files(?:/([^/]+))?(/export)?", path)
        if not match:
            return self._json({"error": {"code": 404, "message": "no such route"}}, 404)
        file_id, export = match.groups()
        if file_id is None:
            return self._list() if method == "GET" else self._create_metadata()
        if export:
            return self._export(file_id)
        if method == "GET":
            return (
                self._download(file_id) if self.query.get("alt") == "media" else self._get(file_id)
            )
        if method == "PATCH":
            return self._patch(file_id)
        if method == "DELETE":
            return self._delete(file_id)
        return self._json({"error": {"code": 405, "message": "method"}}, 405)


if __name__ == "__main__":  # a fake to click through by hand: python -m tests.drive.fake_drive
    fake = FakeDrive().start()
    fake.add_file("hello.txt", b"hello from the fake Drive\n")
    print(json.dumps(fake.client_config(), indent=2))
    print("fake Drive at", fake.url)
    threading.Event().wait()
