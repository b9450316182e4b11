"""Open from GitHub: a pasted URL, or browsing owner > repo > branch > folder > notebook.

The notebook is saved into a local folder and remembers where it came from (repository, branch,
path and blob sha), so that saving it back can tell whether it changed upstream meanwhile.
"""

from __future__ import annotations

import base64
import posixpath
from typing import Any

from github import Github, GithubException
from github.ContentFile import ContentFile
from github.Repository import Repository

from ..core.errors import BadRequest, NotFound
from .account import ConnectedService
from .notebooks import parse, with_record
from .service_requests import BrowseRequest, OpenRequest
from .urls import FileLocation, GistLocation, Location, parse_url


def file_bytes(repo: Repository, item: ContentFile) -> bytes:
    """A file's bytes; past 1 MB the contents API sends none, so read its git blob instead."""
    if item.encoding == "base64" and item.content:
        return item.decoded_content
    blob = repo.get_git_blob(item.sha)
    return base64.b64decode(blob.content)


class GitHubOpener(ConnectedService):
    """Finds notebooks on GitHub and copies them to this server."""

    async def open(self, request: OpenRequest) -> dict[str, Any]:
        """Copy the notebook into the request's folder; its new path and GitHub record."""
        client = self.account.client()
        if request.url:
            location: Location = parse_url(request.url, self.clients.settings.github_web_url)
        else:
            location = FileLocation(request.owner, request.repo, f"{request.ref}/{request.path}")
        name, data, record = await self.read(location, client=client)
        notebook = with_record(parse(data, name), **record)
        path = await self.local.free_path(request.folder, name)
        await self.local.write(path, notebook)
        return {"path": path, "origin": record}

    async def read(
        self, location: Location, *, client: Github | None = None, max_bytes: int | None = None
    ) -> tuple[str, bytes, dict[str, Any]]:
        """The notebook at ``location``: its file name (as GitHub has it: not yet a safe local
        name), its bytes and the GitHub record to keep. Larger than ``max_bytes``: refused
        before its content is downloaded. ``client``: one made for this read (it is closed)."""
        client = client or self.account.client()
        if isinstance(location, GistLocation):
            return await self.clients.run(
                "reading the gist", lambda: self._read_gist(client, location, max_bytes), client
            )
        return await self.clients.run(
            "reading the notebook", lambda: self._read_file(client, location, max_bytes), client
        )

    @staticmethod
    def _read_file(
        client: Github, location: FileLocation, max_bytes: int | None = None
    ) -> tuple[str, bytes, dict[str, Any]]:
        if not location.owner or not location.repo or "/" not in location.rest:
            raise BadRequest("Say which repository, branch and notebook to open.")
        repo = client.get_repo(f"{location.owner}/{location.repo}")
        for ref, path in location.candidates():
            try:
                item = repo.get_contents(path, ref=ref)
            except GithubException as error:
                if error.status == 404:
                    continue  # perhaps the branch name has a slash: try the next split
                raise
            if isinstance(item, list):
                raise BadRequest(f"'{path}' is a folder on GitHub, not a notebook.")
            if not path.endswith(".ipynb"):
                raise BadRequest(f"'{path}' is not a notebook (.ipynb).")
            _check_size(path, item.size, max_bytes)
            record = {
                "file": {
                    "owner": repo.owner.login,
                    "repo": repo.name,
                    "branch": ref,
                    "path": path,
                    "sha": item.sha,
                    "html_url": item.html_url,
                }
            }
            return posixpath.basename(path), file_bytes(repo, item), record
        raise NotFound(
            f"There is no file '{location.rest}' in {location.owner}/{location.repo} "
            "(or the token cannot see it). Check the branch and path."
        )

    @staticmethod
    def _read_gist(
        client: Github, location: GistLocation, max_bytes: int | None = None
    ) -> tuple[str, bytes, dict[str, Any]]:
        gist = client.get_gist(location.gist_id)
        notebooks = {n: f for n, f in gist.files.items() if n.endswith(".ipynb")}
        if location.filename:
            chosen = gist.files.get(location.filename)
        else:
            chosen = next(iter(notebooks.values()), None)
        if chosen is None:
            raise NotFound("That gist has no notebook (.ipynb) in it.")
        _check_size(chosen.filename, chosen.size, max_bytes)
        content = chosen.content
        if content is None or getattr(chosen, "truncated", False):
            raise BadRequest("That gist's notebook is too large to read through the API.")
        owner = gist.owner.login if gist.owner else None
        record = {
            "gist": {
                "id": gist.id,
                "html_url": gist.html_url,
                "public": gist.public,
                "filename": chosen.filename,
                "owner": owner,
            }
        }
        return chosen.filename, content.encode(), record

    async def browse(self, request: BrowseRequest) -> dict[str, Any]:
        """One level of owner > repo > branch > folder, whichever the request reaches; with no
        owner, the repositories the user can push to."""
        client = self.account.client()
        owner, repo_name, ref, path = request.owner, request.repo, request.ref, request.path

        def look() -> dict[str, Any]:
            if not owner:
                # The repositories this user can push to, wherever they live (Save a copy).
                mine = [r for r in client.get_user().get_repos() if r.permissions.push]
                return {"repos": [_repo_entry(r) for r in mine[:500]]}
            if not repo_name:
                login = client.get_user().login
                named = (
                    client.get_user() if login.lower() == owner.lower() else client.get_user(owner)
                )
                repos = [r for r in named.get_repos() if r.owner.login.lower() == owner.lower()]
                return {"repos": [_repo_entry(r) for r in repos[:300]]}
            repo = client.get_repo(f"{owner}/{repo_name}")
            if not ref:
                branches = [b.name for b in list(repo.get_branches())[:300]]
                return {"default_branch": repo.default_branch, "branches": branches}
            items = repo.get_contents(path, ref=ref)
            listing = items if isinstance(items, list) else [items]
            entries = [
                {"name": i.name, "path": i.path, "type": i.type}
                for i in listing
                if i.type == "dir" or i.name.endswith(".ipynb")
            ]
            entries.sort(key=lambda e: (e["type"] != "dir", e["name"].lower()))
            return {"entries": entries}

        return await self.clients.run("listing GitHub", look, client)


def _repo_entry(repo: Repository) -> dict[str, Any]:
    permissions = repo.permissions
    return {
        "full_name": repo.full_name,
        "owner": repo.owner.login,
        "name": repo.name,
        "private": repo.private,
        "default_branch": repo.default_branch,
        "can_push": bool(permissions and permissions.push),
    }


def _check_size(name: str, size: int | None, max_bytes: int | None) -> None:
    if max_bytes is not None and size is not None and size > max_bytes:
        raise BadRequest(
            f"'{name}' is {size:,} bytes, more than the {max_bytes:,} this server opens from a "
            "link."
        )
