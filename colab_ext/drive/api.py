"""Drive v3 through google-api-python-client: listings, ranged and streamed downloads, exports,
and resumable uploads that resume after a failure by asking Drive what it received.

Blocking (httplib2): call from worker threads. ``httplib2.Http`` is not thread safe, so each
thread builds its own :class:`DriveApi`.
"""

from __future__ import annotations

import io
import os
import socket
import ssl
import time
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO, Any

import httplib2
from google.auth.credentials import Credentials
from google.auth.exceptions import RefreshError, TransportError
from google_auth_httplib2 import AuthorizedHttp
from googleapiclient.discovery import build
from googleapiclient.errors import HttpError
from googleapiclient.http import MediaIoBaseDownload, build_http

from ..core.errors import ColabError, NotFound
from .media import MediaClient, MediaError

FOLDER = "application/vnd.google-apps.folder"
#: Google Docs types and what they are exported as (mime type, file extension).
EXPORTS = {
    "application/vnd.google-apps.document": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ".docx",
    ),
    "application/vnd.google-apps.spreadsheet": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ".xlsx",
    ),
    "application/vnd.google-apps.presentation": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ".pptx",
    ),
    "application/vnd.google-apps.drawing": ("application/pdf", ".pdf"),
}
FIELDS = "id, name, mimeType, size, modifiedTime, parents"
CHUNK = 8 * 1024 * 1024
ATTEMPTS = 6
TRANSIENT = (OSError, socket.timeout, ssl.SSLError, httplib2.HttpLib2Error, TransportError)


class Cancelled(Exception):
    """The user cancelled a transfer."""


@dataclass(frozen=True)
class DriveFile:
    """One file or folder as the picker and the mount see it."""

    id: str
    name: str
    mime_type: str
    size: int | None
    modified: str | None

    @property
    def is_folder(self) -> bool:
        return self.mime_type == FOLDER

    @property
    def export(self) -> tuple[str, str] | None:
        return EXPORTS.get(self.mime_type)

    @property
    def local_name(self) -> str:
        """The name it has on disk: Docs get their export's extension."""
        export = self.export
        return self.name + export[1] if export and not self.name.endswith(export[1]) else self.name

    @classmethod
    def of(cls, meta: dict[str, Any]) -> DriveFile:
        size = meta.get("size")
        return cls(
            meta["id"],
            meta["name"],
            meta["mimeType"],
            int(size) if size else None,
            meta.get("modifiedTime"),
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "local_name": self.local_name,
            "mime_type": self.mime_type,
            "size": self.size,
            "modified": self.modified,
            "is_folder": self.is_folder,
            "is_google_doc": self.export is not None,
        }


class _PlainHttpTransport(AuthorizedHttp):  # type: ignore[misc]
    """Sends media uploads (which the client always addresses with https) over plain http when
    the configured endpoint is plain http, e.g. a local proxy or a test double."""

    def __init__(self, credentials: Credentials, http: Any, netloc: str) -> None:
        super().__init__(credentials, http=http)
        self._https_prefix = f"https://{netloc}/"

    def request(self, uri: str, method: str = "GET", *args: Any, **kwargs: Any) -> Any:
        if uri.startswith(self._https_prefix):
            uri = "http://" + uri[len("https://") :]
        return super().request(uri, method, *args, **kwargs)


def friendly(error: Exception, what: str) -> ColabError:
    """A Drive failure as a message a person can act on."""
    if isinstance(error, RefreshError):
        return ColabError(
            "Google refused the saved Drive sign-in (revoked or expired). Connect to Google "
            "Drive again.",
            status=409,
        )
    if isinstance(error, HttpError):
        status = int(error.resp.status)
        if status == 404:
            return NotFound(f"{what}: the file is not in Drive (deleted, or not shared with you).")
        if status in (401, 403):
            return ColabError(f"{what}: Drive refused access ({error.reason}).", status=409)
        if status == 429:
            return ColabError(
                f"{what}: Drive is rate-limiting requests; try again shortly.", status=503
            )
        return ColabError(f"{what}: Drive answered {status} ({error.reason}).", status=502)
    return ColabError(f"{what}: Drive could not be reached ({type(error).__name__}).", status=503)


def is_transient(error: Exception) -> bool:
    """Worth retrying: 408/429/5xx from Drive, or the connection failing."""
    if isinstance(error, HttpError):
        return int(error.resp.status) in (408, 429, 500, 502, 503, 504)
    return isinstance(error, TRANSIENT)


def backoff(attempt: int) -> None:
    time.sleep(min(0.25 * 2**attempt, 8.0))


class DriveApi:
    """Drive v3 for one thread."""

    def __init__(self, credentials: Credentials, endpoint: str, timeout: float = 60.0) -> None:
        self.endpoint = endpoint if endpoint.endswith("/") else endpoint + "/"
        parsed = urllib.parse.urlsplit(self.endpoint)
        http = build_http()  # 308 is not a redirect for resumable uploads
        http.timeout = timeout
        self.http = _PlainHttpTransport(credentials, http, parsed.netloc)
        self.credentials, self.timeout = credentials, timeout
        self._media: MediaClient | None = None
        self.service = build(
            "drive",
            "v3",
            http=self.http,
            cache_discovery=False,
            static_discovery=True,
            client_options={"api_endpoint": self.endpoint},
        )

    def media(self) -> MediaClient:
        """The raw-bytes connection of this thread (see media.py)."""
        if self._media is None:
            self._media = MediaClient(self.credentials, self.endpoint, self.timeout)
        return self._media

    def _retry(self, what: str, call: Callable[[], Any]) -> Any:
        for attempt in range(ATTEMPTS):
            try:
                return call()
            except Exception as error:
                if not is_transient(error) or attempt == ATTEMPTS - 1:
                    raise friendly(error, what) from None
                backoff(attempt)
        raise AssertionError("unreachable")

    # --- metadata ------------------------------------------------------------------------------
    def about(self) -> dict[str, Any]:
        return dict(
            self._retry(
                "Reading the account",
                lambda: (
                    self.service.about().get(fields="user(displayName, emailAddress)").execute()
                ),
            )
        )

    def get(self, file_id: str) -> DriveFile:
        return DriveFile.of(
            self._retry(
                "Reading a file's details",
                lambda: (
                    self.service.files()
                    .get(fileId=file_id, fields=FIELDS, supportsAllDrives=True)
                    .execute()
                ),
            )
        )

    def pages(
        self, folder_id: str, page_size: int = 1000, drive_id: str | None = None
    ) -> Iterator[list[DriveFile]]:
        """The folder's children, a page at a time (Drive caps a page at 1000)."""
        token: str | None = None
        query = f"'{folder_id}' in parents and trashed = false"
        extra: dict[str, Any] = {"corpora": "drive", "driveId": drive_id} if drive_id else {}
        while True:
            request = self.service.files().list(
                q=query,
                pageSize=page_size,
                pageToken=token,
                fields=f"nextPageToken, files({FIELDS})",
                supportsAllDrives=True,
                includeItemsFromAllDrives=True,
                orderBy="folder,name",
                **extra,
            )
            page = self._retry("Listing a folder", request.execute)
            yield [DriveFile.of(meta) for meta in page.get("files", [])]
            token = page.get("nextPageToken")
            if not token:
                return

    def children(self, folder_id: str, drive_id: str | None = None) -> list[DriveFile]:
        return [item for page in self.pages(folder_id, drive_id=drive_id) for item in page]

    def shared_drives(self) -> list[dict[str, str]]:
        answer = self._retry(
            "Listing shared drives", lambda: self.service.drives().list(pageSize=100).execute()
        )
        return [{"id": d["id"], "name": d["name"]} for d in answer.get("drives", [])]

    def find(self, parent_id: str, name: str) -> DriveFile | None:
        escaped = name.replace("\\", "\\\\").replace("'", "\\'")
        answer = self._retry(
            "Looking up a file",
            lambda: (
                self.service.files()
                .list(
                    q=f"'{parent_id}' in parents and name = '{escaped}' and trashed = false",
                    fields=f"files({FIELDS})",
                    supportsAllDrives=True,
                    includeItemsFromAllDrives=True,
                )
                .execute()
            ),
        )
        files = answer.get("files", [])
        return DriveFile.of(files[0]) if files else None

    def create_folder(self, parent_id: str, name: str) -> DriveFile:
        body = {"name": name, "mimeType": FOLDER, "parents": [parent_id]}
        return DriveFile.of(
            self._retry(
                "Creating a folder",
                lambda: (
                    self.service.files()
                    .create(body=body, fields=FIELDS, supportsAllDrives=True)
                    .execute()
                ),
            )
        )

    def update(
        self,
        file_id: str,
        *,
        name: str | None = None,
        add_parent: str | None = None,
        remove_parent: str | None = None,
    ) -> DriveFile:
        body = {"name": name} if name else {}
        return DriveFile.of(
            self._retry(
                "Renaming or moving a file",
                lambda: (
                    self.service.files()
                    .update(
                        fileId=file_id,
                        body=body,
                        addParents=add_parent,
                        removeParents=remove_parent,
                        fields=FIELDS,
                        supportsAllDrives=True,
                    )
                    .execute()
                ),
            )
        )

    def trash(self, file_id: str) -> None:
        """Deleting from the mount moves to Drive's trash, as Colab's mount does."""
        self._retry(
            "Deleting a file",
            lambda: (
                self.service.files()
                .update(fileId=file_id, body={"trashed": True}, supportsAllDrives=True)
                .execute()
            ),
        )

    # --- content -------------------------------------------------------------------------------
    def download(
        self,
        file: DriveFile,
        out: IO[bytes],
        progress: Callable[[int], None],
        cancelled: Callable[[], bool],
    ) -> None:
        """Stream a file (or a Doc's export) into ``out``, resuming after transient failures."""
        if file.export:
            return self._export(file, out, progress, cancelled)
        size, done, failures = file.size or 0, 0, 0
        block = bytearray(1 << 20)
        while done < size:
            try:
                response = self.media().open_range(file.id, done, size)
                while done < size and response is not None:
                    if cancelled():
                        self.media().close()
                        raise Cancelled()
                    got = response.readinto(block)
                    if not got:
                        raise MediaError(None, "the download ended early")
                    out.write(memoryview(block)[:got])
                    done += got
                    failures = 0
                    progress(done)
                if response is None:
                    return  # shorter than its listing said
            except (MediaError, OSError) as error:
                self.media().close()
                failures += 1
                media_error = (
                    error if isinstance(error, MediaError) else MediaError(None, str(error))
                )
                if not media_error.transient or failures >= ATTEMPTS:
                    raise media_error.as_colab_error(f"Downloading {file.name}") from None
                backoff(failures)
        return None

    def _export(
        self,
        file: DriveFile,
        out: IO[bytes],
        progress: Callable[[int], None],
        cancelled: Callable[[], bool],
    ) -> None:
        assert file.export is not None
        request = self.service.files().export_media(fileId=file.id, mimeType=file.export[0])
        downloader = MediaIoBaseDownload(out, request, chunksize=CHUNK)
        done, failures = False, 0
        while not done:
            if cancelled():
                raise Cancelled()
            try:
                status, done = downloader.next_chunk(num_retries=0)
                failures = 0
                progress(int(status.resumable_progress))
            except Exception as error:
                failures += 1
                if not is_transient(error) or failures >= ATTEMPTS:
                    raise friendly(error, f"Downloading {file.name}") from None
                backoff(failures)

    def upload(
        self,
        path: str,
        name: str,
        mime_type: str,
        *,
        parent_id: str | None = None,
        file_id: str | None = None,
        session: str | None = None,
        progress: Callable[[int], None] = lambda _: None,
        cancelled: Callable[[], bool] = lambda: False,
    ) -> DriveFile:
        """Upload a local file as a new file in ``parent_id`` or new content of ``file_id``
        (or finish ``session``, started while the file was being written).

        The bytes go in one request; after a failure Drive is asked what it received
        (``bytes */TOTAL``) and the rest follows, so a retry never re-sends what arrived.
        """
        total = os.path.getsize(path)
        media = self.media()
        start, failures, meta = 0, 0, None
        if session is not None:  # part of it went up while it was written: what arrived?
            start, meta, failures, session = self._resume(media, session, total)
        if session is None:
            metadata = {} if file_id else {"name": name, "parents": [parent_id or "root"]}
            if not file_id:
                metadata["mimeType"] = mime_type
            session = self._media_retry(
                f"Uploading {name}",
                lambda: media.start_upload(metadata, mime_type, file_id, total, FIELDS),
            )
        client, session_path = media.for_url(session)
        with open(path, "rb") as source:
            while meta is None:
                if cancelled():
                    client.close()
                    raise Cancelled()
                try:
                    if failures:
                        start, meta = client.upload_status(session_path, total)
                    if meta is None:
                        before = start
                        start, meta = client.upload_from(
                            session_path, source, start, total, total, progress, cancelled
                        )
                        if meta is None and start <= before and total > before:
                            raise MediaError(None, "Drive kept none of the bytes sent")
                        failures = 0
                except MediaError as error:
                    if cancelled():
                        raise Cancelled() from None
                    failures += 1
                    if not error.transient or failures >= ATTEMPTS:
                        raise error.as_colab_error(f"Uploading {name}") from None
                    backoff(failures)
        progress(total)
        return DriveFile.of(meta)

    @staticmethod
    def _resume(
        media: MediaClient, session: str, total: int
    ) -> tuple[int, dict[str, Any] | None, int, str | None]:
        """(bytes Drive has, the file if that was all, failures so far, the session or None
        when Drive no longer knows it, so that the file goes up whole in a new one)."""
        client, session_path = media.for_url(session)
        try:
            start, meta = client.upload_status(session_path, total)
        except MediaError as error:
            return 0, None, 1, session if error.transient else None
        return start, meta, 0, session

    def _media_retry(self, what: str, call: Callable[[], Any]) -> Any:
        for attempt in range(ATTEMPTS):
            try:
                return call()
            except MediaError as error:
                if not error.transient or attempt == ATTEMPTS - 1:
                    raise error.as_colab_error(what) from None
                backoff(attempt)
        raise AssertionError("unreachable")


def sniff_mime(name: str) -> str:
    import mimetypes

    if name.endswith(".ipynb"):
        return "application/x-ipynb+json"
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


__all__ = [
    "EXPORTS",
    "FOLDER",
    "Cancelled",
    "DriveApi",
    "DriveFile",
    "friendly",
    "io",
    "sniff_mime",
]
