"""Open from Drive, Save a copy in Drive, Upload to Drive: contents intact under faults."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from tornado.httpclient import HTTPClientError

from tests.drive.conftest import call, connect, wait_job
from tests.drive.fake_drive import FakeDrive

NOTEBOOK = json.dumps({"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5})


async def test_open_a_notebook_and_save_a_copy(
    jp_fetch: Any, fake_drive: FakeDrive, jp_root_dir: Path
) -> None:
    await connect(jp_fetch, fake_drive)
    folder = fake_drive.add_folder("Colab Notebooks")
    file_id = fake_drive.add_file("analysis.ipynb", NOTEBOOK.encode(), parent=folder)

    listing = await call(jp_fetch, "files", params={"folder": folder})
    assert [f["name"] for f in listing["files"]] == ["analysis.ipynb"]

    job = await call(jp_fetch, "open", method="POST", body={"file_id": file_id, "folder": ""})
    job = await wait_job(jp_fetch, job)
    assert job["state"] == "done" and job["path"] == "analysis.ipynb"
    assert (jp_root_dir / "analysis.ipynb").read_text() == NOTEBOOK
    again = await wait_job(
        jp_fetch,
        await call(jp_fetch, "open", method="POST", body={"file_id": file_id, "folder": ""}),
    )
    assert again["path"] == "analysis (1).ipynb"  # a copy never overwrites

    job = await call(
        jp_fetch,
        "save",
        method="POST",
        body={"path": "analysis.ipynb", "folder_id": folder, "name": "copy.ipynb"},
    )
    job = await wait_job(jp_fetch, job)
    assert job["state"] == "done", job
    saved = fake_drive.find("copy.ipynb", parent=folder)
    assert saved is not None and fake_drive.content(saved["id"]).decode() == NOTEBOOK


async def test_google_docs_open_as_their_export(
    jp_fetch: Any, fake_drive: FakeDrive, jp_root_dir: Path
) -> None:
    await connect(jp_fetch, fake_drive)
    doc = fake_drive.add_file("Plan", mime="application/vnd.google-apps.document")
    job = await wait_job(
        jp_fetch, await call(jp_fetch, "open", method="POST", body={"file_id": doc, "folder": ""})
    )
    assert job["path"] == "Plan.docx"
    assert b"exported as" in (jp_root_dir / "Plan.docx").read_bytes()


async def test_large_copies_survive_drops_5xx_and_429(
    jp_fetch: Any, fake_drive: FakeDrive, jp_root_dir: Path
) -> None:
    await connect(jp_fetch, fake_drive)
    size = 48 * 1024 * 1024 + 123
    file_id, digest = fake_drive.add_large_file("weights.bin", size)
    fake_drive.fault("GET", file_id, drop_after=5_000_000)
    fake_drive.fault("GET", file_id, status=503)
    fake_drive.fault("GET", file_id, status=429)
    job = await wait_job(
        jp_fetch,
        await call(jp_fetch, "open", method="POST", body={"file_id": file_id, "folder": ""}),
    )
    assert job["state"] == "done", job
    local = jp_root_dir / "weights.bin"
    assert hashlib.sha256(local.read_bytes()).hexdigest() == digest

    fake_drive.fault("PUT", "upload_id", drop_after=3_000_000)
    fake_drive.fault("PUT", "upload_id", status=500)
    fake_drive.fault("PUT", "upload_id", status=429)
    job = await wait_job(
        jp_fetch,
        await call(jp_fetch, "save", method="POST", body={"path": "weights.bin", "name": "up.bin"}),
    )
    assert job["state"] == "done", job
    assert job["bytes_done"] == size
    uploaded = fake_drive.find("up.bin")
    assert uploaded is not None
    assert hashlib.sha256(fake_drive.content(uploaded["id"])).hexdigest() == digest
    # The drop and the errors really happened (each injected fault answered one PUT), and the
    # upload went on by asking Drive what it had received, then sending the rest.
    assert fake_drive.count("PUT", "upload_id") >= 5
    assert fake_drive.upload_status_queries >= 1


async def test_cancel_leaves_nothing_behind(
    jp_fetch: Any, fake_drive: FakeDrive, jp_root_dir: Path
) -> None:
    await connect(jp_fetch, fake_drive)
    file_id, _ = fake_drive.add_large_file("slow.bin", 40 * 1024 * 1024)
    for _ in range(5):
        fake_drive.fault("GET", file_id, delay_s=0.5)
    job = await call(jp_fetch, "open", method="POST", body={"file_id": file_id, "folder": ""})
    await call(jp_fetch, "jobs", job["id"], method="DELETE")
    job = await wait_job(jp_fetch, job)
    assert job["state"] == "cancelled"
    assert list(jp_root_dir.iterdir()) == []


@pytest.mark.parametrize("path", ["../outside.txt", "/etc/passwd", "link/secret"])
async def test_paths_outside_the_root_are_refused(
    jp_fetch: Any, fake_drive: FakeDrive, jp_root_dir: Path, path: str, tmp_path_factory: Any
) -> None:
    await connect(jp_fetch, fake_drive)
    outside = tmp_path_factory.mktemp("outside")
    (outside / "secret").write_text("no")
    (jp_root_dir / "link").symlink_to(outside)
    with pytest.raises(HTTPClientError) as refused:
        await call(jp_fetch, "save", method="POST", body={"path": path})
    assert refused.value.code == 400
    with pytest.raises(HTTPClientError):
        await call(jp_fetch, "open", method="POST", body={"file_id": "x", "folder": "link"})
