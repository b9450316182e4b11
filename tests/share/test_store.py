"""The link store: on disk owner-only, tokens only as hashes, survives restarts, loses nothing
to concurrent writers."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import stat
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from colab_ext.share import ShareLinkStore
from tests.share.conftest import write_notebook


def test_the_store_is_owner_only_and_keeps_no_token(tmp_path: Path) -> None:
    store = ShareLinkStore(tmp_path / "links" / "share.sqlite3")
    _, token = store.create("a.ipynb", include_outputs=True, expires_in_s=None)
    assert stat.S_IMODE(os.stat(store.path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(store.path.parent).st_mode) == 0o700
    for file in store.path.parent.iterdir():  # the database, its WAL and shared memory
        assert stat.S_IMODE(file.stat().st_mode) & 0o077 == 0, file
        assert token.encode() not in file.read_bytes()
    assert store.find(token) is not None
    assert store.find(token[:-1] + ("A" if token[-1] != "A" else "B")) is None


def test_concurrent_writers_lose_nothing(tmp_path: Path) -> None:
    # Two stores on one file (as two servers, or two threads of one) creating and revoking at once.
    path = tmp_path / "share.sqlite3"
    stores = [ShareLinkStore(path), ShareLinkStore(path)]
    made: list[tuple[str, str]] = []
    lock = threading.Lock()

    def create(store: ShareLinkStore, n: int) -> None:
        for i in range(n):
            link, token = store.create(f"nb{i}.ipynb", include_outputs=True, expires_in_s=None)
            with lock:
                made.append((link.id, token))

    threads = [threading.Thread(target=create, args=(stores[i % 2], 25)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(made) == 100 and len(stores[0].all()) == 100

    revoked = [link_id for link_id, _ in made[::2]]
    threads = [
        threading.Thread(
            target=lambda ids, s: [s.revoke(i) for i in ids], args=(revoked[k::4], stores[k % 2])
        )
        for k in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    by_id = {link.id: link for link in stores[1].all()}
    assert len(by_id) == 100
    assert {i for i, link in by_id.items() if link.revoked_at is not None} == set(revoked)
    for link_id, token in made:
        assert (stores[0].find(token) is None) == (link_id in revoked)


async def test_concurrent_requests_lose_nothing(
    notebook: Any, create_link: Any, jp_fetch: Any
) -> None:
    notebook("busy.ipynb")
    links = await asyncio.gather(*(create_link("busy.ipynb", label=str(i)) for i in range(30)))
    assert len({link["id"] for link in links}) == 30
    revoked = {link["id"] for link in links[::3]}
    more = asyncio.gather(*(create_link("busy.ipynb", label=f"late{i}") for i in range(10)))
    revoking = asyncio.gather(
        *(jp_fetch("colab", "share", "links", i, method="DELETE") for i in revoked)
    )
    await asyncio.gather(more, revoking)
    listed = json.loads((await jp_fetch("colab", "share", "links")).body)["links"]
    assert len(listed) == 40
    assert {link["id"] for link in listed if not link["active"]} == revoked


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def real_server(root: Path, data: Path, port: int, token: str) -> Iterator[str]:
    """A real ``jupyter server`` process with colab-ext, its own root and data dir."""
    env = {**os.environ, "JUPYTER_DATA_DIR": str(data), "JUPYTER_RUNTIME_DIR": str(data / "rt")}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyter_server",
            "--no-browser",
            "--allow-root",
            f"--port={port}",
            "--port-retries=0",
            f"--ServerApp.root_dir={root}",
            f"--IdentityProvider.token={token}",
            "--ServerApp.jpserver_extensions=colab_ext=True",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
                break
            except OSError:
                assert process.poll() is None, "the server exited"
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


def _status(url: str) -> int:
    try:
        return int(urllib.request.urlopen(url, timeout=10).status)
    except urllib.error.HTTPError as error:
        return error.code


def test_links_survive_a_server_restart(tmp_path: Path) -> None:
    root, data = tmp_path / "root", tmp_path / "data"
    root.mkdir()
    write_notebook(root, "kept.ipynb", marker="kept")
    port, token = _free_port(), "restart-test-token"
    with real_server(root, data, port, token) as base:

        def create(label: str) -> dict[str, Any]:
            request = urllib.request.Request(
                f"{base}/colab/share/links?token={token}",
                data=json.dumps({"path": "kept.ipynb", "label": label}).encode(),
                method="POST",
            )
            return dict(json.loads(urllib.request.urlopen(request, timeout=10).read()))

        kept, revoked = create("kept"), create("revoked")
        request = urllib.request.Request(
            f"{base}/colab/share/links/{revoked['id']}?token={token}", method="DELETE"
        )
        urllib.request.urlopen(request, timeout=10)
    with real_server(root, data, port, token) as base:
        page = kept["url"].replace(f"http://127.0.0.1:{port}", base)
        assert _status(page) == 200
        assert _status(revoked["url"]) == 404
        listed = json.loads(
            urllib.request.urlopen(f"{base}/colab/share/links?token={token}", timeout=10).read()
        )
        assert {link["label"]: link["active"] for link in listed["links"]} == {
            "kept": True,
            "revoked": False,
        }
