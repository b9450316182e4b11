"""The fake's media protocol: downloads (``alt=media`` with ``Range``, and a connection dropped
mid-transfer when a fault says so), exports of Google Docs types, and resumable uploads (``308``
with ``Range``, ``bytes */TOTAL`` status queries, whole 256 KiB units kept after a drop)."""

from __future__ import annotations

import json
import re
import secrets
import shutil
from pathlib import Path
from typing import Any

from tests.drive.fake_http import FakeRequestHandler
from tests.drive.fake_store import CHUNK, DOCS_EXPORTS, FOLDER

UPLOAD_GRANULARITY = 256 * 1024


class MediaEndpoints(FakeRequestHandler):
    """``alt=media`` and ``/export`` downloads, and ``/upload/drive/v3/files`` sessions."""

    def _download(self, file_id: str) -> None:
        meta = self._file(file_id)
        if meta is None:
            return self._not_found(file_id)
        if meta["mimeType"] in DOCS_EXPORTS or meta["mimeType"] == FOLDER:
            message = "Only files with binary content can be downloaded. Use Export with Docs."
            return self._json({"error": {"code": 403, "message": message}}, 403)
        self._send_file(self.fake.path_of(file_id))

    def _send_file(self, path: Path) -> None:
        total = path.stat().st_size
        start, end, status = 0, total - 1, 200
        match = re.fullmatch(r"bytes=(\d+)-(\d*)", self.headers.get("Range", ""))
        if match:
            start = int(match.group(1))
            end = min(int(match.group(2)) if match.group(2) else total - 1, total - 1)
            status = 206
            if start >= total:
                self._empty(416, {"Content-Range": f"bytes */{total}"})
                return
        self.send_response(status)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(end - start + 1))
        if status == 206:
            self.send_header("Content-Range", f"bytes {start}-{end}/{total}")
        self.end_headers()
        sent, limit = 0, self.drop_after
        with open(path, "rb") as source:
            source.seek(start)
            remaining = end - start + 1
            while remaining > 0:
                piece = source.read(min(CHUNK, remaining))
                if limit is not None and sent + len(piece) > limit:
                    self.wfile.write(piece[: max(0, limit - sent)])
                    self.wfile.flush()
                    self.close_connection = True
                    self.connection.shutdown(2)
                    return
                self.wfile.write(piece)
                sent += len(piece)
                remaining -= len(piece)

    def _export(self, file_id: str) -> None:
        meta = self._file(file_id)
        if meta is None:
            return self._not_found(file_id)
        wanted = self.query.get("mimeType")
        if DOCS_EXPORTS.get(meta["mimeType"]) != wanted and wanted != "application/pdf":
            return self._json({"error": {"code": 400, "message": "cannot export"}}, 400)
        data = f"{meta['name']} exported as {wanted}\n".encode()
        self.send_response(200)
        self.send_header("Content-Type", str(wanted))
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    # --- resumable uploads --------------------------------------------------------------------
    def _upload(self, method: str, path: str) -> None:
        upload_id = self.query.get("upload_id")
        if upload_id:
            return self._upload_chunk(upload_id)
        if self.query.get("uploadType") != "resumable":
            self._drain()
            return self._json({"error": {"code": 400, "message": "only resumable here"}}, 400)
        body = json.loads(self._body() or b"{}")
        match = re.fullmatch(r"/upload/drive/v3/files(?:/([^/]+))?", path)
        target = match.group(1) if match else None
        if target and self._file(target) is None:
            return self._not_found(target)
        upload_id = secrets.token_urlsafe(12)
        self.fake.uploads[upload_id] = {
            "metadata": body,
            "file_id": target,
            "received": 0,
            "data": self.fake.root / f"upload-{upload_id}",
        }
        self.fake.uploads[upload_id]["data"].write_bytes(b"")
        location = f"{self.fake.url}{path}?uploadType=resumable&upload_id={upload_id}"
        self._empty(200, {"Location": location})

    def _upload_chunk(self, upload_id: str) -> None:
        upload = self.fake.uploads.get(upload_id)
        if upload is None:
            self._drain()
            return self._json({"error": {"code": 404, "message": "upload session gone"}}, 404)
        match = re.fullmatch(
            r"bytes (\*|(\d+)-(\d+))/(\d+|\*)", self.headers.get("Content-Range", "")
        )
        if not match:
            self._drain()
            return self._json({"error": {"code": 400, "message": "bad Content-Range"}}, 400)
        total = match.group(4)
        if match.group(1) == "*" and self._length() == 0:
            self.fake.upload_status_queries += 1
        if match.group(1) != "*":
            start = int(match.group(2))
            if start != upload["received"]:
                self._drain()
                return self._json({"error": {"code": 400, "message": "wrong offset"}}, 400)
            if not self._receive(upload):
                return
        if total != "*" and upload["received"] >= int(total):
            return self._finish_upload(upload_id, upload)
        headers = {"Range": f"bytes=0-{upload['received'] - 1}"} if upload["received"] else {}
        self._empty(308, headers)

    def _receive(self, upload: dict[str, Any]) -> bool:
        """Store the chunk; on an injected drop keep only whole 256 KiB units, as Google does."""
        remaining, kept = self._length(), 0
        limit = self.drop_after
        with open(upload["data"], "r+b") as out:
            out.seek(upload["received"])
            while remaining > 0:
                piece = self.rfile.read(min(CHUNK, remaining))
                if not piece:
                    break
                if limit is not None and kept + len(piece) > limit:
                    piece = piece[: max(0, limit - kept)]
                    out.write(piece)
                    kept += len(piece)
                    committed = upload["received"] + kept
                    committed -= committed % UPLOAD_GRANULARITY
                    out.truncate(committed)
                    upload["received"] = committed
                    self.close_connection = True
                    self.connection.shutdown(2)
                    return False
                out.write(piece)
                kept += len(piece)
                remaining -= len(piece)
        upload["received"] += kept
        return True

    def _finish_upload(self, upload_id: str, upload: dict[str, Any]) -> None:
        self.fake.uploads.pop(upload_id)
        body, file_id = upload["metadata"], upload["file_id"]
        size = upload["received"]
        with self.fake.lock:
            if file_id:
                meta = self.fake.files[file_id]
                meta.update({k: v for k, v in body.items() if k in ("name", "mimeType")})
                meta["size"] = str(size)
                status = 200
            else:
                file_id = "f" + secrets.token_hex(8)
                mime = body.get("mimeType", "application/octet-stream")
                meta = self.fake._meta(
                    file_id, body["name"], mime, body.get("parents") or ["root"], size
                )
                self.fake.files[file_id] = meta
                status = 200
            shutil.move(str(upload["data"]), self.fake.root / file_id)
            self._json(dict(meta), status)
