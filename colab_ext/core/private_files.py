"""Owner-only JSON files for secrets and per-user state (tokens, OAuth clients, server info).

Every feature that keeps a secret on disk writes it here, so the rules live in one place: the file
is 0600 from the moment it exists (never briefly readable by others), and it is replaced
atomically, so a crash never leaves half a token.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any


def private_folder(path: Path) -> Path:
    """``path`` as an owner-only (0700) folder: created so, and tightened if it already exists.

    ``mkdir(mode=...)`` alone neither applies to the parents it creates nor changes a folder
    that an older version (or the umask) left readable by others.
    """
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(path, 0o700)
    return path


def write_private_json(path: Path, payload: Any) -> None:
    """Write ``payload`` as JSON to ``path``, owner-only, replacing it atomically."""
    temporary = path.with_suffix(".tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        os.fchmod(handle.fileno(), 0o600)  # even if a stale temporary had wider rights
        json.dump(payload, handle)
    os.replace(temporary, path)


def read_json_object(path: Path) -> dict[str, Any] | None:
    """The JSON object in ``path``, or None when it is missing, unreadable or not an object."""
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None
