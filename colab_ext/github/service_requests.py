"""The requests the GitHub services take, parsed at the edge: the handlers turn each JSON body
into one of these with its ``parse_*`` function (a 400 that says what is wrong, else a request the
services can trust), so no service reads a raw body.

Text fields must be strings when present (missing is empty); yes/no fields are read as JSON's
truthiness, as the services always read them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..core.errors import BadRequest


def _text(body: Mapping[str, Any], name: str, *, strip: bool = False) -> str:
    value = body.get(name, "")
    if not isinstance(value, str):
        raise BadRequest(f"'{name}' must be text.")
    # Only what the Save dialog types is trimmed: a path may really end in a space.
    return value.strip() if strip else value


@dataclass(frozen=True)
class OpenRequest:
    """Open from GitHub: a pasted URL, or a notebook's owner/repo/ref/path; the local folder."""

    folder: str
    url: str = ""
    owner: str = ""
    repo: str = ""
    ref: str = ""
    path: str = ""


def parse_open_request(body: Mapping[str, Any]) -> OpenRequest:
    """``POST /colab/github/open``'s body."""
    fields = ("folder", "url", "owner", "repo", "ref", "path")
    return OpenRequest(**{name: _text(body, name) for name in fields})


@dataclass(frozen=True)
class BrowseRequest:
    """One level of owner > repo > branch > folder; each part empty until chosen."""

    owner: str = ""
    repo: str = ""
    ref: str = ""
    path: str = ""


def parse_browse_request(query: Mapping[str, str]) -> BrowseRequest:
    """``GET /colab/github/browse``'s query (its values are strings already)."""
    return BrowseRequest(**{name: query.get(name, "") for name in ("owner", "repo", "ref", "path")})


@dataclass(frozen=True)
class SaveRequest:
    """What the Save-a-copy dialog asks for."""

    path: str
    repo: str
    branch: str
    target_path: str
    message: str
    new_branch: bool = False
    base_branch: str = ""
    clear_outputs: bool = False
    badge: bool = False
    pull_request: bool = False
    pr_title: str = ""
    pr_body: str = ""
    overwrite: bool = False
    #: Whether the server records the GitHub file in the notebook's metadata (the page does it
    #: itself for an open notebook).
    write_metadata: bool = True


def parse_save_request(body: Mapping[str, Any]) -> SaveRequest:
    """``POST /colab/github/save``'s body."""
    request = SaveRequest(
        path=_text(body, "path", strip=True),
        repo=_text(body, "repo", strip=True),
        branch=_text(body, "branch", strip=True),
        target_path=_text(body, "target_path", strip=True).strip("/"),
        message=_text(body, "message", strip=True),
        base_branch=_text(body, "base_branch", strip=True),
        pr_title=_text(body, "pr_title", strip=True),
        pr_body=_text(body, "pr_body", strip=True),
        write_metadata=bool(body.get("write_metadata", True)),
        **{
            flag: bool(body.get(flag, False))
            for flag in ("new_branch", "clear_outputs", "badge", "pull_request", "overwrite")
        },
    )
    if request.repo.count("/") != 1:
        raise BadRequest("Choose a repository as 'owner/name'.")
    if not request.target_path.endswith(".ipynb") or ".." in request.target_path.split("/"):
        raise BadRequest("The path in the repository must end in .ipynb and stay inside it.")
    if not request.message:
        raise BadRequest("Write a commit message.")
    if not request.branch and not request.pull_request:
        raise BadRequest("Choose a branch.")
    return request


@dataclass(frozen=True)
class GistRequest:
    """Save as a gist: which notebook, public or secret, and how."""

    path: str
    public: bool
    description: str = ""
    clear_outputs: bool = False
    #: Make a new gist even when the notebook has one.
    new_gist: bool = False
    write_metadata: bool = True


def parse_gist_request(body: Mapping[str, Any]) -> GistRequest:
    """``POST /colab/github/gist``'s body."""
    public = body.get("public")
    if not isinstance(public, bool):
        raise BadRequest("Say whether the gist is public or secret.")
    return GistRequest(
        path=_text(body, "path"),
        public=public,
        description=_text(body, "description"),
        clear_outputs=bool(body.get("clear_outputs")),
        new_gist=bool(body.get("new_gist")),
        write_metadata=bool(body.get("write_metadata", True)),
    )
