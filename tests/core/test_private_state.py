"""What the server leaves on disk: an owner-only data folder, and a server file (it holds the
server's token) only while the server is really up."""

from __future__ import annotations

import json
import os
import signal
import socket
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(params=["new", "left-open-by-an-older-version"])
def data_folder(request: pytest.FixtureRequest, jp_data_dir: Path) -> Path:
    folder = jp_data_dir / "colab_ext"
    if request.param != "new":
        (folder / "drive").mkdir(parents=True, mode=0o755)
        os.chmod(folder, 0o755)
        os.chmod(folder / "drive", 0o755)
    return folder


@pytest.fixture
def jp_server_config(data_folder: Path, jp_server_config: dict[str, Any]) -> dict[str, Any]:
    return jp_server_config  # after data_folder: the folder is as the test wants it first


async def test_the_data_folder_is_owner_only(data_folder: Path, jp_serverapp: Any) -> None:
    assert Path(jp_serverapp.data_dir) == data_folder.parent
    for folder in (data_folder, data_folder / "drive"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder


def _server_files(runtime: Path) -> list[str]:
    return sorted(p.name for p in runtime.glob("colab-ext-server-*.json"))


@pytest.fixture
def server_env(tmp_path: Path) -> Iterator[tuple[dict[str, str], Path]]:
    """A private Jupyter home for a server run as a separate process."""
    env = dict(os.environ)
    for name in ("config", "data", "runtime", "root"):
        (tmp_path / name).mkdir()
    env.update(
        JUPYTER_CONFIG_DIR=str(tmp_path / "config"),
        JUPYTER_DATA_DIR=str(tmp_path / "data"),
        JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"),
        JUPYTER_PLATFORM_DIRS="0",
    )
    config = {"ServerApp": {"jpserver_extensions": {"colab_ext": True}}}
    (tmp_path / "config" / "jupyter_server_config.json").write_text(json.dumps(config))
    yield env, tmp_path


def _server(env: dict[str, str], root: Path, port: int) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyter_server",
            "--no-browser",
            "--allow-root",
            f"--ServerApp.root_dir={root}",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={port}",
            "--ServerApp.port_retries=0",
            "--IdentityProvider.token=secret-token",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def test_a_server_that_cannot_listen_leaves_no_server_file(
    server_env: tuple[dict[str, str], Path],
) -> None:
    env, home = server_env
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        process = _server(env, home / "root", busy.getsockname()[1])
        output, _ = process.communicate(timeout=120)
    assert process.returncode != 0
    assert b"colab_ext | extension was successfully loaded" in output, output.decode()
    assert b"is not available" in output, output.decode()
    assert _server_files(home / "runtime") == []


def test_a_running_server_has_its_file_until_it_stops(
    server_env: tuple[dict[str, str], Path],
) -> None:
    env, home = server_env
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = _server(env, home / "root", port)
    try:
        deadline = time.monotonic() + 120
        while not _server_files(home / "runtime"):
            assert process.poll() is None, process.communicate()[0].decode()
            assert time.monotonic() < deadline, "the server file never appeared"
            time.sleep(0.2)
        (name,) = _server_files(home / "runtime")
        info = json.loads((home / "runtime" / name).read_text())
        assert info["url"] == f"http://127.0.0.1:{port}/" and info["token"] == "secret-token"
        with socket.create_connection(("127.0.0.1", port), timeout=5):
            pass  # it is listening
    finally:
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=60)
    assert _server_files(home / "runtime") == []
