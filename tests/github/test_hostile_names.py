"""Open from GitHub with file names a gist allows and a file system must not take: each notebook
lands inside the server root under one safe name, follows Jupyter's hidden-file rule, and never
goes through a link that leads out. Bad paths from the browser are 400s, not 500s."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from tests.github.conftest import call, connect, notebook_bytes, read_notebook, source
from tests.github.fake_github import FakeGitHub

GIST_ID = "abc123def456"
LONG = "n" * 294 + ".ipynb"  # 300 bytes: past the 255 a file system takes


def add_gist(fake: FakeGitHub, filename: str) -> str:
    """A gist with one notebook named ``filename``; the raw URL that names that file."""
    fake.gists[GIST_ID] = {
        "id": GIST_ID,
        "owner": "someone",
        "public": True,
        "description": "hostile",
        "files": {filename: notebook_bytes("'gist'").decode()},
        "created_at": "2026-01-01T00:00:00Z",
        "updated_at": "2026-01-01T00:00:00Z",
        "history": [],
    }
    return (
        f"https://gist.githubusercontent.com/someone/{GIST_ID}/raw/0f0f/{quote(filename, safe='')}"
    )


def everything_under(folder: Path) -> set[str]:
    """Every file and folder under ``folder``, but Jupyter's checkpoints."""
    found = {p.relative_to(folder).as_posix() for p in folder.rglob("*")}
    return {p for p in found if not p.startswith(".ipynb_checkpoints")}


@pytest.fixture
def outside(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("outside")


@pytest.mark.parametrize(
    ("filename", "saved_as"),
    [
        ("{outside}/abs.ipynb", "{outside_}_abs.ipynb"),
        ("..", "__"),
        (".", "_"),
        ("a\x00b.ipynb", "a_b.ipynb"),
        (LONG, LONG[:238] + ".ipynb"),
        ("link/in-the-link.ipynb", "link_in-the-link.ipynb"),  # root/link leads outside
    ],
)
async def test_hostile_gist_names_become_one_safe_name_inside_the_root(
    jp_fetch: Any,
    jp_root_dir: Path,
    fake_github: FakeGitHub,
    outside: Path,
    filename: str,
    saved_as: str,
) -> None:
    (jp_root_dir / "link").symlink_to(outside, target_is_directory=True)
    filename = filename.format(outside=outside)
    saved_as = saved_as.format(outside_=str(outside).replace("/", "_"))
    await connect(jp_fetch)
    url = add_gist(fake_github, filename)
    status, answer = await call(jp_fetch, "POST", "open", {"url": url, "folder": ""})
    assert status == 200, answer
    assert answer["path"] == saved_as
    assert source(read_notebook(jp_root_dir, saved_as)) == "'gist'"
    assert everything_under(jp_root_dir) == {"link", saved_as}
    assert list(outside.iterdir()) == []


@pytest.mark.parametrize("filename", ["../../x.ipynb", ".bashrc"])
async def test_hidden_names_follow_allow_hidden(
    jp_fetch: Any, jp_root_dir: Path, fake_github: FakeGitHub, jp_serverapp: Any, filename: str
) -> None:
    saved_as = filename.replace("/", "_")
    await connect(jp_fetch)
    url = add_gist(fake_github, filename)
    status, answer = await call(jp_fetch, "POST", "open", {"url": url, "folder": ""})
    assert status == 400, answer
    assert f"'{saved_as}' is hidden" in answer["message"]
    assert "allow_hidden is False" in answer["message"]
    assert everything_under(jp_root_dir) == set()
    assert not (jp_root_dir.parent.parent / "x.ipynb").exists()

    jp_serverapp.contents_manager.allow_hidden = True
    status, answer = await call(jp_fetch, "POST", "open", {"url": url, "folder": ""})
    assert status == 200 and answer["path"] == saved_as, answer
    assert source(read_notebook(jp_root_dir, saved_as)) == "'gist'"


async def test_a_hidden_folder_is_refused(jp_fetch: Any, jp_root_dir: Path) -> None:
    (jp_root_dir / ".hidden").mkdir()
    await connect(jp_fetch)
    url = "https://github.com/octo/notebooks/blob/main/nb/analysis.ipynb"
    status, answer = await call(jp_fetch, "POST", "open", {"url": url, "folder": ".hidden"})
    assert status == 400, answer
    assert "'.hidden/analysis.ipynb' is hidden" in answer["message"]
    assert everything_under(jp_root_dir) == {".hidden"}


async def test_a_link_of_the_same_name_that_leads_out_is_refused(
    jp_fetch: Any, jp_root_dir: Path, fake_github: FakeGitHub, outside: Path
) -> None:
    # Dangling, so the name looks free; Jupyter's writer follows links (realpath) when it saves.
    (jp_root_dir / "shared.ipynb").symlink_to(outside / "shared.ipynb")
    await connect(jp_fetch)
    url = add_gist(fake_github, "shared.ipynb")
    status, answer = await call(jp_fetch, "POST", "open", {"url": url, "folder": ""})
    assert status == 400, answer
    assert "'shared.ipynb' leads outside the server root" in answer["message"]
    assert list(outside.iterdir()) == []


SAVE = {"repo": "octo/notebooks", "branch": "main", "target_path": "x.ipynb", "message": "m"}


@pytest.mark.parametrize(
    ("route", "body"),
    [
        ("open", {"url": "https://github.com/octo/notebooks/blob/main/nb/analysis.ipynb"}),
        (
            "open",
            {"owner": "octo", "repo": "notebooks", "ref": "main", "path": "nb/analysis.ipynb"},
        ),
        ("save", {**SAVE, "path": "{bad}.ipynb"}),
        ("gist", {"path": "{bad}.ipynb", "public": False}),
    ],
)
@pytest.mark.parametrize(
    ("bad", "says"),
    [("a\x00b", "NUL character"), ("n" * 300, "longer than 255 bytes")],
)
async def test_nul_and_long_names_in_paths_are_400s(
    jp_fetch: Any, route: str, body: dict[str, Any], bad: str, says: str
) -> None:
    await connect(jp_fetch)
    body = {k: v.replace("{bad}", bad) if isinstance(v, str) else v for k, v in body.items()}
    if route == "open":
        body["folder"] = bad
    status, answer = await call(jp_fetch, "POST", route, body)
    assert status == 400, answer
    assert says in answer["message"]
