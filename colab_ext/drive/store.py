"""Owner-only storage of the Drive OAuth client and the user's tokens, in the Jupyter data dir.

Tokens never leave the server: no route returns them and nothing logs them. Files are written
0600 in a 0700 folder, replaced atomically so a crash never leaves half a token.
"""

from __future__ import annotations

import contextlib
import datetime
import fcntl
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from jupyter_core.paths import jupyter_data_dir

from ..core.private_files import private_folder, read_json_object, write_private_json


def drive_data_dir() -> Path:
    """``<jupyter data dir>/colab_ext/drive``, both folders owner-only."""
    return private_folder(private_folder(Path(jupyter_data_dir()) / "colab_ext") / "drive")


_THREAD_LOCK = threading.Lock()


class CredentialStore:
    """The uploaded OAuth client and the authorized user's tokens."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder or drive_data_dir()

    @property
    def token_path(self) -> Path:
        return self.folder / "token.json"

    @property
    def client_path(self) -> Path:
        return self.folder / "client.json"

    def load_token(self) -> dict[str, Any] | None:
        return read_json_object(self.token_path)

    def save_token(self, token: dict[str, Any]) -> None:
        write_private_json(self.token_path, token)

    def save_refreshed(
        self, refresh_token: str | None, token: str | None, expiry: datetime.datetime | None
    ) -> None:
        """Keep an access token google-auth just refreshed, if the stored sign-in is still the
        one it was refreshed from (a disconnect in between must not bring it back)."""
        with self._locked():
            record = self.load_token()
            if not record or not token or record.get("refresh_token") != refresh_token:
                return
            record["token"] = token
            # google-auth's expiry is naive UTC; this is the format it reads back.
            record["expiry"] = expiry.strftime("%Y-%m-%dT%H:%M:%SZ") if expiry else None
            self.save_token(record)

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        """One writer at a time: threads of this process, and the server and mount processes."""
        with _THREAD_LOCK:
            descriptor = os.open(self.folder / "token.lock", os.O_RDWR | os.O_CREAT, 0o600)
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX)
                yield
            finally:
                os.close(descriptor)

    def delete_token(self) -> None:
        self.token_path.unlink(missing_ok=True)

    def load_client(self) -> dict[str, Any] | None:
        return read_json_object(self.client_path)

    def save_client(self, client: dict[str, Any]) -> None:
        write_private_json(self.client_path, client)
