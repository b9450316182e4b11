"""``files.upload(target_dir)`` in a real kernel started by the server: the page is asked on IOPub
under the cell, writes the chosen files through the server's contents API in chunks (here this
test does, with the file browser's protocol), answers on stdin, and the kernel returns them."""

from __future__ import annotations

import asyncio
import base64
import json
import os
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from tests.secrets.conftest import run_code
from tests.sessions import notebook_session

REQUEST = "colab_ext_files_upload"
#: The file browser's chunk size.
CHUNK = 1024 * 1024

#: What the test's page does with a request: its answer's ``data`` (or ``error``), or None.
Page = Callable[[dict[str, Any]], Awaitable[dict[str, Any] | None]]


async def put_file(jp_fetch: Any, path: str, data: bytes) -> None:
    """Write ``data`` at ``path`` as JupyterLab's file browser uploads: base64, in 1 MiB chunks
    numbered from 1, the last one -1 (one plain save when it fits in one)."""
    name = path.rsplit("/", 1)[-1]
    starts = list(range(0, len(data), CHUNK)) or [0]
    for start in starts:
        model: dict[str, Any] = {
            "type": "file",
            "format": "base64",
            "name": name,
            "content": base64.b64encode(data[start : start + CHUNK]).decode(),
        }
        if len(starts) > 1:
            model["chunk"] = -1 if start == starts[-1] else start // CHUNK + 1
        await jp_fetch("api", "contents", *path.split("/"), method="PUT", body=json.dumps(model))


async def run_with_page(
    jp_serverapp: Any, kernel_id: str, code: str, page: Page, *, allow_stdin: bool = True
) -> tuple[str, str, str | None, list[dict[str, Any]]]:
    """Run ``code``; answer each upload request as ``page`` says. Stdout, stderr, the error, and
    the requests (each checked to be under the cell)."""
    client = jp_serverapp.kernel_manager.get_kernel(kernel_id).client()
    client.start_channels()
    out: list[str] = []
    err: list[str] = []
    errors: list[str] = []
    requests: list[dict[str, Any]] = []
    try:
        await client.wait_for_ready(timeout=60)
        cell = client.execute(code, allow_stdin=allow_stdin)
        while True:
            message = await asyncio.wait_for(client.get_iopub_msg(), 120)
            if message["parent_header"].get("msg_id") != cell:
                continue
            kind, content = message["msg_type"], message["content"]
            if kind == "stream":
                (out if content["name"] == "stdout" else err).append(content["text"])
            elif kind == "error":
                errors.append(f"{content['ename']}: {content['evalue']}")
            elif kind == REQUEST:
                requests.append(content)
                reply = await page(content)
                if reply is not None:
                    value = {"type": "colab_reply", "colab_msg_id": content["id"], **reply}
                    client.input(json.dumps(value))
            elif kind == "status" and content["execution_state"] == "idle":
                break
    finally:
        client.stop_channels()
    return "".join(out), "".join(err), (errors[0] if errors else None), requests


async def test_upload_returns_the_files_the_page_wrote_with_colabs_lines(
    jp_serverapp: Any, jp_fetch: Any, jp_root_dir: Path
) -> None:
    big = os.urandom(2 * CHUNK + 12345)  # three chunks
    (jp_root_dir / "notes.txt").write_text("already here")

    async def page(request: dict[str, Any]) -> dict[str, Any]:
        folder = request["dir"] + "/" if request["dir"] else ""
        await put_file(jp_fetch, folder + "big.bin", big)
        await put_file(jp_fetch, folder + "notes (1).txt", b"hello")
        files = [
            {"name": "big.bin", "saved": "big.bin"},
            {"name": "notes.txt", "saved": "notes (1).txt"},
        ]
        return {"data": {"files": files, "errors": [{"name": ".env", "error": "hidden"}]}}

    async with notebook_session(jp_fetch, "nb.ipynb") as session:
        kernel_id = session["kernel"]["id"]
        show = "print({k: (len(v), v[:5]) for k, v in up.items() if k != 'big.bin'}, "
        show += "len(up['big.bin']))\n"
        out, err, error, requests = await run_with_page(
            jp_serverapp,
            kernel_id,
            "from google.colab import files\nup = files.upload()\n" + show,
            page,
        )
        assert error is None, out + err + str(error)
        assert [(r["dir"], r["multiple"]) for r in requests] == [("", True)]
        assert out.splitlines() == [
            "Saving big.bin to big.bin",
            "Saving notes.txt to notes (1).txt",
            f"{{'notes.txt': (5, b'hello')}} {len(big)}",
        ]
        assert err == "Could not upload .env: hidden\n"
        assert (jp_root_dir / "big.bin").read_bytes() == big
        assert (jp_root_dir / "notes.txt").read_text() == "already here"

        # A target folder, relative to the kernel's folder or under /content, is made if missing.
        out, _, error, requests = await run_with_page(
            jp_serverapp,
            kernel_id,
            "import os; os.makedirs('work', exist_ok=True); os.chdir('work')\n"
            "up = files.upload('in/new')\n"
            "up2 = files.upload('/content/other')\n"
            "print(sorted(up), up2['x.csv'])\n",
            page_writing({"x.csv": b"a,b\n"}, jp_fetch),
        )
        assert error is None, out + str(error)
        assert [r["dir"] for r in requests] == ["work/in/new", "other"]
        assert out.splitlines() == [
            "Saving x.csv to in/new/x.csv",
            "Saving x.csv to /content/other/x.csv",
            "['x.csv'] b'a,b\\n'",
        ]
        assert (jp_root_dir / "work" / "in" / "new" / "x.csv").read_bytes() == b"a,b\n"


def page_writing(files: dict[str, bytes], jp_fetch: Any) -> Page:
    """A page whose user picks ``files``, each saved under its own name."""

    async def page(request: dict[str, Any]) -> dict[str, Any]:
        for name, data in files.items():
            await put_file(jp_fetch, f"{request['dir']}/{name}".lstrip("/"), data)
        return {"data": {"files": [{"name": n, "saved": n} for n in files], "errors": []}}

    return page


async def test_cancel_returns_nothing_and_what_the_page_cannot_do_is_an_error(
    jp_serverapp: Any, jp_fetch: Any
) -> None:
    async def cancel(request: dict[str, Any]) -> dict[str, Any]:
        return {"data": {"files": [], "errors": [], "cancelled": True}}

    async def fail(request: dict[str, Any]) -> dict[str, Any]:
        return {"error": "no cell to show the upload widget in"}

    async with notebook_session(jp_fetch, "nb.ipynb") as session:
        kernel_id = session["kernel"]["id"]
        out, err, error, requests = await run_with_page(
            jp_serverapp, kernel_id, "from google.colab import files\nprint(files.upload())", cancel
        )
        assert (out, err, error, len(requests)) == ("{}\n", "", None, 1)  # as Colab's Cancel
        _, _, error, _ = await run_with_page(jp_serverapp, kernel_id, "files.upload()", fail)
        assert (
            error == "RuntimeError: google.colab.files.upload: no cell to show the upload widget in"
        )


async def test_outside_the_root_and_headless_fail_at_once(
    jp_serverapp: Any, jp_fetch: Any, tmp_path_factory: pytest.TempPathFactory
) -> None:
    outside = tmp_path_factory.mktemp("outside") / "up"

    async def never(request: dict[str, Any]) -> None:
        raise AssertionError("nothing may be asked of the page")

    async with notebook_session(jp_fetch, "nb.ipynb") as session:
        kernel_id = session["kernel"]["id"]
        _, _, error, _ = await run_with_page(
            jp_serverapp,
            kernel_id,
            f"from google.colab import files\nfiles.upload({str(outside)!r})",
            never,
        )
        assert error and error.startswith(
            f"FileOutsideServerRootError: Cannot upload to {outside}:"
        )
        assert "files.upload('uploads')" in error and not outside.exists()
        _, _, error, _ = await run_with_page(
            jp_serverapp, kernel_id, "files.upload('later')", never, allow_stdin=False
        )
        assert error and error.startswith("RuntimeError: google.colab.files.upload needs a person")
        out, error = await run_code(
            jp_serverapp, kernel_id, "import os; print(os.path.exists('later'))"
        )
        assert (out, error) == ("False\n", None)
