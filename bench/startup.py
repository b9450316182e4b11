"""Start-up cost of colab-ext: JupyterLab's time to "restored" in headless Chromium, with the
extension enabled and disabled, on the same server, alternating runs. Prints the median ratio.

Goal: at most 1.05 (features load lazily; only the plugins and menus are there at start-up).
The ratio is a measurement to read, not a test: these machines are noisy.

    python bench/startup.py --runs 5
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import Browser, sync_playwright

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Records the moment JupyterLab says it is restored (layout and plugins ready), in page time.
STAMP_RESTORED = """
const poll = setInterval(() => {
  if (window.jupyterapp) {
    clearInterval(poll);
    window.jupyterapp.restored.then(() => { window.__restoredAt = performance.now(); });
  }
}, 2);
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(root: Path, env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyter",
            "lab",
            "--no-browser",
            f"--port={port}",
            "--ServerApp.port_retries=0",
            "--IdentityProvider.token=",
            "--ServerApp.password=",
            "--ServerApp.allow_root=True",
            f"--ServerApp.root_dir={root}",
            "--LabApp.expose_app_in_browser=True",
            "--LabApp.news_url=None",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/status", timeout=1)
            return server
        except OSError:
            time.sleep(0.3)
    server.kill()
    raise SystemExit("JupyterLab did not start within 60 s")


def set_enabled(enabled: bool, env: dict[str, str]) -> None:
    # The lab reads labconfig on every page load, so the same server serves both variants.
    verb = "enable" if enabled else "disable"
    subprocess.run(
        [sys.executable, "-m", "jupyter", "labextension", verb, "colab-ext", "--level=user"],
        env=env,
        check=True,
        capture_output=True,
    )


def time_to_restored(browser: Browser, url: str, expect_plugin: bool) -> float:
    context = browser.new_context()
    try:
        page = context.new_page()
        page.add_init_script(STAMP_RESTORED)
        page.goto(url)
        page.wait_for_function("window.__restoredAt !== undefined", timeout=120_000)
        restored = float(page.evaluate("window.__restoredAt"))
        has_plugin = page.evaluate("window.jupyterapp.hasPlugin('colab-ext:runtime')")
        if bool(has_plugin) != expect_plugin:
            raise SystemExit(f"colab-ext:runtime loaded={has_plugin}, expected {expect_plugin}")
        return restored
    finally:
        context.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="measured runs of each variant")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="colab-bench-"))
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(work / "config")}
    (work / "root").mkdir()
    port = free_port()
    server = start_server(work / "root", env, port)
    url = f"http://127.0.0.1:{port}/lab?reset"
    times: dict[bool, list[float]] = {True: [], False: []}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for enabled in (True, False):  # warm the server's caches, not counted
                set_enabled(enabled, env)
                time_to_restored(browser, url, enabled)
            for run in range(args.runs):
                # Alternate which variant goes first, so drift hits both alike.
                for enabled in (run % 2 == 0, run % 2 != 0):
                    set_enabled(enabled, env)
                    times[enabled].append(time_to_restored(browser, url, enabled))
            browser.close()
    finally:
        set_enabled(True, env)
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)

    on, off = statistics.median(times[True]), statistics.median(times[False])
    ratio = on / off
    print(f"startup: time to JupyterLab restored, median of {args.runs} runs each")
    print(f"  colab-ext enabled : {on:8.0f} ms   {[round(t) for t in times[True]]}")
    print(f"  colab-ext disabled: {off:8.0f} ms   {[round(t) for t in times[False]]}")
    print(f"  ratio enabled/disabled: {ratio:.3f} (goal <= 1.05)")
    results = Path(__file__).with_name("results")
    results.mkdir(exist_ok=True)
    (results / "startup.json").write_text(
        json.dumps({"enabled_ms": times[True], "disabled_ms": times[False], "ratio": ratio})
    )


if __name__ == "__main__":
    main()
