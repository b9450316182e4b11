"""Where the GitHub token lives: a 0600 file in the Jupyter data dir, or $GITHUB_TOKEN.

The token never leaves the server: nothing here returns it to a handler, and nothing logs it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..core.private_files import read_json_object, write_private_json


@dataclass
class StoredToken:
    """A token and where it came from (``"stored"`` or ``"environment"``)."""

    token: str
    source: str


class TokenStore:
    """Keeps the one GitHub token of this server's user."""

    def __init__(self, path: Path, environment_token: str | None) -> None:
        self.path = path
        self.environment_token = environment_token or None

    def get(self) -> StoredToken | None:
        """The stored token, else the one from ``$GITHUB_TOKEN``, else None."""
        token = (read_json_object(self.path) or {}).get("token")
        if isinstance(token, str) and token:
            return StoredToken(token, "stored")
        if self.environment_token:
            return StoredToken(self.environment_token, "environment")
        return None

    def save(self, token: str) -> None:
        """Write the token with owner-only permissions, replacing any earlier one atomically."""
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        write_private_json(self.path, {"token": token})

    def delete(self) -> bool:
        """Forget the stored token. True if there was one."""
        try:
            self.path.unlink()
            return True
        except FileNotFoundError:
            return False
