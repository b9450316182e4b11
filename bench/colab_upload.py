"""``files.upload`` in headless Chromium against JupyterLab's own file-browser upload, in the same
run, with the same file (200 MB by default): the time from handing the file to the page until it is
all on the server's disk, and for ``files.upload`` also until the call has returned it (the kernel
reads it back, as Colab returns its contents). Both send base64 in 1 MiB chunks through the
contents API; ``files.upload`` reads the next chunk while the server writes the last one. Also the
peak memory (RSS, sampled every 20 ms) of the server and of the notebook's kernel during each
upload, above what they held before it: the file never passes through either whole, except that
``files.upload`` returns its bytes in the kernel, as Colab's does.

    python bench/colab_upload.py            # 200 MB, 3 runs of each
    python bench/colab_upload.py --mb 50 --runs 1
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import psutil
from playwright.sync_api import Page, sync_playwright
from shell_browser import open_notebook
from startup import CHROMIUM, CHROMIUM_ARGS, free_port, start_lab


@contextmanager
def peak_growth(processes: dict[str, psutil.Process]) -> Iterator[dict[str, float]]:
    """Peak RSS above the starting RSS, in MiB, per named process, while the block runs."""
    start = {name: p.memory_info().rss for name, p in processes.items()}
    peak = dict(start)
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.02):
            for name, process in processes.items():
                with suppress(psutil.Error):
                    peak[name] = max(peak.get(name, 0), process.memory_info().rss)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    growth: dict[str, float] = {}
    try:
        yield growth
    finally:
        done.set()
        thread.join()
        for name in peak:
            growth[name] = (peak[name] - start.get(name, peak[name])) / 2**20


def wait_for_size(path: Path, size: int, timeout_s: float = 600) -> float:
    """When ``path`` holds ``size`` bytes (time.monotonic()), polled every 20 ms."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if path.exists() and path.stat().st_size == size:
            return time.monotonic()
        time.sleep(0.02)
    raise SystemExit(f"{path} did not reach {size} bytes within {timeout_s:.0f} s")


def colab_upload(page: Page, source: Path, root: Path, folder: str) -> tuple[float, float]:
    """Seconds to the file on disk, and to ``files.upload`` returning it."""
    size = source.stat().st_size
    page.evaluate(
        """async source => {
          const app = window.jupyterapp;
          const panel = app.shell.currentWidget;
          const cell = panel.content.widgets[0];
          cell.model.sharedModel.setSource(source);
          panel.content.activeCellIndex = 0;
          void app.commands.execute('notebook:run-cell');
        }""",
        "from google.colab import files\n"
        f"up = files.upload({folder!r})\nprint('returned', len(up[{source.name!r}]))",
    )
    picker = page.locator(".jp-colab-Upload input[type=file]")
    picker.wait_for(state="attached", timeout=60_000)
    start = time.monotonic()
    picker.set_input_files(str(source))
    on_disk = wait_for_size(root / folder / source.name, size)
    page.locator(".jp-OutputArea", has_text=f"returned {size}").wait_for(timeout=600_000)
    returned = time.monotonic()
    return on_disk - start, returned - start


def browser_upload(page: Page, source: Path, root: Path, folder: str) -> float:
    """Seconds to the file on disk through the file browser's Upload button."""
    size = source.stat().st_size
    page.evaluate(
        "async folder => { await window.jupyterapp.commands.execute('filebrowser:go-to-path',"
        " {path: folder, dontShowBrowser: false}); }",
        folder,
    )
    with page.expect_file_chooser() as chooser:
        page.locator(".jp-FileBrowser .jp-id-upload").first.click()
    chooser.value.set_files(str(source))
    # Over 15 MB the file browser asks first; the clock starts at the answer.
    warn = page.locator(".jp-Dialog .jp-mod-warn")
    if size > 15 * 1024 * 1024:
        warn.wait_for(timeout=60_000)
        start = time.monotonic()
        warn.click()
    else:
        start = time.monotonic()
    return wait_for_size(root / folder / source.name, size) - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=200, help="file size in MB (MiB)")
    parser.add_argument("--runs", type=int, default=3, help="uploads of each, alternating")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="colab-bench-upload-"))
    root = work / "root"
    root.mkdir()
    source = work / "data.bin"
    with source.open("wb") as out:
        for _ in range(args.mb):
            out.write(os.urandom(1024 * 1024))
    port = free_port()
    server = start_lab(root, port, {**os.environ})
    colab: list[tuple[float, float]] = []
    lab: list[float] = []
    memory: dict[str, list[dict[str, float]]] = {"colab": [], "lab": []}

    def processes() -> dict[str, psutil.Process]:
        found = {"server": psutil.Process(server.pid)}
        kernels = [
            p
            for p in found["server"].children(recursive=True)
            if "ipykernel" in " ".join(p.cmdline())
        ]
        if kernels:
            found["kernel"] = kernels[0]
        return found

    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page()
            open_notebook(page, f"http://127.0.0.1:{port}/lab")
            for run in range(args.runs):
                for name in ("colab", "lab") if run % 2 == 0 else ("lab", "colab"):
                    folder = f"{name}-{run}"
                    (root / folder).mkdir()
                    with peak_growth(processes()) as growth:
                        if name == "colab":
                            colab.append(colab_upload(page, source, root, folder))
                        else:
                            lab.append(browser_upload(page, source, root, folder))
                    memory[name].append(growth)
                    shutil.rmtree(root / folder)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)
    disk = statistics.median(t for t, _ in colab)
    back = statistics.median(t for _, t in colab)
    own = statistics.median(lab)
    print(f"upload of {args.mb} MiB in Chromium, median of {args.runs} runs")
    print(f"  files.upload, on disk      : {disk:6.2f} s ({args.mb / disk:5.1f} MiB/s)")
    print(f"  files.upload, returned     : {back:6.2f} s")
    print(f"  file browser Upload, on disk: {own:6.2f} s ({args.mb / own:5.1f} MiB/s)")
    print(f"  ratio file browser/files.upload (on disk): {own / disk:.2f}")
    for name, label in (("colab", "files.upload"), ("lab", "file browser Upload")):
        for process in ("server", "kernel"):
            grown = [m.get(process, 0.0) for m in memory[name]]
            print(f"  {label}, peak {process} memory growth: {statistics.median(grown):7.1f} MiB")


if __name__ == "__main__":
    main()
