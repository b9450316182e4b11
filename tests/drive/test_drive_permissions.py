"""Drive routes that write into the server root need Jupyter's permissions on contents; mounts
stay inside the root; a sign-in is finished only by the user who started it."""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path
from typing import Any

import pytest
from tornado.httpclient import HTTPClientError

from tests.drive.conftest import call, connect, consent, start_sign_in
from tests.drive.fake_drive import FakeDrive
from tests.permissions import COLAB_ONLY, READER, refused, with_test_users


@pytest.fixture
def jp_server_config(jp_server_config: dict[str, Any]) -> dict[str, Any]:
    return with_test_users(jp_server_config)


async def test_a_sign_in_is_finished_only_by_the_user_who_started_it(
    jp_fetch: Any, fake_drive: FakeDrive
) -> None:
    alice = {"X-Test-User": "alice"}
    await call(jp_fetch, "client", method="PUT", body=fake_drive.client_config(), headers=alice)
    auth_url, _ = await start_sign_in(jp_fetch, alice)
    answer = consent(auth_url)
    callback = ("colab", "drive", "oauth", "callback")
    # A user who may only read (the callback is a GET) and one who may do anything: neither is
    # the user who started this sign-in.
    for other in (READER, {"X-Test-User": "bob"}):
        message = await refused(jp_fetch, *callback, params=answer, headers=other)
        assert "started by another user" in message
    assert (await call(jp_fetch, "status"))["connected"] is False
    assert not fake_drive.refresh_tokens  # the code was never swapped for tokens
    # Their attempts did not spoil the sign-in for the user who started it.
    await jp_fetch(*callback, params=answer, headers=alice)
    assert (await call(jp_fetch, "status"))["connected"] is True


async def test_routes_that_write_into_the_root_need_write_on_contents(
    jp_fetch: Any, fake_drive: FakeDrive, jp_root_dir: Path
) -> None:
    await connect(jp_fetch, fake_drive)
    file_id = fake_drive.add_file("from-drive.csv", b"a,b\n")
    (jp_root_dir / "local.txt").write_text("local")
    before = sorted(p.name for p in jp_root_dir.iterdir())
    cases = [
        ("open", {"file_id": file_id, "folder": ""}, "'write' permission on 'contents'"),
        ("mount", {}, "'write' permission on 'contents'"),
        ("mount", {"mountpoint": str(jp_root_dir / "mnt")}, "'write' permission on 'contents'"),
        ("unmount", {}, "'write' permission on 'contents'"),
        ("save", {"path": "local.txt"}, "'read' permission on 'contents'"),
    ]
    for route, body, needed in cases:
        message = await refused(
            jp_fetch,
            "colab",
            "drive",
            route,
            method="POST",
            body=json.dumps(body),
            headers=COLAB_ONLY,
        )
        assert needed in message, (route, message)
    await asyncio.sleep(0.5)  # a job, had one started, would have written by now
    assert sorted(p.name for p in jp_root_dir.iterdir()) == before
    assert (await call(jp_fetch, "status"))["mounts"] == []
    assert fake_drive.find("local.txt") is None


@pytest.mark.parametrize("where", ["outside", "parent-of-root", "root", "dot-dot"])
async def test_a_mount_outside_the_root_is_refused(
    where: str, jp_fetch: Any, fake_drive: FakeDrive, jp_root_dir: Path, tmp_path: Path
) -> None:
    await connect(jp_fetch, fake_drive)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    mountpoint = {
        "outside": str(outside / "drive"),
        "parent-of-root": str(jp_root_dir.parent / "drive"),
        "root": str(jp_root_dir),
        "dot-dot": f"{jp_root_dir}/../drive",
    }[where]
    try:
        with pytest.raises(HTTPClientError) as refusal:
            await call(jp_fetch, "mount", method="POST", body={"mountpoint": mountpoint})
        assert refusal.value.code == 400
        assert b"only in a folder inside the server's root folder" in refusal.value.response.body
        assert (await call(jp_fetch, "status"))["mounts"] == []
        assert not os.path.ismount(mountpoint)
        with pytest.raises(HTTPClientError) as unmount:
            await call(jp_fetch, "unmount", method="POST", body={"mountpoint": mountpoint})
        assert unmount.value.code == 400
    finally:
        if os.path.ismount(mountpoint):  # only when the refusal is missing
            await call(jp_fetch, "unmount", method="POST", body={"mountpoint": mountpoint})
