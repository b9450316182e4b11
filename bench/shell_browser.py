"""The shell in the browser, in headless Chromium, colab-ext against IPython's own `!` in ipykernel
in the same run:

- latency: `!true` vs IPython's `!true`, from the run command to the cell's prompt showing
  its execution count (as the user sees "done"), alternating;
- flood: `seq 1 2000000` (14.9 MB) rendered in a notebook, through colab-ext (`!` in the
  kernel's extension: the head, a note and the last lines) vs IPython's `!seq 1 2000000`: time
  to done, the longest frame while it ran (how responsive the page stayed), and what reached the
  cell. IPython's run takes
  minutes (its output re-renders on every message): a run not done by `--deadline` seconds is
  stopped (the browser is thrown away) and reported as "not done after N s", a lower bound.

    python bench/shell_browser.py --runs 3
    python bench/shell_browser.py --runs 1 --deadline 30   # CI
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

from playwright.sync_api import Browser, Page, Playwright, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from startup import CHROMIUM, CHROMIUM_ARGS, free_port, start_lab

CELLS = {
    "colab-ext": "%colab_ext_shell on\n!seq 1 2000000",
    # IPython's own `!`: colab-ext's kernel-side `!` (on by default) switched off in that kernel.
    "ipython": "%colab_ext_shell off\n!seq 1 2000000",
}

TRUE_CELLS = {"colab-ext": "%colab_ext_shell on\n!true", "ipython": "%colab_ext_shell off\n!true"}

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
  return { done: elapsed, longest, chars: text.length, note: /Output limit|lines follow/.test(text),
           dataRate: /data rate exceeded/i.test(text) };
}
"""


# Starts RUN_CELL and returns at once; the result lands in `window.__benchResult`. Lets the
# caller give up on a run whose page is too busy to answer (IPython's flood).
START_CELL = f"""
source => {{
  window.__benchResult = null;
  ({RUN_CELL.strip()})(source).then(result => {{ window.__benchResult = result; }});
}}
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


class Notebook:
    """A browser page with a fresh Python notebook; opened again after a run had to be cut."""

    def __init__(self, playwright: Playwright, url: str) -> None:
        self.playwright, self.url = playwright, url
        self.browser: Browser | None = None
        self.page: Page | None = None

    def ready(self) -> Page:
        if self.page is None:
            self.browser = self.playwright.chromium.launch(
                executable_path=CHROMIUM, args=CHROMIUM_ARGS
            )
            self.page = self.browser.new_page()
            open_notebook(self.page, self.url)
            self.page.evaluate(RUN_CELL, "print('warm')")
        return self.page

    def run(self, source: str) -> dict[str, Any]:
        return dict(self.ready().evaluate(RUN_CELL, source))

    def run_until(self, source: str, deadline_s: float) -> dict[str, Any] | None:
        """The run's result, or None when it was not done by the deadline."""
        page = self.ready()
        page.evaluate(START_CELL, source)
        try:
            handle = page.wait_for_function(
                "window.__benchResult", timeout=deadline_s * 1000, polling=100
            )
        except PlaywrightTimeout:
            self.close()  # still rendering: the page is thrown away, the next run gets a new one
            return None
        return dict(handle.json_value())

    def close(self) -> None:
        if self.browser is not None:
            self.browser.close()
        self.browser = self.page = None


def spread(times: list[float]) -> str:
    """Fastest and 90th percentile: how noisy the machine was."""
    ordered = sorted(times)
    p90 = ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]
    return f"(min {ordered[0]:5.1f}, p90 {p90:6.1f})"


def report_latency(latency: dict[str, list[float]]) -> None:
    colab_true = statistics.median(latency["colab-ext"])
    ipython_true = statistics.median(latency["ipython"])
    runs = len(latency["colab-ext"])
    print(f"`true` in Chromium, run command to the prompt's execution count, median of {runs} runs")
    print(
        f"  colab-ext `%%shell true`: {colab_true:6.1f} ms {spread(latency['colab-ext'])}"
        " (goal < 20 ms)"
    )
    print(f"  IPython `!true`         : {ipython_true:6.1f} ms {spread(latency['ipython'])}")
    print(f"  ratio IPython/colab-ext : {ipython_true / colab_true:.1f}")


def report_flood(results: dict[str, list[dict[str, Any] | None]], deadline_s: float) -> None:
    total = sum(len(f"{n}\n") for n in range(1, 2_000_001))
    runs = len(results["colab-ext"])
    print(f"shell in Chromium: `seq 1 2000000` ({total / 1e6:.1f} MB), median of {runs} runs")
    medians = {}
    for name, outcomes in results.items():
        finished = [r for r in outcomes if r is not None]
        cut = len(outcomes) - len(finished)
        # A run cut at the deadline took at least that long: the median is then a lower bound.
        medians[name] = statistics.median([r["done"] for r in finished] + [deadline_s * 1000] * cut)
        bound = ">=" if cut * 2 >= len(outcomes) else "  "
        line = f"  {name:10}: done in {bound}{medians[name]:7.0f} ms"
        if finished:
            longest = statistics.median(r["longest"] for r in finished)
            last = finished[-1]
            line += f", longest frame {longest:5.0f} ms"
            line += f"; {last['chars'] / 1e6:.1f} M chars in the cell"
            line += ", cap note shown" if last["note"] else ""
            line += ", IOPub data rate exceeded" if last["dataRate"] else ""
        if cut:
            line += f"; {cut} of {len(outcomes)} runs not done after {deadline_s:.0f} s (stopped)"
        print(line)
    ratio = medians["ipython"] / medians["colab-ext"]
    at_least = "at least " if any(r is None for r in results["ipython"]) else ""
    print(f"  ratio IPython/colab-ext time to done: {at_least}{ratio:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="flood runs of each")
    parser.add_argument("--latency-runs", type=int, default=25, help="`true` runs of each")
    parser.add_argument(
        "--deadline", type=float, default=120, help="seconds a flood run may take before it is cut"
    )
    parser.add_argument("--skip-flood", action="store_true", help="only the `true` latency")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="colab-bench-shell-ui-"))
    (work / "root").mkdir()
    port = free_port()
    server = start_lab(work / "root", port, {**os.environ})
    results: dict[str, list[dict[str, Any] | None]] = {name: [] for name in CELLS}
    latency: dict[str, list[float]] = {name: [] for name in TRUE_CELLS}
    try:
        with sync_playwright() as playwright:
            notebook = Notebook(playwright, f"http://127.0.0.1:{port}/lab")
            for _ in range(args.latency_runs):
                for name, source in TRUE_CELLS.items():
                    latency[name].append(notebook.run(source)["done"])
            for run in range(0 if args.skip_flood else args.runs):
                order = list(CELLS) if run % 2 == 0 else list(reversed(CELLS))
                for name in order:
                    results[name].append(notebook.run_until(CELLS[name], args.deadline))
            notebook.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)
    report_latency(latency)
    if not args.skip_flood:
        report_flood(results, args.deadline)
    out = Path(__file__).with_name("results")
    out.mkdir(exist_ok=True)
    (out / "shell_browser.json").write_text(json.dumps({"flood": results, "true_ms": latency}))


if __name__ == "__main__":
    main()
