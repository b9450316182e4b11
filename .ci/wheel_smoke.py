"""Open JupyterLab served from the wheel-only venv and use Runtime > About this runtime.

Usage: python .ci/wheel_smoke.py <jupyter executable of the wheel venv>
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

from playwright.sync_api import expect, sync_playwright


def main(jupyter: str) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    root = tempfile.mkdtemp(prefix="colab-wheel-")
    server = subprocess.Popen(
        [
            jupyter,
            "lab",
            "--no-browser",
            f"--port={port}",
            "--IdentityProvider.token=",
            "--ServerApp.password=",
            "--ServerApp.allow_root=True",
            f"--ServerApp.root_dir={root}",
        ],
        env={"PATH": os.path.dirname(jupyter), "HOME": root},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/status", timeout=1)
                break
            except OSError:
                time.sleep(0.5)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
                args=[
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--no-first-run",
                    "--disable-background-networking",
                    "--disable-component-update",
                ],
            )
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{port}/lab")
            page.get_by_role("menuitem", name="Runtime").click(timeout=60_000)
            page.get_by_text("About this runtime", exact=True).click()
            python = page.locator('.jp-colab-AboutRuntime [data-fact="python_version"]')
            expect(python).not_to_be_empty(timeout=30_000)
            print(f"wheel smoke: About this runtime shows Python {python.inner_text()}")
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main(sys.argv[1])
