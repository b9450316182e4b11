"""The GitHub routes' bodies are parsed at the edge: a wrong one is a 400 that names the field,
and the services get typed requests."""

from __future__ import annotations

from typing import Any

import pytest

from colab_ext.core.errors import BadRequest
from colab_ext.github.service_requests import (
    GistRequest,
    OpenRequest,
    SaveRequest,
    parse_browse_request,
    parse_gist_request,
    parse_open_request,
    parse_save_request,
)

SAVE = {"path": "a.ipynb", "repo": "octo/notebooks", "branch": "main", "message": "Save"}


def test_open_takes_a_url_or_the_parts_as_sent() -> None:
    assert parse_open_request({"url": "https://github.com/o/r/blob/main/a.ipynb"}) == OpenRequest(
        folder="", url="https://github.com/o/r/blob/main/a.ipynb"
    )
    parts = {"owner": "o", "repo": "r", "ref": "main", "path": "a b .ipynb ", "folder": "x"}
    assert parse_open_request(parts) == OpenRequest(**parts)  # a path may end in a space


def test_save_is_trimmed_and_defaults_as_the_dialog_expects() -> None:
    request = parse_save_request({**SAVE, "target_path": " /nb/a.ipynb/ ", "badge": 1})
    assert request == SaveRequest(
        path="a.ipynb",
        repo="octo/notebooks",
        branch="main",
        target_path="nb/a.ipynb",
        message="Save",
        badge=True,
    )
    assert request.write_metadata is True


def test_gist_keeps_what_it_is_sent() -> None:
    assert parse_gist_request({"path": "a.ipynb", "public": False}) == GistRequest(
        path="a.ipynb", public=False
    )


def test_browse_reads_the_query() -> None:
    assert parse_browse_request({"owner": "o"}).owner == "o"
    assert parse_browse_request({}).repo == ""


@pytest.mark.parametrize(
    ("parse", "body", "says"),
    [
        (parse_open_request, {"folder": 3}, "'folder' must be text."),
        (parse_open_request, {"url": None}, "'url' must be text."),
        (parse_save_request, {**SAVE, "target_path": ["x"]}, "'target_path' must be text."),
        (parse_save_request, {**SAVE, "target_path": "x.txt"}, "must end in .ipynb"),
        (parse_save_request, {**SAVE, "repo": "octo"}, "Choose a repository as 'owner/name'."),
        (parse_save_request, {**SAVE, "target_path": "a.ipynb", "message": " "}, "commit message"),
        (parse_gist_request, {"path": "a.ipynb"}, "Say whether the gist is public or secret."),
        (parse_gist_request, {"path": 1, "public": True}, "'path' must be text."),
    ],
)
def test_a_wrong_body_is_a_400_that_says_why(parse: Any, body: dict[str, Any], says: str) -> None:
    with pytest.raises(BadRequest) as refused:
        parse(body)
    assert says in refused.value.message
