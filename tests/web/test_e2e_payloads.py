"""Untrusted text in the running app: every payload is shown as written and nothing runs.

Every text field a layer carries from a report (the site's name, the quoted sentence, the words
as written, the document's name) and the fields a tampered layer file could carry (county, kind,
status, location source, year) hold payloads: ``<script>``, ``<img onerror>``, ``<svg onload>``,
``javascript:`` links (HTML and Markdown), ``</textarea>``, ``</script>`` and ``</style>`` breaks,
attribute breaks, template syntax and a right-to-left override (U+202E). The app is driven
through every place such text reaches the page: the map's popups and tooltips, the block shown
for the clicked site, the sidebar's filters, the approximate-sites list, the placement form,
the upload messages (an uploaded file's name is untrusted too) and the table.
Harness: ``conftest.py`` (as ``test_e2e_browser.py``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlparse

import pytest
from conftest import Session, browser, needs_chromium, running_app, write_layers
from playwright.sync_api import Error as PlaywrightError

from geo.web.i18n import t

pytestmark = [pytest.mark.browser, needs_chromium]

PWN = "window.__pwned"
PAYLOADS = {
    "script": f"<script>{PWN}='script'</script>",
    "img": f"<img src=x onerror=\"{PWN}='img'\">",
    "svg": f"<svg onload=\"{PWN}='svg'\"></svg>",
    "link": f"<a href=\"javascript:{PWN}='link'\">点此</a>",
    "markdown": f"[点此](javascript:{PWN}='md') **粗体** :red[红] $x$",
    "textarea": f"</textarea><script>{PWN}='textarea'</script>",
    "script_end": f"</script><script>{PWN}='script_end'</script>",
    "style_end": f"</style><img src=x onerror=\"{PWN}='style_end'\">",
    "attribute": f"\"' onmouseover=\"{PWN}='attr'\" x='",
    "template": "{{7*7}} ${7*7} {0} {n}",
    "entity": "&lt;b&gt;不是粗体&lt;/b&gt; &amp; &#x3c;",
}
RLO = "\u202e"
RLO_NAME = f"{RLO}园公山塔"  # shown reversed; the text after it must not turn around
DOC = f"报告{PAYLOADS['script_end']}{PAYLOADS['markdown']}.txt"
YK = "永康市"
def ui(key: str) -> str:
    """An interface string as the app shows it in Chinese, up to its first placeholder."""
    return t(key, "zh").split("{")[0]


POPUP_TAGS = {"DIV", "H4", "P", "B", "BR", "OL", "LI", "BLOCKQUOTE", "CITE", "MARK", "SPAN"}


def _feature(i: int, key: str, name: str, **props: Any) -> dict[str, Any]:
    quote = f"推进{name}建设，{PAYLOADS[key]}，并完成{PAYLOADS['textarea']}。"
    p = {
        "id": f"x{i}",
        "name": name,
        "category": "parks",
        "kind": "park",
        "county": YK,
        "status": "completed",
        "precision": "exact",
        "uncertainty_m": 50,
        "location_source": "gazetteer",
        "year": 2024,
        "sources": [
            {"doc": DOC, "quote": quote, "start": 0, "end": len(quote), "surface": name, "status": "completed"}
        ],
        **props,
    }
    lon, lat = 120.00 + 0.02 * i, 28.90 + 0.01 * (i % 3)
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]}, "properties": p}


def payload_layers() -> dict[str, list[dict[str, Any]]]:
    parks = [_feature(i, key, f"公园{i}{payload}") for i, (key, payload) in enumerate(PAYLOADS.items())]
    n = len(parks)
    parks.append(_feature(n, "img", RLO_NAME))
    parks.append(  # fields only a tampered layer file could fill this way
        _feature(
            n + 1,
            "svg",
            "字段公园",
            county=f"县{PAYLOADS['img']}",
            kind=f"kind{RLO}{PAYLOADS['script']}",
            status=f"status{PAYLOADS['svg']}",
            location_source=f"来源{PAYLOADS['link']}{RLO}",
            year=f"2024{PAYLOADS['style_end']}",
        )
    )
    approx = _feature(n + 2, "attribute", f"约略{PAYLOADS['img']}", precision="township", uncertainty_m=3000)
    approx["geometry"]["coordinates"] = [120.3, 28.7]
    parks.append(approx)
    return {"renewal": [], "parks": parks, "roads": [], "scenic": []}


ALL = payload_layers()["parks"]
N_SITES = len(ALL)
FIELDS = ALL[-2]["properties"]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory, playwright: Any) -> Iterator[tuple[Session, list[str]]]:
    root = tmp_path_factory.mktemp("payloads")
    write_layers(root / "layers", payload_layers())
    (root / "data" / "sources").mkdir(parents=True)
    env = {"RENEWAL_MAP_LAYERS": str(root / "layers"), "RENEWAL_MAP_DATA": str(root / "data")}
    with running_app(env, root / "streamlit.log") as url, browser(playwright, url, root / "profile") as s:
        requests: list[str] = []
        s.page.context.on("request", lambda r: requests.append(r.url))

        def on_dialog(dialog: Any) -> None:
            requests.append("dialog:" + dialog.message)
            dialog.dismiss()

        s.page.on("dialog", on_dialog)
        s.wait_site_count(N_SITES)
        yield s, requests


@pytest.fixture
def session(served: tuple[Session, list[str]]) -> Session:
    return served[0]


def assert_nothing_ran(served: tuple[Session, list[str]]) -> None:
    s, requests = served
    for frame in s.page.frames:
        assert frame.evaluate(f"typeof {PWN}") == "undefined", frame.url
        hrefs = frame.evaluate("Array.from(document.querySelectorAll('[href]')).map(a => a.getAttribute('href'))")
        assert not [h for h in hrefs if "javascript:" in h.lower()], frame.url
    assert not [u for u in requests if u.startswith("dialog:") or urlparse(u).path.endswith("/x")]


JS_ORDER = """([selector, text, context]) => {
  for (const el of document.querySelectorAll(selector)) {
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    let node;
    while ((node = walker.nextNode())) {
      const i = node.data.indexOf(text);
      if (i < 0 || node.data.indexOf(context) < 0) continue;
      const xs = [];
      for (let k = 0; k < text.length; k++) {
        const r = document.createRange();
        r.setStart(node, i + k); r.setEnd(node, i + k + 1);
        const box = r.getBoundingClientRect();
        xs.push([Math.round(box.top), box.left]);
      }
      return xs;
    }
  }
  return null;
}"""


def reads_left_to_right(frame: Any, selector: str, text: str, context: str = "") -> bool:
    """Whether the characters of ``text`` (in a text node of ``selector`` that also holds ``context``)
    are laid out left to right (line by line: Chinese text may wrap between any two characters)."""
    xs = [tuple(x) for x in frame.evaluate(JS_ORDER, [selector, text, context]) or ()]
    if not xs:
        raise LookupError(f"{text!r} not found in {selector}")
    return bool(xs == sorted(xs) and len(set(xs)) == len(xs))


JS_OPEN_POPUP = """(key) => {
  window.map.eachLayer(l => { if (l.feature && l.feature.id === key) l.openPopup(); });
}"""


def open_popup(session: Session, index: int, click: bool = False) -> Any:
    """The popup of site ``index``, opened through Leaflet (or by a click on the marker)."""
    close_popup(session)
    if click:
        session.click_feature(f"parks/x{index}")
    else:
        session.map_frame().evaluate(JS_OPEN_POPUP, f"parks/x{index}")
    popup = session.map.locator(".leaflet-popup-content")
    popup.wait_for(timeout=10000)
    return popup


def close_popup(session: Session) -> None:
    frame = session.map_frame()
    frame.evaluate("window.map.closePopup()")
    frame.wait_for_function("!document.querySelector('.leaflet-popup')", timeout=5000)


@pytest.mark.parametrize("index", range(N_SITES))
def test_popup_and_tooltip_show_the_text_as_written(
    served: tuple[Session, list[str]], index: int
) -> None:
    session = served[0]
    props = ALL[index]["properties"]
    frame = session.map_frame()
    tooltip = frame.evaluate(
        """(key) => { let found = null;
          window.map.eachLayer(l => { if (l.feature && l.feature.id === key) found = l; });
          found.openTooltip();
          const text = found.getTooltip().getElement().innerText;
          found.closeTooltip();
          return text; }""",
        f"parks/x{index}",
    )
    assert tooltip == props["name"]
    popup = open_popup(session, index)
    text = popup.inner_text()
    assert props["name"] in text and props["sources"][0]["quote"] in text and DOC in text
    tags = set(frame.evaluate("Array.from(document.querySelectorAll('.leaflet-popup-content *')).map(e => e.tagName)"))
    assert tags <= POPUP_TAGS, tags
    for member in ("county", "location_source", "year"):
        assert str(props[member]) in text, member
    assert reads_left_to_right(frame, ".leaflet-popup-content cite", "报告")
    assert_nothing_ran(served)
    close_popup(session)


def test_tampered_fields_are_text_too(served: tuple[Session, list[str]]) -> None:
    session = served[0]
    popup = open_popup(session, N_SITES - 2)
    text = popup.inner_text()
    for member in ("county", "status", "location_source", "year"):
        assert str(FIELDS[member]) in text, member
    # a kind that is not listed shows with spaces for "_" (and HTML collapses runs of spaces)
    assert " ".join(FIELDS["kind"].replace("_", " ").split()) in text
    assert_nothing_ran(served)
    close_popup(session)


def test_clicked_site_block_shows_the_text_as_written(served: tuple[Session, list[str]]) -> None:
    session = served[0]
    props = ALL[1]["properties"]  # the <img onerror> name
    session.map_frame().evaluate("window.map.setView([28.91, 120.02], 14)")
    session.page.wait_for_timeout(300)
    open_popup(session, 1, click=True)
    session.page.get_by_text(ui("selected_site")).wait_for(timeout=15000)
    block = session.page.locator('[data-testid="stHtml"]').filter(has_text="推进")
    block.first.wait_for(timeout=15000)
    text = block.first.inner_text()
    assert props["name"] in text and props["sources"][0]["quote"] in text
    assert block.first.locator("img, script, svg, a, textarea, iframe, style ~ *:not(div)").count() == 0
    close_popup(session)
    assert_nothing_ran(served)


def test_rtl_override_is_kept_and_stays_inside_the_name(served: tuple[Session, list[str]]) -> None:
    session = served[0]
    popup = open_popup(session, N_SITES - 3)
    assert popup.locator("h4").inner_text() == RLO_NAME  # as written, the override included
    frame = session.map_frame()
    assert not reads_left_to_right(frame, ".leaflet-popup-content h4", "园公")  # it does turn the name
    assert reads_left_to_right(frame, ".leaflet-popup-content p", ui("popup_layer"))  # and nothing after it
    close_popup(session)


def test_override_in_a_popup_line_does_not_reach_the_next_line(served: tuple[Session, list[str]]) -> None:
    """The kind (first line) and the location source (last) end in an override."""
    session = served[0]
    open_popup(session, N_SITES - 2)
    frame = session.map_frame()
    assert reads_left_to_right(frame, ".leaflet-popup-content p", ui("popup_status"))
    assert reads_left_to_right(frame, ".leaflet-popup-content", ui("popup_statements"))
    close_popup(session)


def _options(session: Session, label: str) -> list[str]:
    box = session.page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').filter(has_text=label)
    _open_dropdown(session, box, "")
    options = session.page.locator('[role="option"]')
    texts = [options.nth(i).inner_text().strip() for i in range(options.count())]
    assert options.locator("a, img, strong, em, code, svg").count() == 0
    session.page.keyboard.press("Escape")
    return texts


def test_filters_list_document_and_county_names_as_written(served: tuple[Session, list[str]]) -> None:
    session = served[0]
    assert _options(session, ui("document")) == [DOC]
    assert FIELDS["county"] in _options(session, ui("county"))
    assert_nothing_ran(served)


def test_approximate_list_and_table(served: tuple[Session, list[str]]) -> None:
    session = served[0]
    sidebar = session.page.locator('[data-testid="stSidebar"]')
    sidebar.get_by_text(ui("approximate_list")).first.click()
    sidebar.locator('[data-testid="stDataFrame"]').first.wait_for(timeout=10000)
    assert session.page.locator('[data-testid="stMain"] [data-testid="stDataFrame"]').count() == 1
    assert_nothing_ran(served)


def _place_option(session: Session, name: str) -> Any:
    main = session.page.locator('[data-testid="stMain"]')
    select = main.locator('[data-testid="stSelectbox"]').filter(has_text=ui("place_site"))
    if not select.first.is_visible():
        main.get_by_text(ui("place_title")).first.click()
    select.first.wait_for(timeout=10000)
    return _open_dropdown(session, select.first, name)


def _open_dropdown(session: Session, control: Any, text: str) -> Any:
    """Open a select box's list (again, if a rerun replaced it meanwhile) and return an option."""
    option = session.page.locator('[role="option"]').filter(has_text=text).first
    for _ in range(3):
        control.locator("input").click()
        try:
            option.wait_for(timeout=4000)
            return option
        except Exception:
            session.page.keyboard.press("Escape")
            session.page.wait_for_timeout(500)
    option.wait_for(timeout=4000)
    return option


def test_placement_form_lists_names_as_written(served: tuple[Session, list[str]]) -> None:
    session = served[0]
    for _ in range(3):  # read at once: a rerun meanwhile closes the list
        try:
            text, markup = _place_option(session, "约略").evaluate(
                "e => [e.innerText, e.querySelectorAll('img, a, strong').length]", timeout=2000
            )
            break
        except PlaywrightError:
            session.page.keyboard.press("Escape")
    else:
        raise AssertionError("the placement list closed every time before it could be read")
    assert text.startswith(ALL[-1]["properties"]["name"] + " · 永康市")
    assert markup == 0
    session.page.keyboard.press("Escape")
    assert_nothing_ran(served)


def test_placement_label_override_stays_inside_the_name(served: tuple[Session, list[str]]) -> None:
    session = served[0]
    _place_option(session, "园公山塔")
    try:
        assert reads_left_to_right(session.page.main_frame, '[role="option"]', "永康市", "园公山塔")
    finally:
        session.page.keyboard.press("Escape")


# (Chromium sends a '"' in an uploaded file's name as %22, so the names here have none.)
UPLOAD_NAME = f"上传{RLO}<img src=x onerror={PWN}=1>{PAYLOADS['markdown']}.txt"


def _upload(session: Session, name: str, data: bytes) -> None:
    main = session.page.locator('[data-testid="stMain"]')
    dropzone = main.locator('[data-testid="stFileUploaderDropzone"]')
    if not dropzone.first.is_visible():
        main.get_by_text(ui("upload_title")).first.click()
    dropzone.first.wait_for(timeout=10000)
    main.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
        files=[{"name": name, "mimeType": "text/plain", "buffer": data}]
    )


def _refused_upload(session: Session) -> Any:
    """The message about an uploaded empty file whose name is full of payloads."""
    alert = session.page.locator('[data-testid="stAlertContentError"]').filter(has_text=ui("upload_refused"))
    if not alert.first.is_visible():
        _upload(session, UPLOAD_NAME, b"")
    alert.first.wait_for(timeout=30000)
    return alert.first


def test_upload_messages_show_the_file_name_as_written(served: tuple[Session, list[str]]) -> None:
    alert = _refused_upload(served[0])
    assert UPLOAD_NAME in alert.inner_text()
    assert alert.locator("a, img, strong, em, code, svg, span[class*=color]").count() == 0
    assert_nothing_ran(served)


def test_upload_message_override_stays_inside_the_file_name(served: tuple[Session, list[str]]) -> None:
    session = served[0]
    _refused_upload(session)
    assert reads_left_to_right(session.page.main_frame, '[data-testid="stAlertContentError"]', "文件是空的")


def test_uploaded_report_named_with_payloads(served: tuple[Session, list[str]]) -> None:
    session = served[0]
    name = f"德清<svg onload={PWN}=1></svg>{PAYLOADS['textarea']}.txt"
    _upload(session, name, "德清县建设局工作总结\n\n德清县今年开工建设狮子山休闲公园。\n".encode())
    done = session.page.locator('[data-testid="stAlertContentSuccess"]').filter(has_text="德清")
    done.first.wait_for(timeout=60000)
    assert done.first.inner_text().startswith(name)
    assert_nothing_ran(served)
