"""Reading the GitHub URLs people paste: blob, raw, Colab, nbviewer and gist links."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from ..core.errors import BadRequest


@dataclass(frozen=True)
class FileLocation:
    """A file in a repository. ``rest`` is ``ref/path`` when the split is not known yet, since a
    branch name may itself contain slashes."""

    owner: str
    repo: str
    rest: str

    def candidates(self) -> list[tuple[str, str]]:
        """Every (ref, path) reading of ``rest``, shortest ref first."""
        parts = self.rest.split("/")
        return [("/".join(parts[:i]), "/".join(parts[i:])) for i in range(1, len(parts))]


@dataclass(frozen=True)
class GistLocation:
    """A gist, and the file in it when the URL names one."""

    gist_id: str
    filename: str | None = None


Location = FileLocation | GistLocation

_COLAB_HOSTS = {"colab.research.google.com", "colab.google.com"}
_NBVIEWER_HOSTS = {"nbviewer.org", "nbviewer.jupyter.org"}


NOT_A_NOTEBOOK_URL = (
    "This is not a GitHub notebook URL colab-ext can open. Paste a github.com "
    "'blob' or 'raw' link to a file, a raw.githubusercontent.com link, a Colab "
    "'/github/...' link, or a gist link."
)


def parse_url(url: str, web_url: str = "https://github.com") -> Location:
    """Where a pasted URL points. Raises :class:`BadRequest` with the accepted forms otherwise."""
    text = url.strip()
    if "://" not in text:
        text = "https://" + text
    try:
        parts = urlsplit(text)
    except ValueError:  # not a URL at all (an unbalanced '[' reads as a broken IPv6 host)
        raise BadRequest(NOT_A_NOTEBOOK_URL) from None
    host = parts.netloc.lower()
    segments = [unquote(s) for s in parts.path.split("/") if s]
    web_host = urlsplit(web_url).netloc.lower()
    found: Location | None = None
    if host in ("gist.github.com", "gist.githubusercontent.com") or (
        host == web_host and segments[:1] == ["gist"] and web_host != "github.com"
    ):
        found = _gist(segments[1:] if segments[:1] == ["gist"] else segments, parts.fragment)
    elif host in ("raw.githubusercontent.com",) and len(segments) >= 4:
        rest = segments[2:]
        if rest[:2] == ["refs", "heads"]:
            rest = rest[2:]
        found = FileLocation(segments[0], segments[1], "/".join(rest))
    elif host in (web_host, "github.com", "www.github.com"):
        found = _blob(segments)
    elif host in _COLAB_HOSTS | _NBVIEWER_HOSTS and segments[:1] == ["github"]:
        found = _blob(segments[1:])
    elif host in _COLAB_HOSTS | _NBVIEWER_HOSTS and segments[:1] == ["gist"]:
        found = _gist(segments[1:], "")
    if found is None:
        raise BadRequest(NOT_A_NOTEBOOK_URL)
    return found


def _blob(segments: list[str]) -> FileLocation | None:
    # owner/repo/(blob|raw|tree)/ref/path...
    if len(segments) >= 5 and segments[2] in ("blob", "raw"):
        return FileLocation(segments[0], segments[1], "/".join(segments[3:]))
    return None


def _gist(segments: list[str], fragment: str) -> GistLocation | None:
    # [user/]id[/raw/revision/file], file in '#file-name-ipynb' for web links
    ids = [s for s in segments[:2] if _looks_like_gist_id(s)]
    if not ids:
        return None
    filename = None
    if "raw" in segments:
        tail = segments[segments.index("raw") + 1 :]
        filename = tail[-1] if tail else None
    return GistLocation(ids[0], filename)


def _looks_like_gist_id(text: str) -> bool:
    return len(text) >= 5 and all(c in "0123456789abcdefABCDEF" for c in text)
