"""The HTML allowlist for share pages: what notebooks need to look right, and nothing that runs.

nbconvert's own ``clean_html`` keeps so little (no headings, paragraphs, images or tables) that
Markdown cells would show as escaped tags, so share pages use this one instead. Scripts, event
handlers, frames, forms and ``javascript:`` URLs are never allowed; CSS in ``style`` attributes
goes through bleach's CSS sanitiser. SVG is shown as an image (``<img src="data:...">``), where a
browser never runs its scripts.

What the allowlist keeps away from the page's own read-only bar: ``<style>`` elements (a notebook's
style sheet could hide or restyle the bar) and ``colab-`` classes (they would give an output the
bar's own look and stickiness). No allowed CSS property positions an element (``position``,
``z-index``, ``margin`` and ``transform`` are not in bleach's list), so an output cannot be laid
over the bar, which sits above everything else on the page.

Remote images (``<img src="https://...">``) would tell a third party each visitor's address: they
become a link saying the image was not loaded, and the page's Content-Security-Policy loads
images from ``data:`` URLs only.
"""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Iterator
from typing import Any

from bleach import html5lib_shim
from bleach._vendor.html5lib.treebuilders import getTreeBuilder
from bleach.css_sanitizer import ALLOWED_CSS_PROPERTIES, CSSSanitizer
from bleach.sanitizer import Cleaner


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_TAGS = _words(
    """a abbr acronym b blockquote br caption center cite code col colgroup dd del details dfn div
    dl dt em figcaption figure font h1 h2 h3 h4 h5 h6 hr i img ins kbd li mark ol p pre q s samp
    small span strike strong sub summary sup table tbody td tfoot th thead tr tt u ul var"""
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
}

# Elements whose content is code or a style sheet, not text: dropped whole, so their content is
# not shown as text either. (Safety does not rest on this: bleach below strips any such tag left.)
_CODE_ELEMENTS = ("script", "noscript", "template", "iframe", "object", "embed", "style")
_OPENING = re.compile(r"<(" + "|".join(_CODE_ELEMENTS) + r")\b", re.IGNORECASE)
_CLOSING = {name: re.compile(rf"</{name}\s*>", re.IGNORECASE) for name in _CODE_ELEMENTS}


def _drop_code_elements(text: str) -> str:
    """``text`` without its ``<script>...</script>`` (and the like) elements, in linear time.

    A single regular expression (opening tag, lazy ``.*?``, closing tag) rescans the rest of the
    text for each opening tag without a closing one: 160 kB of ``<script>`` took 15 s. Here an
    element whose closing tag is missing once is never searched for again.
    """
    parts: list[str] = []
    position = 0
    unclosed: set[str] = set()
    while opening := _OPENING.search(text, position):
        tag_end = text.find(">", opening.end())
        if tag_end < 0:
            break  # no tag completes after here
        name = opening[1].lower()
        closing = None if name in unclosed else _CLOSING[name].search(text, tag_end + 1)
        if closing is None:
            unclosed.add(name)
            parts.append(text[position : tag_end + 1])
            position = tag_end + 1
            continue
        parts.append(text[position : opening.start()])
        position = closing.end()
    parts.append(text[position:])
    return "".join(parts)


_PROTOCOLS = frozenset({"http", "https", "mailto", "data"})

_CSS = CSSSanitizer(allowed_css_properties=ALLOWED_CSS_PROPERTIES)


def clean_html(markup: object) -> str:
    """``markup`` with everything outside the allowlist removed (tags) or escaped (text)."""
    text = markup.decode() if isinstance(markup, bytes) else str(markup)
    # A Cleaner keeps parser state: one per call, as bleach.clean does, so threads never share.
    cleaner = Cleaner(
        tags=_TAGS,
        attributes={
            **_ATTRIBUTES,
            "*": _any_attribute,
            "a": _link_attribute,
            "img": _image_attribute,
        },
        protocols=_PROTOCOLS,
        css_sanitizer=_CSS,
        strip=True,
        strip_comments=True,
        filters=[_RemoteImagesAsLinks],
    )
    cleaner.parser = html5lib_shim.BleachHTMLParser(
        tags=_TAGS,
        strip=True,
        consume_entities=False,
        namespaceHTMLElements=False,
        tree=_DepthLimitedTreeBuilder,
    )
    cleaner.walker = _LinearTreeWalker
    try:
        cleaned: str = cleaner.clean(_drop_code_elements(text))
    except _TooDeep:
        return html.escape(
            f"[This HTML is nested more than {MAX_DEPTH} elements deep, too deep to show here. "
            "The .ipynb download has it.]"
        )
    return cleaned


#: Browsers stop nesting at about this depth too (Blink's parser at 512).
MAX_DEPTH = 512


class _TooDeep(Exception):
    pass


class _BoundedStack(list[Any]):
    def append(self, element: Any) -> None:
        if len(self) >= MAX_DEPTH:
            raise _TooDeep
        super().append(element)


class _DepthLimitedTreeBuilder(getTreeBuilder("etree")):  # type: ignore[misc]
    """html5lib's tree builder with a bound on how deep elements nest.

    The parser looks through its stack of open elements for almost every tag (is a ``<p>`` open
    to close? a ``<button>``?), so n unclosed ``<div>`` or ``<b>`` cost O(n^2): 8,000 took 2.6 s,
    2 MiB of them would take hours. Bounded, each look is short.
    """

    def reset(self) -> None:
        super().reset()
        self.openElements = _BoundedStack()


_ETreeWalker: Any = html5lib_shim.getTreeWalker("etree")


class _LinearTreeWalker(_ETreeWalker):  # type: ignore[misc]
    """html5lib's etree walker, minus its quadratic step.

    Climbing from the last child of an element back to the element, html5lib's walker finds the
    element's position among its siblings by searching the parent's children
    (``list(parent).count(...)`` and ``.index(...)``): O(n) per climb, so a table body of n rows
    cost O(n^2) (a 1 MiB DataFrame took 13 s, 10 MiB over 400 s). This walker remembers each
    ancestor's position as it descends, in a stack beside html5lib's own stack of ancestors.
    """

    def __init__(self, tree: Any) -> None:
        super().__init__(tree)
        self._positions: list[int | None] = []

    def getFirstChild(self, node: Any) -> Any:
        child = super().getFirstChild(node)
        if child is not None and child[3] is None:  # went down into an element: one more ancestor
            self._positions.append(node[1] if isinstance(node, tuple) else None)
        return child

    def getNextSibling(self, node: Any) -> Any:
        sibling = super().getNextSibling(node)
        if sibling is not None and node[3] == "text" and sibling[3] is None:
            # From an element's text to its first child: the element became an ancestor.
            self._positions.append(node[1])
        return sibling

    def getParentNode(self, node: Any) -> Any:
        if not isinstance(node, tuple):
            return None
        element, position, ancestors, flag = node
        if flag == "text":
            return (element, position, ancestors, None) if ancestors else element
        parent = ancestors.pop()
        parent_position = self._positions.pop()
        return (parent, parent_position, ancestors, None) if ancestors else parent


class _RemoteImagesAsLinks(html5lib_shim.Filter):  # type: ignore[misc]
    """``<img>`` from another site becomes a link to it: loading it would reveal the visitor."""

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for token in super().__iter__():
            if token["type"] not in ("EmptyTag", "StartTag") or token["name"] != "img":
                yield token
                continue
            attributes = token.get("data") or {}
            src = str(attributes.get((None, "src"), ""))
            if src.lower().startswith("data:image/"):
                yield token
                continue
            alt = str(attributes.get((None, "alt"), "")).strip()
            label = f"Image not loaded: {alt or src or 'no address'}"
            if src:
                yield {
                    "type": "StartTag",
                    "name": "a",
                    "namespace": token.get("namespace"),
                    "data": {
                        (None, "href"): src,
                        (None, "rel"): "noopener noreferrer nofollow",
                        (None, "class"): "colab-share-remote-image",
                    },
                }
                yield {"type": "Characters", "data": f"[{label}]"}
                yield {"type": "EndTag", "name": "a", "namespace": token.get("namespace")}
            else:
                yield {"type": "Characters", "data": f"[{label}]"}


def _any_attribute(tag: str, name: str, value: str) -> bool:
    if name == "class":
        # The page's own elements use colab- classes: an output must not borrow their look.
        return "colab-" not in value.lower()
    return name in _ATTRIBUTES["*"]


# ``data:`` is allowed for inline figures only; a ``data:text/html`` link would open a page of
# anyone's making, so links keep http(s), mailto and in-page anchors.
def _link_attribute(tag: str, name: str, value: str) -> bool:
    if name == "href":
        return value.lower().startswith(("http:", "https:", "mailto:", "#"))
    return name in _ATTRIBUTES["a"] or _any_attribute(tag, name, value)


def _image_attribute(tag: str, name: str, value: str) -> bool:
    # Remote sources are kept here only for _RemoteImagesAsLinks to turn them into links.
    if name == "src":
        return value.lower().startswith(("https:", "http:", "data:image/"))
    return name in _ATTRIBUTES["img"] or _any_attribute(tag, name, value)


def svg_data_url(svg: object) -> str:
    """An ``<img>``-ready data URL for an SVG output."""
    text = svg.decode() if isinstance(svg, bytes) else str(svg)
    return "data:image/svg+xml;base64," + base64.b64encode(text.encode()).decode("ascii")
