"""Save a copy in Drive under a name the user chose, and refuse names Drive's copy would not keep.

A name with '/', a control character, '.' or '..', or longer than a file system takes would be
changed when the copy is opened from Drive or seen through the mount, so it is refused with a
message that says why, before anything is uploaded.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from tornado.httpclient import HTTPClientError

from tests.drive.conftest import call, connect, wait_job
from tests.drive.fake_drive import FakeDrive

NOTEBOOK = json.dumps({"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5})


async def test_the_copy_gets_the_name_asked_for(
    jp_fetch: Any, fake_drive: FakeDrive, jp_root_dir: Path
) -> None:
    await connect(jp_fetch, fake_drive)
    (jp_root_dir / "analysis.ipynb").write_text(NOTEBOOK)
    named = "analysis (for Ada) é.ipynb"
    job = await call(
        jp_fetch, "save", method="POST", body={"path": "analysis.ipynb", "name": named}
    )
    job = await wait_job(jp_fetch, job)
    assert job["state"] == "done" and job["name"] == named, job
    saved = fake_drive.find(named)
    assert saved is not None and fake_drive.content(saved["id"]).decode() == NOTEBOOK
    # Without a name (Upload selected files), each file keeps its own.
    job = await wait_job(
        jp_fetch, await call(jp_fetch, "save", method="POST", body={"path": "analysis.ipynb"})
    )
    assert job["name"] == "analysis.ipynb" and fake_drive.find("analysis.ipynb") is not None


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("", b"Give the copy a file name"),
        ("   ", b"Give the copy a file name"),
        ("reports/q3.ipynb", b"may not contain '/'"),
        ("reports\\q3.ipynb", b"may not contain '/'"),
        ("..", b"may not be '.' or '..'"),
        ("a\x00b.ipynb", b"NUL character"),
        ("tab\there.ipynb", b"control character"),
        ("x" * 241 + ".txt", b"longer than 244 bytes"),
        ("\u00e9" * 121 + ".txt", b"longer than 244 bytes"),  # 246 bytes in UTF-8
    ],
)
async def test_a_name_the_copy_would_not_keep_is_refused(
    jp_fetch: Any, fake_drive: FakeDrive, jp_root_dir: Path, name: str, says: bytes
) -> None:
    await connect(jp_fetch, fake_drive)
    (jp_root_dir / "analysis.ipynb").write_text(NOTEBOOK)
    before = len(fake_drive.files)
    with pytest.raises(HTTPClientError) as refused:
        await call(jp_fetch, "save", method="POST", body={"path": "analysis.ipynb", "name": name})
    assert refused.value.code == 400
    assert says in refused.value.response.body, refused.value.response.body
    assert len(fake_drive.files) == before  # nothing was uploaded


async def test_the_longest_name_kept_whole_is_taken(
    jp_fetch: Any, fake_drive: FakeDrive, jp_root_dir: Path
) -> None:
    await connect(jp_fetch, fake_drive)
    (jp_root_dir / "analysis.ipynb").write_text(NOTEBOOK)
    longest = "x" * 240 + ".txt"  # 244 bytes
    job = await call(
        jp_fetch, "save", method="POST", body={"path": "analysis.ipynb", "name": longest}
    )
    assert (await wait_job(jp_fetch, job))["state"] == "done"
    assert fake_drive.find(longest) is not None
