"""A fake Google Drive v3 and OAuth 2.0 server on loopback, speaking the real wire protocol.

The real client libraries (google-api-python-client, google-auth, google-auth-oauthlib) talk to
it unchanged. What it covers: the consent page and token endpoint (authorization code with PKCE,
refresh, revoke), ``about``, ``drives``, ``files`` list (``q`` with parents/name/trashed and
paging), get (metadata, ``alt=media`` with ``Range``), export of Google Docs types, metadata
create/update/delete, and resumable uploads (``308`` with ``Range``, ``bytes */TOTAL`` status
queries). Contents live in files on disk so gigabyte files keep memory flat.

Faults are injected with :meth:`FakeDrive.fault`: a status code (5xx, 429), a connection dropped
after some bytes of a transfer, or a slow answer.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import html
import json
import re
import secrets
import shutil
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

FOLDER = "application/vnd.google-apps.folder"
DOCS_EXPORTS = {
    "application/vnd.google-apps.document": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    ),
    "application/vnd.google-apps.spreadsheet": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    ),
    "application/vnd.google-apps.presentation": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation"
    ),
}
UPLOAD_GRANULARITY = 256 * 1024
CHUNK = 1024 * 1024


@dataclass
class Fault:
    """One injected fault: matched by method and a substring of the path, used ``times`` times."""

    method: str
    path_contains: str
    status: int | None = None
    drop_after: int | None = None
    delay_s: float = 0.0
    times: int = 1


@dataclass
class FakeDrive:
    """State of the fake; start it with :meth:`start`, stop with :meth:`stop`."""

    client_id: str = "fake-client.apps.example"
    client_secret: str = "fake-secret"
    email: str = "ada@example.com"
    root: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="fake-drive-")))
    files: dict[str, dict[str, Any]] = field(default_factory=dict)
    codes: dict[str, dict[str, str]] = field(default_factory=dict)
    access_tokens: set[str] = field(default_factory=set)
    refresh_tokens: set[str] = field(default_factory=set)
    uploads: dict[str, dict[str, Any]] = field(default_factory=dict)
    faults: list[Fault] = field(default_factory=list)
    requests: list[tuple[str, str]] = field(default_factory=list)
    shared_drives: dict[str, str] = field(default_factory=dict)
    token_lifetime_s: int = 3600
    upload_status_queries: int = 0  # "Content-Range: bytes */TOTAL": what did you receive?
    assertions: list[str] = field(default_factory=list)
    port: int = 0
    lock: threading.RLock = field(default_factory=threading.RLock)

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

    def add_file(
        self, name: str, content: bytes = b"", parent: str = "root", mime: str = "text/plain"
    ) -> str:
        file_id = "f" + secrets.token_hex(8)
        (self.root / file_id).write_bytes(content)
        with self.lock:
            self.files[file_id] = self._meta(file_id, name, mime, [parent], len(content))
        return file_id

    def add_large_file(self, name: str, size: int, parent: str = "root") -> tuple[str, str]:
        """A file of ``size`` pseudo-random bytes; returns its id and sha256."""
        file_id = "f" + secrets.token_hex(8)
        digest = hashlib.sha256()
        block = hashlib.sha256(b"seed").digest() * (CHUNK // 32)
        with open(self.root / file_id, "wb") as out:
            written, n = 0, 0
            while written < size:
                piece = (block[n % 97 :] + block[: n % 97])[: size - written]
                out.write(piece)
                digest.update(piece)
                written += len(piece)
                n += 1
        with self.lock:
            self.files[file_id] = self._meta(
                file_id, name, "application/octet-stream", [parent], size
            )
        return file_id, digest.hexdigest()

    def add_folder(self, name: str, parent: str = "root") -> str:
        file_id = "d" + secrets.token_hex(8)
        with self.lock:
            self.files[file_id] = self._meta(file_id, name, FOLDER, [parent], None)
        return file_id

    def content(self, file_id: str) -> bytes:
        return (self.root / file_id).read_bytes()

    def path_of(self, file_id: str) -> Path:
        return self.root / file_id

    def find(self, name: str, parent: str = "root") -> dict[str, Any] | None:
        with self.lock:
            for meta in self.files.values():
                here = meta["name"] == name and parent in meta.get("parents", [])
                if here and not meta.get("trashed"):
                    return meta
        return None

    def fault(self, method: str, path_contains: str, **kwargs: Any) -> None:
        self.faults.append(Fault(method, path_contains, **kwargs))

    def count(self, method: str, path_contains: str) -> int:
        return sum(1 for m, p in self.requests if m == method and path_contains in p)

    def _meta(
        self, file_id: str, name: str, mime: str, parents: list[str], size: int | None
    ) -> dict[str, Any]:
        meta: dict[str, Any] = {
            "kind": "drive#file",
            "id": file_id,
            "name": name,
            "mimeType": mime,
            "parents": parents,
            "modifiedTime": time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime()),
            "trashed": False,
        }
        if size is not None and mime not in DOCS_EXPORTS:
            meta["size"] = str(size)
        return meta

    def take_fault(self, method: str, path: str) -> Fault | None:
        with self.lock:
            for fault in self.faults:
                if fault.method == method and fault.path_contains in path and fault.times > 0:
                    fault.times -= 1
                    return fault
        return None


_PKCE_SAFE = re.compile(r"^[A-Za-z0-9\-._~]{43,128}$")


class _Handler(BaseHTTPRequestHandler):
    fake: FakeDrive
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
        return

    def handle_one_request(self) -> None:
        # A client that abandons a streamed download closes its connection, as with Google.
        with contextlib.suppress(ConnectionResetError, BrokenPipeError):
            super().handle_one_request()

    # --- plumbing ------------------------------------------------------------------------------
    def _route(self, method: str) -> None:
        parsed = urllib.parse.urlsplit(self.path)
        self.query = {k: v[-1] for k, v in urllib.parse.parse_qs(parsed.query).items()}
        path = parsed.path
        self.fake.requests.append((method, self.path))
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self._answer(method, path)

    def _answer(self, method: str, path: str) -> None:
        fault = self.fake.take_fault(method, self.path)
        if fault and fault.delay_s:
            time.sleep(fault.delay_s)
        if fault and fault.status:
            self._drain()
            return self._json(
                {"error": {"code": fault.status, "message": "injected"}}, fault.status
            )
        self.drop_after = fault.drop_after if fault else None
        self._dispatch(method, path)

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
            return self._get(file_id)
        if method == "PATCH":
            return self._patch(file_id)
        if method == "DELETE":
            return self._delete(file_id)
        return self._json({"error": {"code": 405, "message": "method"}}, 405)

    def do_GET(self) -> None:
        self._route("GET")

    def do_POST(self) -> None:
        self._route("POST")

    def do_PUT(self) -> None:
        self._route("PUT")

    def do_PATCH(self) -> None:
        self._route("PATCH")

    def do_DELETE(self) -> None:
        self._route("DELETE")

    def _length(self) -> int:
        return int(self.headers.get("Content-Length") or 0)

    def _body(self) -> bytes:
        return self.rfile.read(self._length())

    def _drain(self) -> None:
        remaining = self._length()
        while remaining > 0:
            got = self.rfile.read(min(CHUNK, remaining))
            if not got:
                break
            remaining -= len(got)

    def _json(self, payload: Any, status: int = 200, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=UTF-8")
        self.send_header("Content-Length", str(len(data)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)

    def _empty(self, status: int, headers: dict[str, str]) -> None:
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _authorized(self) -> bool:
        header = self.headers.get("Authorization", "")
        return header.startswith("Bearer ") and header[7:] in self.fake.access_tokens

    # --- OAuth ---------------------------------------------------------------------------------
    def _consent(self) -> None:
        q = self.query
        if q.get("client_id") != self.fake.client_id:
            return self._json({"error": "invalid_client"}, 401)
        if q.get("code_challenge_method") != "S256" or not q.get("code_challenge"):
            return self._json({"error": "invalid_request", "error_description": "PKCE"}, 400)
        approve = "/o/oauth2/approve?" + urllib.parse.urlencode(q)
        page = (
            "<!doctype html><title>Sign in - Google Accounts (fake)</title>"
            f"<h1>Fake Google</h1><p>colab-ext wants to see and edit your Drive as "
            f"{html.escape(self.fake.email)}.</p>"
            f'<a id="allow" href="{html.escape(approve)}">Allow</a>'
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(page)))
        self.end_headers()
        self.wfile.write(page)

    def _approve(self) -> None:
        q = self.query
        code = secrets.token_urlsafe(16)
        self.fake.codes[code] = {
            "challenge": q["code_challenge"],
            "redirect_uri": q["redirect_uri"],
            "client_id": q["client_id"],
        }
        target = (
            q["redirect_uri"] + "?" + urllib.parse.urlencode({"state": q["state"], "code": code})
        )
        self._empty(302, {"Location": target})

    def _token(self) -> None:
        form = {k: v[-1] for k, v in urllib.parse.parse_qs(self._body().decode()).items()}
        if form.get("grant_type") == "urn:ietf:params:oauth:grant-type:jwt-bearer":
            # A service account's signed assertion (the fake trusts the signature).
            self.fake.assertions.append(form.get("assertion", ""))
            return self._json(self._issue(None))
        client_id, client_secret = form.get("client_id"), form.get("client_secret")
        basic = self.headers.get("Authorization", "")
        if basic.startswith("Basic "):
            client_id, _, client_secret = base64.b64decode(basic[6:]).decode().partition(":")
        if (client_id, client_secret) != (self.fake.client_id, self.fake.client_secret):
            return self._json({"error": "invalid_client"}, 401)
        grant = form.get("grant_type")
        if grant == "authorization_code":
            issued = self.fake.codes.pop(form.get("code", ""), None)
            verifier = form.get("code_verifier", "")
            if issued is None or issued["redirect_uri"] != form.get("redirect_uri"):
                return self._json({"error": "invalid_grant"}, 400)
            digest = hashlib.sha256(verifier.encode()).digest()
            challenge = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
            if not _PKCE_SAFE.match(verifier) or challenge != issued["challenge"]:
                return self._json({"error": "invalid_grant", "error_description": "PKCE"}, 400)
            refresh = secrets.token_urlsafe(24)
            self.fake.refresh_tokens.add(refresh)
            return self._json(self._issue(refresh))
        if grant == "refresh_token":
            if form.get("refresh_token") not in self.fake.refresh_tokens:
                return self._json({"error": "invalid_grant", "error_description": "revoked"}, 400)
            return self._json(self._issue(None))
        return self._json({"error": "unsupported_grant_type"}, 400)

    def _issue(self, refresh: str | None) -> dict[str, Any]:
        access = "ya29." + secrets.token_urlsafe(24)
        self.fake.access_tokens.add(access)
        answer: dict[str, Any] = {
            "access_token": access,
            "expires_in": self.fake.token_lifetime_s,
            "token_type": "Bearer",
            "scope": "https://www.googleapis.com/auth/drive",
        }
        if refresh:
            answer["refresh_token"] = refresh
        return answer

    def _revoke(self) -> None:
        body = {k: v[-1] for k, v in urllib.parse.parse_qs(self._body().decode()).items()}
        token = self.query.get("token") or body.get("token", "")
        self.fake.refresh_tokens.discard(token)
        self.fake.access_tokens.discard(token)
        if token.startswith("ya29."):
            return self._json({})
        # Revoking a refresh token ends every access token issued from it.
        self.fake.access_tokens.clear()
        self._json({})

    # --- files ---------------------------------------------------------------------------------
    def _list(self) -> None:
        q = self.query.get("q", "")
        with self.fake.lock:
            found = [m for m in self.fake.files.values() if m["id"] != "root" and _matches(m, q)]
        found.sort(key=lambda m: (m["mimeType"] != FOLDER, m["name"]))
        size = min(int(self.query.get("pageSize", 100)), 1000)
        start = int(self.query.get("pageToken") or 0)
        page: dict[str, Any] = {"kind": "drive#fileList", "files": found[start : start + size]}
        if start + size < len(found):
            page["nextPageToken"] = str(start + size)
        self._json(page)

    def _file(self, file_id: str) -> dict[str, Any] | None:
        with self.fake.lock:
            meta = self.fake.files.get(file_id)
            return dict(meta) if meta and not meta.get("trashed") else None

    def _not_found(self, file_id: str) -> None:
        self._json({"error": {"code": 404, "message": f"File not found: {file_id}."}}, 404)

    def _get(self, file_id: str) -> None:
        meta = self._file(file_id)
        if meta is None:
            return self._not_found(file_id)
        if self.query.get("alt") != "media":
            return self._json(meta)
        if meta["mimeType"] in DOCS_EXPORTS or meta["mimeType"] == FOLDER:
            message = "Only files with binary content can be downloaded. Use Export with Docs."
            return self._json({"error": {"code": 403, "message": message}}, 403)
        self._send_file(self.fake.path_of(file_id))

    def _send_file(self, path: Path) -> None:
        total = path.stat().st_size
        start, end, status = 0, total - 1, 200
        match = re.fullmatch(r"bytes=(\d+)-(\d*)", self.headers.get("Range", ""))
        if match:
            start = int(match.group(1))
            end = min(int(match.group(2)) if match.group(2) else total - 1, total - 1)
            status = 206
            if start >= total:
                self._empty(416, {"Content-Range": f"bytes */{total}"})
                return
        self.send_response(status)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(end - start + 1))
        if status == 206:
            self.send_header("Content-Range", f"bytes {start}-{end}/{total}")
        self.end_headers()
        sent, limit = 0, self.drop_after
        with open(path, "rb") as source:
            source.seek(start)
            remaining = end - start + 1
            while remaining > 0:
                piece = source.read(min(CHUNK, remaining))
                if limit is not None and sent + len(piece) > limit:
                    self.wfile.write(piece[: max(0, limit - sent)])
                    self.wfile.flush()
                    self.close_connection = True
                    self.connection.shutdown(2)
                    return
                self.wfile.write(piece)
                sent += len(piece)
                remaining -= len(piece)

    def _export(self, file_id: str) -> None:
        meta = self._file(file_id)
        if meta is None:
            return self._not_found(file_id)
        wanted = self.query.get("mimeType")
        if DOCS_EXPORTS.get(meta["mimeType"]) != wanted and wanted != "application/pdf":
            return self._json({"error": {"code": 400, "message": "cannot export"}}, 400)
        data = f"{meta['name']} exported as {wanted}\n".encode()
        self.send_response(200)
        self.send_header("Content-Type", str(wanted))
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _create_metadata(self) -> None:
        body = json.loads(self._body() or b"{}")
        parents = body.get("parents") or ["root"]
        file_id = ("d" if body.get("mimeType") == FOLDER else "f") + secrets.token_hex(8)
        mime = body.get("mimeType", "application/octet-stream")
        if mime != FOLDER:
            (self.fake.root / file_id).write_bytes(b"")
        with self.fake.lock:
            meta = self.fake._meta(
                file_id, body["name"], mime, parents, None if mime == FOLDER else 0
            )
            self.fake.files[file_id] = meta
        self._json(meta)

    def _patch(self, file_id: str) -> None:
        body = json.loads(self._body() or b"{}")
        with self.fake.lock:
            meta = self.fake.files.get(file_id)
            if meta is None:
                return self._not_found(file_id)
            if "name" in body:
                meta["name"] = body["name"]
            if "trashed" in body:
                meta["trashed"] = bool(body["trashed"])
            add = [p for p in self.query.get("addParents", "").split(",") if p]
            remove = set(self.query.get("removeParents", "").split(","))
            if add or remove - {""}:
                meta["parents"] = [p for p in meta["parents"] if p not in remove] + add
            self._json(dict(meta))

    def _delete(self, file_id: str) -> None:
        with self.fake.lock:
            if self.fake.files.pop(file_id, None) is None:
                return self._not_found(file_id)
        self._empty(204, {})

    # --- resumable uploads --------------------------------------------------------------------
    def _upload(self, method: str, path: str) -> None:
        upload_id = self.query.get("upload_id")
        if upload_id:
            return self._upload_chunk(upload_id)
        if self.query.get("uploadType") != "resumable":
            self._drain()
            return self._json({"error": {"code": 400, "message": "only resumable here"}}, 400)
        body = json.loads(self._body() or b"{}")
        match = re.fullmatch(r"/upload/drive/v3/files(?:/([^/]+))?", path)
        target = match.group(1) if match else None
        if target and self._file(target) is None:
            return self._not_found(target)
        upload_id = secrets.token_urlsafe(12)
        self.fake.uploads[upload_id] = {
            "metadata": body,
            "file_id": target,
            "received": 0,
            "data": self.fake.root / f"upload-{upload_id}",
        }
        self.fake.uploads[upload_id]["data"].write_bytes(b"")
        location = f"{self.fake.url}{path}?uploadType=resumable&upload_id={upload_id}"
        self._empty(200, {"Location": location})

    def _upload_chunk(self, upload_id: str) -> None:
        upload = self.fake.uploads.get(upload_id)
        if upload is None:
            self._drain()
            return self._json({"error": {"code": 404, "message": "upload session gone"}}, 404)
        match = re.fullmatch(
            r"bytes (\*|(\d+)-(\d+))/(\d+|\*)", self.headers.get("Content-Range", "")
        )
        if not match:
            self._drain()
            return self._json({"error": {"code": 400, "message": "bad Content-Range"}}, 400)
        total = match.group(4)
        if match.group(1) == "*" and self._length() == 0:
            self.fake.upload_status_queries += 1
        if match.group(1) != "*":
            start = int(match.group(2))
            if start != upload["received"]:
                self._drain()
                return self._json({"error": {"code": 400, "message": "wrong offset"}}, 400)
            if not self._receive(upload):
                return
        if total != "*" and upload["received"] >= int(total):
            return self._finish_upload(upload_id, upload)
        headers = {"Range": f"bytes=0-{upload['received'] - 1}"} if upload["received"] else {}
        self._empty(308, headers)

    def _receive(self, upload: dict[str, Any]) -> bool:
        """Store the chunk; on an injected drop keep only whole 256 KiB units, as Google does."""
        remaining, kept = self._length(), 0
        limit = self.drop_after
        with open(upload["data"], "r+b") as out:
            out.seek(upload["received"])
            while remaining > 0:
                piece = self.rfile.read(min(CHUNK, remaining))
                if not piece:
                    break
                if limit is not None and kept + len(piece) > limit:
                    piece = piece[: max(0, limit - kept)]
                    out.write(piece)
                    kept += len(piece)
                    committed = upload["received"] + kept
                    committed -= committed % UPLOAD_GRANULARITY
                    out.truncate(committed)
                    upload["received"] = committed
                    self.close_connection = True
                    self.connection.shutdown(2)
                    return False
                out.write(piece)
                kept += len(piece)
                remaining -= len(piece)
        upload["received"] += kept
        return True

    def _finish_upload(self, upload_id: str, upload: dict[str, Any]) -> None:
        self.fake.uploads.pop(upload_id)
        body, file_id = upload["metadata"], upload["file_id"]
        size = upload["received"]
        with self.fake.lock:
            if file_id:
                meta = self.fake.files[file_id]
                meta.update({k: v for k, v in body.items() if k in ("name", "mimeType")})
                meta["size"] = str(size)
                status = 200
            else:
                file_id = "f" + secrets.token_hex(8)
                mime = body.get("mimeType", "application/octet-stream")
                meta = self.fake._meta(
                    file_id, body["name"], mime, body.get("parents") or ["root"], size
                )
                self.fake.files[file_id] = meta
                status = 200
            shutil.move(str(upload["data"]), self.fake.root / file_id)
            self._json(dict(meta), status)


def _matches(meta: dict[str, Any], q: str) -> bool:
    """A small evaluator for the ``q`` clauses the clients use, joined by ``and``."""
    for clause in filter(None, (c.strip() for c in re.split(r"\s+and\s+", q))):
        parent = re.fullmatch(r"'([^']+)' in parents", clause)
        equals = re.fullmatch(r"(\w+)\s*(=|!=)\s*'?((?:[^'\\]|\\.)*)'?", clause)
        if parent:
            if parent.group(1) not in meta.get("parents", []):
                return False
        elif equals:
            key, op, value = equals.groups()
            value = value.replace("\\'", "'")
            actual = str(meta.get(key, "")).lower() if key == "trashed" else meta.get(key, "")
            if (str(actual) == value) != (op == "="):
                return False
        else:
            raise ValueError(f"the fake does not understand q clause {clause!r}")
    return True


if __name__ == "__main__":  # a fake to click through by hand: python -m tests.drive.fake_drive
    fake = FakeDrive().start()
    fake.add_file("hello.txt", b"hello from the fake Drive\n")
    print(json.dumps(fake.client_config(), indent=2))
    print("fake Drive at", fake.url)
    threading.Event().wait()
