"""The fake Drive's request plumbing: parsing, injected faults, and the answers every endpoint
builds on. The endpoints themselves are mixins in ``fake_files_api.py``, ``fake_media.py`` and
``fake_oauth.py``; ``fake_drive.py`` routes to them."""

from __future__ import annotations

import contextlib
import json
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING, Any

from tests.drive.fake_store import CHUNK

if TYPE_CHECKING:
    from tests.drive.fake_drive import FakeDrive


class FakeRequestHandler(BaseHTTPRequestHandler):
    """One request to the fake; ``fake`` is set on the class that :meth:`FakeDrive.start` makes."""

    fake: FakeDrive
    protocol_version = "HTTP/1.1"
    query: dict[str, str]
    drop_after: int | None

    def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
        return

    def handle_one_request(self) -> None:
        # A client that abandons a streamed download closes its connection, as with Google.
        with contextlib.suppress(ConnectionResetError, BrokenPipeError):
            super().handle_one_request()

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
        raise NotImplementedError  # the routes, in fake_drive.py

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

    def _file(self, file_id: str) -> dict[str, Any] | None:
        with self.fake.lock:
            meta = self.fake.files.get(file_id)
            return dict(meta) if meta and not meta.get("trashed") else None

    def _not_found(self, file_id: str) -> None:
        self._json({"error": {"code": 404, "message": f"File not found: {file_id}."}}, 404)
