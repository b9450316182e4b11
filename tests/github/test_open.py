"""Open from GitHub: every URL form, browsing, gists, large files, and paths kept in the root."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.github.conftest import call, connect, notebook_bytes, read_notebook, source
from tests.github.fake_github import FakeGitHub

URL_FORMS = {
    "blob": "https://github.com/octo/notebooks/blob/main/nb/analysis.ipynb",
    "raw": "https://raw.githubusercontent.com/octo/notebooks/main/nb/analysis.ipynb",
    "raw-refs-heads": "https://raw.githubusercontent.com/octo/notebooks/refs/heads/main/nb/analysis.ipynb",
    "github-raw": "https://github.com/octo/notebooks/raw/main/nb/analysis.ipynb",
    "colab": "https://colab.research.google.com/github/octo/notebooks/blob/main/nb/analysis.ipynb",
    "nbviewer": "https://nbviewer.org/github/octo/notebooks/blob/main/nb/analysis.ipynb",
    "no-scheme": "github.com/octo/notebooks/blob/main/nb/analysis.ipynb",
}


@pytest.mark.parametrize("form", sorted(URL_FORMS))
async def test_open_each_url_form(
    form: str, jp_fetch: Any, jp_root_dir: Path, fake_github: FakeGitHub
) -> None:
    await connect(jp_fetch)
    status, answer = await call(jp_fetch, "POST", "open", {"url": URL_FORMS[form], "folder": ""})
    assert status == 200, answer
    assert answer["path"] == "analysis.ipynb"
    opened = read_notebook(jp_root_dir, "analysis.ipynb")
    assert source(opened) == "1 + 1"
    repo = fake_github.repos["octo/notebooks"]
    origin = opened["metadata"]["colab_ext"]["github"]["file"]
    assert origin["owner"] == "octo" and origin["repo"] == "notebooks"
    assert origin["branch"] == "main" and origin["path"] == "nb/analysis.ipynb"
    assert origin["sha"] == repo.files_at("main")["nb/analysis.ipynb"]


async def test_a_branch_with_a_slash_is_found(
    jp_fetch: Any, jp_root_dir: Path, fake_github: FakeGitHub
) -> None:
    repo = fake_github.repos["octo/notebooks"]
    repo.commit_files("feature/x", {"deep/n.ipynb": notebook_bytes("'feature'")}, "f", None)
    await connect(jp_fetch)
    url = "https://github.com/octo/notebooks/blob/feature/x/deep/n.ipynb"
    status, answer = await call(jp_fetch, "POST", "open", {"url": url, "folder": ""})
    assert status == 200, answer
    origin = answer["origin"]["file"]
    assert (origin["branch"], origin["path"]) == ("feature/x", "deep/n.ipynb")


async def test_opening_twice_does_not_overwrite_the_first_copy(
    jp_fetch: Any, jp_root_dir: Path
) -> None:
    await connect(jp_fetch)
    (jp_root_dir / "work").mkdir()
    body = {"url": URL_FORMS["blob"], "folder": "work"}
    first = (await call(jp_fetch, "POST", "open", body))[1]["path"]
    second = (await call(jp_fetch, "POST", "open", body))[1]["path"]
    assert (first, second) == ("work/analysis.ipynb", "work/analysis-1.ipynb")


async def test_open_a_gist(jp_fetch: Any, jp_root_dir: Path, fake_github: FakeGitHub) -> None:
    await connect(jp_fetch)
    fake_github.gists["abc123def456"] = {
        "id": "abc123def456",
        "owner": "someone",
        "public": True,
        "description": "shared",
        "files": {"shared.ipynb": notebook_bytes("'from a gist'").decode()},
        "created_at": "2026-01-01T00:00:00Z",
        "updated_at": "2026-01-01T00:00:00Z",
        "history": [],
    }
    for url in (
        "https://gist.github.com/someone/abc123def456",
        "https://gist.github.com/abc123def456",
        "https://gist.githubusercontent.com/someone/abc123def456/raw/0f0f/shared.ipynb",
    ):
        status, answer = await call(jp_fetch, "POST", "open", {"url": url, "folder": ""})
        assert status == 200, answer
        opened = read_notebook(jp_root_dir, answer["path"])
        assert source(opened) == "'from a gist'"
        assert opened["metadata"]["colab_ext"]["github"]["gist"]["id"] == "abc123def456"


async def test_open_a_notebook_past_the_contents_api_limit(
    jp_fetch: Any, jp_root_dir: Path, fake_github: FakeGitHub
) -> None:
    big = "x" * (1024 * 1024 + 10)
    repo = fake_github.repos["octo/notebooks"]
    repo.commit_files("main", {"big.ipynb": notebook_bytes(big)}, "big", None)
    await connect(jp_fetch)
    url = "https://github.com/octo/notebooks/blob/main/big.ipynb"
    status, answer = await call(jp_fetch, "POST", "open", {"url": url, "folder": ""})
    assert status == 200, answer
    assert source(read_notebook(jp_root_dir, "big.ipynb")) == big
    assert fake_github.count("GET", r"/repos/octo/notebooks/git/blobs/[0-9a-f]+") == 1


async def test_browse_owner_repo_branch_folder(jp_fetch: Any, fake_github: FakeGitHub) -> None:
    await connect(jp_fetch)
    status, repos = await call(jp_fetch, "GET", "browse", owner="octo")
    assert [r["full_name"] for r in repos["repos"]] == ["octo/notebooks"]
    assert repos["repos"][0]["can_push"] is True
    status, pushable = await call(jp_fetch, "GET", "browse")
    assert status == 200
    assert [r["full_name"] for r in pushable["repos"]] == ["octo/notebooks"]  # not readonly
    status, branches = await call(jp_fetch, "GET", "browse", owner="octo", repo="notebooks")
    assert branches == {"default_branch": "main", "branches": ["main"]}
    status, top = await call(jp_fetch, "GET", "browse", owner="octo", repo="notebooks", ref="main")
    assert top["entries"] == [{"name": "nb", "path": "nb", "type": "dir"}]
    status, folder = await call(
        jp_fetch, "GET", "browse", owner="octo", repo="notebooks", ref="main", path="nb"
    )
    assert status == 200
    assert folder["entries"] == [
        {"name": "analysis.ipynb", "path": "nb/analysis.ipynb", "type": "file"}
    ]


async def test_open_by_location_from_the_browser(jp_fetch: Any, jp_root_dir: Path) -> None:
    await connect(jp_fetch)
    body = {
        "owner": "someone",
        "repo": "readonly",
        "ref": "main",
        "path": "demo.ipynb",
        "folder": "",
    }
    status, answer = await call(jp_fetch, "POST", "open", body)
    assert status == 200, answer
    assert (jp_root_dir / "demo.ipynb").exists()


@pytest.mark.parametrize(
    "body, expected",
    [
        ({"url": "https://example.com/x.ipynb"}, "not a GitHub notebook URL"),
        ({"url": "https://github.com/octo/notebooks/blob/main/README.md"}, "not a notebook"),
        ({"url": "https://github.com/octo/notebooks/blob/main/nope.ipynb"}, "no file"),
        ({"url": "https://github.com/octo/nothing/blob/main/a.ipynb"}, "found nothing"),
        ({"url": URL_FORMS["blob"], "folder": "../outside"}, "may not contain '..'"),
        ({"url": URL_FORMS["blob"], "folder": "/etc"}, "relative to the server root"),
    ],
)
async def test_clear_messages_for_what_cannot_be_opened(
    body: dict[str, Any], expected: str, jp_fetch: Any
) -> None:
    await connect(jp_fetch)
    status, answer = await call(jp_fetch, "POST", "open", {"folder": "", **body})
    assert status in (400, 404), answer
    assert expected in answer["message"]


async def test_a_symlink_out_of_the_root_is_refused(
    jp_fetch: Any, jp_root_dir: Path, tmp_path_factory: Any
) -> None:
    outside = tmp_path_factory.mktemp("outside")
    (jp_root_dir / "escape").symlink_to(outside, target_is_directory=True)
    await connect(jp_fetch)
    status, answer = await call(
        jp_fetch, "POST", "open", {"url": URL_FORMS["blob"], "folder": "escape"}
    )
    assert status == 400
    assert "outside the server root" in answer["message"]
    assert list(outside.iterdir()) == []


async def test_private_repositories_need_a_token_that_sees_them(
    jp_fetch: Any, jp_root_dir: Path, fake_github: FakeGitHub
) -> None:
    fake_github.add_repo("octo/secret", {"s.ipynb": notebook_bytes("'private'")}, private=True)
    fake_github.tokens["ghp_other_user_token"] = "someone"
    url = "https://github.com/octo/secret/blob/main/s.ipynb"
    await connect(jp_fetch)
    status, answer = await call(jp_fetch, "POST", "open", {"url": url, "folder": ""})
    assert status == 200, answer
    assert source(read_notebook(jp_root_dir, "s.ipynb")) == "'private'"
    status, answer = await call(jp_fetch, "PUT", "account", {"token": "ghp_other_user_token"})
    assert status == 200 and answer["login"] == "someone"
    status, answer = await call(jp_fetch, "POST", "open", {"url": url, "folder": ""})
    assert status == 404
    assert "token can see the repository if it is private" in answer["message"]
