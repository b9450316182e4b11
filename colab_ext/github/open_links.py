"""Open-in links: Colab's URL scheme, served by this server.

``<base_url>/colab/open/github/<owner>/<repo>/blob/<ref>/<path>``, ``.../open/gist/[<user>/]<id>``
and ``.../open?url=<https URL>`` name a notebook to copy here and open. Everything in a link comes
from whoever wrote it: it is checked here, before anything is fetched, and only names GitHub or an
allow-listed host can resolve. The parser is pure; :class:`LinkOpener` does the fetching.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from ..core.errors import BadRequest, ColabError
from .urls import FileLocation, GistLocation, Location

#: GitHub's own rules: a login is letters, digits and single hyphens; a repository name letters,
#: digits, '.', '-' and '_' (but not '.' or '..').
_OWNER = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})")
_REPO = re.compile(r"[A-Za-z0-9._-]{1,100}")
_GIST_ID = re.compile(r"[0-9a-fA-F]{5,64}")
#: Longest link part accepted (GitHub's own paths are far shorter; this bounds the work).
MAX_LINK_CHARS = 2048

BAD_LINK = (
    "This open-in link is not one colab-ext can open. The forms are "
    "colab/open/github/<owner>/<repo>/blob/<branch>/<path>.ipynb, "
    "colab/open/gist/<id>, and colab/open?url=<https URL of an .ipynb>."
)


@dataclass(frozen=True)
class OpenLink:
    """What an open-in link asks for: a GitHub file or gist, or a notebook at an https URL."""

    location: Location | None = None
    url: str | None = None

    @property
    def source(self) -> str:
        """The link's own form, relative to ``colab/open/``: what the confirmation page sends
        back, and what :func:`parse_source` reads."""
        if isinstance(self.location, FileLocation):
            loc = self.location
            return f"github/{loc.owner}/{loc.repo}/blob/{loc.rest}"
        if isinstance(self.location, GistLocation):
            tail = f"/{self.location.filename}" if self.location.filename else ""
            return f"gist/{self.location.gist_id}{tail}"
        return f"?url={self.url}"

    @property
    def description(self) -> str:
        """Where the notebook comes from, for people."""
        if isinstance(self.location, FileLocation):
            loc = self.location
            return f"GitHub: {loc.owner}/{loc.repo}, {loc.rest}"
        if isinstance(self.location, GistLocation):
            name = f", {self.location.filename}" if self.location.filename else ""
            return f"GitHub gist {self.location.gist_id}{name}"
        return str(self.url)


def _segments(text: str, *, decode: bool = False) -> list[str]:
    """The ``/``-separated parts of a link path (already decoded by the server; ``decode`` for
    a URL's raw path), or a 400 for anything that could name another place than it seems to:
    empty, ``.`` and ``..`` parts, encoded slashes, control characters, backslashes."""
    if len(text) > MAX_LINK_CHARS:
        raise BadRequest(f"{BAD_LINK} (This one is too long.)")
    parts = [unquote(part) if decode else part for part in text.split("/")]
    for part in parts:
        if part in ("", ".", "..") or "/" in part or "\\" in part:
            raise BadRequest(BAD_LINK)
        if any(ord(char) < 32 or ord(char) == 127 for char in part):
            raise BadRequest(BAD_LINK)
    return parts


def github_link(owner: str, repo: str, ref_path: str) -> OpenLink:
    """``open/github/<owner>/<repo>/blob/<ref>/<path>``; the ref may hold slashes, so the split
    between ref and path is left to GitHub (as for pasted URLs)."""
    if not _OWNER.fullmatch(owner) or not _REPO.fullmatch(repo) or repo in (".", ".."):
        raise BadRequest(BAD_LINK)
    rest = _segments(ref_path)
    if len(rest) < 2 or not rest[-1].endswith(".ipynb"):
        raise BadRequest(f"{BAD_LINK} (It must name a branch and a notebook, .ipynb.)")
    return OpenLink(location=FileLocation(owner, repo, "/".join(rest)))


def gist_link(gist_path: str) -> OpenLink:
    """``open/gist/[<user>/]<id>[/<file>.ipynb]``, as Colab's gist links are."""
    parts = _segments(gist_path)
    if len(parts) == 1 or (len(parts) == 2 and parts[1].endswith(".ipynb")):
        user, rest = None, parts
    else:
        user, rest = parts[0], parts[1:]
    if user is not None and not _OWNER.fullmatch(user):
        raise BadRequest(BAD_LINK)
    if not rest or len(rest) > 2 or not _GIST_ID.fullmatch(rest[0]):
        raise BadRequest(BAD_LINK)
    filename = rest[1] if len(rest) == 2 else None
    if filename is not None and not filename.endswith(".ipynb"):
        raise BadRequest(f"{BAD_LINK} (A gist's file must be a notebook, .ipynb.)")
    return OpenLink(location=GistLocation(rest[0], filename))


def url_link(url: str, allowed_hosts: list[str]) -> OpenLink:
    """``open?url=...``: an https URL of an ``.ipynb`` on a host the admin allows."""
    if not allowed_hosts:
        raise ColabError("Opening notebooks from URLs is turned off on this server.", status=403)
    if len(url) > MAX_LINK_CHARS:
        raise BadRequest("That URL is too long.")
    if any(ord(char) <= 32 or ord(char) == 127 for char in url):
        raise BadRequest("That URL has spaces or control characters in it.")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise BadRequest("That is not a URL.") from None
    if parts.scheme != "https":
        raise BadRequest("Only https URLs can be opened.")
    host = (parts.hostname or "").lower()
    if parts.username is not None or parts.password is not None or port not in (None, 443):
        raise BadRequest("URLs with a user name, password or port cannot be opened.")
    if host not in {h.lower() for h in allowed_hosts}:
        raise ColabError(
            f"This server does not open notebooks from {host or 'that address'}. It opens them "
            f"from: {', '.join(allowed_hosts)}.",
            status=403,
        )
    if not unquote(parts.path).endswith(".ipynb"):
        raise BadRequest("The URL must point to a notebook (.ipynb).")
    _segments(
        parts.path.lstrip("/"), decode=True
    )  # no '..' or empty parts, which hosts read differently
    return OpenLink(url=parts._replace(netloc=host, fragment="").geturl())


def parse_source(source: str, allowed_hosts: list[str]) -> OpenLink:
    """A link's :attr:`OpenLink.source` (sent back by the confirmation page)."""
    if source.startswith("?url="):
        return url_link(source[len("?url=") :], allowed_hosts)
    if source.startswith("github/"):
        parts = source.split("/", 4)
        if len(parts) == 5 and parts[3] == "blob":
            return github_link(parts[1], parts[2], parts[4])
    if source.startswith("gist/"):
        return gist_link(source[len("gist/") :])
    raise BadRequest(BAD_LINK)
