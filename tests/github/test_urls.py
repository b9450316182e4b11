"""The URL forms Open from GitHub accepts, GitHub Enterprise's included (pure parsing)."""

from __future__ import annotations

import pytest

from colab_ext.core.errors import BadRequest
from colab_ext.github.urls import FileLocation, GistLocation, parse_url

GHE = "https://ghe.example.com"


@pytest.mark.parametrize(
    "url, expected",
    [
        (f"{GHE}/team/repo/blob/main/a/b.ipynb", FileLocation("team", "repo", "main/a/b.ipynb")),
        (f"{GHE}/team/repo/raw/dev/b.ipynb", FileLocation("team", "repo", "dev/b.ipynb")),
        (f"{GHE}/gist/someone/abcdef123456", GistLocation("abcdef123456")),
        ("https://nbviewer.org/gist/u/abcdef12", GistLocation("abcdef12")),
        (
            "https://colab.research.google.com/github/o/r/blob/feature/x/n.ipynb",
            FileLocation("o", "r", "feature/x/n.ipynb"),
        ),
    ],
)
def test_enterprise_and_other_forms(url: str, expected: object) -> None:
    assert parse_url(url, GHE) == expected


def test_a_branch_with_slashes_gives_every_split() -> None:
    assert FileLocation("o", "r", "feature/x/n.ipynb").candidates() == [
        ("feature", "x/n.ipynb"),
        ("feature/x", "n.ipynb"),
    ]


@pytest.mark.parametrize(
    "url",
    [
        "https://github.com/o/r",  # a repository, not a file
        "https://github.com/o/r/tree/main/folder",
        f"{GHE}/team/repo/blob/main/a.ipynb",  # an Enterprise host that is not configured
        "https://gitlab.com/o/r/blob/main/a.ipynb",
    ],
)
def test_what_is_not_a_notebook_url(url: str) -> None:
    with pytest.raises(BadRequest, match=r"Paste a github\.com"):
        parse_url(url)
