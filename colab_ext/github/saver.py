"""Save a copy in GitHub: commit a notebook to a branch (new or existing) or open a pull request.

Nothing is overwritten silently: when the file on GitHub is not the one this notebook was opened
from or last saved to, the save stops with a conflict and the user chooses (another path, a pull
request, or overwrite). Large notebooks go through the Git Data API. A write that failed halfway
(5xx, dropped connection) is checked before it is tried again, so it lands once.
"""

from __future__ import annotations

import base64
import time
from datetime import datetime, timezone
from typing import Any

from github import Github, GithubException, InputGitAuthor, InputGitTreeElement
from github.Repository import Repository

from ..core.errors import BadRequest, ColabError, Conflict
from .account import ConnectedService
from .client import retry_write
from .notebooks import (
    blob_sha,
    cleared,
    colab_url,
    for_github,
    github_record,
    serialize,
    with_badge,
    with_record,
)
from .service_requests import SaveRequest


class SaveConflict(Conflict):
    """The file on GitHub changed since this notebook last saw it. Its ``details`` go out in the
    409's JSON as ``conflict``: the file's sha now, the one the notebook remembers, its URL."""


class GitHubSaver(ConnectedService):
    """Commits notebooks to GitHub for the Save-a-copy dialog."""

    async def save(self, request: SaveRequest) -> dict[str, Any]:
        """Commit (or open a pull request); the answer is ``GitHubSaveResult`` in
        ``openapi.yaml``, a :class:`SaveConflict` when the file changed upstream."""
        user = await self.account.signed_in()
        notebook = await self.local.read(request.path)
        owner, name = request.repo.split("/")
        remembered = github_record(notebook).get("file") or {}
        content = self._content(notebook, request, owner, name)
        result = await self.clients.run(
            f"saving to {request.repo}",
            lambda: self._commit(user.client, request, content, remembered, user.who.login),
            user.client,
        )
        record = {
            "owner": owner,
            "repo": name,
            "branch": result["branch"],
            "path": request.target_path,
            "sha": result["blob_sha"],
            "html_url": result["file_url"],
        }
        if request.pull_request:
            record["base_branch"] = result["base_branch"]
        if request.write_metadata:
            await self.local.write(request.path, with_record(notebook, file=record))
        result["record"] = {"file": record}
        return result

    @staticmethod
    def _content(notebook: dict[str, Any], request: SaveRequest, owner: str, name: str) -> bytes:
        copy = for_github(notebook)
        if request.clear_outputs:
            copy = cleared(copy)
        if request.badge:
            # The badge points at the branch the notebook will live on once merged.
            branch = (
                request.base_branch or request.branch if request.pull_request else request.branch
            )
            copy = with_badge(copy, colab_url(owner, name, branch or "main", request.target_path))
        return serialize(copy)

    def _commit(
        self,
        client: Github,
        request: SaveRequest,
        content: bytes,
        remembered: dict[str, Any],
        login: str,
    ) -> dict[str, Any]:
        repo = client.get_repo(request.repo)
        if not (repo.permissions and repo.permissions.push):
            raise ColabError(
                f"You cannot push to {repo.full_name}. Choose a repository you can write to, "
                "or fork it on GitHub first.",
                status=403,
            )
        base = request.base_branch or request.branch or repo.default_branch
        branch = request.branch
        if request.pull_request:
            branch = request.branch if request.branch != base else ""
            branch = branch or f"colab-ext/{login}-{time.strftime('%Y%m%d-%H%M%S')}"
            ensure_branch(repo, branch, base)
        elif request.new_branch:
            ensure_branch(repo, branch, base)
        current = current_sha(repo, branch, request.target_path)
        new_sha = blob_sha(content)
        if current and current != new_sha and not request.pull_request and not request.overwrite:
            check_not_changed(repo, request, branch, current, remembered)
        if current == new_sha:
            commit_sha, commit_url = last_commit(repo, branch, request.target_path)
            unchanged = True
        else:
            commit_sha, commit_url = write_file(
                repo,
                branch,
                request,
                content,
                current,
                login,
                self.clients.settings.github_contents_api_max_bytes,
            )
            unchanged = False
        answer: dict[str, Any] = {
            "repo": repo.full_name,
            "branch": branch,
            "base_branch": base,
            "path": request.target_path,
            "blob_sha": new_sha,
            "commit_sha": commit_sha,
            "commit_url": commit_url,
            "unchanged": unchanged,
            "file_url": f"{repo.html_url}/blob/{branch}/{request.target_path}",
            "colab_url": colab_url(repo.owner.login, repo.name, branch, request.target_path),
            "pull_request_url": None,
        }
        if request.pull_request:
            title = request.pr_title or request.message.splitlines()[0]
            answer["pull_request_url"] = open_pull(repo, branch, base, title, request.pr_body)
        return answer


def ensure_branch(repo: Repository, branch: str, base: str) -> None:
    """Create ``branch`` at the tip of ``base`` unless it exists already."""
    try:
        repo.get_branch(branch)
        return
    except GithubException as error:
        if error.status != 404:
            raise
    base_sha = repo.get_branch(base).commit.sha

    def landed() -> bool | None:
        try:
            repo.get_branch(branch)
            return True
        except GithubException:
            return None

    def create() -> bool:
        repo.create_git_ref(f"refs/heads/{branch}", base_sha)
        return True

    retry_write(create, landed)


def current_sha(repo: Repository, branch: str, path: str) -> str | None:
    """The blob sha of ``path`` on ``branch``, or None when there is no such file."""
    try:
        item = repo.get_contents(path, ref=branch)
    except GithubException as error:
        if error.status == 404:
            return None
        raise
    if isinstance(item, list):
        raise BadRequest(f"'{path}' is a folder in {repo.full_name}. Choose a file name.")
    return item.sha


def check_not_changed(
    repo: Repository,
    request: SaveRequest,
    branch: str,
    current: str,
    remembered: dict[str, Any],
) -> None:
    same_file = (
        f"{remembered.get('owner')}/{remembered.get('repo')}".lower() == repo.full_name.lower()
        and remembered.get("path") == request.target_path
    )
    if same_file and remembered.get("sha") == current:
        return
    changed = same_file and remembered.get("sha")
    message = (
        f"{request.target_path} on {branch} changed on GitHub since this notebook was opened "
        "or last saved there."
        if changed
        else f"{request.target_path} already exists on {branch} and is not the file this "
        "notebook came from."
    )
    conflict = {
        "current_sha": current,
        "remembered_sha": remembered.get("sha") if same_file else None,
        "file_url": f"{repo.html_url}/blob/{branch}/{request.target_path}",
    }
    raise SaveConflict(
        message + " Save under another path, open a pull request, or overwrite it.",
        details={"conflict": conflict},
    )


def last_commit(repo: Repository, branch: str, path: str) -> tuple[str, str]:
    commit = repo.get_commits(sha=branch, path=path)[0]
    return commit.sha, commit.html_url


def write_file(
    repo: Repository,
    branch: str,
    request: SaveRequest,
    content: bytes,
    current: str | None,
    login: str,
    max_contents_bytes: int,
) -> tuple[str, str]:
    """Commit ``content``; returns the commit's sha and web URL."""
    target = blob_sha(content)

    def landed() -> tuple[str, str] | None:
        # The commit may have been made although its answer was lost: look before trying again.
        if current_sha(repo, branch, request.target_path) == target:
            return last_commit(repo, branch, request.target_path)
        return None

    if len(content) > max_contents_bytes:
        return retry_write(
            lambda: commit_with_git_data(repo, branch, request, content, login), landed
        )

    def put() -> tuple[str, str]:
        if current:
            done = repo.update_file(
                request.target_path, request.message, content, current, branch=branch
            )
        else:
            done = repo.create_file(request.target_path, request.message, content, branch=branch)
        commit = done["commit"]
        return commit.sha, commit.html_url

    return retry_write(put, landed)


def commit_with_git_data(
    repo: Repository, branch: str, request: SaveRequest, content: bytes, login: str
) -> tuple[str, str]:
    """Blob, tree, commit, then move the branch: for files the contents API refuses."""
    ref = repo.get_git_ref(f"heads/{branch}")
    parent = repo.get_git_commit(ref.object.sha)
    blob = repo.create_git_blob(base64.b64encode(content).decode(), "base64")
    element = InputGitTreeElement(request.target_path, "100644", "blob", sha=blob.sha)
    tree = repo.create_git_tree([element], base_tree=parent.tree)
    now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    author = InputGitAuthor(login, f"{login}@users.noreply.github.com", now)
    commit = repo.create_git_commit(request.message, tree, [parent], author=author)
    # Not forced: if someone pushed meanwhile, GitHub refuses and nothing is lost.
    ref.edit(commit.sha)
    return commit.sha, commit.html_url


def open_pull(repo: Repository, head: str, base: str, title: str, body: str) -> str:
    def existing() -> str | None:
        for pull in repo.get_pulls(state="open", head=f"{repo.owner.login}:{head}"):
            return str(pull.html_url)
        return None

    def create() -> str:
        return str(repo.create_pull(base=base, head=head, title=title, body=body).html_url)

    try:
        return retry_write(create, existing)
    except GithubException as error:
        # Saving to a branch that already has an open pull request: that one now has the commit.
        found = existing() if error.status == 422 else None
        if found:
            return found
        raise
