"""Start-up cost of colab-ext as a user feels it: JupyterLab's time to "restored" in headless
Chromium, without colab-ext at all against with it, in one run, alternating cold page loads.

"Without" is the same JupyterLab with colab-ext's labextension absent from the labextension
path (a folder holding every other installed labextension) and its server extension not loaded:
what a lab without the package serves. Comparing with only the frontend disabled would hide the
server half's cost (page config, settings, the session hook, the sampler).

Besides the ratio, it prints where a difference would go: colab-ext's bytes of JavaScript, and
every request to a colab route made before "restored" (there should be none).

Goal: at most 1.02. The ratio is a measurement to read, not a test: these machines are noisy.

    python bench/startup.py --runs 7
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
from dataclasses import dataclass, field
from pathlib import Path

from jupyter_core.paths import jupyter_path
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
# Records the moment JupyterLab says it is restored (layout and plugins ready), in page time,
# and which resources had been fetched by then.
STAMP_RESTORED = """
// Chromium keeps 250 resource entries by default; JupyterLab fetches more than that.
performance.setResourceTimingBufferSize(100000);
const poll = setInterval(() => {
  if (window.jupyterapp) {
    clearInterval(poll);
    window.jupyterapp.restored.then(() => {
      window.__restoredAt = performance.now();
      window.__fetchedBeforeRestored = performance.getEntriesByType('resource').map(
        e => ({ name: e.name, bytes: e.encodedBodySize, start: e.startTime, end: e.responseEnd })
      );
    });
  }
}, 2);
"""
NAME = "colab-ext"


@dataclass
class Variant:
    label: str
    with_colab: bool
    port: int = 0
    times: list[float] = field(default_factory=list)
    colab_js_bytes: int = 0
    colab_routes_before_restored: set[str] = field(default_factory=set)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def labextensions_without_colab(work: Path) -> Path:
    """A labextension path holding every installed labextension but colab-ext."""
    folder = work / "labextensions-without-colab"
    folder.mkdir()
    for base in map(Path, jupyter_path("labextensions")):
        if not base.is_dir():
            continue
        for entry in base.iterdir():
            names = [entry] if not entry.name.startswith("@") else list(entry.iterdir())
            for ext in names:
                relative = ext.relative_to(base)
                if str(relative) == NAME or (folder / relative).exists():
                    continue
                (folder / relative).parent.mkdir(parents=True, exist_ok=True)
                (folder / relative).symlink_to(ext.resolve())
    return folder


def start_lab(
    root: Path, port: int, env: dict[str, str], extra_args: tuple[str, ...] = ()
) -> subprocess.Popen[bytes]:
    """A JupyterLab without a token on ``port``, serving ``root``; returns once it answers.
    Shared with the other browser benchmarks (shell_browser.py)."""
    command = [
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
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        *extra_args,
    ]
    server = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/status", timeout=1)
            return server
        except OSError:
            time.sleep(0.3)
    server.kill()
    raise SystemExit(f"JupyterLab on port {port} did not start within 90 s")


def start_server(variant: Variant, root: Path, work: Path) -> subprocess.Popen[bytes]:
    variant.port = free_port()
    extra: tuple[str, ...] = ()
    config = work / f"config-{variant.label}"
    config.mkdir()
    if not variant.with_colab:
        extra = (f"--LabApp.labextensions_path={labextensions_without_colab(work)}",)
        (config / "jupyter_server_config.json").write_text(
            json.dumps({"ServerApp": {"jpserver_extensions": {"colab_ext": False}}})
        )
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(config)}
    return start_lab(root, variant.port, env, extra)


def load_once(browser: Browser, variant: Variant) -> float:
    context = browser.new_context()  # a cold cache each time, as a first visit
    try:
        page = context.new_page()
        page.add_init_script(STAMP_RESTORED)
        page.goto(f"http://127.0.0.1:{variant.port}/lab?reset")
        page.wait_for_function("window.__restoredAt !== undefined", timeout=120_000)
        restored = float(page.evaluate("window.__restoredAt"))
        has_plugin = bool(page.evaluate("window.jupyterapp.hasPlugin('colab-ext:runtime')"))
        if has_plugin != variant.with_colab:
            raise SystemExit(f"{variant.label}: colab-ext loaded={has_plugin}")
        fetched = page.evaluate("window.__fetchedBeforeRestored")
        variant.colab_js_bytes = sum(
            f["bytes"] for f in fetched if f"/lab/extensions/{NAME}/" in f["name"]
        )
        variant.colab_routes_before_restored |= {
            f["name"].split("?")[0].split(f":{variant.port}")[1]
            for f in fetched
            if "/colab/" in f["name"]
        }
        return restored
    finally:
        context.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="measured runs of each variant")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="colab-bench-"))
    (work / "root").mkdir()
    without, with_ = Variant("without", False), Variant("with", True)
    servers = [start_server(v, work / "root", work) for v in (without, with_)]
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for variant in (without, with_):  # warm the servers' caches, not counted
                load_once(browser, variant)
            for run in range(args.runs):
                # Alternate which variant goes first, so drift hits both alike.
                order = (without, with_) if run % 2 == 0 else (with_, without)
                for variant in order:
                    variant.times.append(load_once(browser, variant))
            browser.close()
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)

    on, off = statistics.median(with_.times), statistics.median(without.times)
    ratio = on / off
    print(f"startup: time to JupyterLab restored, median of {args.runs} cold loads each")
    print(f"  with colab-ext   : {on:8.0f} ms   {[round(t) for t in with_.times]}")
    print(f"  without colab-ext: {off:8.0f} ms   {[round(t) for t in without.times]}")
    print(f"  ratio with/without: {ratio:.3f} (goal <= 1.02)")
    print(f"  colab-ext JavaScript fetched before restored: {with_.colab_js_bytes / 1024:.0f} KiB")
    routes = sorted(with_.colab_routes_before_restored) or ["none"]
    print(f"  colab routes requested before restored: {', '.join(routes)}")
    results = Path(__file__).with_name("results")
    results.mkdir(exist_ok=True)
    (results / "startup.json").write_text(
        json.dumps(
            {
                "with_ms": with_.times,
                "without_ms": without.times,
                "ratio": ratio,
                "colab_js_bytes": with_.colab_js_bytes,
                "colab_routes_before_restored": sorted(with_.colab_routes_before_restored),
            }
        )
    )


if __name__ == "__main__":
    main()
