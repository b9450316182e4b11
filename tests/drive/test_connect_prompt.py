"""``drive.mount()`` before Drive is connected: the kernel asks the page (Colab's prompt) and waits
for the answer, against a real server, a real kernel and the fake Google."""

from __future__ import annotations

import asyncio
import os
import time
from pathlib import Path
from typing import Any

import pytest
from tornado.httpclient import HTTPClientError

from tests.drive.conftest import call, connect
from tests.drive.fake_drive import FakeDrive
from tests.secrets.conftest import run_code
from tests.sessions import notebook_session

CONNECT_MESSAGE = "colab_ext_drive_connect"


async def _asked(iopub: list[dict[str, Any]], state: str, timeout: float = 30) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for message in iopub:
            if message["msg_type"] == CONNECT_MESSAGE and message["content"]["state"] == state:
                return dict(message["content"])
        await asyncio.sleep(0.05)
    raise AssertionError(f"no {state} {CONNECT_MESSAGE} message")


async def test_declining_fails_the_mount_as_colab_does(
    jp_fetch: Any, jp_serverapp: Any, fake_drive: FakeDrive, jp_root_dir: Path
) -> None:
    await jp_serverapp.extension_manager.start_all_extensions()
    (jp_root_dir / "content").mkdir()
    iopub: list[dict[str, Any]] = []
    async with notebook_session(jp_fetch, "colab.ipynb") as session:
        code = f"from google.colab import drive\ndrive.mount('{jp_root_dir}/content/drive')"
        run = asyncio.ensure_future(run_code(jp_serverapp, session["kernel"]["id"], code, iopub))
        request = await _asked(iopub, "open")
        assert request["mountpoint"] == f"{jp_root_dir}/content/drive"
        assert not run.done()  # it waits for the answer
        answer = await call(
            jp_fetch, "connect-requests", request["id"], "decline", method="POST", body={}
        )
        assert answer == {"declined": True}
        out, error = await asyncio.wait_for(run, 60)
    assert error == "ValueError: mount failed: credential propagation was unsuccessful"
    assert "connect it in the dialog in JupyterLab" in out
    closed = await _asked(iopub, "closed")
    assert closed["id"] == request["id"]  # the page takes the prompt away
    # Every message went out under the cell, so only the page that ran it shows the prompt.
    for message in iopub:
        if message["msg_type"] == CONNECT_MESSAGE:
            assert message["parent_header"]["msg_type"] == "execute_request"


async def test_a_request_id_is_what_a_kernel_makes(jp_fetch: Any) -> None:
    with pytest.raises(HTTPClientError) as refused:
        await call(jp_fetch, "connect-requests", "not-an-id", "decline", method="POST", body={})
    assert refused.value.code == 400


@pytest.mark.skipif(not os.path.exists("/dev/fuse"), reason="needs /dev/fuse")
async def test_connecting_in_the_page_lets_the_waiting_mount_go_on(
    jp_fetch: Any, jp_serverapp: Any, fake_drive: FakeDrive, jp_root_dir: Path
) -> None:
    await jp_serverapp.extension_manager.start_all_extensions()
    fake_drive.add_file("data.csv", b"a,b\n")
    (jp_root_dir / "content").mkdir()
    mountpoint = f"{jp_root_dir}/content/drive"
    iopub: list[dict[str, Any]] = []
    async with notebook_session(jp_fetch, "colab.ipynb") as session:
        kernel_id = session["kernel"]["id"]
        code = (
            "from google.colab import drive\n"
            f"drive.mount('{mountpoint}')\n"
            f"print(__import__('os').listdir('{mountpoint}/MyDrive'))"
        )
        run = asyncio.ensure_future(run_code(jp_serverapp, kernel_id, code, iopub))
        await _asked(iopub, "open")
        await connect(jp_fetch, fake_drive)  # the user's "Connect to Google Drive"
        out, error = await asyncio.wait_for(run, 90)
        assert error is None, out
        assert f"Mounted at {mountpoint}" in out and "['data.csv']" in out
        await _asked(iopub, "closed")
        out, error = await run_code(jp_serverapp, kernel_id, "drive.flush_and_unmount()")
        assert error is None, out
