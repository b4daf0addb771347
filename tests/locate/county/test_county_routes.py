"""The county from beside the text (manifest, folder, file name, source address, title), the
reports that wait for a person (pending.json), and the app's one choice that places them.

Every report here is a real file in a temporary folder, built by ``python -m geo build``. The
report text is written for these tests: it names sites but no county.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import ProjectCopy, layer_features
from streamlit.testing.v1 import AppTest

from geo.cli import main
from geo.locate.county.beside import url_votes
from geo.locate.county.decide import Clues, decide
from geo.project.pending import read_pending
from geo.report.manifest import FIELDS, MANIFEST, ManifestError, manifest_line, read_manifest, set_county

APP = str(Path(__file__).resolve().parents[3] / "streamlit_app.py")
# names sites, no county: alone it must wait
VAGUE = ("城建工作简报\n本年度城建进展顺利。完成青松路提升工程，新建枫林公园一处，"
         "启动桂香片区改造，翠柳小区完成外立面整治。\n")


def build(inputs: list[Path], out: Path, *extra: str) -> int:
    return main(["build", *map(str, inputs), "--out", str(out), "--quiet", *extra])


def features(out: Path) -> list[dict]:
    return layer_features(out)


def write(path: Path, text: str = VAGUE) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_the_vague_report_alone_waits() -> None:
    d = decide(VAGUE)
    assert d.county is None and d.reason


def test_manifest_gives_the_county(tmp_path: Path) -> None:
    src = tmp_path / "reports"
    write(src / "a.txt")
    (src / MANIFEST).write_text("file,county\na.txt,桐乡市\n", encoding="utf-8")
    assert build([src], tmp_path / "out") == 0
    props = [f["properties"] for f in features(tmp_path / "out")]
    assert props and {p["county"] for p in props} == {"桐乡市"}
    assert {p["county_source"] for p in props} == {"manifest"}


def test_manifest_with_an_unknown_county_refuses_that_report(tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "reports"
    write(src / "a.txt")
    write(src / "b.txt", "桐乡市建设局完成青松路提升工程。全市新建枫林公园。\n")
    (src / MANIFEST).write_text("file,county\na.txt,不存在县\n", encoding="utf-8")
    assert build([src], tmp_path / "out") == 1
    err = capsys.readouterr().err
    assert "a.txt" in err and "sources.csv" in err and "不存在县" in err


def test_folder_gives_the_county(tmp_path: Path) -> None:
    src = tmp_path / "reports"
    write(src / "桐乡市" / "2021年总结.txt")
    assert build([src], tmp_path / "out") == 0
    props = [f["properties"] for f in features(tmp_path / "out")]
    assert {p["county"] for p in props} == {"桐乡市"} and {p["county_source"] for p in props} == {"folder"}


def test_file_name_in_pinyin_gives_the_county(tmp_path: Path) -> None:
    write(tmp_path / "in" / "2021_tongxiang.txt")
    assert build([tmp_path / "in"], tmp_path / "out") == 0
    props = [f["properties"] for f in features(tmp_path / "out")]
    assert {p["county"] for p in props} == {"桐乡市"} and {p["county_source"] for p in props} == {"file name"}


def test_source_url_gives_the_county(tmp_path: Path) -> None:
    src = tmp_path / "reports"
    write(src / "a.txt")
    (src / MANIFEST).write_text("file,county,url\na.txt,,http://www.haian.gov.cn/art/2021/1.html\n",
                                encoding="utf-8")
    assert build([src], tmp_path / "out") == 0
    props = [f["properties"] for f in features(tmp_path / "out")]
    assert {p["county"] for p in props} == {"海安市"} and {p["county_source"] for p in props} == {"url"}


def test_url_initials_only_on_a_government_host() -> None:
    assert {v.county for v in url_votes("https://lhk.gov.cn/xxgk/1.html", 6.0)}
    assert decide(VAGUE, Clues(url="https://lhk.gov.cn/xxgk/1.html")).county.name == "老河口市"
    assert url_votes("https://lhk.example.com/1.html", 6.0) == []


def test_title_gives_the_county(tmp_path: Path) -> None:
    src = tmp_path / "reports"
    write(src / "a.txt")
    (src / MANIFEST).write_text("file,county,url,date,title\na.txt,,,2021-12-31,桐乡市2021年城建总结\n",
                                encoding="utf-8")
    assert build([src], tmp_path / "out") == 0
    props = [f["properties"] for f in features(tmp_path / "out")]
    assert {p["county"] for p in props} == {"桐乡市"} and {p["county_source"] for p in props} == {"title"}


def test_title_line_of_the_text_counts_twice() -> None:
    body = "完成青松路提升工程。"
    titled = decide("桐乡市城建简报\n" + body)
    assert titled.county.name == "桐乡市"
    votes = [route for route, _, _ in titled.guesses[0].votes]
    assert "title" in votes and "named in text" in votes


def test_county_flag_beats_every_clue(tmp_path: Path) -> None:
    write(tmp_path / "in" / "tongxiang.txt")
    assert build([tmp_path / "in"], tmp_path / "out", "--county", "德清县") == 0
    props = [f["properties"] for f in features(tmp_path / "out")]
    assert {p["county"] for p in props} == {"德清县"} and {p["county_source"] for p in props} == {"--county"}


def test_an_ordinary_word_is_no_county() -> None:
    d = decide("城建工作简报\n要把城市做大，建成大城市群。平原地区的城区新城古城东区同步改造。")
    assert d.county is None


def test_manifest_round_trip(tmp_path: Path) -> None:
    (tmp_path / MANIFEST).write_text("file,county,url\nb.txt,德清县,http://x.example/1\n", encoding="utf-8")
    set_county(tmp_path, "a.txt", "南京市鼓楼区")
    rows = read_manifest(tmp_path)
    assert rows["a.txt"].county == "南京市鼓楼区" and rows["a.txt"].by_hand
    assert rows["b.txt"].url == "http://x.example/1" and not rows["b.txt"].by_hand
    assert (tmp_path / MANIFEST).read_text("utf-8").splitlines()[0] == ",".join(FIELDS)
    assert manifest_line("a.txt", "雨花区") == "a.txt,雨花区,,,,"
    (tmp_path / MANIFEST).write_text("name,county\n", encoding="utf-8")
    with pytest.raises(ManifestError, match=r"sources\.csv"):
        read_manifest(tmp_path)


def _site_names(out: Path) -> set[str]:
    return {f["properties"]["name"] for f in features(out)}


def test_a_waiting_report_keeps_its_sites_and_is_placed_by_its_manifest_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "reports"
    write(src / "vague.txt")
    write(src / "named.txt", "桐乡市建设局：全市完成梧桐街道老旧小区提升，新建凤鸣公园。\n")
    out = tmp_path / "out"
    assert build([src], out) == 1  # layers written, one report waits
    err = capsys.readouterr().err
    assert "1 report(s) need a county" in err and "vague.txt" in err
    (entry,) = read_pending(out)
    assert entry["file"] == "vague.txt" and entry["guesses"] and entry["reason"]
    waiting = {s["name"] for s in entry["sites"]}
    assert waiting and not waiting & _site_names(out)  # never mixed into the layers
    for name in ("renewal", "parks", "roads", "scenic"):
        assert json.loads((out / f"{name}.geojson").read_text("utf-8"))["type"] == "FeatureCollection"
    # the line the build printed, added to the manifest, places it; no site is lost on the way
    line = next(ln.rsplit(": ", 1)[1] for ln in err.splitlines() if "add this line" in ln)
    assert line.startswith("vague.txt,")
    county = "桐乡市"
    (src / MANIFEST).write_text(",".join(FIELDS) + "\n" + line.replace(line.split(",")[1], county, 1) + "\n",
                                encoding="utf-8")
    assert build([src], out) == 0
    assert read_pending(out) == []
    placed = {f["properties"]["name"] for f in features(out) if f["properties"]["county"] == county
              and any(s["doc"] == "vague.txt" for s in f["properties"]["sources"])}
    assert placed == waiting


def test_the_app_places_a_waiting_report_by_one_choice(project: ProjectCopy) -> None:
    write(project.sources / "vague.txt")
    assert build([project.sources], project.layers) == 1
    (entry,) = read_pending(project.layers)
    waiting = {s["name"] for s in entry["sites"]}
    first = entry["guesses"][0]["county"]
    shown = AppTest.from_file(APP, default_timeout=120)
    shown.run()  # read-only, as deployed by default: the report and its guesses, no choice
    assert any("1 份报告需要指定县" in e.label for e in shown.expander)
    # the report by its title, its file name after it
    assert any("城建工作简报 · 文件 vague\\.txt" in m.value for m in shown.markdown), [m.value for m in shown.markdown]
    assert not [b for b in shown.button if b.key and b.key.startswith("pending_")]
    at = AppTest.from_file(APP, default_timeout=120)
    at.secrets["access"] = {"open_writes": True}
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("1 份报告需要指定县" in e.label for e in at.expander)
    button = at.button(key="pending_0_0")
    assert first in button.label
    button.click().run()
    assert not at.exception, [e.value for e in at.exception]
    rows = read_manifest(project.sources)
    assert rows["vague.txt"].by_hand and rows["vague.txt"].county.endswith(first)
    assert read_pending(project.layers) == []
    placed = [f["properties"] for f in layer_features(project.layers)
              if any(s["doc"] == "vague.txt" for s in f["properties"]["sources"])]
    assert {p["name"] for p in placed} == waiting
    assert {p["county_source"] for p in placed} == {"chosen by hand"}
    assert not any("需要指定县" in e.label for e in at.expander)


def test_county_command_explains_and_prints_the_manifest_line(tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    named = write(tmp_path / "2021_tongxiang.txt")
    vague = write(tmp_path / "vague.txt")
    assert main(["county", str(named), "--explain"]) == 0
    out = capsys.readouterr().out
    assert "桐乡市 (how: file name" in out and "tongxiang" in out and "1. 浙江省嘉兴市桐乡市" in out
    assert main(["county", str(vague)]) == 1
    out = capsys.readouterr().out
    assert "county unclear" in out and f"{tmp_path / MANIFEST}: vague.txt," in out


def test_each_source_entry_carries_its_reports_title_issuer_and_date(tmp_path: Path) -> None:
    """What the manifest and the text say about each report rides with every quote from it."""
    src = tmp_path / "reports"
    write(src / "a.txt", VAGUE + "桐乡市住房和城乡建设局\n2031年2月3日\n")
    write(src / "b.txt", "本年度完成南浦路提升工程，新建梅园公园一处，各项任务按期完成，居民反映良好。\n")
    (src / MANIFEST).write_text("file,county,url,date,title\na.txt,桐乡市,,,\nb.txt,桐乡市,,2030,道路公园建设情况\n",
                                encoding="utf-8")
    assert build([src], tmp_path / "out") == 0
    by_doc = {s["doc"]: s for f in features(tmp_path / "out") for s in f["properties"]["sources"]}
    a, b = by_doc["a.txt"], by_doc["b.txt"]
    assert (a["title"], a["issuer"], a["date"]) == ("城建工作简报", "桐乡市住房和城乡建设局", "2031-02-03")
    assert (b["title"], b["date"]) == ("道路公园建设情况", "2030") and "issuer" not in b
    assert {"quote", "start", "end", "surface", "status"} <= set(a)  # the other properties stay


def test_a_waiting_report_lists_its_title(tmp_path: Path) -> None:
    write(tmp_path / "in" / "r.txt")
    assert build([tmp_path / "in"], tmp_path / "out") == 1  # built, one report waits
    [entry] = read_pending(tmp_path / "out")
    assert entry["title"] == "城建工作简报"
