"""How a share page's render time grows with the size of an HTML output (a pandas-like table).

Renders a notebook with one ``text/html`` table output of each ``--sizes`` MiB (the page budget
lifted so the table is really rendered) and prints each time and the ratio of the largest to the
smallest. Linear growth gives a ratio near the size ratio (1 MiB -> 10 MiB: about 10x); before
the fix, sanitising grew quadratically (html5lib's tree walker: 10 s for 1 MiB, 436 s for 10).

``--baseline`` also times the sanitiser alone with html5lib's stock tree walker, on the same
tables, for the same ratio (slow: at 10 MiB it takes minutes).

    python bench/share_render.py [--sizes 1,10] [--baseline]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from colab_ext.share import sanitize
from colab_ext.share.page import PageBudget, render_notebook


def table(size: int) -> str:
    """An HTML table of about ``size`` characters, shaped like a pandas DataFrame's."""
    head = (
        '<table border="1" class="dataframe"><thead><tr style="text-align: right;">'
        "<th></th><th>a</th><th>b</th></tr></thead><tbody>\n"
    )
    rows, total, i = [], len(head), 0
    while total < size:
        row = f"<tr><th>{i}</th><td>{i * 0.5}</td><td>value {i}</td></tr>\n"
        rows.append(row)
        total += len(row)
        i += 1
    return head + "".join(rows) + "</tbody></table>"


def notebook(html: str) -> dict[str, object]:
    nb = nbformat.v4.new_notebook()  # type: ignore[no-untyped-call]
    nb.cells = [
        nbformat.v4.new_code_cell(  # type: ignore[no-untyped-call]
            "df",
            outputs=[nbformat.v4.new_output("display_data", data={"text/html": html})],  # type: ignore[no-untyped-call]
        )
    ]
    return dict(nb)


def timed(what: str, run: object) -> float:
    start = time.perf_counter()
    run()  # type: ignore[operator]
    seconds = time.perf_counter() - start
    print(f"  {what}: {seconds:.2f} s", flush=True)
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,10", help="MiB of table, comma-separated")
    parser.add_argument("--baseline", action="store_true", help="also html5lib's stock walker")
    args = parser.parse_args()
    sizes = [float(s) for s in args.sizes.split(",")]
    unlimited = PageBudget(max_item=1 << 40, max_page=1 << 40)
    # Warm up: imports, templates and CSS loading are not what is measured.
    render_notebook(notebook(table(1000)), name="w", download_href="d", note="", budget=unlimited)

    print("share page render (whole page, colab-ext's sanitiser):")
    times = []
    for mib in sizes:
        nb = notebook(table(int(mib * (1 << 20))))
        times.append(
            timed(
                f"{mib:g} MiB table",
                lambda nb=nb: render_notebook(
                    nb, name="t", download_href="d", note="", budget=unlimited
                ),
            )
        )
    ratio, linear = times[-1] / times[0], sizes[-1] / sizes[0]
    print(f"ratio {sizes[-1]:g} MiB / {sizes[0]:g} MiB: {ratio:.1f}x (linear: {linear:g}x)")

    if args.baseline:
        from bleach.sanitizer import Cleaner

        def stock(text: str) -> None:
            Cleaner(
                tags=sanitize._TAGS,
                attributes=sanitize._ATTRIBUTES,
                protocols=sanitize._PROTOCOLS,
                css_sanitizer=sanitize._CSS,
                strip=True,
            ).clean(text)

        print("baseline: sanitiser alone, html5lib's stock tree walker:")
        base = []
        for mib in sizes:
            text = table(int(mib * (1 << 20)))
            base.append(timed(f"{mib:g} MiB table", lambda text=text: stock(text)))
        print(f"baseline ratio: {base[-1] / base[0]:.1f}x")


if __name__ == "__main__":
    main()
