"""A Drive file's bytes through :class:`~colab_ext.drive.client.api.DriveApi`: streamed
downloads that resume after a failure, exports of Google Docs, and resumable uploads that resume
by asking Drive what it received."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import IO, Any

from googleapiclient.http import MediaIoBaseDownload

from .api_retries import ATTEMPTS, backoff, friendly, is_transient
from .drive_file import FIELDS, DriveFile
from .media import MediaClient, MediaError

CHUNK = 8 * 1024 * 1024


class Cancelled(Exception):
    """The user cancelled a transfer."""


class DriveTransfers:
    """Downloads, exports and uploads; mixed into DriveApi, which provides the two below."""

    service: Any  # the googleapiclient Drive v3 resource

    def media(self) -> MediaClient:
        raise NotImplementedError

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
            session = self._new_session(media, name, mime_type, parent_id, file_id, total)
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

    def _new_session(
        self,
        media: MediaClient,
        name: str,
        mime_type: str,
        parent_id: str | None,
        file_id: str | None,
        total: int,
    ) -> str:
        """A resumable upload session for a new file in ``parent_id`` or new content of
        ``file_id``."""
        metadata = {} if file_id else {"name": name, "parents": [parent_id or "root"]}
        if not file_id:
            metadata["mimeType"] = mime_type
        session: str = self._media_retry(
            f"Uploading {name}",
            lambda: media.start_upload(metadata, mime_type, file_id, total, FIELDS),
        )
        return session

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
