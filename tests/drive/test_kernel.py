"""Kernel code mounts Drive as in Colab: ``drive.mount(...)`` and ``drive.flush_and_unmount()``."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from tests.drive.conftest import connect
from tests.drive.fake_drive import FakeDrive
from tests.secrets.conftest import run_code
from tests.sessions import notebook_session

pytestmark = pytest.mark.skipif(not os.path.exists("/dev/fuse"), reason="needs /dev/fuse")


async def test_a_kernel_mounts_reads_writes_and_unmounts(
    jp_fetch: Any, jp_serverapp: Any, fake_drive: FakeDrive, jp_root_dir: Path
) -> None:
    # What ServerApp.start does once it listens: kernels find the server through the file
    # colab-ext then writes.
    await jp_serverapp.extension_manager.start_all_extensions()
    await connect(jp_fetch, fake_drive)
    fake_drive.add_file("data.csv", b"a,b\n1,2\n")
    content = jp_root_dir / "content"  # a mountpoint is always inside the server root
    content.mkdir()
    async with notebook_session(jp_fetch, "colab.ipynb") as session:
        kernel_id = session["kernel"]["id"]
        out, error = await run_code(
            jp_serverapp,
            kernel_id,
            (
                "from colab_ext import drive\n"
                f"drive.mount('{content}/drive')\n"
                "import os\n"
                f"print(sorted(os.listdir('{content}/drive/MyDrive')))\n"
                f"print(open('{content}/drive/MyDrive/data.csv').read())\n"
                f"open('{content}/drive/MyDrive/result.txt', 'w').write('from the kernel')\n"
                f"drive.mount('{content}/drive')\n"
            ),
        )
        assert error is None, out + str(error)
        assert f"Mounted at {content}/drive" in out
        assert "['data.csv']" in out and "a,b\n1,2" in out
        assert "Drive already mounted at" in out and "force_remount=True" in out

        out, error = await run_code(jp_serverapp, kernel_id, "drive.flush_and_unmount()")
        assert error is None, str(error)
        assert "should now be visible in Drive" in out
        result = fake_drive.find("result.txt")
        assert result and fake_drive.content(result["id"]) == b"from the kernel"
        assert not os.path.ismount(content / "drive")

        out, error = await run_code(
            jp_serverapp,
            kernel_id,
            (
                "drive.flush_and_unmount()\n"
                f"open('{content}/busy', 'w').close()\n"
                "try:\n"
                f"    drive.mount('{content}/busy/x')\n"
                "except ValueError as e:\n"
                "    print('ValueError:', e)\n"
                "drive.mount('/no/such/parent/drive')\n"
            ),
        )
        assert "Drive not mounted, so nothing to flush and unmount." in out
        assert "ValueError: Mountpoint must be in a directory that exists" in out
        assert error == "ValueError: Mountpoint must be in a directory that exists"
