"""The mount's cache files: the last one done with is the next one written, truncated."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from colab_ext.drive.fusefs import cache_files
from colab_ext.drive.fusefs.cache_files import SPARE_NAME, CacheFiles


def test_the_file_done_with_is_the_next_one_written(tmp_path: Path) -> None:
    (tmp_path / SPARE_NAME).write_bytes(b"from a mount that crashed")
    files = CacheFiles(tmp_path)
    assert not (tmp_path / SPARE_NAME).exists()

    first, fd = files.create()
    os.write(fd, b"uploaded bytes")
    os.close(fd)
    inode = first.stat().st_ino
    files.discard(first)
    assert not first.exists() and (tmp_path / SPARE_NAME).stat().st_ino == inode

    second, fd = files.create()
    os.close(fd)
    assert second != first and second.stat().st_ino == inode  # the same file, taken over
    assert second.stat().st_size == 0  # and empty
    assert stat.S_IMODE(second.stat().st_mode) == 0o600
    assert not (tmp_path / SPARE_NAME).exists()

    third, fd = files.create()  # no spare left: a new file
    os.close(fd)
    assert third.stat().st_ino != inode
    files.discard(second)  # becomes the spare
    files.discard(third)  # one spare at most: deleted
    assert not third.exists() and (tmp_path / SPARE_NAME).exists()
    files.clear()
    assert list(tmp_path.iterdir()) == []


def test_a_large_file_is_not_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache_files, "SPARE_MAX_BYTES", 10)
    files = CacheFiles(tmp_path)
    path, fd = files.create()
    os.write(fd, b"more than ten bytes")
    os.close(fd)
    files.discard(path)
    assert list(tmp_path.iterdir()) == []
