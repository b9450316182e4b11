"""The HTML allowlist for share pages: what notebooks need to look right, and nothing that runs.

nbconvert's own ``clean_html`` keeps so little (no headings, paragraphs, images or tables) that
Markdown cells would show as escaped tags, so share pages use this one instead. Scripts, event
handlers, frames, forms and ``javascript:`` URLs are never allowed; CSS in ``style`` attributes
goes through bleach's CSS sanitiser. SVG is shown as an image (``<img src="data:...">``), where a
browser never runs its scripts.
"""

from __future__ import annotations

import base64
import re

import bleach
from bleach.css_sanitizer import ALLOWED_CSS_PROPERTIES, CSSSanitizer


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_TAGS = _words(
    """a abbr acronym b blockquote br caption center cite code col colgroup dd del details dfn div
    dl dt em figcaption figure font h1 h2 h3 h4 h5 h6 hr i img ins kbd li mark ol p pre q s samp
    small span strike strong style sub summary sup table tbody td tfoot th thead tr tt u ul var"""
)

_ATTRIBUTES = {
    "*": ["class", "id", "title", "style", "align", "dir", "lang"],
    "a": ["href", "name", "target", "rel"],
    "img": ["src", "alt", "width", "height"],
    "td": ["colspan", "rowspan", "valign", "halign"],
    "th": ["colspan", "rowspan", "valign", "halign", "scope"],
    "col": ["span", "width"],
    "ol": ["start", "type"],
    "font": ["color", "size"],
    "details": ["open"],
    "style": ["scoped", "type"],
}

# Elements whose content is code, not text: dropped whole, so their code is not shown as text
# either. (Safety does not rest on this pattern: bleach below strips any such tag it misses.)
_CODE_ELEMENTS = re.compile(
    r"<(script|noscript|template|iframe|object|embed)\b[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL
)

_PROTOCOLS = frozenset({"http", "https", "mailto", "data"})

_CSS = CSSSanitizer(allowed_css_properties=ALLOWED_CSS_PROPERTIES)


def clean_html(markup: object) -> str:
    """``markup`` with everything outside the allowlist removed (tags) or escaped (text)."""
    text = markup.decode() if isinstance(markup, bytes) else str(markup)
    cleaned: str = bleach.clean(
        _CODE_ELEMENTS.sub("", text),
        tags=_TAGS,
        attributes={**_ATTRIBUTES, "a": _link_attribute, "img": _image_attribute},
        protocols=_PROTOCOLS,
        css_sanitizer=_CSS,
        strip=True,
        strip_comments=True,
    )
    return cleaned


# ``data:`` is allowed for inline figures only; a ``data:text/html`` link would open a page of
# anyone's making, so links keep http(s), mailto and in-page anchors.
def _link_attribute(tag: str, name: str, value: str) -> bool:
    if name == "href":
        return value.lower().startswith(("http:", "https:", "mailto:", "#"))
    return name in _ATTRIBUTES["a"] or name in _ATTRIBUTES["*"]


def _image_attribute(tag: str, name: str, value: str) -> bool:
    if name == "src":
        return value.lower().startswith(("https:", "http:", "data:image/"))
    return name in _ATTRIBUTES["img"] or name in _ATTRIBUTES["*"]


def svg_data_url(svg: object) -> str:
    """An ``<img>``-ready data URL for an SVG output."""
    text = svg.decode() if isinstance(svg, bytes) else str(svg)
    return "data:image/svg+xml;base64," + base64.b64encode(text.encode()).decode("ascii")
