"""KernelDirectory against real kernels: notebooks, process trees, environments."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from typing import Any

import pytest

from colab_ext.core.errors import NotFound
from tests.sessions import notebook_session


def directory(jp_serverapp: Any) -> Any:
    return jp_serverapp.extension_manager.extension_apps["colab_ext"].pop().kernels


async def test_knows_the_notebook_and_pid(jp_serverapp: Any, jp_fetch: Any) -> None:
    async with notebook_session(jp_fetch, "lab/notebook.ipynb") as session:
        await _knows_the_notebook_and_pid(jp_serverapp, session["kernel"]["id"])


async def _knows_the_notebook_and_pid(jp_serverapp: Any, notebook_kernel: str) -> None:
    kernels = directory(jp_serverapp)
    facts = await kernels.get(notebook_kernel)
    assert facts.notebook_path == "lab/notebook.ipynb"
    assert facts.pid is not None
    assert facts.pid in kernels.process_tree(notebook_kernel)
    with open(f"/proc/{facts.pid}/cmdline", "rb") as cmdline:
        assert b"ipykernel" in cmdline.read()


async def test_a_child_process_maps_back_to_its_kernel(jp_serverapp: Any, jp_fetch: Any) -> None:
    async with notebook_session(jp_fetch, "lab/notebook.ipynb") as session:
        await _child_maps_back(jp_serverapp, session["kernel"]["id"])


async def _child_maps_back(jp_serverapp: Any, notebook_kernel: str) -> None:
    kernels = directory(jp_serverapp)
    kernel_pid = kernels.pid(notebook_kernel)
    # A grandchild of the kernel, as a GPU worker started by a notebook would be.
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        # Not under the kernel: no owner.
        assert kernels.kernel_of_pid(child.pid) is None
    finally:
        child.kill()
        child.wait()
    # Under the kernel (the kernel itself starts it): found, through its parents.
    kernel = jp_serverapp.kernel_manager.get_kernel(notebook_kernel)
    client = kernel.client()
    client.start_channels()
    try:
        await asyncio.wait_for(client._async_wait_for_ready(), 30)
        code = (
            "import subprocess, sys\n"
            "p = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(30)'])\n"
            "print(p.pid)"
        )
        reply = await client._async_execute_interactive(code, timeout=30, output_hook=_collect)
        assert reply["content"]["status"] == "ok"
        worker_pid = int(_collected.pop().strip())
        assert worker_pid in kernels.process_tree(notebook_kernel)
        assert kernels.kernel_of_pid(worker_pid) == notebook_kernel
        assert kernels.kernel_of_pid(os.getpid()) is None
        os.kill(worker_pid, 9)
    finally:
        client.stop_channels()
    assert kernel_pid is not None


_collected: list[str] = []


def _collect(message: dict[str, Any]) -> None:
    if message["msg_type"] == "stream":
        _collected.append(message["content"]["text"])


async def test_reads_the_kernel_environment(jp_serverapp: Any, jp_fetch: Any) -> None:
    async with notebook_session(jp_fetch, "lab/notebook.ipynb") as session:
        environment = directory(jp_serverapp).environment(session["kernel"]["id"])
        assert environment is not None
        assert environment["PATH"] == os.environ["PATH"]
        assert environment["JPY_SESSION_NAME"].endswith("lab/notebook.ipynb")


async def test_unknown_kernel(jp_serverapp: Any) -> None:
    kernels = directory(jp_serverapp)
    with pytest.raises(NotFound, match="no running kernel with id nope"):
        await kernels.get("nope")
    assert kernels.pid("nope") is None
    assert kernels.environment("nope") is None
    assert kernels.process_tree("nope") == set()
