"""Opening from GitHub writes a file into the root, saving and gists publish one: each needs
Jupyter's own permission on contents, not only ``colab.github``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.github.conftest import connect, notebook_bytes, write_notebook
from tests.github.fake_github import FakeGitHub
from tests.permissions import COLAB_ONLY, READER, refused, with_test_users


@pytest.fixture
def jp_server_config(jp_server_config: dict[str, Any]) -> dict[str, Any]:
    return with_test_users(jp_server_config)


async def test_open_save_and_gist_need_jupyters_contents_permissions(
    jp_fetch: Any, jp_root_dir: Path, fake_github: FakeGitHub
) -> None:
    write_notebook(jp_root_dir, "work.ipynb", notebook_bytes("'private'"))
    await connect(jp_fetch)
    repo = fake_github.repos["octo/notebooks"]
    head = repo.branches["main"]
    before = sorted(p.name for p in jp_root_dir.iterdir())
    url = "https://github.com/octo/notebooks/blob/main/nb/analysis.ipynb"
    save = {
        "path": "work.ipynb",
        "repo": "octo/notebooks",
        "branch": "main",
        "target_path": "saved/work.ipynb",
        "message": "Publish",
    }
    cases = [
        (COLAB_ONLY, "open", {"url": url, "folder": ""}, "'write' permission on 'contents'"),
        (READER, "open", {"url": url, "folder": ""}, "'write' permission on 'contents'"),
        (COLAB_ONLY, "save", save, "'read' permission on 'contents'"),
        (COLAB_ONLY, "gist", {"path": "work.ipynb", "public": True}, "'read' permission on"),
    ]
    for who, route, body, needed in cases:
        message = await refused(
            jp_fetch, "colab", "github", route, method="POST", body=json.dumps(body), headers=who
        )
        assert needed in message, (route, message)
    assert sorted(p.name for p in jp_root_dir.iterdir()) == before  # no file written
    assert repo.branches["main"] == head  # nothing pushed
    assert fake_github.gists == {}  # nothing published
    assert fake_github.count("POST", r"/gists") == 0
