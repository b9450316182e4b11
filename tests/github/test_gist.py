"""Save as Gist: the first save creates the gist, the next ones update that same gist."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.github.conftest import call, connect, notebook_bytes, read_notebook, write_notebook
from tests.github.fake_github import FakeGitHub


async def test_create_then_update_the_same_gist(
    jp_fetch: Any, jp_root_dir: Path, fake_github: FakeGitHub
) -> None:
    write_notebook(jp_root_dir, "share.ipynb", notebook_bytes("'first'"))
    await connect(jp_fetch)
    body = {"path": "share.ipynb", "public": False, "description": "My analysis"}
    status, first = await call(jp_fetch, "POST", "gist", body)
    assert status == 200, first
    assert first["created"] is True and first["public"] is False
    assert first["nbviewer_url"] == f"https://nbviewer.org/gist/octo/{first['id']}"
    assert first["html_url"] == f"https://gist.github.com/octo/{first['id']}"
    record = read_notebook(jp_root_dir, "share.ipynb")["metadata"]["colab_ext"]["github"]
    assert record["gist"]["id"] == first["id"]

    notebook = read_notebook(jp_root_dir, "share.ipynb")
    notebook["cells"][0]["source"] = "'second'"
    (jp_root_dir / "share.ipynb").write_text(json.dumps(notebook))
    status, second = await call(jp_fetch, "POST", "gist", body)
    assert status == 200, second
    assert second["id"] == first["id"] and second["created"] is False
    assert second["revisions"] == 2
    assert len(fake_github.gists) == 1
    gist = fake_github.gists[first["id"]]
    assert "'second'" in gist["files"]["share.ipynb"]
    assert "'first'" in gist["history"][0]["files"]["share.ipynb"]  # earlier revision kept
    assert "colab_ext" not in json.loads(gist["files"]["share.ipynb"])["metadata"]


async def test_public_gist_and_a_changed_visibility_makes_a_new_one(
    jp_fetch: Any, jp_root_dir: Path, fake_github: FakeGitHub
) -> None:
    write_notebook(jp_root_dir, "share.ipynb")
    await connect(jp_fetch)
    secret = (await call(jp_fetch, "POST", "gist", {"path": "share.ipynb", "public": False}))[1]
    public = (await call(jp_fetch, "POST", "gist", {"path": "share.ipynb", "public": True}))[1]
    assert public["id"] != secret["id"] and public["public"] is True
    assert fake_github.gists[public["id"]]["public"] is True


async def test_a_gist_deleted_on_github_is_made_again(
    jp_fetch: Any, jp_root_dir: Path, fake_github: FakeGitHub
) -> None:
    write_notebook(jp_root_dir, "share.ipynb")
    await connect(jp_fetch)
    first = (await call(jp_fetch, "POST", "gist", {"path": "share.ipynb", "public": False}))[1]
    del fake_github.gists[first["id"]]
    status, again = await call(jp_fetch, "POST", "gist", {"path": "share.ipynb", "public": False})
    assert status == 200 and again["created"] is True and again["id"] != first["id"]


async def test_visibility_must_be_chosen(jp_fetch: Any, jp_root_dir: Path) -> None:
    write_notebook(jp_root_dir, "share.ipynb")
    await connect(jp_fetch)
    status, answer = await call(jp_fetch, "POST", "gist", {"path": "share.ipynb"})
    assert status == 400 and "public or secret" in answer["message"]
