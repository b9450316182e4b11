"""The Drive mount against plain HTTP, in the same run, on the same fake Drive (loopback).

- Reading a file through the mount vs ``curl`` downloading it (goal: mount speed >= 0.7x curl).
- Writing it through the mount until the upload is done vs ``curl`` uploading it (goal >= 0.7x).
- Peak memory of the mount process over both (goal < 200 MB).
- Listing a folder of 10,000 files: requests the mount made, and time vs the raw paged API calls.
- For scale: the same read through a FUSE filesystem serving bytes from memory, no Drive behind
  it (same binding, library and kernel settings as the mount): what FUSE itself costs here.

    python bench/drive_transfer.py --size-mb 1024 [--repeat 3]

Needs FUSE (/dev/fuse) and curl. Figures are measurements to read, not a test.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from colab_ext.drive.mount import DriveMounts
from colab_ext.drive.store import CredentialStore
from tests.drive.fake_drive import FakeDrive


def timed(command: str) -> float:
    started = time.perf_counter()
    subprocess.run(command, shell=True, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def access_token(fake: FakeDrive) -> str:
    token = "ya29.bench"
    fake.access_tokens.add(token)
    return token


def curl_upload(fake: FakeDrive, token: str, path: Path) -> float:
    size = path.stat().st_size
    started = time.perf_counter()
    request = urllib.request.Request(
        f"{fake.url}/upload/drive/v3/files?uploadType=resumable",
        data=json.dumps({"name": "curl.bin"}).encode(),
        method="POST",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request) as answer:
        session = answer.headers["Location"]
    subprocess.run(
        [
            "curl",
            "-sf",
            "-T",
            str(path),
            "-o",
            "/dev/null",
            "-H",
            f"Authorization: Bearer {token}",
            "-H",
            f"Content-Range: bytes 0-{size - 1}/{size}",
            session,
        ],
        check=True,
    )
    return time.perf_counter() - started


def memory_fs(mountpoint: str, size: int) -> None:
    """A one-file FUSE filesystem serving ``size`` bytes from memory (the FUSE ceiling)."""
    import ctypes
    import errno
    import stat
    import threading

    import mfusepy

    from colab_ext.drive.fusefs.fuse_direct import DirectIoWithMmap
    from colab_ext.drive.fusefs.fusebind import (
        READ_AHEAD_KIB,
        READ_SIZE,
        DriveFuse,
        raise_read_ahead,
    )

    block = ctypes.create_string_buffer(READ_SIZE)
    direct_io = DirectIoWithMmap()

    class MemoryFs(mfusepy.Operations):  # type: ignore[misc]
        use_ns = True

        def getattr(self, path: str, fh: object = None) -> dict[str, int]:
            if path == "/":
                return {"st_mode": stat.S_IFDIR | 0o755, "st_nlink": 2}
            if path == "/big.bin":
                return {
                    "st_mode": stat.S_IFREG | 0o444,
                    "st_nlink": 1,
                    "st_size": size,
                    "st_blksize": READ_SIZE,
                }
            raise mfusepy.FuseOSError(errno.ENOENT)

        def readdir(self, path: str, fh: object) -> list[str]:
            return [".", "..", "big.bin"]

        def open(self, path: str, fi: Any) -> int:
            fi.direct_io = int(direct_io.granted)  # as the mount does for a large file
            return 0

        def read(self, path: str, size_: int, offset: int, fi: object) -> bytes:
            raise NotImplementedError  # DriveFuse calls read_into

        def read_into(self, path: str, address: int, want: int, offset: int, fi: object) -> int:
            count = max(0, min(want, size - offset, len(block)))
            ctypes.memmove(address, ctypes.addressof(block), count)
            return count

        def init_with_config(self, conn_info: object, config_3: object) -> None:
            if conn_info is not None:
                conn_info.max_readahead = READ_AHEAD_KIB * 1024  # type: ignore[attr-defined]
            direct_io.request(conn_info)
            threading.Thread(target=raise_read_ahead, args=(mountpoint, READ_AHEAD_KIB)).start()

    DriveFuse(MemoryFs(), mountpoint, raw_fi=True, foreground=True, nothreads=False)


async def fuse_ceiling(work: Path, size: int) -> float:
    """Seconds to read ``size`` bytes through :func:`memory_fs`."""
    from colab_ext.drive.mount import fuse_library_env, fusermount_unmount, is_mounted

    mountpoint = work / "memory-fs"
    mountpoint.mkdir()
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        __file__,
        "--memory-fs",
        str(mountpoint),
        str(size),
        env=fuse_library_env(),
        stderr=asyncio.subprocess.DEVNULL,
    )
    while not is_mounted(mountpoint):  # noqa: ASYNC110 - nothing to wait on but the mount table
        await asyncio.sleep(0.05)
    await asyncio.sleep(0.3)  # the read-ahead is raised just after the mount answers
    seconds = await asyncio.to_thread(timed, f"cat '{mountpoint}/big.bin' > /dev/null")
    await fusermount_unmount(mountpoint)
    await process.wait()
    return seconds


def peak_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM"):
            return int(line.split()[1])
    return -1


def raw_listing(fake: FakeDrive, token: str, folder: str) -> tuple[float, int]:
    started, calls, page = time.perf_counter(), 0, ""
    while True:
        query = urllib.parse.urlencode(
            {"q": f"'{folder}' in parents and trashed = false", "pageSize": 1000, "pageToken": page}
        )
        request = urllib.request.Request(
            f"{fake.url}/drive/v3/files?{query}", headers={"Authorization": f"Bearer {token}"}
        )
        with urllib.request.urlopen(request) as answer:
            body = json.loads(answer.read())
        calls += 1
        page = body.get("nextPageToken", "")
        if not page:
            return time.perf_counter() - started, calls


async def run(size_mb: int, repeat: int) -> None:
    fake = FakeDrive().start()
    work = Path(tempfile.mkdtemp(prefix="drive-bench-"))
    try:
        store = CredentialStore(work / "store")
        store.folder.mkdir()
        fake.refresh_tokens.add("bench-refresh")
        store.save_token(
            {
                "token": None,
                "refresh_token": "bench-refresh",
                "token_uri": f"{fake.url}/token",
                "client_id": fake.client_id,
                "client_secret": fake.client_secret,
            }
        )
        file_id, _ = fake.add_large_file("big.bin", size_mb * 1024 * 1024)
        many = fake.add_folder("many")
        for n in range(10_000):
            fake.add_file(f"file-{n:05}.txt", b"x", parent=many)
        token = access_token(fake)
        config = {
            "endpoint": f"{fake.url}/drive/v3/",
            "store_dir": str(store.folder),
            "listing_ttl": 60,
            "read_ahead_mb": 16,
            "timeout": 120,
        }
        mounts = DriveMounts("/dev/fuse", work / "mounts", logging.getLogger("bench"))
        mountpoint = work / "mnt"
        mount = await mounts.mount(mountpoint, False, config)
        assert mount.process is not None
        pid = mount.process.pid
        big = mountpoint / "MyDrive" / "big.bin"

        # Rounds alternate curl and the mount, so both meet the same machine; best of each.
        curl_reads, mount_reads, curl_writes, mount_writes = [], [], [], []
        local = fake.path_of(file_id)
        for _ in range(repeat):
            curl_reads.append(
                timed(
                    f"curl -sf -H 'Authorization: Bearer {token}' -o /dev/null "
                    f"'{fake.url}/drive/v3/files/{file_id}?alt=media'"
                )
            )
            mount_reads.append(await asyncio.to_thread(timed, f"cat '{big}' > /dev/null"))
        for n in range(repeat):
            curl_writes.append(curl_upload(fake, token, local))
            started = time.perf_counter()
            await asyncio.to_thread(timed, f"cp '{local}' '{mountpoint}/MyDrive/up-{n}.bin'")
            while mount.status()["pending_uploads"] or fake.find(f"up-{n}.bin") is None:  # noqa: ASYNC110
                await asyncio.sleep(0.05)
            mount_writes.append(time.perf_counter() - started)
        peak = peak_kib(pid)
        direct_reads = mount.status()["direct_reads"]
        curl_read, mount_read = min(curl_reads), min(mount_reads)
        curl_write, mount_write = min(curl_writes), min(mount_writes)

        before = fake.count("GET", "/drive/v3/files?")
        mount_list = await asyncio.to_thread(timed, f"ls '{mountpoint}/MyDrive/many' | wc -l")
        mount_calls = fake.count("GET", "/drive/v3/files?") - before
        raw_list, raw_calls = raw_listing(fake, token, many)
        await mounts.unmount(mountpoint, flush_timeout=60)
        ceiling = await fuse_ceiling(work, size_mb * 1024 * 1024)

        mb = size_mb

        def rounds(times: list[float]) -> str:
            return ", ".join(f"{t:.2f}" for t in times)

        print(
            f"best of {repeat} rounds (all rounds, s: curl read {rounds(curl_reads)}; mount read "
            f"{rounds(mount_reads)}; curl write {rounds(curl_writes)}; mount write "
            f"{rounds(mount_writes)})"
        )
        print(
            f"read  {mb} MiB: curl {curl_read:.2f} s, mount {mount_read:.2f} s, "
            f"mount/curl speed ratio {curl_read / mount_read:.2f} (goal >= 0.7)"
        )
        print(
            f"write {mb} MiB: curl {curl_write:.2f} s, mount {mount_write:.2f} s, "
            f"mount/curl speed ratio {curl_write / mount_write:.2f} (goal >= 0.7)"
        )
        print(
            f"for scale, FUSE alone (a filesystem serving {mb} MiB from memory): "
            f"{ceiling:.2f} s, speed ratio to curl {curl_read / ceiling:.2f}; "
            f"the mount reads at {ceiling / mount_read:.2f} of it"
        )
        print(
            "large files read with direct I/O (shared mmap allowed): "
            + ("yes" if direct_reads else "no, through the page cache")
        )
        print(f"peak memory of the mount process: {peak / 1024:.0f} MiB (goal < 200)")
        print(
            f"list 10,000 files: mount {mount_list:.2f} s with {mount_calls} list requests; "
            f"raw paged API {raw_list:.2f} s with {raw_calls} requests; "
            f"ratio {raw_list / mount_list:.2f}"
        )
    except BaseException:
        for log in work.glob("mounts/*/fuse.log"):  # noqa: ASYNC240 - why the mount failed
            print(log.read_text()[-3000:], file=sys.stderr)
        raise
    finally:
        fake.stop()
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=int, default=1024)
    parser.add_argument("--repeat", type=int, default=3, help="rounds; the best of each is used")
    parser.add_argument(
        "--memory-fs", nargs=2, metavar=("MOUNTPOINT", "BYTES"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.memory_fs:
        memory_fs(args.memory_fs[0], int(args.memory_fs[1]))
        return
    if not os.path.exists("/dev/fuse"):
        print("no /dev/fuse: the Drive mount benchmark needs FUSE")
        return
    asyncio.run(run(args.size_mb, max(1, args.repeat)))


if __name__ == "__main__":
    main()
