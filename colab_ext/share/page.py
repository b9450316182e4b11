"""What a share link shows: a notebook rendered read-only by nbconvert, with nothing that runs.

Three layers keep scripts from a notebook's outputs from running in a visitor's browser:

1. nbconvert's ``sanitize_html``: HTML and Markdown (cells and outputs) go through bleach, which
   drops ``<script>``, event-handler attributes and ``javascript:`` URLs; JavaScript outputs and
   widget views are left out.
2. Our template adds no script of its own (no require.js, MathJax, Mermaid or widget loaders), so
   the page has no ``<script>`` element at all.
3. The response's Content-Security-Policy has ``script-src 'none'`` and ``sandbox`` (without
   ``allow-scripts``): even markup that slipped through cannot run, and the page gets an opaque
   origin, so it could not use the server's cookies of a visitor who is also logged in.

A page shows what JupyterLab would open: the notebook is normalised leniently first (invalid cell
ids replaced, unknown cell and output types dropped, missing attachments shown as images not
loaded), where nbconvert alone would refuse it. And it shows a bounded amount of it
(:class:`PageBudget`): an output or cell over the budget is replaced by a note that the
``.ipynb`` download has it, so that no notebook makes its page cost minutes to render.
"""

from __future__ import annotations

import copy
import functools
import html
import json
import re
import uuid
from dataclasses import dataclass
from typing import Any, TypeGuard

import nbformat

#: Sent with every share page. No script from anywhere; styles inline (nbconvert's); images
#: inline only (a remote image would tell its site who visits: sanitize.py turns them into
#: links); nothing else may be fetched, framed or posted.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'none'",
        "style-src 'unsafe-inline'",
        "img-src data:",
        "font-src data:",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
        "sandbox allow-downloads allow-popups allow-popups-to-escape-sandbox",
    ]
)

# The lab template without its script loaders, and with a bar naming the notebook and offering
# its download. ``share_*`` values come in through ``resources``.
_TEMPLATE = """
{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block extra_css -%}
<meta name="robots" content="noindex, nofollow">
<meta name="referrer" content="no-referrer">
<style type="text/css">
/* Above anything an output could place (the lab CSS tops out at z-index 10000; outputs may set
   neither position nor z-index, nor load a style sheet): the bar always shows. */
.colab-share-bar {
  position: sticky; top: 0; z-index: 2147483647;
  display: flex; align-items: center; gap: 12px; flex-wrap: wrap;
  padding: 8px 16px; margin-bottom: 8px;
  background: var(--jp-layout-color2); color: var(--jp-ui-font-color1);
  border-bottom: 1px solid var(--jp-border-color2);
  font-family: var(--jp-ui-font-family); font-size: 13px;
}
.colab-share-bar .colab-share-name { font-weight: 600; }
.colab-share-bar .colab-share-note { color: var(--jp-ui-font-color2); flex: 1; }
.colab-share-bar a.colab-share-download {
  padding: 4px 12px; border-radius: 2px; text-decoration: none;
  background: var(--jp-brand-color1); color: white;
}
.colab-share-left-out {
  padding: 8px 12px; border: 1px dashed var(--jp-border-color1);
  color: var(--jp-ui-font-color2); font-family: var(--jp-ui-font-family); font-size: 13px;
}
</style>
{%- endblock extra_css -%}
{%- block data_svg scoped -%}
<div class="jp-RenderedSVG jp-OutputArea-output {{ extra_class }}" data-mime-type="image/svg+xml">
<img src="{{ output.data['image/svg+xml'] | svg_data_url }}" alt="SVG figure">
</div>
{%- endblock data_svg -%}
{%- block data_text scoped -%}
{%- if output.metadata.colab_share_left_out -%}
<div class="jp-OutputArea-output colab-share-left-out">{{ output.data['text/plain'] | escape_html }}
<a href="{{ resources.share_download }}">Download the .ipynb</a> to see it.</div>
{%- else -%}
{{ super() }}
{%- endif -%}
{%- endblock data_text -%}
{%- block body_header -%}
{{ super() }}
<header class="colab-share-bar">
  <span class="colab-share-name">{{ resources.share_name }}</span>
  <span class="colab-share-note">{{ resources.share_note }}</span>
  <a class="colab-share-download" href="{{ resources.share_download }}"
     download="{{ resources.share_name }}">Download .ipynb</a>
</header>
{%- endblock body_header -%}
"""


def strip_outputs(notebook: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``notebook`` without outputs, execution counts or saved widget state."""
    stripped = copy.deepcopy(notebook)
    for cell in stripped.get("cells", []):
        if cell.get("cell_type") == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
    stripped.get("metadata", {}).pop("widgets", None)
    return stripped


@dataclass(frozen=True)
class PageBudget:
    """How much of a notebook one share page shows, in characters of the saved notebook.

    Sanitising HTML costs about 2 s per MiB (bleach is pure Python), so these bound the time one
    render takes (``c.ColabExt.share_max_output_mb`` and ``share_max_page_mb`` set them). Each
    output and each cell's source counts; so do a Markdown cell's attachments.
    """

    #: The largest single output (or cell source) shown.
    max_item: int = 2 << 20
    #: The most of all outputs and sources together; past it, items are left out.
    max_page: int = 16 << 20


def fit_notebook(notebook: dict[str, Any], budget: PageBudget) -> dict[str, Any]:
    """``notebook`` normalised as JupyterLab would open it, with what is over budget left out."""
    normal = normalise_notebook(notebook)
    used = 0
    for cell in normal["cells"]:
        size = len(cell["source"]) + _size(cell.get("attachments"))
        if size > budget.max_item or used + size > budget.max_page:
            _leave_out_source(cell, size, budget, too_large=size > budget.max_item)
        else:
            used += size
        outputs = cell.get("outputs", [])
        for index, output in enumerate(outputs):
            size = _size(output)
            if size > budget.max_item or used + size > budget.max_page:
                outputs[index] = _left_out(size, budget, too_large=size > budget.max_item)
            else:
                used += size
    return normal


def _size(value: Any) -> int:
    if isinstance(value, str):
        return len(value)
    if isinstance(value, dict):
        return sum(_size(item) for item in value.values())
    if isinstance(value, list):
        return sum(_size(item) for item in value)
    return len(json.dumps(value, default=str)) if value is not None else 0


def _why(size: int, budget: PageBudget, *, too_large: bool) -> str:
    mib = size / (1 << 20)
    if too_large:
        limit = budget.max_item / (1 << 20)
        return (
            f"too large to show here ({mib:.1f} MiB; a share page shows up to {limit:g} MiB each)"
        )
    limit = budget.max_page / (1 << 20)
    return f"left out: this share page reached its size limit ({limit:g} MiB in all)"


def _left_out(size: int, budget: PageBudget, *, too_large: bool) -> dict[str, Any]:
    return {
        "output_type": "display_data",
        "data": {"text/plain": f"This output is {_why(size, budget, too_large=too_large)}."},
        "metadata": {"colab_share_left_out": True},
    }


def _leave_out_source(
    cell: dict[str, Any], size: int, budget: PageBudget, *, too_large: bool
) -> None:
    why = _why(size, budget, too_large=too_large)
    note = f"This cell is {why}. The .ipynb download has it."
    cell["source"] = f"# {note}" if cell["cell_type"] == "code" else f"*{note}*"
    cell.pop("attachments", None)


# ---- lenient normalisation --------------------------------------------------------------------

_CELL_ID = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")
_OUTPUT_TYPES = ("stream", "display_data", "execute_result", "error")


def normalise_notebook(notebook: dict[str, Any]) -> dict[str, Any]:
    """A new nbformat 4.5 notebook that nbconvert accepts, from one JupyterLab opened.

    JupyterLab shows notebooks that fail nbformat's schema (a cell id with a space, a Markdown
    cell pointing at an attachment it lacks); nbconvert refuses them, and the link would answer
    500 forever. Here: invalid or repeated ids are replaced, sources and texts joined into
    strings, cells of unknown type shown as raw text, outputs of unknown type dropped, and
    saved widget state left out (it could only come out as a data ``<script>``).
    """
    metadata = notebook.get("metadata")
    metadata = {k: v for k, v in metadata.items() if k != "widgets"} if _is_dict(metadata) else {}
    language = metadata.get("language_info")
    if _is_dict(language):  # it names the highlighter: only names, as text
        metadata["language_info"] = {
            k: v
            for k, v in language.items()
            if k not in ("name", "pygments_lexer") or isinstance(v, str)
        }
    else:
        metadata.pop("language_info", None)
    cells: list[dict[str, Any]] = []
    ids: set[str] = set()
    for raw in notebook.get("cells") or []:
        if not _is_dict(raw):
            continue
        cell = _normal_cell(raw)
        cell_id = raw.get("id")
        if not isinstance(cell_id, str) or not _CELL_ID.match(cell_id) or cell_id in ids:
            cell_id = uuid.uuid4().hex[:12]
        ids.add(cell_id)
        cells.append({"id": cell_id, **cell})
    return {"nbformat": 4, "nbformat_minor": 5, "metadata": metadata, "cells": cells}


def _normal_cell(raw: dict[str, Any]) -> dict[str, Any]:
    kind = raw.get("cell_type")
    metadata = dict(raw["metadata"]) if _is_dict(raw.get("metadata")) else {}
    if kind not in ("code", "markdown", "raw"):
        kind = "raw"
        metadata["raw_mimetype"] = ""
    cell: dict[str, Any] = {
        "cell_type": kind,
        "metadata": metadata,
        "source": _text(raw.get("source")),
    }
    if kind == "code":
        count = raw.get("execution_count")
        cell["execution_count"] = (
            count if isinstance(count, int) and not isinstance(count, bool) else None
        )
        outputs = raw.get("outputs")
        normal = (_normal_output(o) for o in outputs) if isinstance(outputs, list) else ()
        cell["outputs"] = [o for o in normal if o is not None]
    elif _is_dict(raw.get("attachments")):
        cell["attachments"] = {
            str(name): {str(mime): _text(data) for mime, data in bundle.items()}
            for name, bundle in raw["attachments"].items()
            if _is_dict(bundle) and bundle
        }
    return cell


def _normal_output(raw: Any) -> dict[str, Any] | None:
    if not _is_dict(raw) or raw.get("output_type") not in _OUTPUT_TYPES:
        return None
    kind = raw["output_type"]
    if kind == "stream":
        name = raw.get("name") if raw.get("name") in ("stdout", "stderr") else "stdout"
        return {"output_type": kind, "name": name, "text": _text(raw.get("text"))}
    if kind == "error":
        traceback = raw.get("traceback")
        return {
            "output_type": kind,
            "ename": _text(raw.get("ename")),
            "evalue": _text(raw.get("evalue")),
            "traceback": [_text(line) for line in traceback] if isinstance(traceback, list) else [],
        }
    data, metadata = raw.get("data"), raw.get("metadata")
    data = data if _is_dict(data) else {}
    metadata = metadata if _is_dict(metadata) else {}
    output = {
        "output_type": kind,
        "data": {
            str(mime): _text(value) if isinstance(value, str | list) else value
            for mime, value in data.items()
        },
        # The left-out note is ours to set: a notebook cannot fake one.
        "metadata": {k: v for k, v in metadata.items() if k != "colab_share_left_out"},
    }
    if kind == "execute_result":
        count = raw.get("execution_count")
        output["execution_count"] = (
            count if isinstance(count, int) and not isinstance(count, bool) else None
        )
    return output


def _is_dict(value: Any) -> TypeGuard[dict[str, Any]]:
    return isinstance(value, dict)


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "".join(item if isinstance(item, str) else str(item) for item in value)
    return "" if value is None else str(value)


# ---- rendering ---------------------------------------------------------------------------------


def render_notebook(
    notebook: dict[str, Any],
    *,
    name: str,
    download_href: str,
    note: str,
    budget: PageBudget | None = None,
) -> str:
    """The share page for ``notebook`` (nbformat JSON), sanitised, free of scripts, in budget."""
    # Imported on the first visit, not at server start: nbconvert and bleach take ~0.4 s to load.
    from jinja2 import DictLoader

    from .sanitize import clean_html, svg_data_url

    exporter = _exporter_class()(
        template_name="lab",
        template_file="colab_share.html.j2",
        extra_loaders=[DictLoader({"colab_share.html.j2": _TEMPLATE})],
        sanitize_html=True,
        exclude_anchor_links=True,
        filters={"clean_html": clean_html, "svg_data_url": svg_data_url},
    )
    node = nbformat.from_dict(fit_notebook(notebook, budget or PageBudget()))  # type: ignore[no-untyped-call]
    resources = {
        "metadata": {"name": name},
        # The template escapes nothing we pass: escape here.
        "share_name": html.escape(name),
        "share_note": html.escape(note),
        "share_download": html.escape(download_href),
    }
    body, _ = exporter.from_notebook_node(node, resources=resources)
    return str(body)


@functools.cache
def _exporter_class() -> type[Any]:
    from jinja2 import pass_context
    from nbconvert import HTMLExporter
    from nbconvert.exporters.templateexporter import TemplateExporter
    from nbconvert.filters.highlight import Highlight2HTML
    from nbconvert.filters.markdown_mistune import InvalidNotebook

    class ShareExporter(HTMLExporter):
        """nbconvert's HTML exporter, lenient about what JupyterLab opens, and linear in time."""

        def from_notebook_node(self, nb: Any, resources: Any = None, **kw: Any) -> Any:
            # HTMLExporter's own step re-parses the whole page with BeautifulSoup to add alt
            # texts and tabindex: as slow as sanitising it again (~3 s per MiB of table). Only
            # its code highlighter is needed; widget views are left out by our template.
            language = nb.metadata.get("language_info", {})
            lexer = language.get("pygments_lexer", language.get("name"))
            highlight = Highlight2HTML(pygments_lexer=lexer, parent=self)  # type: ignore[no-untyped-call]
            self.register_filter("highlight_code", highlight)  # type: ignore[no-untyped-call]
            return TemplateExporter.from_notebook_node(self, nb, resources, **kw)

        def _validate_preprocessor(self, nbc: Any, preprocessor: Any) -> None:
            # The notebook is normalised already; nbformat's strict schema would refuse what
            # JupyterLab shows (unknown metadata shapes, say), and the link would always 500.
            pass

        @pass_context
        def markdown2html(self, context: Any, source: str) -> str:
            try:
                return str(super().markdown2html(context, source))
            except InvalidNotebook:
                # An ``attachment:`` the cell lacks: shown, as in JupyterLab, as an image that
                # did not load (the sanitiser turns an image without a source into a note).
                cell = context.get("cell") or {}
                attachments = cell.get("attachments") or {}
                source = _ATTACHMENT.sub(
                    lambda ref: ref[0] if ref[1] in attachments else "#", source
                )
                try:
                    return str(super().markdown2html(context, source))
                except InvalidNotebook:  # a reference spelled in a way the pattern missed
                    return str(super().markdown2html(context, _ATTACHMENT.sub("#", source)))

    return ShareExporter


_ATTACHMENT = re.compile(r"attachment:([^\s)>\]\"']*)")
