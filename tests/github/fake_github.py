"""A fake GitHub REST API on loopback, for tests: the real wire protocol of the endpoints
colab-ext uses (user, repos and permissions, contents with sha, branches, refs, Git Data API,
commits, pulls, gists, the OAuth device flow), so PyGithub runs unchanged against it.

Faults are injected per request (:meth:`FakeGitHub.fail`): a status (5xx, 403 rate limit, ...)
answered before the request is handled or *after* it was (the write happened but the client
never heard), or a dropped connection. Standard library only, so the browser tests can start it
with any Python: ``python tests/github/fake_github.py --port 9894 --token T``.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fake_git import Commit, FakeRepo, Reply, b64

#: Above this size the contents API returns no content, as GitHub does (1 MB).
CONTENTS_LIMIT = 1024 * 1024


@dataclass
class Fault:
    """One injected failure for requests matching ``method`` and the ``path`` regex."""

    method: str
    path: str
    status: int = 502
    when: str = "before"  # "before": not handled; "after": handled, then the answer is lost
    drop: bool = False  # close the connection instead of answering
    headers: dict[str, str] = field(default_factory=dict)
    body: dict[str, Any] = field(default_factory=lambda: {"message": "Server Error"})
    times: int = 1


class FakeGitHub:
    """The fake's state and HTTP server. Use as a context manager, or :meth:`start`/:meth:`stop`."""

    def __init__(self, tokens: dict[str, str] | None = None, port: int = 0) -> None:
        self.tokens = tokens or {"ghp_faketoken": "octo"}  # token -> login
        self.scopes = "repo, gist"
        self.repos: dict[str, FakeRepo] = {}
        self.gists: dict[str, dict[str, Any]] = {}
        self.faults: list[Fault] = []
        self.requests: list[tuple[str, str]] = []
        self.device_codes: dict[str, dict[str, Any]] = {}
        self.lock = threading.RLock()
        self.server = ThreadingHTTPServer(("127.0.0.1", port), _handler_for(self))
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread: threading.Thread | None = None

    # ---- set-up helpers for tests
    def add_repo(
        self, full_name: str, files: dict[str, bytes] | None = None, **options: Any
    ) -> FakeRepo:
        owner, name = full_name.split("/")
        repo = FakeRepo(owner, name, **options)
        repo.commit_files(repo.default_branch, files or {"README.md": b"# hi\n"}, "Initial", None)
        self.repos[full_name.lower()] = repo
        return repo

    def fail(self, method: str, path: str, **options: Any) -> Fault:
        fault = Fault(method.upper(), path, **options)
        self.faults.append(fault)
        return fault

    def rate_limit(self, method: str, path: str, reset: int, times: int = 1) -> Fault:
        return self.fail(
            method,
            path,
            status=403,
            times=times,
            headers={
                "X-RateLimit-Limit": "5000",
                "X-RateLimit-Remaining": "0",
                "X-RateLimit-Reset": str(reset),
            },
            body={"message": "API rate limit exceeded for user ID 1."},
        )

    def count(self, method: str, path_regex: str) -> int:
        return sum(
            1 for m, p in self.requests if m == method and re.fullmatch(path_regex, p.split("?")[0])
        )

    def start(self) -> FakeGitHub:
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self) -> FakeGitHub:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def take_fault(self, method: str, path: str) -> Fault | None:
        with self.lock:
            for fault in self.faults:
                if fault.times > 0 and fault.method == method and re.fullmatch(fault.path, path):
                    fault.times -= 1
                    return fault
        return None

    # ---- JSON shapes, as GitHub sends them
    def user_json(self, login: str) -> dict[str, Any]:
        return {
            "login": login,
            "id": abs(hash(login)) % 10**6,
            "type": "User",
            "name": login.title(),
            "url": f"{self.url}/users/{login}",
            "html_url": f"https://github.com/{login}",
        }

    def repo_json(self, repo: FakeRepo, viewer: str) -> dict[str, Any]:
        owner = repo.owner == viewer
        return {
            "id": abs(hash(repo.full_name)) % 10**6,
            "name": repo.name,
            "full_name": repo.full_name,
            "owner": self.user_json(repo.owner),
            "private": repo.private,
            "html_url": f"https://github.com/{repo.full_name}",
            "url": f"{self.url}/repos/{repo.full_name}",
            "default_branch": repo.default_branch,
            "description": None,
            "permissions": {"admin": owner, "push": repo.push or owner, "pull": True},
        }

    def commit_json(self, repo: FakeRepo, commit: Commit) -> dict[str, Any]:
        base = f"{self.url}/repos/{repo.full_name}"
        person = dict(commit.author)
        return {
            "sha": commit.sha,
            "url": f"{base}/git/commits/{commit.sha}",
            "html_url": f"https://github.com/{repo.full_name}/commit/{commit.sha}",
            "message": commit.message,
            "author": person,
            "committer": person,
            "tree": {"sha": commit.tree, "url": f"{base}/git/trees/{commit.tree}"},
            "parents": [{"sha": p, "url": f"{base}/git/commits/{p}"} for p in commit.parents],
        }

    def repo_commit_json(self, repo: FakeRepo, commit: Commit) -> dict[str, Any]:
        git = self.commit_json(repo, commit)
        return {
            "sha": commit.sha,
            "url": f"{self.url}/repos/{repo.full_name}/commits/{commit.sha}",
            "html_url": git["html_url"],
            "commit": git,
            "parents": git["parents"],
        }

    def file_json(
        self, repo: FakeRepo, ref: str, path: str, sha: str, content: bool
    ) -> dict[str, Any]:
        data = repo.blobs[sha]
        item: dict[str, Any] = {
            "type": "file",
            "name": path.rsplit("/", 1)[-1],
            "path": path,
            "sha": sha,
            "size": len(data),
            "url": f"{self.url}/repos/{repo.full_name}/contents/{path}?ref={ref}",
            "html_url": f"https://github.com/{repo.full_name}/blob/{ref}/{path}",
            "git_url": f"{self.url}/repos/{repo.full_name}/git/blobs/{sha}",
            "download_url": f"https://raw.githubusercontent.com/{repo.full_name}/{ref}/{path}",
        }
        if content:
            big = len(data) > CONTENTS_LIMIT
            item["encoding"] = "none" if big else "base64"
            item["content"] = "" if big else b64(data)
        return item

    def gist_json(self, gist: dict[str, Any], full: bool = True) -> dict[str, Any]:
        files = {}
        for name, text in gist["files"].items():
            entry = {
                "filename": name,
                "type": "application/x-ipynb+json",
                "language": "Jupyter Notebook",
                "raw_url": f"https://gist.githubusercontent.com/{gist['owner']}/{gist['id']}/raw/{name}",
                "size": len(text.encode()),
                "truncated": False,
            }
            if full:
                entry["content"] = text
            files[name] = entry
        return {
            "id": gist["id"],
            "url": f"{self.url}/gists/{gist['id']}",
            "html_url": f"https://gist.github.com/{gist['owner']}/{gist['id']}",
            "public": gist["public"],
            "description": gist["description"],
            "files": files,
            "owner": self.user_json(gist["owner"]),
            "created_at": gist["created_at"],
            "updated_at": gist["updated_at"],
            "history": [
                {"version": v["version"], "committed_at": v["at"], "url": ""}
                for v in reversed(gist["history"])
            ],
        }


def _handler_for(fake: FakeGitHub) -> type[BaseHTTPRequestHandler]:
    from fake_github_routes import Routes

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # quiet
            pass

        def _serve(self) -> None:
            method = self.command
            parts = urlsplit(self.path)
            path = unquote(parts.path)
            query = {k: v[0] for k, v in parse_qs(parts.query).items()}
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            fake.requests.append((method, self.path))
            fault = fake.take_fault(method, path)
            if fault and fault.when == "before":
                return self._fault(fault)
            if "form-urlencoded" in (self.headers.get("Content-Type") or ""):
                body: Any = {k: v[0] for k, v in parse_qs(raw.decode()).items()}
            else:
                try:
                    body = json.loads(raw) if raw else {}
                except ValueError:
                    body = {}
            try:
                with fake.lock:
                    Routes(fake, self.headers).dispatch(method, path, query, body)
                status, payload, headers = 404, {"message": "Not Found"}, {}
            except Reply as reply:
                status, payload, headers = reply.status, reply.body, reply.headers
            if fault:
                return self._fault(fault)
            self._send(status, payload, headers)

        def _fault(self, fault: Fault) -> None:
            if fault.drop:
                self.close_connection = True
                return
            self._send(fault.status, fault.body, fault.headers)

        def _send(self, status: int, payload: Any, headers: dict[str, str]) -> None:
            data = b"" if status == 204 else json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _serve

    return Handler


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=9894)
    parser.add_argument("--token", default="ghp_faketoken")
    args = parser.parse_args()
    fake = FakeGitHub({args.token: "octo"}, port=args.port)
    fake.add_repo(
        "octo/notebooks",
        {
            "README.md": b"# Notebooks\n",
            "analysis.ipynb": _notebook("print('from the fake GitHub')"),
        },
    )
    fake.add_repo("octo/private-work", {"work.ipynb": _notebook("1 + 1")}, private=True)
    fake.add_repo("someone/readonly", {"demo.ipynb": _notebook("2 + 2")}, push=False)
    print(f"fake GitHub on {fake.url}", flush=True)
    fake.server.serve_forever()


def _notebook(source: str) -> bytes:
    cell = {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": []}
    cell["source"] = source
    kernelspec = {"name": "python3", "display_name": "Python 3", "language": "python"}
    document = {
        "cells": [cell],
        "metadata": {"kernelspec": kernelspec},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    return json.dumps(document, indent=1).encode()


if __name__ == "__main__":
    main()
