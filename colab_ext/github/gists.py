"""Save as a GitHub Gist: the first save creates the gist, later saves update the same one
(its id is kept in the notebook's metadata), so GitHub keeps every earlier revision.
"""

from __future__ import annotations

import posixpath
import time
from datetime import datetime, timezone
from typing import Any

from github import Github, GithubException, InputFileContent
from github.Gist import Gist

from .account import ConnectedService
from .client import retry_write
from .notebooks import cleared, for_github, github_record, serialize, with_record
from .service_requests import GistRequest


def nbviewer_url(owner: str, gist_id: str) -> str:
    return f"https://nbviewer.org/gist/{owner}/{gist_id}"


class GistSaver(ConnectedService):
    """Creates and updates the gist of a notebook."""

    async def save(self, request: GistRequest) -> dict[str, Any]:
        """Create or update the gist; the answer is ``GitHubGistResult`` in ``openapi.yaml``."""
        user = await self.account.signed_in()
        who, client = user.who, user.client
        path, public, description = request.path, request.public, request.description
        notebook = await self.local.read(path)
        remembered = github_record(notebook).get("gist") or {}
        copy = for_github(notebook)
        if request.clear_outputs:
            copy = cleared(copy)
        content = serialize(copy).decode()
        filename = posixpath.basename(path)
        # A gist's visibility cannot change, and only its owner may update it: else make a new one.
        reuse = (
            remembered.get("id")
            and not request.new_gist
            and remembered.get("public") == public
            and remembered.get("owner") in (None, who.login)
        )

        def work() -> tuple[Gist, bool]:
            if reuse:
                updated = update_gist(
                    client, str(remembered["id"]), remembered, filename, content, description
                )
                if updated is not None:
                    return updated, False
            return create_gist(client, public, filename, content, description), True

        gist, created = await self.clients.run("saving the gist", work, client)
        owner = gist.owner.login if gist.owner else who.login
        record = {
            "id": gist.id,
            "html_url": gist.html_url,
            "public": gist.public,
            "filename": filename,
            "owner": owner,
        }
        if request.write_metadata:
            await self.local.write(path, with_record(notebook, gist=record))
        return {
            "id": gist.id,
            "html_url": gist.html_url,
            "nbviewer_url": nbviewer_url(owner, gist.id),
            "public": gist.public,
            "created": created,
            "revisions": len(gist.history),
            "record": {"gist": record},
        }


def update_gist(
    client: Github,
    gist_id: str,
    remembered: dict[str, Any],
    filename: str,
    content: str,
    description: str,
) -> Gist | None:
    """Update the remembered gist; None when it is gone (deleted on GitHub)."""
    try:
        gist = client.get_gist(gist_id)
    except GithubException as error:
        if error.status == 404:
            return None
        raise
    old_name = remembered.get("filename") or filename
    if old_name not in gist.files:
        old_name = filename
    change = (
        InputFileContent(content, new_name=filename)
        if old_name != filename
        else InputFileContent(content)
    )

    def edit() -> Gist:
        # PATCH with the same content is harmless, so a lost answer is simply checked and retried.
        gist.edit(description=description or gist.description, files={old_name: change})
        return gist

    def landed() -> Gist | None:
        fresh = client.get_gist(gist_id)
        file = fresh.files.get(filename)
        return fresh if file is not None and file.content == content else None

    return retry_write(edit, landed)


def create_gist(
    client: Github, public: bool, filename: str, content: str, description: str
) -> Gist:
    user = client.get_user()
    started = datetime.now(timezone.utc).replace(microsecond=0)
    started_epoch = time.time()

    def create() -> Gist:
        return user.create_gist(public, {filename: InputFileContent(content)}, description)

    def landed() -> Gist | None:
        # The answer was lost: a gist made since we started, with our file, is ours.
        for gist in user.get_gists(since=started):
            made = gist.created_at.timestamp() if gist.created_at else 0
            if (
                made + 5 >= started_epoch
                and filename in gist.files
                and gist.description == description
            ):
                full = client.get_gist(gist.id)
                if full.files[filename].content == content:
                    return full
        return None

    return retry_write(create, landed)
