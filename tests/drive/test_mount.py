"""The mount: a real FUSE filesystem in its own process, used from other processes."""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import signal
import time
from pathlib import Path
from typing import Any

import psutil
import pytest
from tornado.httpclient import HTTPClientError

from tests.drive.conftest import call, connect
from tests.drive.fake_drive import FakeDrive

pytestmark = pytest.mark.skipif(not os.path.exists("/dev/fuse"), reason="needs /dev/fuse")


async def shell(command: str, timeout: float = 120) -> str:
    """Run a command in another process without blocking the server's loop (it serves Drive)."""
    process = await asyncio.create_subprocess_shell(
        command, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT
    )
    out, _ = await asyncio.wait_for(process.communicate(), timeout)
    assert process.returncode == 0, out.decode()
    return out.decode()


def mount_process(mountpoint: Path) -> psutil.Process:
    """The FUSE process serving ``mountpoint`` (its config file names the mountpoint)."""
    for process in psutil.process_iter(["cmdline"]):
        cmdline = process.info["cmdline"] or []
        if "colab_ext.drive.fusefs" not in cmdline:
            continue
        try:
            config = json.loads(Path(cmdline[-1]).read_text())
        except (OSError, ValueError):
            continue
        if config.get("mountpoint") == str(mountpoint):
            return process
    raise AssertionError("no mount process")


def peak_memory_kib(pid: int) -> int:
    """The process's peak resident memory (VmHWM), in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM"):
            return int(line.split()[1])
    raise AssertionError("no VmHWM")


async def test_mount_list_read_write_rename_delete(
    jp_fetch: Any, fake_drive: FakeDrive, jp_root_dir: Path
) -> None:
    await connect(jp_fetch, fake_drive)
    folder = fake_drive.add_folder("data")
    fake_drive.add_file("hello.txt", b"hello drive\n", parent=folder)
    fake_drive.add_file("Budget", mime="application/vnd.google-apps.spreadsheet")
    mount = await call(jp_fetch, "mount", method="POST", body={})
    assert mount["path"] == "drive" and mount["state"] == "mounted"
    my_drive = jp_root_dir / "drive" / "MyDrive"
    assert "data" in await shell(f"ls {my_drive}")
    assert "Budget.xlsx" in await shell(f"ls {my_drive}")
    assert await shell(f"cat {my_drive}/data/hello.txt") == "hello drive\n"
    assert "exported as" in await shell(f"cat {my_drive}/Budget.xlsx")
    # The server's own contents API sees it like any folder (the file browser uses it).
    listing = await jp_fetch("api", "contents", "drive", "MyDrive", "data")
    assert b"hello.txt" in listing.body

    await shell(f"printf 'written through FUSE' > {my_drive}/data/new.txt")
    await shell(f"mv {my_drive}/data/new.txt {my_drive}/renamed.txt")
    await shell(f"rm {my_drive}/data/hello.txt && mkdir {my_drive}/made")
    status = await call(jp_fetch, "unmount", method="POST", body={})
    assert status["unflushed"] == []
    renamed = fake_drive.find("renamed.txt")
    assert renamed and fake_drive.content(renamed["id"]) == b"written through FUSE"
    assert fake_drive.find("hello.txt", parent=folder) is None
    assert fake_drive.find("made") is not None
    assert not os.path.ismount(jp_root_dir / "drive")


async def test_unmount_flushes_pending_uploads(
    jp_fetch: Any, fake_drive: FakeDrive, jp_root_dir: Path
) -> None:
    await connect(jp_fetch, fake_drive)
    await call(jp_fetch, "mount", method="POST", body={})
    for _ in range(3):
        fake_drive.fault("PUT", "upload_id", delay_s=0.7)
    await shell(f"head -c 3000000 /dev/urandom > {jp_root_dir}/local.bin")
    await shell(f"cp {jp_root_dir}/local.bin {jp_root_dir}/drive/MyDrive/late.bin")
    status = await call(jp_fetch, "status")
    assert [p["path"] for p in status["mounts"][0]["pending_uploads"]] == ["/MyDrive/late.bin"]
    await call(jp_fetch, "unmount", method="POST", body={})
    late = fake_drive.find("late.bin")
    assert late and fake_drive.content(late["id"]) == (jp_root_dir / "local.bin").read_bytes()


async def test_large_file_streams_with_flat_memory_and_resumes_uploads(
    jp_fetch: Any, fake_drive: FakeDrive, jp_root_dir: Path
) -> None:
    await connect(jp_fetch, fake_drive)
    size = int(os.environ.get("COLAB_EXT_DRIVE_TEST_MB", "1024")) * 1024 * 1024
    file_id, digest = fake_drive.add_large_file("big.bin", size)
    await call(jp_fetch, "mount", method="POST", body={})
    process = mount_process(jp_root_dir / "drive")
    fake_drive.fault("GET", file_id, drop_after=20_000_000)
    fake_drive.fault("GET", file_id, status=503)
    my_drive = jp_root_dir / "drive" / "MyDrive"
    assert (await shell(f"sha256sum {my_drive}/big.bin")).split()[0] == digest
    fake_drive.fault("PUT", "upload_id", drop_after=30_000_000)
    fake_drive.fault("PUT", "upload_id", status=502)
    await shell(f"cp {my_drive}/big.bin {my_drive}/copy.bin")
    deadline = time.monotonic() + 120
    while (await call(jp_fetch, "status"))["mounts"][0]["pending_uploads"]:
        assert time.monotonic() < deadline
        await asyncio.sleep(0.2)
    peak_kib = peak_memory_kib(process.pid)
    await call(jp_fetch, "unmount", method="POST", body={})
    copy = fake_drive.find("copy.bin")
    digest_up = hashlib.sha256()
    with open(fake_drive.path_of(copy["id"]), "rb") as data:
        while piece := data.read(1 << 20):
            digest_up.update(piece)
    assert digest_up.hexdigest() == digest
    assert 10 * 1024 < peak_kib < 200 * 1024, f"mount process peaked at {peak_kib} KiB"


async def test_the_supervisor_restarts_a_dead_mount(
    jp_fetch: Any, fake_drive: FakeDrive, jp_root_dir: Path
) -> None:
    await connect(jp_fetch, fake_drive)
    fake_drive.add_file("still.txt", b"here")
    await call(jp_fetch, "mount", method="POST", body={})
    first = mount_process(jp_root_dir / "drive")
    os.kill(first.pid, signal.SIGKILL)
    deadline = time.monotonic() + 30
    while True:
        status = (await call(jp_fetch, "status"))["mounts"][0]
        if status["restarts"] == 1 and status["state"] == "mounted":
            break
        assert time.monotonic() < deadline, status
        await asyncio.sleep(0.2)
    assert await shell(f"cat {jp_root_dir}/drive/MyDrive/still.txt") == "here"
    await call(jp_fetch, "unmount", method="POST", body={})


async def test_the_server_stays_responsive_while_drive_stalls(
    jp_fetch: Any, fake_drive: FakeDrive, jp_root_dir: Path
) -> None:
    await connect(jp_fetch, fake_drive)
    fake_drive.add_folder("stalled")
    await call(jp_fetch, "mount", method="POST", body={})
    await asyncio.sleep(1.2)  # let the root listing expire
    fake_drive.fault("GET", "files?", delay_s=4)
    stalled = asyncio.ensure_future(shell(f"ls {jp_root_dir}/drive/MyDrive/stalled"))
    await asyncio.sleep(0.3)
    started = time.monotonic()
    await call(jp_fetch, "status")
    await jp_fetch("api", "contents")
    assert time.monotonic() - started < 1.0
    await stalled
    await call(jp_fetch, "unmount", method="POST", body={})


async def test_already_mounted_and_non_empty_mountpoints(
    jp_fetch: Any, fake_drive: FakeDrive, jp_root_dir: Path
) -> None:
    await connect(jp_fetch, fake_drive)
    (jp_root_dir / "busy").mkdir()
    (jp_root_dir / "busy" / "file").write_text("x")
    with pytest.raises(HTTPClientError) as busy:
        await call(jp_fetch, "mount", method="POST", body={"mountpoint": "busy"})
    assert b"must be an empty folder" in busy.value.response.body
    await call(jp_fetch, "mount", method="POST", body={})
    with pytest.raises(HTTPClientError) as twice:
        await call(jp_fetch, "mount", method="POST", body={})
    assert twice.value.code == 409
    await call(jp_fetch, "unmount", method="POST", body={})


class TestWithoutFuse:
    @pytest.fixture
    def colab_config(self, colab_config: dict[str, Any]) -> dict[str, Any]:
        return dict(colab_config, drive_fuse_device="/nonexistent/fuse")

    async def test_status_and_mount_say_how_to_enable_fuse(
        self, jp_fetch: Any, fake_drive: FakeDrive, jp_root_dir: Path
    ) -> None:
        await connect(jp_fetch, fake_drive)
        status = await call(jp_fetch, "status")
        assert status["fuse"]["available"] is False
        assert "/nonexistent/fuse" in status["fuse"]["problem"]
        assert "--device /dev/fuse --cap-add SYS_ADMIN" in status["fuse"]["how_to_enable"]
        with pytest.raises(HTTPClientError) as refused:
            await call(jp_fetch, "mount", method="POST", body={})
        assert refused.value.code == 501
        assert b"--cap-add SYS_ADMIN" in refused.value.response.body
        # The copy dialogs still work.
        file_id = fake_drive.add_file("a.txt", b"copy me")
        job = await call(jp_fetch, "open", method="POST", body={"file_id": file_id, "folder": ""})
        from tests.drive.conftest import wait_job

        assert (await wait_job(jp_fetch, job))["state"] == "done"
        assert (jp_root_dir / "a.txt").read_bytes() == b"copy me"


async def test_shared_drives_sit_beside_my_drive(
    jp_fetch: Any, fake_drive: FakeDrive, jp_root_dir: Path
) -> None:
    await connect(jp_fetch, fake_drive)
    fake_drive.shared_drives["sd-team"] = "Team"
    fake_drive.add_file("roadmap.md", b"# Roadmap\n", parent="sd-team")
    await call(jp_fetch, "mount", method="POST", body={"readonly": True})
    mount = jp_root_dir / "drive"
    assert (await shell(f"ls {mount}")).split() == ["MyDrive", "Shareddrives"]
    assert await shell(f"cat {mount}/Shareddrives/Team/roadmap.md") == "# Roadmap\n"
    process = await asyncio.create_subprocess_shell(
        f"touch {mount}/MyDrive/nope 2>&1", stdout=asyncio.subprocess.PIPE
    )
    out, _ = await process.communicate()
    assert process.returncode != 0 and b"Read-only file system" in out
    await call(jp_fetch, "unmount", method="POST", body={})


async def test_server_shutdown_flushes_and_unmounts(
    jp_fetch: Any, jp_serverapp: Any, fake_drive: FakeDrive, jp_root_dir: Path
) -> None:
    await connect(jp_fetch, fake_drive)
    await call(jp_fetch, "mount", method="POST", body={})
    process = mount_process(jp_root_dir / "drive")
    fake_drive.fault("PUT", "upload_id", delay_s=1.0)
    await shell(f"printf 'last words' > {jp_root_dir}/drive/MyDrive/last.txt")
    extension = jp_serverapp.extension_manager.extension_apps["colab_ext"]
    await next(iter(extension)).stop_extension()
    assert not os.path.ismount(jp_root_dir / "drive")
    assert not process.is_running() or process.status() == psutil.STATUS_ZOMBIE
    last = fake_drive.find("last.txt")
    assert last and fake_drive.content(last["id"]) == b"last words"


async def test_a_written_file_keeps_its_mtime_through_the_upload(
    jp_fetch: Any, fake_drive: FakeDrive, jp_root_dir: Path
) -> None:
    # JupyterLab warns "File Changed" when a file's mtime moves after its own save: the upload to
    # Drive (a later modifiedTime there) must not look like a change.
    await connect(jp_fetch, fake_drive)
    await call(jp_fetch, "mount", method="POST", body={})
    target = jp_root_dir / "drive" / "MyDrive" / "saved.txt"
    fake_drive.fault("PUT", "upload_id", delay_s=1.5)
    await shell(f"printf 'v1' > {target}")
    before = await shell(f"stat -c %Y.%y {target}")
    await asyncio.sleep(2.5)  # uploaded now, with Drive's own (later) modifiedTime
    assert fake_drive.find("saved.txt") is not None
    assert await shell(f"stat -c %Y.%y {target}") == before
    await call(jp_fetch, "unmount", method="POST", body={})


async def test_jupyter_saves_in_place_without_sending_its_backup_copies(
    jp_fetch: Any, fake_drive: FakeDrive, jp_root_dir: Path
) -> None:
    await connect(jp_fetch, fake_drive)
    fake_drive.add_file("notes.txt", b"v0")
    await call(jp_fetch, "mount", method="POST", body={})
    for text in ("v1", "v2"):  # the contents API saves with atomic writing (a .~ backup)
        await jp_fetch(
            "api",
            "contents",
            "drive",
            "MyDrive",
            "notes.txt",
            method="PUT",
            body=json.dumps({"type": "file", "format": "text", "content": text}),
        )
    await call(jp_fetch, "unmount", method="POST", body={})
    notes = fake_drive.find("notes.txt")
    assert notes and fake_drive.content(notes["id"]) == b"v2"
    assert not [m["name"] for m in fake_drive.files.values() if m["name"].startswith(".~")]
    assert [m["name"] for m in fake_drive.files.values() if m["name"] == "notes.txt"] == [
        "notes.txt"
    ]


async def _wait_for(condition: Any, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.05)


async def test_a_file_written_in_order_goes_up_while_it_is_written(
    jp_fetch: Any, fake_drive: FakeDrive, jp_root_dir: Path
) -> None:
    await connect(jp_fetch, fake_drive)
    await call(jp_fetch, "mount", method="POST", body={})
    payload = os.urandom(72 * 1024 * 1024)
    fake_drive.fault("PUT", "upload_id", drop_after=10_000_000)  # a piece sent early fails once
    target = await asyncio.to_thread(open, jp_root_dir / "drive" / "MyDrive" / "stream.bin", "wb")
    await asyncio.to_thread(target.write, payload)
    await asyncio.to_thread(target.flush)
    # Still open, and Drive has most of it already; it is no Drive file before it is closed.
    await _wait_for(lambda: any(u["received"] >= 64 << 20 for u in fake_drive.uploads.values()))
    assert fake_drive.find("stream.bin") is None
    await asyncio.to_thread(target.close)
    await _wait_for(lambda: fake_drive.find("stream.bin") is not None)
    stream = fake_drive.find("stream.bin")
    assert stream and fake_drive.content(stream["id"]) == payload

    # A writer that goes back over what was sent: the file is uploaded whole on close instead.
    target = await asyncio.to_thread(open, jp_root_dir / "drive" / "MyDrive" / "again.bin", "wb")
    await asyncio.to_thread(target.write, payload)
    await asyncio.to_thread(target.flush)
    await _wait_for(lambda: any(u["received"] >= 32 << 20 for u in fake_drive.uploads.values()))
    await asyncio.to_thread(target.seek, 5)
    await asyncio.to_thread(target.write, b"rewritten")
    await asyncio.to_thread(target.close)
    await call(jp_fetch, "unmount", method="POST", body={})
    again = fake_drive.find("again.bin")
    expected = payload[:5] + b"rewritten" + payload[14:]
    assert again and fake_drive.content(again["id"]) == expected


async def test_a_file_reopened_right_after_close_reads_what_was_written(
    jp_fetch: Any, fake_drive: FakeDrive, jp_root_dir: Path
) -> None:
    await connect(jp_fetch, fake_drive)
    await call(jp_fetch, "mount", method="POST", body={})
    path = jp_root_dir / "drive" / "MyDrive" / "appended.bin"

    def append_then_read(piece: bytes) -> bytes:
        with open(path, "ab") as file:
            file.write(piece)
        return path.read_bytes()  # the kernel sends the release after close(): this can be first

    expected = b""
    for n in range(6):
        piece = os.urandom(3 * 1024 * 1024 + n)
        expected += piece
        assert await asyncio.to_thread(append_then_read, piece) == expected, f"append {n}"
        while (await call(jp_fetch, "status"))["mounts"][0]["pending_uploads"]:
            await asyncio.sleep(0.1)  # the next append finds nothing pending to wait for
    await call(jp_fetch, "unmount", method="POST", body={})
