"""The open-in link parser: every form, and the hostile links it must refuse before any fetch."""

from __future__ import annotations

import pytest

from colab_ext.core.errors import ColabError
from colab_ext.github.open_links import (
    MAX_LINK_CHARS,
    OpenLink,
    gist_link,
    github_link,
    parse_source,
    url_link,
)
from colab_ext.github.urls import FileLocation, GistLocation

HOSTS = ["raw.githubusercontent.com", "gist.githubusercontent.com"]


def test_a_github_link_keeps_the_ref_and_path_for_github_to_split() -> None:
    link = github_link("octo", "notebooks", "feature/x/deep/n.ipynb")
    assert link.location == FileLocation("octo", "notebooks", "feature/x/deep/n.ipynb")
    assert ("feature/x", "deep/n.ipynb") in link.location.candidates()
    assert link.source == "github/octo/notebooks/blob/feature/x/deep/n.ipynb"


@pytest.mark.parametrize(
    "gist_path, expected",
    [
        ("aa5a315d61ae9438b18d", GistLocation("aa5a315d61ae9438b18d")),
        ("octo/aa5a315d61ae9438b18d", GistLocation("aa5a315d61ae9438b18d")),
        ("aa5a315d61ae9438b18d/x.ipynb", GistLocation("aa5a315d61ae9438b18d", "x.ipynb")),
        ("octo/aa5a315d61ae9438b18d/x.ipynb", GistLocation("aa5a315d61ae9438b18d", "x.ipynb")),
    ],
)
def test_gist_links(gist_path: str, expected: GistLocation) -> None:
    assert gist_link(gist_path).location == expected


def test_a_url_link_on_an_allowed_host() -> None:
    url = "https://Raw.GitHubUserContent.com/octo/notebooks/main/nb/a%20b.ipynb#frag"
    link = url_link(url, HOSTS)
    assert link.url == "https://raw.githubusercontent.com/octo/notebooks/main/nb/a%20b.ipynb"


@pytest.mark.parametrize(
    "link",
    [
        github_link("octo", "notebooks", "main/nb/analysis.ipynb"),
        gist_link("octo/aa5a315d61ae9438b18d/x.ipynb"),
        url_link("https://raw.githubusercontent.com/o/r/main/a.ipynb", HOSTS),
    ],
)
def test_the_confirmation_page_sends_back_the_same_link(link: OpenLink) -> None:
    assert parse_source(link.source, HOSTS) == link


@pytest.mark.parametrize(
    "owner, repo, ref_path",
    [
        ("octo", "notebooks", "main/../../etc/passwd.ipynb"),
        ("octo", "notebooks", "../x.ipynb"),
        ("octo", "notebooks", "main/./x.ipynb"),
        ("octo", "notebooks", "main//x.ipynb"),
        ("octo", "notebooks", "main/x.ipynb/"),
        ("octo", "notebooks", "main\\..\\x.ipynb"),
        ("octo", "notebooks", "main/x\x00.ipynb"),
        ("octo", "notebooks", "main/x\n.ipynb"),
        ("octo", "notebooks", "x.ipynb"),  # no branch
        ("octo", "notebooks", "main/setup.py"),  # not a notebook
        ("..", "notebooks", "main/x.ipynb"),
        ("octo", "..", "main/x.ipynb"),
        ("octo", ".", "main/x.ipynb"),
        ("-octo", "notebooks", "main/x.ipynb"),
        ("octo/evil", "notebooks", "main/x.ipynb"),
        ("octo", "note books", "main/x.ipynb"),
        ("o" * 40, "notebooks", "main/x.ipynb"),
        ("octo", "notebooks", "main/" + "a/" * MAX_LINK_CHARS + "x.ipynb"),
    ],
)
def test_hostile_github_links_are_refused(owner: str, repo: str, ref_path: str) -> None:
    with pytest.raises(ColabError) as refused:
        github_link(owner, repo, ref_path)
    assert refused.value.status == 400


@pytest.mark.parametrize(
    "gist_path",
    [
        "",
        "..",
        "../aa5a315d61ae9438b18d",
        "zzzz",
        "octo/nothex",
        "aa5a315d61ae9438b18d/x.py",
        "octo/aa5a315d61ae9438b18d/../x.ipynb",
        "a/b/c/d",
        "bad user/aa5a315d61ae9438b18d",
    ],
)
def test_hostile_gist_links_are_refused(gist_path: str) -> None:
    with pytest.raises(ColabError):
        gist_link(gist_path)


@pytest.mark.parametrize(
    "url, status",
    [
        ("http://raw.githubusercontent.com/o/r/main/a.ipynb", 400),  # not https
        ("file:///etc/passwd.ipynb", 400),
        ("javascript:alert(1)//a.ipynb", 400),
        ("https://evil.example/o/r/main/a.ipynb", 403),  # another host
        ("https://raw.githubusercontent.com.evil.example/a.ipynb", 403),
        ("https://raw.githubusercontent.com@evil.example/a.ipynb", 400),  # user info
        ("https://user:pw@raw.githubusercontent.com/a.ipynb", 400),
        ("https://raw.githubusercontent.com:8443/o/r/main/a.ipynb", 400),  # another port
        ("https://127.0.0.1/a.ipynb", 403),
        ("https://[::1]/a.ipynb", 403),
        ("https://raw.githubusercontent.com/o/r/main/a.py", 400),  # not a notebook
        ("https://raw.githubusercontent.com/o/r/../../x/a.ipynb", 400),
        ("https://raw.githubusercontent.com/o/r/%2e%2e/a.ipynb", 400),
        ("https://raw.githubusercontent.com/o/r/main/a b.ipynb", 400),
        ("https://raw.githubusercontent.com/o/r/main/\x00.ipynb", 400),
        ("https://raw.githubusercontent.com/" + "a/" * MAX_LINK_CHARS + "x.ipynb", 400),
        ("https://[broken/a.ipynb", 400),
        ("", 400),
    ],
)
def test_hostile_urls_are_refused(url: str, status: int) -> None:
    with pytest.raises(ColabError) as refused:
        url_link(url, HOSTS)
    assert refused.value.status == status


def test_the_url_form_is_off_without_allowed_hosts() -> None:
    with pytest.raises(ColabError) as refused:
        url_link("https://raw.githubusercontent.com/o/r/main/a.ipynb", [])
    assert refused.value.status == 403
    assert "turned off" in refused.value.message


@pytest.mark.parametrize(
    "source", ["", "github/octo", "github/octo/notebooks/tree/main/x.ipynb", "other/x", "?url="]
)
def test_unknown_sources_are_refused(source: str) -> None:
    with pytest.raises(ColabError):
        parse_source(source, HOSTS)
