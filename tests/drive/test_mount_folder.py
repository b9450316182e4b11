"""The mount folder: made by colab-ext when missing, and removed again when Drive is unmounted
(only then, and only while it is empty); a folder the user made is never removed."""

from __future__ import annotations

import asyncio
import os
import signal
import time
from pathlib import Path
from typing import Any

import pytest
from tornado.httpclient import HTTPClientError

from tests.drive.conftest import call, connect
from tests.drive.fake_drive import FakeDrive
from tests.drive.test_mount import mount_process

pytestmark = pytest.mark.skipif(not os.path.exists("/dev/fuse"), reason="needs /dev/fuse")


@pytest.mark.parametrize("requested", ["", "content-drive", "absolute"])
async def test_a_folder_colab_ext_made_goes_with_the_unmount(
    jp_fetch: Any, fake_drive: FakeDrive, jp_root_dir: Path, requested: str
) -> None:
    await connect(jp_fetch, fake_drive)
    folder = jp_root_dir / (requested.replace("absolute", "content-drive-abs") or "drive")
    # The file browser sends a relative path (or none); kernel code an absolute one.
    body = {"mountpoint": str(folder)} if requested == "absolute" else {"mountpoint": requested}
    assert not folder.exists()
    mount = await call(jp_fetch, "mount", method="POST", body=body)
    assert mount["state"] == "mounted" and os.path.ismount(folder)
    await call(jp_fetch, "unmount", method="POST", body=body)
    assert not folder.exists()
    # Mounting again makes it again.
    await call(jp_fetch, "mount", method="POST", body=body)
    assert os.path.ismount(folder)
    await call(jp_fetch, "unmount", method="POST", body=body)
    assert not folder.exists()


async def test_a_folder_the_user_made_is_kept(
    jp_fetch: Any, fake_drive: FakeDrive, jp_root_dir: Path
) -> None:
    await connect(jp_fetch, fake_drive)
    (jp_root_dir / "drive").mkdir()
    await call(jp_fetch, "mount", method="POST", body={})
    assert os.path.ismount(jp_root_dir / "drive")
    await call(jp_fetch, "unmount", method="POST", body={})
    assert (jp_root_dir / "drive").is_dir() and not os.path.ismount(jp_root_dir / "drive")


async def test_a_mount_that_fails_leaves_no_folder(
    jp_fetch: Any, fake_drive: FakeDrive, jp_root_dir: Path
) -> None:
    await connect(jp_fetch, fake_drive)
    with pytest.raises(HTTPClientError) as late:
        await call(jp_fetch, "mount", method="POST", body={"timeout_ms": 1})
    assert late.value.code == 504
    assert not (jp_root_dir / "drive").exists()


async def test_the_folder_goes_after_a_restarted_mount_and_at_shutdown(
    jp_fetch: Any, jp_serverapp: Any, fake_drive: FakeDrive, jp_root_dir: Path
) -> None:
    await connect(jp_fetch, fake_drive)
    await call(jp_fetch, "mount", method="POST", body={})
    os.kill(mount_process(jp_root_dir / "drive").pid, signal.SIGKILL)
    deadline = time.monotonic() + 30
    while True:  # the supervisor mounts it again, into the folder it made the first time
        status = (await call(jp_fetch, "status"))["mounts"][0]
        if status["restarts"] == 1 and status["state"] == "mounted":
            break
        assert time.monotonic() < deadline, status
        await asyncio.sleep(0.2)
    extension = jp_serverapp.extension_manager.extension_apps["colab_ext"]
    await next(iter(extension)).stop_extension()
    assert not (jp_root_dir / "drive").exists()
