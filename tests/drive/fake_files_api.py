"""The fake's ``files`` metadata endpoints: list (with the ``q`` clauses the clients use and
paging), get, create, update (rename, move, trash) and delete."""

from __future__ import annotations

import json
import re
import secrets
from typing import Any

from tests.drive.fake_http import FakeRequestHandler
from tests.drive.fake_store import FOLDER


class FilesEndpoints(FakeRequestHandler):
    """``/drive/v3/files`` and ``/drive/v3/files/ID`` without ``alt=media``."""

    def _list(self) -> None:
        q = self.query.get("q", "")
        with self.fake.lock:
            found = [m for m in self.fake.files.values() if m["id"] != "root" and _matches(m, q)]
        found.sort(key=lambda m: (m["mimeType"] != FOLDER, m["name"]))
        size = min(int(self.query.get("pageSize", 100)), 1000)
        token = self.query.get("pageToken") or "0"
        if not token.isdigit():  # one this fake never gave out: Drive answers 400
            return self._json({"error": {"code": 400, "message": "Invalid Value"}}, 400)
        start = int(token)
        page: dict[str, Any] = {"kind": "drive#fileList", "files": found[start : start + size]}
        if start + size < len(found):
            page["nextPageToken"] = str(start + size)
        self._json(page)

    def _get(self, file_id: str) -> None:
        meta = self._file(file_id)
        if meta is None:
            return self._not_found(file_id)
        self._json(meta)

    def _create_metadata(self) -> None:
        body = json.loads(self._body() or b"{}")
        parents = body.get("parents") or ["root"]
        file_id = ("d" if body.get("mimeType") == FOLDER else "f") + secrets.token_hex(8)
        mime = body.get("mimeType", "application/octet-stream")
        if mime != FOLDER:
            (self.fake.root / file_id).write_bytes(b"")
        with self.fake.lock:
            meta = self.fake._meta(
                file_id, body["name"], mime, parents, None if mime == FOLDER else 0
            )
            self.fake.files[file_id] = meta
        self._json(meta)

    def _patch(self, file_id: str) -> None:
        body = json.loads(self._body() or b"{}")
        with self.fake.lock:
            meta = self.fake.files.get(file_id)
            if meta is None:
                return self._not_found(file_id)
            if "name" in body:
                meta["name"] = body["name"]
            if "trashed" in body:
                meta["trashed"] = bool(body["trashed"])
            add = [p for p in self.query.get("addParents", "").split(",") if p]
            remove = set(self.query.get("removeParents", "").split(","))
            if add or remove - {""}:
                meta["parents"] = [p for p in meta["parents"] if p not in remove] + add
            self._json(dict(meta))

    def _delete(self, file_id: str) -> None:
        with self.fake.lock:
            if self.fake.files.pop(file_id, None) is None:
                return self._not_found(file_id)
        self._empty(204, {})


def _matches(meta: dict[str, Any], q: str) -> bool:
    """A small evaluator for the ``q`` clauses the clients use, joined by ``and``."""
    for clause in filter(None, (c.strip() for c in re.split(r"\s+and\s+", q))):
        parent = re.fullmatch(r"'([^']+)' in parents", clause)
        equals = re.fullmatch(r"(\w+)\s*(=|!=)\s*'?((?:[^'\\]|\\.)*)'?", clause)
        if parent:
            if parent.group(1) not in meta.get("parents", []):
                return False
        elif equals:
            key, op, value = equals.groups()
            value = value.replace("\\'", "'")
            actual = str(meta.get(key, "")).lower() if key == "trashed" else meta.get(key, "")
            if (str(actual) == value) != (op == "="):
                return False
        else:
            raise ValueError(f"the fake does not understand q clause {clause!r}")
    return True
