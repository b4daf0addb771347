"""The article text of a saved web page, without the site's navigation, links and footer.

Government sites wrap each report in breadcrumbs, menus, "related articles"
lists and a copyright footer; place names in those would be mapped as if the
report named them. trafilatura finds the article; if it finds nothing (very
short pages, bare fragments) the largest block of running text is taken instead.
"""

from __future__ import annotations

import functools
import re
from configparser import ConfigParser
from pathlib import Path
from typing import Any

from geo.errors import IngestError
from geo.text.ingest.plaintext import decode_text, normalise_newlines

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_:.-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([a-zA-Z0-9_.-]+)""", re.IGNORECASE)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\n\r\f]+")
_CELL_GAP = re.compile(r" *\t[\t ]*")

# trafilatura's XML output: the element names it uses for blocks, line breaks and table cells.
_TRAF_BLOCKS = frozenset({"doc", "main", "p", "head", "list", "item", "table", "row", "quote", "code"})
_TRAF_SKIP = frozenset({"comments", "graphic"})

# HTML for the fallback extraction.
_HTML_BLOCKS = frozenset(
    {
        "address", "article", "blockquote", "body", "caption", "center", "dd", "div", "dl", "dt",
        "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "li", "main", "ol", "p",
        "pre", "section", "table", "tbody", "tfoot", "thead", "tr", "ul",
    }
)  # fmt: skip
_HTML_SKIP = frozenset(
    {
        "aside", "button", "canvas", "embed", "footer", "form", "head", "iframe", "input", "link",
        "map", "meta", "nav", "noscript", "object", "script", "select", "style", "svg", "template",
        "textarea", "title",
    }
)  # fmt: skip
_PARAGRAPH_TAGS = ("p", "pre", "blockquote", "li", "td", "h1", "h2", "h3", "h4", "h5", "h6")
#: class/id words of page chrome; elements so marked are left out of the fallback text.
_CHROME = re.compile(
    r"(?:^|[\s_-])(?:nav|navbar|menu|breadcrumbs?|crumbs?|sidebar|footer|copyright|related|share|"
    r"position|location|banner|toolbar)(?:$|[\s_-])",
    re.IGNORECASE,
)


def read_html(path: Path, data: bytes) -> str:
    """Decode a page and return its article text: one block per paragraph, headings on their own."""
    text = decode_text(path, data, declared_charset(data))
    text = _XML_DECLARATION.sub("", text, count=1)  # lxml refuses str input that declares an encoding
    try:
        article = _with_trafilatura(text)
    except Exception:  # trafilatura failing on odd markup should not lose the page
        article = ""
    article = article or _largest_block(path, text)
    if not article.strip():
        depth = markup_depth(text)
        if depth > MAX_READ_DEPTH:
            raise IngestError(path, f"cannot read the page: its markup is nested {depth:,} levels deep, "
                                    f"more than the {MAX_READ_DEPTH:,} the HTML reader follows")
    return normalise_newlines(article)


#: How deep the fallback reader follows nested elements (libxml2's limit with ``huge_tree``).
MAX_READ_DEPTH = 2048
_TAG = re.compile(r"<(/?)([A-Za-z][\w:-]*)[^<>]*?(/?)>")
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
                   "source", "track", "wbr"})


def markup_depth(text: str) -> int:
    """The deepest nesting of elements in ``text``, counted from its tags (one pass, no parser)."""
    depth = deepest = 0
    for m in _TAG.finditer(text):
        if m.group(2).lower() in _VOID or m.group(3):
            continue
        depth = max(0, depth - 1) if m.group(1) else depth + 1
        deepest = max(deepest, depth)
    return deepest


def declared_charset(data: bytes) -> str | None:
    """The charset a page names in its XML declaration or ``<meta>`` tag, if any."""
    head = data[:4096]
    match = _XML_ENCODING.search(head) or _META_CHARSET.search(head)
    return match.group(1).decode("ascii") if match else None


#: trafilatura's length thresholds count characters and are tuned for alphabetic text. Below
#: 250 characters it falls back to a whole-page dump that keeps breadcrumbs; one Chinese character
#: carries about what three Latin letters do, so short Chinese notices need a lower threshold.
MIN_ARTICLE_CHARS = 80


@functools.cache
def _trafilatura_config() -> ConfigParser:
    from trafilatura.settings import use_config

    config = use_config()
    config.set("DEFAULT", "MIN_EXTRACTED_SIZE", str(MIN_ARTICLE_CHARS))
    return config


def _with_trafilatura(text: str) -> str:
    import trafilatura
    from lxml import etree

    xml = trafilatura.extract(
        text,
        config=_trafilatura_config(),
        output_format="xml",
        with_metadata=True,
        include_comments=False,
        include_tables=True,  # tables hold the text on many old sites; empty cells are dropped
        include_images=False,
        include_links=False,
        include_formatting=False,
        deduplicate=False,
    )
    if not xml:
        return ""
    try:
        root = etree.fromstring(xml.encode("utf-8"), etree.XMLParser(remove_blank_text=True))
    except etree.XMLSyntaxError:
        return ""
    main = root.find("main")
    if main is None:
        return ""
    blocks = _blocks(main, _TRAF_BLOCKS, breaks={"lb"}, cells={"cell"}, skip=_TRAF_SKIP)
    title = _SPACES.sub(" ", root.get("title") or "").strip()
    if blocks and title and _squash(title) not in _squash("".join(blocks)):
        # The page title is often outside the article body but names the report.
        blocks.insert(0, title)
    return "\n\n".join(blocks)


def _largest_block(path: Path, text: str) -> str:
    """Fallback: the element holding the most running text that is not link text."""
    import lxml.html
    from lxml import etree

    try:
        # huge_tree: follow elements nested past libxml2's usual 256 levels (up to MAX_READ_DEPTH)
        root = lxml.html.document_fromstring(text, parser=lxml.html.HTMLParser(huge_tree=True))
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        raise IngestError(path, f"cannot parse the HTML: {exc}") from None
    for element in list(root.iter(etree.Element)):
        if element.tag != "body" and element.getparent() is not None and _is_chrome(element):
            element.drop_tree()
    container = _main_container(root, etree.Element)
    blocks = _blocks(container, _HTML_BLOCKS, breaks={"br"}, cells={"td", "th"}, skip=_HTML_SKIP)
    return "\n\n".join(blocks)


def _is_chrome(element: Any) -> bool:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag in _HTML_SKIP:
        return True
    if tag == "header":
        # A page header is chrome; an article's own header holds its title.
        return element.find(".//h1") is None and element.find(".//h2") is None
    marks = f"{element.get('class') or ''} {element.get('id') or ''} {element.get('role') or ''}"
    return bool(marks.strip()) and bool(_CHROME.search(marks.replace("navigation", "nav")))


def _main_container(root: Any, element_type: Any) -> Any:
    """The element holding the most running text.

    Paragraph-like elements credit their parent fully and their grandparent by
    half; other elements credit their own direct text to themselves.
    """
    scores: dict[Any, float] = {}
    for element in root.iter(element_type):
        own = _own_text_length(element)
        if own < 10:
            continue
        if element.tag in _PARAGRAPH_TAGS:
            parent = element.getparent()
            if parent is None:
                continue
            scores[parent] = scores.get(parent, 0.0) + own
            grandparent = parent.getparent()
            if grandparent is not None:
                scores[grandparent] = scores.get(grandparent, 0.0) + own / 2
        else:
            scores[element] = scores.get(element, 0.0) + own
    if not scores:
        body = root.find("body")
        return body if body is not None else root
    return max(scores, key=lambda element: scores[element])


def _own_text_length(element: Any) -> int:
    """Characters of text in the element that are not inside a link, for paragraph tags all of it."""
    if element.tag in _PARAGRAPH_TAGS:
        total = len(_squash(element.text_content()))
        links = sum(len(_squash(a.text_content())) for a in element.iter("a"))
        return total - links
    pieces = [element.text or ""]
    pieces += [child.tail or "" for child in element]
    return len(_squash("".join(pieces)))


def _blocks(
    root: Any,
    block_tags: frozenset[str],
    *,
    breaks: set[str],
    cells: set[str],
    skip: frozenset[str],
) -> list[str]:
    """Flatten a tree into text blocks: one per block element, ``<br>`` as newline, cells tab-separated."""
    out = _BlockWriter()
    _walk(root, out, block_tags, breaks, cells, skip)
    out.flush()
    return out.blocks


def _walk(
    element: Any,
    out: _BlockWriter,
    block_tags: frozenset[str],
    breaks: set[str],
    cells: set[str],
    skip: frozenset[str],
) -> None:
    tag = element.tag if isinstance(element.tag, str) else None
    if tag is not None and tag not in skip:
        if tag in block_tags:
            out.flush()
        if tag in breaks:
            out.newline()
        elif element.text:
            out.add(element.text)
        for child in element:
            _walk(child, out, block_tags, breaks, cells, skip)
        if tag in cells:
            out.cell_end()
        if tag in block_tags:
            out.flush()
    if element.tail:
        out.add(element.tail)


class _BlockWriter:
    """Collects inline text and cuts it into blocks at block boundaries."""

    def __init__(self) -> None:
        self.blocks: list[str] = []
        self._parts: list[str] = []

    def add(self, text: str) -> None:
        self._parts.append(_SPACES.sub(" ", text))

    def newline(self) -> None:
        self._parts.append("\n")

    def cell_end(self) -> None:
        self._parts.append("\t")

    def flush(self) -> None:
        raw = "".join(self._parts)
        self._parts = []
        lines = (_CELL_GAP.sub("\t", line).strip(" \t") for line in raw.split("\n"))
        block = "\n".join(line for line in lines if line)
        if block:
            self.blocks.append(block)


def _squash(text: str) -> str:
    return "".join(text.split())
