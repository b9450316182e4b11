"""Start JupyterLab from a venv that holds only JupyterLab and colab-ext's wheel, and check it as a
user meets it: a colab route answers 200, Runtime > About this runtime works in Chromium, and with
the server half turned off (`jupyter server extension disable colab_ext`) the page says so once,
with no resources item left saying "no answer".

Usage: python .ci/wheel_smoke.py <jupyter executable of the wheel venv> [--route-only]
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager

from playwright.sync_api import Page, expect, sync_playwright

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
]


@contextmanager
def lab(jupyter: str, home: str, token: str) -> Iterator[str]:
    """A JupyterLab served from the wheel venv alone; yields its base URL."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    root = tempfile.mkdtemp(prefix="colab-wheel-root-")
    server = subprocess.Popen(
        [
            jupyter,
            "lab",
            "--no-browser",
            f"--port={port}",
            "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={token}",
            "--ServerApp.allow_root=True",
            f"--ServerApp.root_dir={root}",
        ],
        env={"PATH": os.path.dirname(jupyter), "HOME": home},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=1)
                break
            except OSError:
                time.sleep(0.5)
        else:
            raise SystemExit("JupyterLab from the wheel did not start within 60 s")
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


def route_status(base: str, token: str) -> int:
    request = urllib.request.Request(
        f"{base}/colab/runtime/about", headers={"Authorization": f"token {token}"}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            json.load(response)
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def open_lab(page: Page, base: str, token: str) -> None:
    page.goto(f"{base}/lab?token={token}")
    page.get_by_role("menuitem", name="Runtime").wait_for(timeout=60_000)


def check_runtime_menu(page: Page) -> None:
    page.get_by_role("menuitem", name="Runtime").click()
    page.get_by_text("About this runtime", exact=True).click()
    python = page.locator('.jp-colab-AboutRuntime [data-fact="python_version"]')
    expect(python).not_to_be_empty(timeout=30_000)
    print(f"wheel smoke: About this runtime shows Python {python.inner_text()}")


def check_missing_server_part(page: Page) -> None:
    notice = page.locator(".Toastify__toast", has_text="server part is not running")
    expect(notice).to_have_count(1, timeout=30_000)
    expect(page.locator(".jp-colab-ResourcesStatus")).to_have_count(0)
    notice.get_by_role("button", name="How to fix").click()
    expect(page.locator(".jp-colab-ServerPartHelp")).to_contain_text("not restarted")
    print("wheel smoke: with the server half off, the page says so once")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("jupyter")
    parser.add_argument("--route-only", action="store_true", help="only check a route answers")
    args = parser.parse_args()
    home = tempfile.mkdtemp(prefix="colab-wheel-home-")
    token = secrets.token_hex(16)

    with lab(args.jupyter, home, token) as base:
        status = route_status(base, token)
        if status != 200:
            raise SystemExit(f"GET /colab/runtime/about answered {status}, expected 200")
        print("wheel smoke: GET /colab/runtime/about answered 200")
        if args.route_only:
            return
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
                args=CHROMIUM_ARGS,
            )
            page = browser.new_page()
            open_lab(page, base, token)
            check_runtime_menu(page)
            browser.close()

    jupyter_dir = os.path.dirname(args.jupyter)
    subprocess.run(
        [args.jupyter, "server", "extension", "disable", "colab_ext", "--sys-prefix"],
        env={"PATH": jupyter_dir, "HOME": home},
        check=True,
        capture_output=True,
    )
    try:
        with lab(args.jupyter, home, token) as base, sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
                args=CHROMIUM_ARGS,
            )
            page = browser.new_page()
            open_lab(page, base, token)
            check_missing_server_part(page)
            shot = os.environ.get("COLAB_EXT_SMOKE_SCREENSHOT")
            if shot:
                page.screenshot(path=shot)
            browser.close()
    finally:
        subprocess.run(
            [args.jupyter, "server", "extension", "enable", "colab_ext", "--sys-prefix"],
            env={"PATH": jupyter_dir, "HOME": home},
            check=True,
            capture_output=True,
        )


if __name__ == "__main__":
    main()
