"""The server's shutdown with Drive mounted: bounded in time, whatever the mounts do."""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path
from typing import Any

import psutil
import pytest

from colab_ext.drive.mount import SHUTDOWN_LIMIT_S, SHUTDOWN_WAIT_S
from tests.drive.conftest import call, connect
from tests.drive.fake_drive import FakeDrive
from tests.drive.test_mount import mount_process, shell

pytestmark = pytest.mark.skipif(not os.path.exists("/dev/fuse"), reason="needs /dev/fuse")


async def test_mounts_that_cannot_flush_are_ended_by_force_all_at_once(
    jp_fetch: Any,
    jp_serverapp: Any,
    fake_drive: FakeDrive,
    jp_root_dir: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    await connect(jp_fetch, fake_drive)
    folders = [jp_root_dir / "drive", jp_root_dir / "other"]
    processes = []
    for folder in folders:
        await call(jp_fetch, "mount", method="POST", body={"mountpoint": folder.name})
        processes.append(mount_process(folder))
    # Drive stops answering uploads: each mount is left with an upload it cannot finish.
    for folder in folders:
        fake_drive.fault("PUT", "upload_id", delay_s=120)
        await shell(f"printf 'never sent' > {folder}/MyDrive/{folder.name}.txt")
    caplog.set_level(logging.WARNING)
    extension = next(iter(jp_serverapp.extension_manager.extension_apps["colab_ext"]))
    started = time.monotonic()
    await extension.stop_extension()
    took = time.monotonic() - started
    # The uploads were waited for, but one mount's wait in all (under two: they stop at once).
    assert SHUTDOWN_WAIT_S <= took < SHUTDOWN_LIMIT_S < 2 * SHUTDOWN_WAIT_S
    for folder, process in zip(folders, processes, strict=True):
        assert not process.is_running() or process.status() == psutil.STATUS_ZOMBIE
        assert not os.path.ismount(folder) and not folder.exists()
        assert f"Drive mount at {folder} did not stop within" in caplog.text
        assert f"/MyDrive/{folder.name}.txt" in caplog.text
