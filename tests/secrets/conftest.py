"""Secrets fixtures: kernels that import google.colab, and running code in them."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

import colab_ext

#: The google.colab package colab-ext gives its kernels.
KERNEL_SITE = Path(colab_ext.__file__).parent / "kernel_site"


@pytest.fixture(autouse=True)
def kernel_site(monkeypatch: pytest.MonkeyPatch) -> None:
    """Kernels started by the test server inherit its environment: make sure they see the
    package even where the server does not add it itself (a repeated entry is harmless)."""
    paths = [str(KERNEL_SITE), *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(paths))


async def run_code(
    jp_serverapp: Any,
    kernel_id: str,
    code: str,
    iopub: list[dict[str, Any]] | None = None,
    *,
    allow_stdin: bool = True,
    timeout: float = 180,
) -> tuple[str, str | None]:
    """Execute ``code`` in the kernel; its stdout and ``ename: evalue`` of its error, if any.
    Every IOPub message the cell sent is added to ``iopub`` when given. ``allow_stdin=False`` is
    a frontend that cannot ask the user anything (nbclient, papermill)."""
    kernel = jp_serverapp.kernel_manager.get_kernel(kernel_id)
    client = kernel.client()
    client.start_channels()
    try:
        await client.wait_for_ready(timeout=60)
        output: list[str] = []
        errors: list[str] = []

        def hook(message: dict[str, Any]) -> None:
            content = message["content"]
            if iopub is not None:
                iopub.append(message)
            if message["msg_type"] == "stream":
                output.append(content["text"])
            elif message["msg_type"] == "error":
                errors.append(f"{content['ename']}: {content['evalue']}")

        await client.execute_interactive(
            code, output_hook=hook, timeout=timeout, allow_stdin=allow_stdin
        )
        return "".join(output), (errors[0] if errors else None)
    finally:
        client.stop_channels()
