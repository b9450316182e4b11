"""Owner-only storage of the Drive OAuth client and the user's tokens, in the Jupyter data dir.

Tokens never leave the server: no route returns them and nothing logs them. Files are written
0600 in a 0700 folder, replaced atomically so a crash never leaves half a token.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from jupyter_core.paths import jupyter_data_dir


def drive_data_dir() -> Path:
    """``<jupyter data dir>/colab_ext/drive``, created owner-only."""
    folder = Path(jupyter_data_dir()) / "colab_ext" / "drive"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(folder, 0o700)
    return folder


def write_private(path: Path, payload: dict[str, Any]) -> None:
    """Write JSON readable by the owner only (never briefly world-readable)."""
    temporary = path.with_suffix(".tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as out:
        json.dump(payload, out)
    os.chmod(temporary, 0o600)
    os.replace(temporary, path)


def read_json(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


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
        return read_json(self.token_path)

    def save_token(self, token: dict[str, Any]) -> None:
        write_private(self.token_path, token)

    def delete_token(self) -> None:
        self.token_path.unlink(missing_ok=True)

    def load_client(self) -> dict[str, Any] | None:
        return read_json(self.client_path)

    def save_client(self, client: dict[str, Any]) -> None:
        write_private(self.client_path, client)
