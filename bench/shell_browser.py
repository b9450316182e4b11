"""The shell in the browser: `seq 1 2000000` (16.9 MB) rendered in a notebook in headless Chromium,
through colab-ext (`%%shell`, capped at the server's default with a note) vs IPython's own
`!seq 1 2000000` in ipykernel, alternating in the same page and run. Prints time to done, the
longest frame while it ran (how responsive the page stayed), and what reached the cell.

    python bench/shell_browser.py --runs 3
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import tempfile
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, sync_playwright
from startup import CHROMIUM, CHROMIUM_ARGS, free_port, start_server

CELLS = {
    "colab-ext": "%%shell\nseq 1 2000000",
    "ipython": "!seq 1 2000000",
}

TRUE_CELLS = {"colab-ext": "%%shell\ntrue", "ipython": "!true"}

# Runs the active notebook's first cell with `source` as a user does (the run command) and
# resolves with the time to done as the user sees it: from the command to the moment the cell's
# prompt turns from `[*]` into its execution count, caught by a MutationObserver on the prompt (no
# polling), with the cell idle. Also the longest animation frame meanwhile, and the output size.
RUN_CELL = """
async (source) => {
  const app = window.jupyterapp;
  const panel = app.shell.currentWidget;
  const cell = panel.content.widgets[0];
  cell.model.sharedModel.setSource(source);
  panel.content.activeCellIndex = 0;
  const prompt = cell.node.querySelector('.jp-InputPrompt');
  let longest = 0, last = performance.now(), running = true;
  const frame = now => {
    longest = Math.max(longest, now - last); last = now;
    if (running) requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  let started = false;
  const onState = (model, change) => {
    if (change.name === 'executionState' && change.newValue === 'running') started = true;
  };
  cell.model.stateChanged.connect(onState);
  let start = 0;
  const done = new Promise(resolve => {
    const observer = new MutationObserver(() => {
      const shown = /^\\[[0-9 ]*\\]:$/.test(prompt.textContent.trim());
      if (started && shown && cell.model.executionState === 'idle'
          && cell.model.executionCount !== null) {
        observer.disconnect();
        resolve(performance.now() - start);
      }
    });
    observer.observe(prompt, { childList: true, characterData: true, subtree: true });
  });
  start = performance.now();
  const command = app.commands.execute('notebook:run-cell');
  const elapsed = await done;
  await command;
  cell.model.stateChanged.disconnect(onState);
  running = false;
  const outputs = cell.model.outputs.toJSON();
  const text = outputs.map(o => o.text ?? (o.evalue ?? '')).join('');
  return { done: elapsed, longest, chars: text.length, note: /Output limit/.test(text),
           dataRate: /data rate exceeded/i.test(text) };
}
"""


def open_notebook(page: Page, url: str) -> None:
    page.goto(url)
    page.wait_for_function(
        "window.jupyterapp && window.jupyterapp.shell.currentWidget", timeout=120_000
    )
    page.evaluate(
        "async () => { await window.jupyterapp.commands.execute('notebook:create-new',"
        " {kernelName: 'python3'}); }"
    )
    page.wait_for_function(
        "(() => { const w = window.jupyterapp.shell.currentWidget;"
        " return w && w.sessionContext && w.sessionContext.session &&"
        " w.sessionContext.session.kernel &&"
        " w.sessionContext.session.kernel.status === 'idle'; })()",
        timeout=120_000,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--latency-runs", type=int, default=15, help="`true` runs of each")
    parser.add_argument("--skip-flood", action="store_true", help="only the `true` latency")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="colab-bench-shell-ui-"))
    (work / "root").mkdir()
    port = free_port()
    server = start_server(work / "root", {**os.environ}, port)
    results: dict[str, list[dict[str, Any]]] = {name: [] for name in CELLS}
    latency: dict[str, list[float]] = {name: [] for name in TRUE_CELLS}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page()
            open_notebook(page, f"http://127.0.0.1:{port}/lab")
            page.evaluate(RUN_CELL, "print('warm')")
            for _ in range(args.latency_runs):
                for name, source in TRUE_CELLS.items():
                    latency[name].append(page.evaluate(RUN_CELL, source)["done"])
            for run in range(0 if args.skip_flood else args.runs):
                order = list(CELLS) if run % 2 == 0 else list(reversed(CELLS))
                for name in order:
                    results[name].append(page.evaluate(RUN_CELL, CELLS[name]))
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)
    colab_true = statistics.median(latency["colab-ext"])
    ipython_true = statistics.median(latency["ipython"])
    print(f"`true` in Chromium, run-cell to done, median of {args.latency_runs} runs")
    print(f"  colab-ext `%%shell true`: {colab_true:6.1f} ms (goal < 20 ms)")
    print(f"  IPython `!true`         : {ipython_true:6.1f} ms")
    print(f"  ratio IPython/colab-ext : {ipython_true / colab_true:.1f}")
    if args.skip_flood:
        return
    total = sum(len(f"{n}\n") for n in range(1, 2_000_001))
    print(f"shell in Chromium: `seq 1 2000000` ({total / 1e6:.1f} MB), median of {args.runs} runs")
    medians = {}
    for name, runs in results.items():
        done = statistics.median(r["done"] for r in runs)
        longest = statistics.median(r["longest"] for r in runs)
        medians[name] = done
        last = runs[-1]
        shown = f"{last['chars'] / 1e6:.1f} M chars in the cell"
        shown += ", cap note shown" if last["note"] else ""
        shown += ", IOPub data rate exceeded" if last["dataRate"] else ""
        print(f"  {name:10}: done in {done:7.0f} ms, longest frame {longest:5.0f} ms; {shown}")
    ratio = medians["ipython"] / medians["colab-ext"]
    print(f"  ratio IPython/colab-ext time to done: {ratio:.2f} (colab-ext is {ratio:.1f}x faster)")
    out = Path(__file__).with_name("results")
    out.mkdir(exist_ok=True)
    (out / "shell_browser.json").write_text(json.dumps({"flood": results, "true_ms": latency}))


if __name__ == "__main__":
    main()
