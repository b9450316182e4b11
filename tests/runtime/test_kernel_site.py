"""Every Python kernel the server starts can ``import google.colab``, and nothing in its
environment makes it believe it runs in Colab."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from colab_ext.runtime.kernel_site import (
    KERNEL_SITE,
    ContentLink,
    content_folder,
    kernel_environment,
)
from colab_ext.runtime.types import marked_type
from tests.runtime.runtime_client import H100, proc_environ, switch
from tests.secrets.conftest import run_code
from tests.sessions import notebook_session

COLAB_NOTEBOOK = {"accelerator": "GPU", "colab": {"gpuType": "T4", "provenance": []}}


def write_notebook(root: Path, name: str, metadata: dict[str, Any]) -> str:
    notebook = {"cells": [], "metadata": metadata, "nbformat": 4, "nbformat_minor": 5}
    (root / name).write_text(json.dumps(notebook))
    return name


@pytest.fixture
def server_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A server started with its own PYTHONPATH and a colab-ext setting in its environment."""
    own = tmp_path / "own-site"
    own.mkdir()
    monkeypatch.setenv("PYTHONPATH", str(own))
    monkeypatch.setenv("COLAB_EXT_GITHUB_API_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("COLAB_EXT_SERVER_URL", "http://127.0.0.1:9/override")
    return own


async def test_every_start_gets_the_shim_and_no_colab_variable(
    jp_serverapp: Any, jp_fetch: Any, jp_root_dir: Path, nvml: Any, server_env: Path
) -> None:
    nvml(gpus=[H100])
    path = write_notebook(jp_root_dir, "colab.ipynb", COLAB_NOTEBOOK)
    async with notebook_session(jp_fetch, path) as session:
        kernel_id = session["kernel"]["id"]
        env = proc_environ(jp_serverapp, kernel_id)
        assert env["PYTHONPATH"] == os.pathsep.join([str(KERNEL_SITE), str(server_env)])
        assert env["JPY_COLAB_EXT_RUNTIME_TYPE"] == "gpu"
        assert env["JPY_COLAB_EXT_SERVER_INFO"].endswith(f"colab-ext-server-{os.getpid()}.json")
        assert env["JPY_COLAB_EXT_CONTENT_DIR"] == os.path.realpath(jp_root_dir)
        assert env["JPY_COLAB_EXT_ROOT_DIR"] == os.path.realpath(jp_root_dir)
        # A user's override for kernels is kept under its new name.
        assert env["JPY_COLAB_EXT_SERVER_URL"] == "http://127.0.0.1:9/override"
        assert not [name for name in env if name.startswith("COLAB_")]
        # What notebooks test to tell whether they run in Colab, from inside the kernel.
        out, error = await run_code(
            jp_serverapp,
            kernel_id,
            "import os\nprint([k for k in os.environ if k.startswith('COLAB_')])",
        )
        assert error is None and out.strip() == "[]", out + str(error)

        # A runtime-type switch (a new kernel) and a restart (the same launch arguments).
        await switch(jp_fetch, kernel_id, "cpu")
        await jp_fetch("api", "kernels", kernel_id, "restart", method="POST", body="{}")
        env = proc_environ(jp_serverapp, kernel_id)
        assert env["JPY_COLAB_EXT_RUNTIME_TYPE"] == "cpu"
        assert env["PYTHONPATH"] == os.pathsep.join([str(KERNEL_SITE), str(server_env)])

    # A kernel started without a notebook or a runtime type.
    response = await jp_fetch("api", "kernels", method="POST", body="{}")
    kernel_id = json.loads(response.body)["id"]
    try:
        env = proc_environ(jp_serverapp, kernel_id)
        assert env["PYTHONPATH"].split(os.pathsep)[0] == str(KERNEL_SITE)
        assert "JPY_COLAB_EXT_RUNTIME_TYPE" not in env
    finally:
        await jp_fetch("api", "kernels", kernel_id, method="DELETE")


async def test_google_colab_lives_beside_the_other_google_packages(
    jp_serverapp: Any, jp_fetch: Any
) -> None:
    async with notebook_session(jp_fetch, "plain.ipynb") as session:
        out, error = await run_code(
            jp_serverapp,
            session["kernel"]["id"],
            (
                "import google.colab, google.auth, google.oauth2.credentials, googleapiclient\n"
                "from google.colab import drive\n"
                "print(drive.mount.__module__, callable(drive.flush_and_unmount))\n"
                "import inspect\n"
                "print(inspect.signature(drive.mount))\n"
                "print(google.auth.__name__, googleapiclient.__name__)\n"
            ),
        )
    assert error is None, out + str(error)
    assert "google.colab.drive True" in out
    assert (
        "(mountpoint: 'str', force_remount: 'bool' = False, timeout_ms: 'int' = 120000, "
        "readonly: 'bool' = False) -> 'None'" in out
    )
    assert "google.auth googleapiclient" in out


UNSUPPORTED = """
from google.colab import drive, files, output
import google.colab
for use in (
    lambda: files.upload_file('x.csv'),
    lambda: output.serve_kernel_port_as_window(8000),
    lambda: google.colab.sheets.InteractiveSheet,
    lambda: google.colab.not_a_module,
):
    try:
        use()
    except NotImplementedError as error:
        print(type(error).__name__, isinstance(error, ImportError), '|', error)
try:
    from google.colab.patches import cv2_imshow
except ImportError as error:
    print('ImportError |', error)
"""


async def test_what_colab_has_and_we_do_not_says_so(jp_serverapp: Any, jp_fetch: Any) -> None:
    async with notebook_session(jp_fetch, "plain.ipynb") as session:
        out, error = await run_code(jp_serverapp, session["kernel"]["id"], UNSUPPORTED)
    assert error is None, out + str(error)
    lines = out.strip().splitlines()
    assert len(lines) == 5, out
    assert all("not available in colab-ext" in line for line in lines), out
    assert all("It provides google.colab.drive" in line for line in lines), out
    assert lines[0].startswith("UnsupportedInColabExt True | google.colab.files.upload_file is not")
    assert "file browser" in lines[0]
    assert "google.colab.output.serve_kernel_port_as_window" in lines[1]
    assert (
        "google.colab.sheets.InteractiveSheet" in lines[2]
        and "google.colab.not_a_module" in lines[3]
    )
    assert lines[4].startswith("ImportError | google.colab.patches.cv2_imshow")


async def test_cd_content_is_translated_where_there_is_no_content_link(
    jp_serverapp: Any, jp_fetch: Any, jp_root_dir: Path
) -> None:
    # The server's start (which would make /content a link) is not run here, so unless another
    # server on this machine made /content, kernels translate /content themselves.
    if os.path.realpath("/content") == os.path.realpath(jp_root_dir):
        pytest.skip("/content already leads to this root")
    (jp_root_dir / "data").mkdir()
    async with notebook_session(jp_fetch, "plain.ipynb") as session:
        out, error = await run_code(
            jp_serverapp,
            session["kernel"]["id"],
            (
                "import os, google.colab\n"
                "%cd -q /content\n"
                "print(os.getcwd())\n"
                "%cd /content/data\n"
                "print(os.getcwd())\n"
            ),
        )
    assert error is None, out + str(error)
    root = os.path.realpath(jp_root_dir)
    assert out.strip().splitlines()[0] == root
    assert out.strip().splitlines()[-1] == os.path.join(root, "data")


def test_the_content_link_never_replaces_what_is_not_ours(tmp_path: Path) -> None:
    target, link, runtime = tmp_path / "root", tmp_path / "content", tmp_path / "runtime"
    made = ContentLink(target, link, runtime)
    made.ensure()
    assert link.is_symlink() and made.points_here() and made.made
    assert made.owner() == os.getpid()
    # A live server's link (this one's, seen by a second server), another link to an existing
    # folder (the admin's), a real folder and a file all stay as they are.
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    second = ContentLink(elsewhere, link, tmp_path / "runtime-2")
    second.ensure()
    assert made.points_here() and not second.made
    link.unlink()
    for make, undo in (
        (lambda: link.symlink_to(tmp_path / "runtime"), link.unlink),
        (link.mkdir, link.rmdir),
        (lambda: link.write_text("x"), link.unlink),
    ):
        make()
        other = ContentLink(elsewhere, link, tmp_path / "runtime-2")
        other.ensure()
        assert os.path.lexists(link) and not other.points_here() and not other.made
        undo()
    # A dangling link, and the link of a colab-ext server that was killed, are replaced.
    link.symlink_to(tmp_path / "gone")
    third = ContentLink(target, link, runtime)
    third.ensure()
    assert third.points_here() and third.made
    gone = subprocess.Popen(["true"])
    gone.wait()
    hop = runtime / f"colab-ext-content-{gone.pid}"
    hop.symlink_to(elsewhere)
    link.unlink()
    link.symlink_to(hop)
    assert ContentLink(target, link, runtime).owner() == gone.pid
    fourth = ContentLink(target, link, runtime)
    fourth.ensure()
    assert fourth.points_here() and fourth.made


async def test_the_content_link_is_removed_on_stop(tmp_path: Path) -> None:
    link = ContentLink(tmp_path / "root", tmp_path / "content", tmp_path / "runtime")
    link.ensure()
    assert link.points_here()
    await link.remove()
    assert not os.path.lexists(tmp_path / "content")
    assert list((tmp_path / "runtime").iterdir()) == []
    assert (tmp_path / "root").is_dir()  # the folder itself stays


def test_the_old_type_variable_is_still_read() -> None:
    assert marked_type({"COLAB_EXT_RUNTIME_TYPE": "gpu"}) == "gpu"
    assert (
        marked_type({"JPY_COLAB_EXT_RUNTIME_TYPE": "cpu", "COLAB_EXT_RUNTIME_TYPE": "x"}) == "cpu"
    )
    assert marked_type({}) is None


def test_the_content_folder_is_the_root_unless_the_admin_names_one(tmp_path: Path) -> None:
    root = os.path.realpath(tmp_path)
    assert str(content_folder(str(tmp_path), "")) == root
    assert str(content_folder(str(tmp_path), "content")) == os.path.join(root, "content")
    assert str(content_folder(str(tmp_path), "/srv/colab")) == os.path.realpath("/srv/colab")


def test_only_python_kernels_get_the_shim_on_their_path() -> None:
    server = {"PYTHONPATH": "/opt/lib", "COLAB_EXT_GITHUB_API_URL": "x", "HOME": "/root"}
    r_kernel = kernel_environment(server, python=False, content_dir=None)
    assert r_kernel["PYTHONPATH"] == "/opt/lib" and r_kernel["HOME"] == "/root"
    assert (
        "COLAB_EXT_GITHUB_API_URL" not in r_kernel and "JPY_COLAB_EXT_CONTENT_DIR" not in r_kernel
    )
    # Applied again (a switch builds on the previous launch environment): the shim once, first.
    python = kernel_environment(server, python=True, content_dir=Path("/srv"))
    again = kernel_environment(python, python=True, content_dir=Path("/srv"))
    assert again["PYTHONPATH"] == os.pathsep.join([str(KERNEL_SITE), "/opt/lib"])
