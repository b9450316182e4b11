"""Shell: what finding a stopped command's escaped daemons by their environment marker costs.

Stopping a command (client gone, kernel restarted or shut down, notebook closed) scans this user's
processes for its ``JPY_COLAB_EXT_COMMAND`` marker (``colab_ext/shell/marker.py``). With
``--processes`` processes of this user running (sleeps carrying this environment, each with an
environment block of the usual size), it times, in the same run:

1. the scan (``marked_processes``: a stat and, for this user's processes, a read of
   ``/proc/<pid>/environ``);
2. the baseline: ``children(recursive=True)`` of this process, the descendant lookup the clean-up
   already made before the scan existed (psutil reads every ``/proc/<pid>/stat`` for it);
3. the same scan through psutil (``Process.environ()``), the fallback where there is no /proc.

Goal: the scan costs a few ms, within a small factor of the baseline.

    python bench/shell_sweep.py --processes 500 --runs 50
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import time
from collections.abc import Callable
from typing import Any

import psutil

from colab_ext.shell import marker


def median_ms(work: Callable[[], Any], runs: int) -> tuple[float, float]:
    """Median wall and CPU (user + system) milliseconds of ``work``: the CPU time holds steady
    on a loaded machine, where the wall time mostly measures waiting for a CPU."""
    walls, cpus = [], []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        work()
        cpus.append((time.process_time() - cpu) * 1000)
        walls.append((time.perf_counter() - wall) * 1000)
    return statistics.median(walls), statistics.median(cpus)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, default=500, help="this user's processes in all")
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()

    uid = os.geteuid()
    mine = sum(1 for p in psutil.process_iter(["uids"]) if p.info["uids"].effective == uid)
    wanted = max(0, args.processes - mine)
    sleepers = [subprocess.Popen(["sleep", "600"], stdin=subprocess.DEVNULL) for _ in range(wanted)]
    try:
        time.sleep(0.5)  # every sleep has exec'd
        total = sum(1 for p in psutil.process_iter(["uids"]) if p.info["uids"].effective == uid)
        # A marker that one of the processes carries, so the scan also builds a handle.
        tagged = subprocess.Popen(
            ["sleep", "600"], env={**os.environ, marker.MARKER_VARIABLE: "x" * 32}
        )
        sleepers.append(tagged)
        time.sleep(0.1)
        assert [p.pid for p in marker.marked_processes("x" * 32)] == [tagged.pid]

        def scan() -> None:
            marker.marked_processes("x" * 32)

        def baseline() -> None:
            psutil.Process(os.getpid()).children(recursive=True)

        def psutil_scan() -> None:
            marker._marked_pids_psutil("x" * 32, uid)

        scan_ms = median_ms(scan, args.runs)
        baseline_ms = median_ms(baseline, args.runs)
        psutil_ms = median_ms(psutil_scan, max(5, args.runs // 5))
    finally:
        for sleeper in sleepers:
            sleeper.kill()
        for sleeper in sleepers:
            sleeper.wait()
    print(f"processes of this user: {total + 1}; load average {os.getloadavg()[0]:.1f}")
    print(f"{'median of ' + str(args.runs):30} {'wall ms':>8} {'CPU ms':>8}")
    for name, (wall, cpu) in (
        ("marker scan (/proc)", scan_ms),
        ("baseline children(recursive)", baseline_ms),
        ("marker scan through psutil", psutil_ms),
    ):
        print(f"{name:30} {wall:8.2f} {cpu:8.2f}")
    wall_ratio, cpu_ratio = scan_ms[0] / baseline_ms[0], scan_ms[1] / baseline_ms[1]
    print(f"{'ratio scan / baseline':30} {wall_ratio:8.2f} {cpu_ratio:8.2f}")


if __name__ == "__main__":
    main()
