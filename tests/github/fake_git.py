"""The repository model behind the fake GitHub: blobs, flat trees, commits and branches.

Object ids are real git blob ids for blobs (so a client can compare a file with what it holds)
and content hashes for trees and commits, so the same commit made twice has the same id, as in git.
"""

from __future__ import annotations

import base64
import hashlib
import json
import time
from dataclasses import dataclass, field
from typing import Any


def blob_sha(data: bytes) -> str:
    """The git object id of a blob with these bytes."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def _hash(kind: str, payload: Any) -> str:
    text = json.dumps(payload, sort_keys=True).encode()
    return hashlib.sha1(kind.encode() + b"\0" + text).hexdigest()


@dataclass
class Commit:
    sha: str
    tree: str
    parents: list[str]
    message: str
    author: dict[str, str]


@dataclass
class FakeRepo:
    """One repository: who may push, its branches, and its objects."""

    owner: str
    name: str
    private: bool = False
    push: bool = True
    default_branch: str = "main"
    blobs: dict[str, bytes] = field(default_factory=dict)
    trees: dict[str, dict[str, str]] = field(default_factory=dict)  # sha -> {path: blob sha}
    commits: dict[str, Commit] = field(default_factory=dict)
    branches: dict[str, str] = field(default_factory=dict)  # name -> commit sha
    pulls: list[dict[str, Any]] = field(default_factory=list)

    @property
    def full_name(self) -> str:
        return f"{self.owner}/{self.name}"

    def add_blob(self, data: bytes) -> str:
        sha = blob_sha(data)
        self.blobs[sha] = data
        return sha

    def add_tree(self, entries: dict[str, str]) -> str:
        sha = _hash("tree", entries)
        self.trees[sha] = dict(entries)
        return sha

    def add_commit(
        self, tree: str, parents: list[str], message: str, author: dict[str, str] | None = None
    ) -> Commit:
        author = author or {"name": "Fake", "email": "fake@example.com", "date": "2026-01-01"}
        sha = _hash("commit", [tree, parents, message, author])
        commit = Commit(sha, tree, list(parents), message, author)
        self.commits[sha] = commit
        return commit

    def files_at(self, ref: str) -> dict[str, str]:
        """{path: blob sha} at a branch name or commit sha."""
        sha = self.branches.get(ref, ref)
        commit = self.commits.get(sha)
        return dict(self.trees[commit.tree]) if commit else {}

    def commit_files(
        self, branch: str, changes: dict[str, bytes], message: str, author: dict[str, str] | None
    ) -> Commit:
        """Commit ``changes`` on top of ``branch`` (created from nothing when new)."""
        parent = self.branches.get(branch)
        files = self.files_at(parent) if parent else {}
        for path, data in changes.items():
            files[path] = self.add_blob(data)
        commit = self.add_commit(self.add_tree(files), [parent] if parent else [], message, author)
        self.branches[branch] = commit.sha
        return commit

    def history(self, ref: str, path: str | None = None) -> list[Commit]:
        """Commits reachable from ``ref`` (first parents), newest first, touching ``path``."""
        found: list[Commit] = []
        sha: str | None = self.branches.get(ref, ref)
        while sha and sha in self.commits:
            commit = self.commits[sha]
            parent = commit.parents[0] if commit.parents else None
            if path is None or (
                self.trees[commit.tree].get(path)
                != (self.files_at(parent).get(path) if parent else None)
            ):
                found.append(commit)
            sha = parent
        return found

    def read(self, ref: str, path: str) -> bytes | None:
        sha = self.files_at(ref).get(path)
        return self.blobs[sha] if sha else None


class Reply(Exception):
    """Raised inside a route to answer with a status and JSON body."""

    def __init__(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        super().__init__(status)
        self.status, self.body, self.headers = status, body, headers or {}


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
