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
"""

from __future__ import annotations

import copy
import html
from typing import Any

import nbformat

#: Sent with every share page. No script from anywhere; styles inline (nbconvert's); images
#: inline or over https (figures in Markdown); nothing else may be fetched, framed or posted.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'none'",
        "style-src 'unsafe-inline'",
        "img-src data: https:",
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
.colab-share-bar {
  position: sticky; top: 0; z-index: 10;
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
</style>
{%- endblock extra_css -%}
{%- block data_svg scoped -%}
<div class="jp-RenderedSVG jp-OutputArea-output {{ extra_class }}" data-mime-type="image/svg+xml">
<img src="{{ output.data['image/svg+xml'] | svg_data_url }}" alt="SVG figure">
</div>
{%- endblock data_svg -%}
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


def render_notebook(notebook: dict[str, Any], *, name: str, download_href: str, note: str) -> str:
    """The share page for ``notebook`` (nbformat JSON), sanitised and free of scripts."""
    # Imported on the first visit, not at server start: nbconvert and bleach take ~0.4 s to load.
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter

    from .sanitize import clean_html, svg_data_url

    exporter = HTMLExporter(  # type: ignore[no-untyped-call]
        template_name="lab",
        template_file="colab_share.html.j2",
        extra_loaders=[DictLoader({"colab_share.html.j2": _TEMPLATE})],
        sanitize_html=True,
        exclude_anchor_links=True,
        filters={"clean_html": clean_html, "svg_data_url": svg_data_url},
    )
    # Widget state would only come out as a data <script>: nothing here could render it.
    notebook = {**notebook, "metadata": {**notebook.get("metadata", {})}}
    notebook["metadata"].pop("widgets", None)
    node = nbformat.from_dict(notebook)  # type: ignore[no-untyped-call]
    resources = {
        "metadata": {"name": name},
        # The template escapes nothing we pass: escape here.
        "share_name": html.escape(name),
        "share_note": html.escape(note),
        "share_download": html.escape(download_href),
    }
    body, _ = exporter.from_notebook_node(node, resources=resources)
    return str(body)
