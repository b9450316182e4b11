"""The gist routes of the fake GitHub (see ``fake_github.py``)."""

from __future__ import annotations

import uuid
from typing import Any

from fake_git import Reply, now


class GistRoutes:
    """Gists: list, create, read, update (with revisions, as GitHub keeps them)."""

    fake: Any
    login: str | None

    # ---- gists
    def list_gists(self, **_: Any) -> None:
        mine = [g for g in self.fake.gists.values() if g["owner"] == self.login]
        mine.sort(key=lambda g: g["updated_at"], reverse=True)
        raise Reply(200, [self.fake.gist_json(g, full=False) for g in mine])

    def gist(self, gist_id: str) -> dict[str, Any]:
        gist = self.fake.gists.get(gist_id)
        if gist is None:
            raise Reply(404, {"message": "Not Found"})
        return gist

    def create_gist(self, body: dict[str, Any], **_: Any) -> None:
        if not body.get("files"):
            raise Reply(422, {"message": "Validation Failed", "errors": [{"field": "files"}]})
        gist_id = uuid.uuid4().hex
        files = {name: f["content"] for name, f in body["files"].items()}
        gist = {
            "id": gist_id,
            "owner": self.login,
            "public": bool(body.get("public")),
            "description": body.get("description", ""),
            "files": files,
            "created_at": now(),
            "updated_at": now(),
            "history": [{"version": uuid.uuid4().hex, "at": now(), "files": dict(files)}],
        }
        self.fake.gists[gist_id] = gist
        raise Reply(201, self.fake.gist_json(gist))

    def get_gist(self, gist_id: str, **_: Any) -> None:
        raise Reply(200, self.fake.gist_json(self.gist(gist_id)))

    def update_gist(self, gist_id: str, body: dict[str, Any], **_: Any) -> None:
        gist = self.gist(gist_id)
        if gist["owner"] != self.login:
            raise Reply(404, {"message": "Not Found"})
        files = dict(gist["files"])
        for name, change in (body.get("files") or {}).items():
            if change is None:
                files.pop(name, None)
                continue
            new_name = change.get("filename") or name
            content = change.get("content", files.get(name, ""))
            files.pop(name, None)
            files[new_name] = content
        if "description" in body:
            gist["description"] = body["description"]
        if files != gist["files"]:
            gist["history"].append({"version": uuid.uuid4().hex, "at": now(), "files": dict(files)})
        gist["files"] = files
        gist["updated_at"] = now()
        raise Reply(200, self.fake.gist_json(gist))
