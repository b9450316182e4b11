"""Files written in order go up while they are written: the ends of that path."""

from __future__ import annotations

import asyncio
import os
import time
from pathlib import Path
from typing import Any

import pytest

from tests.drive.conftest import call, connect
from tests.drive.fake_drive import FakeDrive

pytestmark = pytest.mark.skipif(not os.path.exists("/dev/fuse"), reason="needs /dev/fuse")
PIECE = 32 * 1024 * 1024


async def wait_for(condition: Any, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.05)


async def write_open(path: Path, payload: bytes, fake: FakeDrive, sent: int) -> Any:
    """Write ``payload`` to a file left open once Drive holds ``sent`` bytes of it."""
    target = await asyncio.to_thread(open, path, "wb")
    await asyncio.to_thread(target.write, payload)
    await asyncio.to_thread(target.flush)
    await wait_for(lambda: any(u["received"] >= sent for u in fake.uploads.values()))
    return target


async def test_all_of_it_sent_before_close_and_a_session_drive_forgot(
    jp_fetch: Any, fake_drive: FakeDrive, jp_root_dir: Path
) -> None:
    await connect(jp_fetch, fake_drive)
    await call(jp_fetch, "mount", method="POST", body={})
    my_drive = jp_root_dir / "drive" / "MyDrive"
    # Exactly two pieces: everything is in Drive before close; close only says how long it is.
    exact = os.urandom(2 * PIECE)
    target = await write_open(my_drive / "exact.bin", exact, fake_drive, 2 * PIECE)
    await asyncio.to_thread(target.close)
    await wait_for(lambda: fake_drive.find("exact.bin") is not None)
    exact_file = fake_drive.find("exact.bin")
    assert exact_file and fake_drive.content(exact_file["id"]) == exact

    # Drive dropped the session (it expired): the whole file goes up in a new one.
    payload = os.urandom(PIECE + 12345)
    target = await write_open(my_drive / "forgotten.bin", payload, fake_drive, PIECE)
    fake_drive.uploads.clear()
    await asyncio.to_thread(target.close)
    await call(jp_fetch, "unmount", method="POST", body={})
    forgotten = fake_drive.find("forgotten.bin")
    assert forgotten and fake_drive.content(forgotten["id"]) == payload
    assert (await call(jp_fetch, "status"))["mounts"] == []
