"""A notebook written for Colab runs top to bottom, unedited, against the fake Drive:
``google.colab.drive``, ``/content``, ``%cd`` and ``!`` as Colab users write them."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import time
from pathlib import Path
from typing import Any

import nbformat
import pytest

from colab_ext.runtime.kernel_site import ContentLink
from tests.drive.conftest import connect
from tests.drive.fake_drive import FakeDrive
from tests.runtime.runtime_client import T4
from tests.secrets.conftest import run_code
from tests.sessions import notebook_session

NOTEBOOKS = Path(__file__).parent.parent / "notebooks"
CONTENT = Path("/content")

pytestmark = [
    pytest.mark.skipif(not os.path.exists("/dev/fuse"), reason="needs /dev/fuse"),
    pytest.mark.skipif(
        not os.access("/", os.W_OK), reason="making /content needs the right to write in /"
    ),
]


async def wait_for_content_link(root: Path, timeout: float = 120) -> None:
    """Another server on this machine (a browser test's) may hold /content for a while: wait until
    this server may take it (free, dangling, or left by a server that is gone)."""
    deadline = time.monotonic() + timeout
    while not ContentLink(root, CONTENT).replaceable():
        if not CONTENT.is_symlink():
            pytest.skip("/content is a real folder on this machine")
        if time.monotonic() > deadline:
            pytest.skip("/content stays taken by another running server")
        await asyncio.sleep(0.5)


async def test_a_colab_drive_notebook_runs_as_written(
    jp_fetch: Any, jp_serverapp: Any, fake_drive: FakeDrive, jp_root_dir: Path, nvml: Any
) -> None:
    nvml(gpus=[T4])
    await wait_for_content_link(jp_root_dir)
    await jp_serverapp.extension_manager.start_all_extensions()  # makes /content, writes the info
    assert os.path.realpath(CONTENT) == os.path.realpath(jp_root_dir)
    await connect(jp_fetch, fake_drive)
    folder = fake_drive.add_folder("colab-data")
    fake_drive.add_file("words.csv", b"word,count\nhello,3\nworld,4\n", parent=folder)
    shutil.copy(NOTEBOOKS / "colab_drive.ipynb", jp_root_dir / "colab_drive.ipynb")
    notebook = nbformat.read(jp_root_dir / "colab_drive.ipynb", as_version=4)

    outputs: list[str] = []
    async with notebook_session(jp_fetch, "colab_drive.ipynb") as session:
        kernel_id = session["kernel"]["id"]
        for cell in notebook.cells:
            if cell.cell_type != "code":
                continue
            out, error = await run_code(jp_serverapp, kernel_id, cell.source)
            assert error is None, f"{cell.source}\n---\n{out}\n{error}"
            outputs.append(out)

    gpu, mounted, listing, counts, results, again, unmounted = outputs
    assert gpu.strip() == "GPU: GPU-t4"  # the notebook's Colab metadata picked the GPU runtime
    assert mounted.strip() == "Mounted at /content/drive"
    assert listing.splitlines()[0] == os.path.realpath(jp_root_dir)  # %cd prints where it went
    assert "colab-data" in listing
    assert counts.strip() == "rows 2 total 7"
    assert results.strip() == "['metrics.json']"
    assert again.strip() == (
        "Drive already mounted at /content/drive; to attempt to forcibly remount, call "
        'drive.mount("/content/drive", force_remount=True).'
    )
    assert "should now be visible in Drive" in unmounted
    saved = fake_drive.find("metrics.json", parent=fake_drive.find("colab-results")["id"])
    assert saved and json.loads(fake_drive.content(saved["id"])) == {"rows": 2, "total": 7}
    assert (jp_root_dir / "scratch.txt").read_text() == "kept locally"  # /content is the root
    assert not os.path.ismount(jp_root_dir / "drive")

    await jp_serverapp.extension_manager.stop_all_extensions()
    assert not os.path.lexists(CONTENT)  # the server takes back the link it made


READONLY_AND_NOT_CONNECTED = """
from google.colab import drive
import errno
try:
    drive.mount({mountpoint!r})
except ValueError as error:
    print('ValueError:', error)
"""


async def test_read_only_mounts_and_a_clear_error_before_connecting(
    jp_fetch: Any, jp_serverapp: Any, fake_drive: FakeDrive, jp_root_dir: Path
) -> None:
    # Whether this server got /content (a link) or another server holds it (paths translated),
    # /content/drive is this server's root/drive for this kernel.
    await jp_serverapp.extension_manager.start_all_extensions()
    fake_drive.add_file("notes.txt", b"read me")
    async with notebook_session(jp_fetch, "plain.ipynb") as session:
        kernel_id = session["kernel"]["id"]
        code = READONLY_AND_NOT_CONNECTED.format(mountpoint="/content/drive")
        # A frontend that cannot ask the user (nbclient, papermill): the error at once. (A page
        # gets Colab's prompt instead: test_connect_prompt.py.)
        out, error = await run_code(jp_serverapp, kernel_id, code, allow_stdin=False)
        assert error is None, out + str(error)
        assert out.strip() == (
            "ValueError: mount failed: Google Drive is not connected to this Jupyter server yet. "
            "In JupyterLab, choose File > Google Drive > Connect to Google Drive…, then run this "
            "cell again."
        )

        await connect(jp_fetch, fake_drive)
        out, error = await run_code(
            jp_serverapp,
            kernel_id,
            (
                "drive.mount('/content/drive', readonly=True)\n"
                "%cd -q /content/drive/MyDrive\n"
                "print(open('notes.txt').read())\n"
                "try:\n"
                "    open('new.txt', 'w').write('no')\n"
                "except OSError as e:\n"
                "    print(errno.errorcode[e.errno])\n"
                "%cd -q /content\n"
            ),
        )
        assert error is None, out + str(error)
        assert out.strip().splitlines() == ["Mounted at /content/drive", "read me", "EROFS"], out
        assert os.path.ismount(jp_root_dir / "drive")
        out, error = await run_code(jp_serverapp, kernel_id, "drive.flush_and_unmount()")
        assert error is None and "should now be visible in Drive" in out, out + str(error)
        assert fake_drive.find("new.txt") is None
        assert not os.path.ismount(jp_root_dir / "drive")
