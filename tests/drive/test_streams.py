"""Reads through the mount beyond one sequential pass: seeks, concurrent readers, failures."""

from __future__ import annotations

import asyncio
import ctypes.util
import hashlib
import mmap
import os
import random
from pathlib import Path
from typing import Any

import pytest

from tests.drive.conftest import call, connect
from tests.drive.fake_drive import FakeDrive

pytestmark = pytest.mark.skipif(not os.path.exists("/dev/fuse"), reason="needs /dev/fuse")


def read_at(path: Path, spots: list[tuple[int, int]]) -> list[bytes]:
    """Read ``(offset, length)`` pieces in this order through one open file, bypassing the
    page cache's help as little as a real reader would (plain ``pread``)."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        return [os.pread(descriptor, length, offset) for offset, length in spots]
    finally:
        os.close(descriptor)


async def test_seeks_and_parallel_readers_get_the_right_bytes(
    jp_fetch: Any, fake_drive: FakeDrive, jp_root_dir: Path
) -> None:
    await connect(jp_fetch, fake_drive)
    size = 40 * 1024 * 1024 + 777
    file_id, _ = fake_drive.add_large_file("table.parquet", size)
    content = fake_drive.content(file_id)
    await call(jp_fetch, "mount", method="POST", body={})
    path = jp_root_dir / "drive" / "MyDrive" / "table.parquet"
    shuffle = random.Random(7)
    # A columnar reader: the footer first, then pieces here and there, some backwards.
    spots = [(size - 8, 8), (size - 70_000, 70_000)]
    spots += [
        (shuffle.randrange(size), shuffle.choice([4096, 300_000, 2 << 20])) for _ in range(40)
    ]
    pieces = await asyncio.to_thread(read_at, path, spots)
    for (offset, length), piece in zip(spots, pieces, strict=True):
        assert piece == content[offset : offset + length], (offset, length)
    # Readers in parallel on one file, each going forward from its own place.
    starts = [0, 9 << 20, 21 << 20, 33 << 20]
    chunks = [[(start + n * (1 << 20), 1 << 20) for n in range(8)] for start in starts]
    results = await asyncio.gather(*(asyncio.to_thread(read_at, path, c) for c in chunks))
    for spots_of_one, pieces_of_one in zip(chunks, results, strict=True):
        for (offset, length), piece in zip(spots_of_one, pieces_of_one, strict=True):
            assert piece == content[offset : offset + length], (offset, length)
    await call(jp_fetch, "unmount", method="POST", body={})


async def test_a_file_gone_from_drive_fails_the_read_instead_of_hanging(
    jp_fetch: Any, fake_drive: FakeDrive, jp_root_dir: Path
) -> None:
    await connect(jp_fetch, fake_drive)
    file_id = fake_drive.add_file("soon-gone.txt", b"x" * 100_000)
    await call(jp_fetch, "mount", method="POST", body={})
    path = jp_root_dir / "drive" / "MyDrive" / "soon-gone.txt"
    assert (await asyncio.to_thread(path.stat)).st_size == 100_000  # listed, then deleted
    fake_drive.files[file_id]["trashed"] = True
    with pytest.raises(OSError) as failed:
        await asyncio.wait_for(asyncio.to_thread(path.read_bytes), 30)
    assert "Input/output error" in str(failed.value)
    await call(jp_fetch, "unmount", method="POST", body={})


def direct_io_with_mmap_expected() -> bool:
    """libfuse 3 and Linux >= 6.6: the mount must get direct reads with shared mmap."""
    release = tuple(int(part) for part in os.uname().release.split(".")[:2] if part.isdigit())
    return bool(ctypes.util.find_library("fuse3")) and release >= (6, 6)


def digest_of_map(path: Path) -> str:
    with open(path, "rb") as file, mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ) as view:
        return hashlib.sha256(view).hexdigest()  # MAP_SHARED, as numpy.memmap and safetensors map


async def test_a_large_file_maps_shared_and_reads_the_same_through_both(
    jp_fetch: Any, fake_drive: FakeDrive, jp_root_dir: Path
) -> None:
    await connect(jp_fetch, fake_drive)
    size = 24 * 1024 * 1024 + 4097  # large enough for direct reads, and not a whole page
    _, digest = fake_drive.add_large_file("model.safetensors", size)
    await call(jp_fetch, "mount", method="POST", body={})
    path = jp_root_dir / "drive" / "MyDrive" / "model.safetensors"
    assert await asyncio.to_thread(digest_of_map, path) == digest
    assert hashlib.sha256(await asyncio.to_thread(path.read_bytes)).hexdigest() == digest
    status = await call(jp_fetch, "status")
    if direct_io_with_mmap_expected():
        assert status["mounts"][0]["direct_reads"] is True
    await call(jp_fetch, "unmount", method="POST", body={})
