"""Share links kept on disk: a small SQLite database in the Jupyter data dir.

Why SQLite (in WAL mode) rather than a JSON file: every create, revoke, visit and rename is one
transaction, so two requests at the same moment (or two servers sharing a data dir) never lose each
other's writes, and a crash mid-write leaves the previous state. Writers wait for each other
(``busy_timeout``) instead of failing. The file is created owner-only (0600; SQLite gives its WAL
and shared-memory files the same mode) in an owner-only folder.

A link's token is never stored: only its SHA-256 digest. A digest is what the database is searched
by, so a lookup's timing depends on the digest of what was sent, not on how much of a real token
was guessed right; the match is then confirmed with :func:`hmac.compare_digest`.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

#: Clock: seconds since the epoch. Injected so tests can move time.
Clock = Callable[[], float]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS links (
    id TEXT PRIMARY KEY,
    token_sha256 TEXT NOT NULL UNIQUE,
    path TEXT NOT NULL,
    label TEXT NOT NULL DEFAULT '',
    include_outputs INTEGER NOT NULL,
    created_at REAL NOT NULL,
    expires_at REAL,
    revoked_at REAL,
    visits INTEGER NOT NULL DEFAULT 0,
    last_visit_at REAL,
    created_by TEXT NOT NULL DEFAULT '',
    end_reason TEXT
);
CREATE INDEX IF NOT EXISTS links_path ON links(path);
"""

_COLUMNS = (
    "id, token_sha256, path, label, include_outputs, created_at, expires_at, revoked_at, visits, "
    "last_visit_at, created_by, end_reason"
)


def token_digest(token: str) -> str:
    """The SHA-256 hex digest under which a token's link is stored."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class ShareLink:
    """One link as stored (never with its token)."""

    id: str
    token_sha256: str
    path: str
    label: str
    include_outputs: bool
    created_at: float
    expires_at: float | None
    revoked_at: float | None
    visits: int
    last_visit_at: float | None
    created_by: str
    #: Why a link stopped: "revoked" or "deleted" (its notebook was deleted); None while live.
    end_reason: str | None = None

    def is_live(self, now: float) -> bool:
        """Whether the link still opens: not revoked and not expired."""
        return self.revoked_at is None and (self.expires_at is None or now < self.expires_at)

    def public(self, now: float) -> dict[str, Any]:
        """What the owner's UI may see about the link (no digest, no token)."""
        info = asdict(self)
        del info["token_sha256"]
        info["active"] = self.is_live(now)
        return info


class ShareLinkStore:
    """The share links of this server, persisted in ``path`` (a SQLite database).

    Plain blocking code: call it from a worker thread. Each method opens its own connection, so
    the store may be used from several threads (and processes) at once.
    """

    def __init__(self, path: Path, clock: Clock = time.time) -> None:
        self.path = path
        self.clock = clock
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        # Create the file owner-only before SQLite opens it, so it is never readable by others.
        os.close(os.open(path, os.O_CREAT | os.O_RDWR, 0o600))
        os.chmod(path, 0o600)
        with self._connect() as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(_SCHEMA)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            db.execute("PRAGMA busy_timeout=30000")
            yield db
        finally:
            db.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._connect() as db:
            # IMMEDIATE takes the write lock up front: read-then-write steps never interleave.
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    def create(
        self,
        path: str,
        *,
        include_outputs: bool,
        expires_in_s: float | None,
        label: str = "",
        created_by: str = "",
    ) -> tuple[ShareLink, str]:
        """Make a link to the notebook at ``path``; returns it with its token (shown only once)."""
        token = secrets.token_urlsafe(32)
        now = self.clock()
        link = ShareLink(
            id=secrets.token_hex(8),
            token_sha256=token_digest(token),
            path=path,
            label=label,
            include_outputs=include_outputs,
            created_at=now,
            expires_at=None if expires_in_s is None else now + expires_in_s,
            revoked_at=None,
            visits=0,
            last_visit_at=None,
            created_by=created_by,
        )
        with self._transaction() as db:
            db.execute(
                f"INSERT INTO links ({_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",  # noqa: S608
                (
                    link.id,
                    link.token_sha256,
                    link.path,
                    link.label,
                    int(link.include_outputs),
                    link.created_at,
                    link.expires_at,
                    link.revoked_at,
                    link.visits,
                    link.last_visit_at,
                    link.created_by,
                    link.end_reason,
                ),
            )
        return link, token

    def all(self) -> list[ShareLink]:
        """Every link, newest first (revoked and expired ones too, for the owner's panel)."""
        with self._connect() as db:
            rows = db.execute(
                f"SELECT {_COLUMNS} FROM links ORDER BY created_at DESC, id"  # noqa: S608
            ).fetchall()
        return [_link(row) for row in rows]

    def get(self, link_id: str) -> ShareLink | None:
        """The link with this id, or None."""
        with self._connect() as db:
            row = db.execute(
                f"SELECT {_COLUMNS} FROM links WHERE id = ?",  # noqa: S608
                (link_id,),
            ).fetchone()
        return _link(row) if row else None

    def find(self, token: str) -> ShareLink | None:
        """The live link this token opens, or None for any token that opens nothing."""
        digest = token_digest(token)
        with self._connect() as db:
            row = db.execute(
                f"SELECT {_COLUMNS} FROM links WHERE token_sha256 = ?",  # noqa: S608
                (digest,),
            ).fetchone()
        if row is None or not hmac.compare_digest(row[1], digest):
            return None
        link = _link(row)
        return link if link.is_live(self.clock()) else None

    def record_visit(self, link_id: str) -> None:
        """Count one visit of a link's page."""
        with self._transaction() as db:
            db.execute(
                "UPDATE links SET visits = visits + 1, last_visit_at = ? WHERE id = ?",
                (self.clock(), link_id),
            )

    def revoke(self, link_id: str) -> ShareLink | None:
        """Stop a link at once; returns it, or None when there is no such link."""
        with self._transaction() as db:
            db.execute(
                "UPDATE links SET revoked_at = ?, end_reason = 'revoked' "
                "WHERE id = ? AND revoked_at IS NULL",
                (self.clock(), link_id),
            )
            row = db.execute(
                f"SELECT {_COLUMNS} FROM links WHERE id = ?",  # noqa: S608
                (link_id,),
            ).fetchone()
        return _link(row) if row else None

    def delete(self, link_id: str) -> bool:
        """Forget a link altogether (it stops working too); False when there was none."""
        with self._transaction() as db:
            return db.execute("DELETE FROM links WHERE id = ?", (link_id,)).rowcount > 0

    def follow_rename(self, old: str, new: str) -> int:
        """Point the links of ``old`` (a notebook, or a folder above notebooks) at ``new``."""
        with self._transaction() as db:
            moved = db.execute("UPDATE links SET path = ? WHERE path = ?", (new, old)).rowcount
            prefix = old.rstrip("/") + "/"
            moved += db.execute(
                "UPDATE links SET path = ? || substr(path, ?) WHERE substr(path, 1, ?) = ?",
                (new.rstrip("/") + "/", len(prefix) + 1, len(prefix), prefix),
            ).rowcount
        return int(moved)

    def revoke_path(self, path: str) -> int:
        """Revoke every link to ``path`` or below it (the notebook or its folder was deleted)."""
        prefix = path.rstrip("/") + "/"
        with self._transaction() as db:
            return int(
                db.execute(
                    "UPDATE links SET revoked_at = ?, end_reason = 'deleted' "
                    "WHERE revoked_at IS NULL AND (path = ? OR substr(path, 1, ?) = ?)",
                    (self.clock(), path, len(prefix), prefix),
                ).rowcount
            )


def _link(row: tuple[Any, ...]) -> ShareLink:
    values = list(row)
    values[4] = bool(values[4])
    return ShareLink(*values)
