"""``from google.colab import files; files.download(...)`` / ``files.view(...)`` in a real kernel:
the page is asked on IOPub with the file's path under the server root, and Colab's errors."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from tests.secrets.conftest import run_code
from tests.sessions import notebook_session

REQUEST = "colab_ext_files_request"


async def requests_of(
    jp_serverapp: Any, kernel_id: str, code: str
) -> tuple[list[dict[str, Any]], str, str | None]:
    """What the cell asked the page (each with its parent's msg_id), its stdout and error."""
    messages: list[dict[str, Any]] = []
    out, error = await run_code(jp_serverapp, kernel_id, code, iopub=messages)
    cell = next(m for m in messages if m["msg_type"] == "execute_input")["parent_header"]
    asked = []
    for message in messages:
        if message["msg_type"] == REQUEST:
            assert message["parent_header"]["msg_id"] == cell["msg_id"]  # under the cell
            asked.append(message["content"])
    return asked, out, error


async def test_download_and_view_name_the_file_under_the_root(
    jp_serverapp: Any, jp_fetch: Any, jp_root_dir: Path
) -> None:
    (jp_root_dir / "data").mkdir()
    (jp_root_dir / "data" / "x.csv").write_text("a,b\n1,2\n")
    root = os.path.realpath(jp_root_dir)
    async with notebook_session(jp_fetch, "nb.ipynb") as session:
        kernel_id = session["kernel"]["id"]
        asked, out, error = await requests_of(
            jp_serverapp,
            kernel_id,
            "from google.colab import files\n"
            "files.download('data/x.csv')\n"
            f"files.download({root + '/data/x.csv'!r})\n"
            "files.download('/content/data/x.csv')\n"
            "%cd -q data\n"
            "files.download('x.csv')\n"
            "files.view('x.csv')\n"
            "files.view('/content/data')\n",
        )
        assert error is None, out + str(error)
        assert out == ""  # as quiet as Colab
        download = {"action": "download", "path": "data/x.csv", "name": "x.csv"}
        assert asked == [
            {**download, "kind": "file", "size": 8},
            {**download, "kind": "file", "size": 8},
            {**download, "kind": "file", "size": 8},
            {**download, "kind": "file", "size": 8},
            {"action": "view", "path": "data/x.csv", "name": "x.csv", "kind": "file", "size": 8},
            {"action": "view", "path": "data", "name": "data", "kind": "directory", "size": None},
        ]


async def test_colab_errors_and_what_is_not_there_yet(
    jp_serverapp: Any, jp_fetch: Any, jp_root_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    outside = tmp_path_factory.mktemp("outside") / "secret.csv"
    outside.write_text("x")
    (jp_root_dir / "folder").mkdir()
    async with notebook_session(jp_fetch, "nb.ipynb") as session:
        kernel_id = session["kernel"]["id"]
        run = "from google.colab import files\n"
        asked, _, error = await requests_of(
            jp_serverapp, kernel_id, run + "files.download('nope.csv')"
        )
        assert error == "FileNotFoundError: Cannot find file: nope.csv" and asked == []
        _, _, error = await requests_of(jp_serverapp, kernel_id, run + "files.view('nope.csv')")
        assert error == "FileNotFoundError: Cannot find file: nope.csv"

        asked, _, error = await requests_of(
            jp_serverapp, kernel_id, run + f"files.download({str(outside)!r})"
        )
        assert asked == [] and error is not None
        assert error.startswith(f"FileOutsideServerRootError: Cannot download {outside}: only")
        assert os.path.realpath(jp_root_dir) in error and "shutil.copy" in error
        _, _, error = await requests_of(jp_serverapp, kernel_id, run + f"files.view('{outside}')")
        assert error and error.startswith(f"FileOutsideServerRootError: Cannot view {outside}")

        _, _, error = await requests_of(jp_serverapp, kernel_id, run + "files.download('folder')")
        assert error and error.startswith("IsADirectoryError: Cannot download folder: it is a")

        out, error = await run_code(
            jp_serverapp,
            kernel_id,
            "from google.colab import UnsupportedInColabExt, files\n"
            "try:\n"
            "    files.upload_file('x.csv')\n"
            "except ImportError as e:\n"
            "    print(type(e).__name__, isinstance(e, UnsupportedInColabExt), '|', e)\n"
            "from google.colab.files import download, view\n",
        )
        assert error is None, out + str(error)
        assert out.startswith("UnsupportedInColabExt True | google.colab.files.upload_file is not")
        assert "file browser" in out and "google.colab.files" in out
