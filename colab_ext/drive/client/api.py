"""Drive v3 through google-api-python-client: listings, ranged and streamed downloads, exports,
and resumable uploads that resume after a failure by asking Drive what it received.

Blocking (httplib2): call from worker threads. ``httplib2.Http`` is not thread safe, so each
thread builds its own :class:`DriveApi`. This module has the connection, listings and metadata;
the transfers of bytes are in ``api_transfers.py``.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Callable, Iterator
from typing import Any

from google.auth.credentials import Credentials
from google_auth_httplib2 import AuthorizedHttp
from googleapiclient.discovery import build
from googleapiclient.http import build_http

from .api_retries import ATTEMPTS, backoff, friendly, is_transient
from .api_transfers import DriveTransfers
from .drive_file import FIELDS, FOLDER, DriveFile
from .media import MediaClient


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


class DriveApi(DriveTransfers):
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
