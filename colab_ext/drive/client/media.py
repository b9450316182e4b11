"""Raw media bytes to and from Drive over plain ``http.client`` connections.

The API calls (listings, metadata, upload sessions) go through google-api-python-client. The
bulk bytes do not: httplib2 reads a whole response into memory and the client uploads in chunks
of one request each, which made the mount several times slower than ``curl`` on the same data.
Here a download is one streamed ranged ``GET`` read straight into caller-owned buffers, and an
upload is one ``PUT`` per resumable session sent with ``sendfile`` from the local cache file. Both
carry the same OAuth bearer token as the API calls (refreshed by google-auth when it expires).
"""

from __future__ import annotations

import base64
import http.client
import json
import urllib.parse
import urllib.request
from collections.abc import Callable
from typing import IO, Any

import httplib2
from google.auth.credentials import Credentials
from google_auth_httplib2 import Request

from ...core.errors import ColabError, NotFound

SEND_PIECE = 8 * 1024 * 1024  # progress and cancel are checked between pieces of an upload


class MediaError(Exception):
    """A media request failed; ``status`` is the HTTP status, or None if the connection failed."""

    def __init__(self, status: int | None, message: str) -> None:
        super().__init__(message)
        self.status = status

    @property
    def transient(self) -> bool:
        return self.status is None or self.status in (408, 429, 500, 502, 503, 504)

    def as_colab_error(self, what: str) -> ColabError:
        if self.status == 404:
            return NotFound(f"{what}: the file is not in Drive (deleted, or not shared with you).")
        if self.status in (401, 403):
            return ColabError(f"{what}: Drive refused access ({self}).", status=409)
        if self.status is None:
            return ColabError(f"{what}: Drive could not be reached ({self}).", status=503)
        return ColabError(f"{what}: Drive answered {self.status} ({self}).", status=502)


class MediaClient:
    """One keep-alive connection to the Drive host, for one thread at a time."""

    def __init__(self, credentials: Credentials, endpoint: str, timeout: float) -> None:
        self.credentials, self.timeout = credentials, timeout
        parts = urllib.parse.urlsplit(endpoint)
        self.secure = parts.scheme == "https"
        self.netloc = parts.netloc
        self.api_path = parts.path if parts.path.endswith("/") else parts.path + "/"
        self.connection: http.client.HTTPConnection | None = None
        self._refresher = Request(httplib2.Http(timeout=timeout))

    def for_url(self, url: str) -> tuple[MediaClient, str]:
        """The client for ``url``'s host (this one, usually) and the path to request there."""
        parts = urllib.parse.urlsplit(url)
        path = urllib.parse.urlunsplit(("", "", parts.path, parts.query, ""))
        if parts.netloc == self.netloc or not parts.netloc:
            return self, path
        other = MediaClient(self.credentials, f"{parts.scheme}://{parts.netloc}/", self.timeout)
        return other, path

    # --- plumbing ------------------------------------------------------------------------------
    def _connection(self) -> http.client.HTTPConnection:
        if self.connection is None:
            kind = http.client.HTTPSConnection if self.secure else http.client.HTTPConnection
            proxy = https_proxy(self.netloc) if self.secure else None
            if proxy is None:
                self.connection = kind(self.netloc, timeout=self.timeout, blocksize=1 << 20)
            else:  # HTTPS_PROXY, as httplib2 honours it for the API calls: a CONNECT tunnel
                address, headers = proxy
                self.connection = kind(address, timeout=self.timeout, blocksize=1 << 20)
                self.connection.set_tunnel(self.netloc, headers=headers)
        return self.connection

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None

    def _headers(self, method: str, url: str, extra: dict[str, str]) -> dict[str, str]:
        headers = dict(extra)
        # Refreshes an expired token first (and the store keeps the new one: see oauth.py).
        scheme = "https" if self.secure else "http"
        self.credentials.before_request(  # type: ignore[no-untyped-call]
            self._refresher, method, f"{scheme}://{self.netloc}{url}", headers
        )
        return headers

    def _send(
        self, method: str, path: str, headers: dict[str, str], body: Callable[[Any], None] | None
    ) -> http.client.HTTPResponse:
        """One request; a 401 refreshes the token once and tries again."""
        for attempt in (0, 1):
            connection = self._connection()
            try:
                connection.putrequest(method, path, skip_accept_encoding=True)
                for key, value in self._headers(method, path, headers).items():
                    connection.putheader(key, value)
                connection.endheaders()
                if body is not None:
                    body(connection)
                response = connection.getresponse()
            except (OSError, http.client.HTTPException) as error:
                self.close()
                raise MediaError(None, f"{type(error).__name__}: {error}") from None
            if response.status == 401 and attempt == 0:
                response.read()
                self.credentials.refresh(self._refresher)  # type: ignore[no-untyped-call]
                continue
            return response
        raise AssertionError("unreachable")

    def _fail(self, response: http.client.HTTPResponse) -> MediaError:
        try:
            detail = json.loads(response.read(65536)).get("error", {}).get("message", "")
        except (ValueError, AttributeError, OSError, http.client.HTTPException):
            detail = ""
        self.close()
        return MediaError(response.status, detail or response.reason)

    # --- downloads -----------------------------------------------------------------------------
    def open_range(self, file_id: str, start: int, end: int) -> http.client.HTTPResponse | None:
        """A streamed response for bytes ``[start, end)``; None past the end of the file."""
        path = (
            f"{self.api_path}files/{urllib.parse.quote(file_id)}?alt=media&supportsAllDrives=true"
        )
        response = self._send("GET", path, {"Range": f"bytes={start}-{end - 1}"}, None)
        if response.status == 416:
            response.read()
            return None
        if response.status != 206:  # a 200 would be the whole file from byte 0: refuse it
            raise self._fail(response)
        return response

    # --- uploads -------------------------------------------------------------------------------
    def start_upload(
        self,
        metadata: dict[str, Any],
        mime_type: str,
        file_id: str | None,
        total: int | None,
        fields: str,
    ) -> str:
        """A resumable upload session for a new file (``metadata`` with name and parents) or new
        content of ``file_id``; ``total`` may be unknown while the file is still being written."""
        query = urllib.parse.urlencode(
            {"uploadType": "resumable", "supportsAllDrives": "true", "fields": fields}
        )
        path = f"{upload_path(file_id)}?{query}"
        body = json.dumps(metadata).encode()
        headers = {
            "Content-Type": "application/json; charset=UTF-8",
            "Content-Length": str(len(body)),
            "X-Upload-Content-Type": mime_type,
        }
        if total is not None:
            headers["X-Upload-Content-Length"] = str(total)
        response = self._send("PATCH" if file_id else "POST", path, headers, lambda c: c.send(body))
        location = response.getheader("Location")
        if response.status != 200 or not location:
            raise self._fail(response)
        response.read()
        return location

    def upload_status(self, session: str, total: int | None) -> tuple[int, dict[str, Any] | None]:
        """(bytes Drive has, the file's metadata once the upload is complete)."""
        headers = {"Content-Range": f"bytes */{'*' if total is None else total}"}
        response = self._send("PUT", session, dict(headers, **{"Content-Length": "0"}), None)
        return self._upload_answer(response)

    def upload_from(
        self,
        session: str,
        source: IO[bytes],
        start: int,
        stop: int,
        total: int | None,
        progress: Callable[[int], None] = lambda _: None,
        cancelled: Callable[[], bool] = lambda: False,
    ) -> tuple[int, dict[str, Any] | None]:
        """Send ``source[start:stop]`` in one request, of ``total`` bytes in all (None: not known
        yet, so ``stop - start`` must be a multiple of 256 KiB); returns what
        :meth:`upload_status` does."""
        length = stop - start
        size = "*" if total is None else str(total)
        headers = {
            "Content-Length": str(length),
            "Content-Range": f"bytes {start}-{stop - 1}/{size}" if length else f"bytes */{size}",
        }

        def body(connection: Any) -> None:
            sent = 0
            while sent < length:
                if cancelled():
                    raise OSError("cancelled")
                piece = min(SEND_PIECE, length - sent)
                sent += connection.sock.sendfile(source, start + sent, piece)
                progress(start + sent)

        response = self._send("PUT", session, headers, body)
        return self._upload_answer(response)

    def _upload_answer(
        self, response: http.client.HTTPResponse
    ) -> tuple[int, dict[str, Any] | None]:
        if response.status in (200, 201):
            return -1, json.loads(response.read())
        if response.status == 308:
            response.read()
            received = response.getheader("Range")  # "bytes=0-N", absent when nothing arrived
            return (int(received.rsplit("-", 1)[1]) + 1 if received else 0), None
        raise self._fail(response)


def https_proxy(netloc: str) -> tuple[str, dict[str, str]] | None:
    """The proxy (host:port, CONNECT headers) the environment sets for ``netloc``, if any."""
    host = urllib.parse.urlsplit(f"//{netloc}").hostname or netloc
    proxy = urllib.request.getproxies().get("https")
    if not proxy or urllib.request.proxy_bypass(host):
        return None
    parts = urllib.parse.urlsplit(proxy if "://" in proxy else f"http://{proxy}")
    headers = {}
    if parts.username:
        credentials = f"{urllib.parse.unquote(parts.username)}:"
        credentials += urllib.parse.unquote(parts.password or "")
        headers["Proxy-Authorization"] = "Basic " + base64.b64encode(credentials.encode()).decode()
    return f"{parts.hostname}:{parts.port or 80}", headers


def upload_path(file_id: str | None) -> str:
    """Where resumable upload sessions start on the API host (as google-api-python-client
    computes it: the endpoint's host, ``/upload/drive/v3/files``)."""
    return "/upload/drive/v3/files" + (f"/{urllib.parse.quote(file_id)}" if file_id else "")
