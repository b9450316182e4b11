"""The user's secrets: names, values and the notebooks that may read each, in one private file.

The file is owner-only (0600) in the owner-only colab_ext data folder and replaced atomically
(:mod:`..core.private_files`). Nothing here logs a value, and the only methods that return one
are :meth:`SecretStore.value` (the kernel of a notebook with access, or the user's explicit
"show") -- every listing carries names and access only.
"""

from __future__ import annotations

import re
import threading
import time
from pathlib import Path
from typing import Any

from ..core.errors import BadRequest, Conflict, NotFound
from ..core.private_files import read_json_object, write_private_json

#: Colab's rule, as environment variables spell it: letters, digits and underscores, not
#: starting with a digit. The frontend checks the same (src/secrets/names.ts).
NAME_PATTERN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
MAX_NAME_LENGTH = 128
#: A service-account key is a few KiB; a megabyte is a file, not a secret.
MAX_VALUE_BYTES = 1 << 20


def name_problem(name: Any) -> str | None:
    """Why ``name`` cannot name a secret, in words; None when it can."""
    if not isinstance(name, str) or not name:
        return "A secret needs a name."
    if len(name) > MAX_NAME_LENGTH:
        return f"A secret's name has at most {MAX_NAME_LENGTH} characters."
    if not NAME_PATTERN.fullmatch(name):
        return (
            "A secret's name may contain only letters, digits and underscores (_), "
            "and must not start with a digit."
        )
    return None


def check_name(name: Any) -> str:
    """``name`` when it can name a secret, else a 400 that says why."""
    problem = name_problem(name)
    if problem is not None:
        raise BadRequest(problem)
    return str(name)


def check_value(value: Any) -> str:
    """``value`` when it can be a secret's value, else a 400 (that never quotes it)."""
    if not isinstance(value, str):
        raise BadRequest("A secret's value must be text.")
    if len(value.encode()) > MAX_VALUE_BYTES:
        raise BadRequest("A secret's value may be at most 1 MiB.")
    return value


class SecretStore:
    """Reads and writes the secrets file; safe to call from several threads.

    The file holds ``{"secrets": {name: {"value", "notebooks": [path, ...], "updated"}}}``,
    where the paths are notebooks (relative to the server root) granted access.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()

    # ---- reading ------------------------------------------------------------------------------

    def _load(self) -> dict[str, dict[str, Any]]:
        secrets = (read_json_object(self.path) or {}).get("secrets")
        if not isinstance(secrets, dict):
            return {}
        return {
            name: entry
            for name, entry in secrets.items()
            if isinstance(entry, dict) and isinstance(entry.get("value"), str)
        }

    def _save(self, secrets: dict[str, dict[str, Any]]) -> None:
        write_private_json(self.path, {"version": 1, "secrets": secrets})

    def list(self, notebook: str | None) -> list[dict[str, Any]]:
        """Every secret's name and whether ``notebook`` may read it -- never a value."""
        with self._lock:
            secrets = self._load()
        return [
            {
                "name": name,
                "access": notebook is not None and notebook in _notebooks(entry),
                "notebooks": len(_notebooks(entry)),
                "updated": entry.get("updated"),
            }
            for name, entry in sorted(secrets.items(), key=lambda item: item[0].lower())
        ]

    def exists(self, name: str) -> bool:
        with self._lock:
            return name in self._load()

    def has_access(self, name: str, notebook: str) -> bool:
        with self._lock:
            entry = self._load().get(name)
        return entry is not None and notebook in _notebooks(entry)

    def value(self, name: str) -> str:
        """The value of ``name``, or :class:`NotFound`."""
        with self._lock:
            entry = self._load().get(name)
        if entry is None:
            raise NotFound(f"There is no secret named {name!r}.")
        return str(entry["value"])

    # ---- writing ------------------------------------------------------------------------------

    def add(self, name: str, value: Any, notebook: str | None = None) -> None:
        """A new secret (a 409 when the name is taken), readable by ``notebook`` if given."""
        name, value = check_name(name), check_value(value)
        with self._lock:
            secrets = self._load()
            if name in secrets:
                raise Conflict(f"There is already a secret named {name!r}: edit that one.")
            secrets[name] = {
                "value": value,
                "notebooks": [notebook] if notebook else [],
                "updated": _now(),
            }
            self._save(secrets)

    def update(self, name: str, new_name: Any, value: Any) -> None:
        """Rename ``name`` (keeping its notebooks' access) and/or give it a new value."""
        new_name = check_name(new_name) if new_name is not None else name
        value = check_value(value) if value is not None else None  # never quoted in errors
        with self._lock:
            secrets = self._load()
            if name not in secrets:
                raise NotFound(f"There is no secret named {name!r}.")
            if new_name != name and new_name in secrets:
                raise Conflict(f"There is already a secret named {new_name!r}.")
            entry = secrets.pop(name)
            if value is not None:
                entry["value"] = value
            entry["updated"] = _now()
            secrets[new_name] = entry
            self._save(secrets)

    def delete(self, name: str) -> None:
        with self._lock:
            secrets = self._load()
            if secrets.pop(name, None) is None:
                raise NotFound(f"There is no secret named {name!r}.")
            self._save(secrets)

    def set_access(self, name: str, notebook: str, granted: bool) -> None:
        """Let ``notebook`` read ``name`` (or stop it)."""
        with self._lock:
            secrets = self._load()
            entry = secrets.get(name)
            if entry is None:
                raise NotFound(f"There is no secret named {name!r}.")
            notebooks = [path for path in _notebooks(entry) if path != notebook]
            if granted:
                notebooks.append(notebook)
            entry["notebooks"] = sorted(notebooks)
            self._save(secrets)

    def follow_rename(self, old: str, new: str) -> None:
        """A notebook (or a folder of them) was renamed: its access goes with it."""
        with self._lock:
            secrets = self._load()
            changed = False
            for entry in secrets.values():
                notebooks = _notebooks(entry)
                moved = [_moved(path, old, new) for path in notebooks]
                if moved != notebooks:
                    entry["notebooks"], changed = sorted(moved), True
            if changed:
                self._save(secrets)


def _notebooks(entry: dict[str, Any]) -> list[str]:
    paths = entry.get("notebooks")
    return [p for p in paths if isinstance(p, str)] if isinstance(paths, list) else []


def _moved(path: str, old: str, new: str) -> str:
    if path == old:
        return new
    if path.startswith(old.rstrip("/") + "/"):
        return new.rstrip("/") + path[len(old.rstrip("/")) :]
    return path


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
