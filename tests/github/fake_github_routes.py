"""The routes of the fake GitHub (see ``fake_github.py``). Each raises ``Reply``."""

from __future__ import annotations

import base64
import re
import uuid
from typing import Any

from fake_git import FakeRepo, Reply, b64, blob_sha, now
from fake_github_gists import GistRoutes


class Routes(GistRoutes):
    """One request against the fake's state (called with the fake's lock held)."""

    def __init__(self, fake: Any, headers: Any) -> None:
        self.fake = fake
        self.headers = headers
        self.login: str | None = None

    def dispatch(self, method: str, path: str, query: dict[str, str], body: Any) -> None:
        path = path.removeprefix("/api/v3")
        if path.startswith("/login/"):
            return self.device_flow(path, body or query)
        if method == "POST" and path == "/_fake/device/approve":
            # Test control (no such route on GitHub): the user approved every pending code.
            for entry in self.fake.device_codes.values():
                entry["approved"] = True
            raise Reply(204, None)
        self.authenticate()
        table: list[tuple[str, str, Any]] = [
            ("GET", r"/user", self.get_user),
            ("GET", r"/user/repos", self.my_repos),
            ("GET", r"/users/([^/]+)/repos", self.user_repos),
            ("GET", r"/orgs/([^/]+)/repos", self.user_repos),
            ("GET", r"/repos/([^/]+)/([^/]+)", self.get_repo),
            ("GET", r"/repos/([^/]+)/([^/]+)/branches", self.branches),
            ("GET", r"/repos/([^/]+)/([^/]+)/branches/(.+)", self.branch),
            ("GET", r"/repos/([^/]+)/([^/]+)/contents/?(.*)", self.get_contents),
            ("PUT", r"/repos/([^/]+)/([^/]+)/contents/(.+)", self.put_contents),
            ("GET", r"/repos/([^/]+)/([^/]+)/commits", self.list_commits),
            ("GET", r"/repos/([^/]+)/([^/]+)/git/ref/(.+)", self.get_ref),
            ("POST", r"/repos/([^/]+)/([^/]+)/git/refs", self.create_ref),
            ("PATCH", r"/repos/([^/]+)/([^/]+)/git/refs/(.+)", self.update_ref),
            ("GET", r"/repos/([^/]+)/([^/]+)/git/commits/([0-9a-f]+)", self.get_commit),
            ("POST", r"/repos/([^/]+)/([^/]+)/git/commits", self.create_commit),
            ("GET", r"/repos/([^/]+)/([^/]+)/git/blobs/([0-9a-f]+)", self.get_blob),
            ("POST", r"/repos/([^/]+)/([^/]+)/git/blobs", self.create_blob),
            ("GET", r"/repos/([^/]+)/([^/]+)/git/trees/([0-9a-f]+)", self.get_tree),
            ("POST", r"/repos/([^/]+)/([^/]+)/git/trees", self.create_tree),
            ("GET", r"/repos/([^/]+)/([^/]+)/pulls", self.list_pulls),
            ("POST", r"/repos/([^/]+)/([^/]+)/pulls", self.create_pull),
            ("GET", r"/gists", self.list_gists),
            ("POST", r"/gists", self.create_gist),
            ("GET", r"/gists/([0-9a-f]+)", self.get_gist),
            ("PATCH", r"/gists/([0-9a-f]+)", self.update_gist),
        ]
        for verb, pattern, handler in table:
            match = re.fullmatch(pattern, path)
            if verb == method and match:
                return handler(*match.groups(), query=query, body=body)
        raise Reply(404, {"message": "Not Found"})

    # ---- auth
    def authenticate(self) -> None:
        value = self.headers.get("Authorization", "")
        token = value.split(" ", 1)[1] if " " in value else ""
        self.login = self.fake.tokens.get(token)
        if self.login is None:
            raise Reply(401, {"message": "Bad credentials"})

    def device_flow(self, path: str, body: dict[str, Any]) -> None:
        if path == "/login/device/code":
            code = uuid.uuid4().hex
            self.fake.device_codes[code] = {"approved": False, "polls": 0}
            raise Reply(
                200,
                {
                    "device_code": code,
                    "user_code": "WDJB-MJHT",
                    "verification_uri": "https://github.com/login/device",
                    "expires_in": 900,
                    "interval": 1,
                },
            )
        if path == "/login/oauth/access_token":
            entry = self.fake.device_codes.get(body.get("device_code", ""))
            if entry is None:
                raise Reply(200, {"error": "expired_token"})
            entry["polls"] += 1
            if not entry["approved"]:
                raise Reply(200, {"error": "authorization_pending"})
            token = next(iter(self.fake.tokens))
            raise Reply(200, {"access_token": token, "token_type": "bearer", "scope": "repo,gist"})
        raise Reply(404, {"message": "Not Found"})

    # ---- users and repos
    def get_user(self, **_: Any) -> None:
        raise Reply(200, self.fake.user_json(self.login), {"X-OAuth-Scopes": self.fake.scopes})

    def visible(self, repo: FakeRepo) -> bool:
        return not repo.private or repo.owner == self.login

    def my_repos(self, **_: Any) -> None:
        repos = [r for r in self.fake.repos.values() if self.visible(r)]
        raise Reply(200, [self.fake.repo_json(r, self.login) for r in repos])

    def user_repos(self, owner: str, **_: Any) -> None:
        repos = [
            r
            for r in self.fake.repos.values()
            if r.owner.lower() == owner.lower() and self.visible(r)
        ]
        raise Reply(200, [self.fake.repo_json(r, self.login) for r in repos])

    def repo(self, owner: str, name: str, write: bool = False) -> FakeRepo:
        repo = self.fake.repos.get(f"{owner}/{name}".lower())
        if repo is None or not self.visible(repo):
            raise Reply(404, {"message": "Not Found"})
        if write and not (repo.push or repo.owner == self.login):
            raise Reply(403, {"message": "Resource not accessible by personal access token"})
        return repo

    def get_repo(self, owner: str, name: str, **_: Any) -> None:
        raise Reply(200, self.fake.repo_json(self.repo(owner, name), self.login))

    def branch_json(self, repo: FakeRepo, name: str) -> dict[str, Any]:
        sha = repo.branches[name]
        return {
            "name": name,
            "protected": False,
            "commit": self.fake.repo_commit_json(repo, repo.commits[sha]),
        }

    def branches(self, owner: str, name: str, **_: Any) -> None:
        repo = self.repo(owner, name)
        raise Reply(200, [self.branch_json(repo, b) for b in sorted(repo.branches)])

    def branch(self, owner: str, name: str, branch: str, **_: Any) -> None:
        repo = self.repo(owner, name)
        if branch not in repo.branches:
            raise Reply(404, {"message": "Branch not found"})
        raise Reply(200, self.branch_json(repo, branch))

    # ---- contents
    def get_contents(
        self, owner: str, name: str, path: str, query: dict[str, str], **_: Any
    ) -> None:
        repo = self.repo(owner, name)
        ref = query.get("ref", repo.default_branch)
        if ref not in repo.branches and ref not in repo.commits:
            raise Reply(404, {"message": f"No commit found for the ref {ref}"})
        files = repo.files_at(ref)
        path = path.strip("/")
        if path in files:
            raise Reply(200, self.fake.file_json(repo, ref, path, files[path], content=True))
        prefix = f"{path}/" if path else ""
        entries: dict[str, dict[str, Any]] = {}
        for file_path, sha in files.items():
            if not file_path.startswith(prefix):
                continue
            head, _, rest = file_path[len(prefix) :].partition("/")
            if rest:
                entries[head] = {
                    "type": "dir",
                    "name": head,
                    "path": prefix + head,
                    "sha": "0" * 40,
                }
                entries[head].update(
                    url=f"{self.fake.url}/repos/{repo.full_name}/contents/{prefix}{head}", size=0
                )
            else:
                entries[head] = self.fake.file_json(repo, ref, file_path, sha, content=False)
        if not entries:
            raise Reply(404, {"message": "Not Found"})
        raise Reply(200, [entries[k] for k in sorted(entries)])

    def put_contents(
        self, owner: str, name: str, path: str, body: dict[str, Any], **_: Any
    ) -> None:
        repo = self.repo(owner, name, write=True)
        branch = body.get("branch", repo.default_branch)
        if branch not in repo.branches:
            raise Reply(404, {"message": f"Branch {branch} not found"})
        current = repo.files_at(branch).get(path)
        given = body.get("sha")
        if current and not given:
            raise Reply(422, {"message": 'Invalid request.\n\n"sha" wasn\'t supplied.'})
        if current and given != current:
            raise Reply(409, {"message": f"{path} does not match {given}"})
        data = base64.b64decode(body["content"])
        commit = repo.commit_files(branch, {path: data}, body["message"], body.get("author"))
        content = self.fake.file_json(repo, branch, path, blob_sha(data), content=False)
        raise Reply(
            201 if not current else 200,
            {
                "content": content,
                "commit": self.fake.commit_json(repo, commit),
            },
        )

    def list_commits(self, owner: str, name: str, query: dict[str, str], **_: Any) -> None:
        repo = self.repo(owner, name)
        ref = query.get("sha", repo.default_branch)
        commits = repo.history(ref, query.get("path"))
        raise Reply(200, [self.fake.repo_commit_json(repo, c) for c in commits])

    # ---- git data
    def ref_json(self, repo: FakeRepo, branch: str) -> dict[str, Any]:
        base = f"{self.fake.url}/repos/{repo.full_name}"
        sha = repo.branches[branch]
        return {
            "ref": f"refs/heads/{branch}",
            "url": f"{base}/git/refs/heads/{branch}",
            "object": {"sha": sha, "type": "commit", "url": f"{base}/git/commits/{sha}"},
        }

    def get_ref(self, owner: str, name: str, ref: str, **_: Any) -> None:
        repo = self.repo(owner, name)
        branch = ref.removeprefix("heads/")
        if branch not in repo.branches:
            raise Reply(404, {"message": "Not Found"})
        raise Reply(200, self.ref_json(repo, branch))

    def create_ref(self, owner: str, name: str, body: dict[str, Any], **_: Any) -> None:
        repo = self.repo(owner, name, write=True)
        branch = body["ref"].removeprefix("refs/heads/")
        if branch in repo.branches:
            raise Reply(422, {"message": "Reference already exists"})
        if body["sha"] not in repo.commits:
            raise Reply(422, {"message": "Object does not exist"})
        repo.branches[branch] = body["sha"]
        raise Reply(201, self.ref_json(repo, branch))

    def update_ref(self, owner: str, name: str, ref: str, body: dict[str, Any], **_: Any) -> None:
        repo = self.repo(owner, name, write=True)
        branch = ref.removeprefix("heads/")
        if branch not in repo.branches:
            raise Reply(422, {"message": "Reference does not exist"})
        new = body["sha"]
        old = repo.branches[branch]
        if new != old and not body.get("force") and old not in self.ancestors(repo, new):
            raise Reply(422, {"message": "Update is not a fast forward"})
        repo.branches[branch] = new
        raise Reply(200, self.ref_json(repo, branch))

    @staticmethod
    def ancestors(repo: FakeRepo, sha: str) -> set[str]:
        seen: set[str] = set()
        stack = [sha]
        while stack:
            current = stack.pop()
            if current in seen or current not in repo.commits:
                continue
            seen.add(current)
            stack += repo.commits[current].parents
        return seen

    def get_commit(self, owner: str, name: str, sha: str, **_: Any) -> None:
        repo = self.repo(owner, name)
        if sha not in repo.commits:
            raise Reply(404, {"message": "Not Found"})
        raise Reply(200, self.fake.commit_json(repo, repo.commits[sha]))

    def create_commit(self, owner: str, name: str, body: dict[str, Any], **_: Any) -> None:
        repo = self.repo(owner, name, write=True)
        if body["tree"] not in repo.trees:
            raise Reply(422, {"message": "Tree SHA does not exist"})
        author = body.get("author") or {"name": "Fake", "email": "f@e", "date": now()}
        commit = repo.add_commit(body["tree"], body.get("parents", []), body["message"], author)
        raise Reply(201, self.fake.commit_json(repo, commit))

    def get_blob(self, owner: str, name: str, sha: str, **_: Any) -> None:
        repo = self.repo(owner, name)
        if sha not in repo.blobs:
            raise Reply(404, {"message": "Not Found"})
        data = repo.blobs[sha]
        url = f"{self.fake.url}/repos/{repo.full_name}/git/blobs/{sha}"
        raise Reply(
            200,
            {"sha": sha, "url": url, "size": len(data), "encoding": "base64", "content": b64(data)},
        )

    def create_blob(self, owner: str, name: str, body: dict[str, Any], **_: Any) -> None:
        repo = self.repo(owner, name, write=True)
        content = body["content"]
        data = base64.b64decode(content) if body.get("encoding") == "base64" else content.encode()
        sha = repo.add_blob(data)
        raise Reply(
            201, {"sha": sha, "url": f"{self.fake.url}/repos/{repo.full_name}/git/blobs/{sha}"}
        )

    def tree_json(self, repo: FakeRepo, sha: str) -> dict[str, Any]:
        entries = [
            {"path": p, "mode": "100644", "type": "blob", "sha": s, "size": len(repo.blobs[s])}
            for p, s in sorted(repo.trees[sha].items())
        ]
        url = f"{self.fake.url}/repos/{repo.full_name}/git/trees/{sha}"
        return {"sha": sha, "url": url, "tree": entries, "truncated": False}

    def get_tree(self, owner: str, name: str, sha: str, **_: Any) -> None:
        repo = self.repo(owner, name)
        commit = repo.commits.get(sha)
        sha = commit.tree if commit else sha
        if sha not in repo.trees:
            raise Reply(404, {"message": "Not Found"})
        raise Reply(200, self.tree_json(repo, sha))

    def create_tree(self, owner: str, name: str, body: dict[str, Any], **_: Any) -> None:
        repo = self.repo(owner, name, write=True)
        files = dict(repo.trees.get(body.get("base_tree", ""), {}))
        for entry in body["tree"]:
            if entry.get("sha") is None and "content" not in entry:
                files.pop(entry["path"], None)
            elif "content" in entry:
                files[entry["path"]] = repo.add_blob(entry["content"].encode())
            elif entry["sha"] not in repo.blobs:
                raise Reply(422, {"message": f"Blob {entry['sha']} does not exist"})
            else:
                files[entry["path"]] = entry["sha"]
        raise Reply(201, self.tree_json(repo, repo.add_tree(files)))

    # ---- pulls
    def list_pulls(self, owner: str, name: str, query: dict[str, str], **_: Any) -> None:
        repo = self.repo(owner, name)
        pulls = [
            p
            for p in repo.pulls
            if "head" not in query or query["head"] in (p["head"]["label"], p["head"]["ref"])
        ]
        raise Reply(200, pulls)

    def create_pull(self, owner: str, name: str, body: dict[str, Any], **_: Any) -> None:
        repo = self.repo(owner, name, write=True)
        head, base = body["head"], body["base"]
        if head not in repo.branches or base not in repo.branches:
            raise Reply(422, {"message": "Validation Failed", "errors": [{"field": "head"}]})
        if any(p["head"]["ref"] == head and p["state"] == "open" for p in repo.pulls):
            raise Reply(422, {"message": f"A pull request already exists for {owner}:{head}."})
        number = len(repo.pulls) + 1
        pull = {
            "number": number,
            "id": number,
            "state": "open",
            "title": body["title"],
            "body": body.get("body"),
            "url": f"{self.fake.url}/repos/{repo.full_name}/pulls/{number}",
            "html_url": f"https://github.com/{repo.full_name}/pull/{number}",
            "head": {"ref": head, "label": f"{repo.owner}:{head}", "sha": repo.branches[head]},
            "base": {"ref": base, "label": f"{repo.owner}:{base}", "sha": repo.branches[base]},
        }
        repo.pulls.append(pull)
        raise Reply(201, pull)
