"""Reports brought by the user: read with the build's own pipeline, refused by content, saved all or nothing."""

from __future__ import annotations

import json
import random
import tempfile
from pathlib import Path
from typing import Any

import pytest
from crash_helper import DEQING_REPORT, YONGKANG_REPORT, copy_project, make_project, run_plan, stamps, tree

from geo.cli import main
from geo.errors import GeoError
from geo.output.layers import LAYERS
from geo.project.project import Project
from geo.project.upload import (
    JOURNAL_NAME,
    MAX_UPLOAD_BYTES,
    UploadError,
    process_upload,
    recover_interrupted_save,
    save_upload,
)

PARK = "狮子山休闲公园"
DOCX_NAME = "德清县建设局半年度工作回眸.docx"


def deqing_docx(folder: Path) -> Path:
    """The 德清 report as a Word file, one paragraph per line."""
    import docx

    document = docx.Document()
    for line in DEQING_REPORT.read_text(encoding="utf-8").splitlines():
        if line.strip():
            document.add_paragraph(line.strip())
    path = folder / DOCX_NAME
    document.save(str(path))
    return path


def features(layers: Path) -> list[dict[str, Any]]:
    return [
        f for name in LAYERS for f in json.loads((layers / f"{name}.geojson").read_text("utf-8"))["features"]
    ]


def at(root: Path) -> Project:
    """The project in the folder ``root`` (reports in data/sources, placements in data/)."""
    return Project.at(root)


@pytest.fixture(scope="module")
def docx_bytes(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    return deqing_docx(tmp_path_factory.mktemp("docx")).read_bytes()


@pytest.fixture(scope="module")
def both_reports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A built project of the two seed reports."""
    return make_project(tmp_path_factory.mktemp("both") / "project", [YONGKANG_REPORT, DEQING_REPORT])


@pytest.fixture(scope="module")
def yongkang_only(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A built project of the 永康 report alone: the 德清 report is new to it."""
    return make_project(tmp_path_factory.mktemp("yk") / "project", [YONGKANG_REPORT])


@pytest.fixture
def project(yongkang_only: Path, tmp_path: Path) -> Path:
    """A private copy of the 永康-only project; placements are read from the copy."""
    return copy_project(yongkang_only, tmp_path / "project")


# ------------------------------------------------------------------ reading an upload


def test_docx_upload_is_read_by_the_build_pipeline_and_touches_nothing(
    project: Path, docx_bytes: bytes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    private = tmp_path / "private-tmp"
    private.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(private))
    monkeypatch.chdir(project)  # data/ and layers/ are the copy's
    before, before_stamps = tree(project), stamps(project)

    result = process_upload(at(project), DOCX_NAME, docx_bytes)

    assert tree(project) == before and stamps(project) == before_stamps
    assert list(private.iterdir()) == []  # the private copy is gone
    assert result.name == DOCX_NAME and result.document.fmt == "docx" and result.document.county.key == "德清县"
    names = {f["properties"]["name"] for f in result.features}
    assert {PARK, "城山郊野公园", "中兴未来社区"} <= names
    assert all(f["properties"]["origin"] == "upload" for f in result.features)
    assert all(s["doc"] == DOCX_NAME for f in result.features for s in f["properties"]["sources"])
    assert sum(map(len, result.by_layer().values())) == len(result.features)
    assert result.feature_collection()["type"] == "FeatureCollection"

    # exactly the features a build of this one report writes, plus the origin
    (project / "in").mkdir()
    (project / "in" / DOCX_NAME).write_bytes(docx_bytes)
    assert main(["build", str(project / "in"), "--out", str(tmp_path / "built"), "--quiet",
                 "--overrides", str(project / "data" / "overrides.geojson")]) == 0
    built = sorted(features(tmp_path / "built"), key=lambda f: f["id"])
    uploaded = sorted(result.features, key=lambda f: f["id"])
    for f in uploaded:
        del f["properties"]["origin"]
    assert uploaded == built


def test_a_browser_path_is_reduced_to_the_file_name(docx_bytes: bytes, tmp_path: Path) -> None:
    result = process_upload(at(tmp_path), "C:\\fakepath\\" + DOCX_NAME, docx_bytes)
    assert result.name == DOCX_NAME and result.document.path == Path(DOCX_NAME)


def test_county_given_for_an_upload(project: Path) -> None:
    text = "推进狮子山休闲公园改造提升。".encode()
    with pytest.raises(UploadError) as info:
        process_upload(at(project), "短讯.txt", text)
    assert "短讯.txt" in str(info.value) and "choose the county" in str(info.value)
    result = process_upload(at(project), "短讯.txt", text, county="德清")
    assert result.document.county.key == "德清县" and [f["properties"]["name"] for f in result.features] == [PARK]
    assert any("saving it into the project would be refused" in w for w in result.warnings)


def _random_pdf() -> bytes:
    return random.Random(7).randbytes(4096)


REFUSED = [
    ("报告.pdf", _random_pdf, "named .pdf but is not a PDF"),
    (
        "报告.txt",
        lambda: b"x" * (MAX_UPLOAD_BYTES + 1),
        "file too large: 20.0 MiB exceeds the upload limit of 20.0 MiB",
    ),
    (
        "报告.docx",
        lambda: DEQING_REPORT.read_bytes(),
        "named .docx but is not a Word .docx document (looks like text)",
    ),
    ("报告.txt", lambda: b"", "empty file (0 bytes)"),
    (
        "报告.doc",
        lambda: b"\xd0\xcf\x11\xe0",
        "unsupported file type .doc (old Word format: save it as .docx)",
    ),
    ("报告.xlsx", lambda: b"PK\x03\x04", "unsupported file type .xlsx"),
    (".报告.txt", lambda: b"text", "hidden or temporary file name"),
    ("~$报告.docx", lambda: b"text", "hidden or temporary file name"),
    ("报告.txt", lambda: b"   \n\n", "no text: the file holds only whitespace"),
]


@pytest.mark.parametrize("action", ["process", "save"])
@pytest.mark.parametrize(("name", "make", "reason"), REFUSED, ids=[r[2][:30] for r in REFUSED])
def test_refused_uploads_name_the_file_and_the_reason_and_change_nothing(
    project: Path, action: str, name: str, make: Any, reason: str
) -> None:
    before = tree(project)
    with pytest.raises(UploadError) as info:
        if action == "process":
            process_upload(at(project), name, make())
        else:
            save_upload(at(project), name, make())
    message = str(info.value)
    assert message.startswith(f"{name}: ") and reason in message, message
    assert isinstance(info.value, GeoError)
    assert tree(project) == before


# ------------------------------------------------------------------ saving


def test_save_adds_the_report_and_rebuilds_the_layers_as_the_build_would(
    project: Path, docx_bytes: bytes, tmp_path: Path
) -> None:
    assert PARK not in {f["properties"]["name"] for f in features(project / "layers")}
    saved = save_upload(at(project), DOCX_NAME, docx_bytes)

    assert saved.added and saved.path == project / "data" / "sources" / DOCX_NAME
    assert saved.path.read_bytes() == docx_bytes
    assert saved.reports == 2 and saved.document.county.key == "德清县" and saved.warnings == ()
    layer_features = features(project / "layers")
    assert PARK in {f["properties"]["name"] for f in layer_features}
    assert saved.counts == {
        name: sum(f["properties"]["category"] == name for f in layer_features) for name in LAYERS
    }
    assert not any("origin" in f["properties"] for f in layer_features)
    # the same bytes as `python -m geo build` of the sources folder
    assert (
        main(["build", str(project / "data" / "sources"), "--out", str(tmp_path / "rebuilt"), "--quiet",
              "--overrides", str(project / "data" / "overrides.geojson")]) == 0
    )
    for name in LAYERS:
        assert (project / "layers" / f"{name}.geojson").read_bytes() == (
            tmp_path / "rebuilt" / f"{name}.geojson"
        ).read_bytes()
    hidden = [p for p in project.rglob(".*")]
    assert hidden == []  # no journal, no staging folder, no temporaries


def test_saving_the_same_report_again_only_rebuilds(project: Path, docx_bytes: bytes) -> None:
    save_upload(at(project), DOCX_NAME, docx_bytes)
    before = tree(project)
    again = save_upload(at(project), DOCX_NAME, docx_bytes)
    assert not again.added and again.path.read_bytes() == docx_bytes
    assert tree(project) == before


def test_a_name_taken_by_another_report_or_the_same_report_renamed_is_refused(
    project: Path, docx_bytes: bytes
) -> None:
    save_upload(at(project), DOCX_NAME, docx_bytes)
    before = tree(project)
    with pytest.raises(UploadError, match="a different report of this name is already in the project"):
        save_upload(at(project), DOCX_NAME, deqing_docx_variant(docx_bytes))
    with pytest.raises(UploadError, match="the same report is already in the project as .*" + DOCX_NAME):
        save_upload(at(project), "copy.docx", docx_bytes)
    with pytest.raises(UploadError, match="a different report of this name"):
        save_upload(at(project), YONGKANG_REPORT.name, DEQING_REPORT.read_bytes())
    assert tree(project) == before


def deqing_docx_variant(docx_bytes: bytes) -> bytes:
    import io

    import docx

    document = docx.Document(io.BytesIO(docx_bytes))
    document.add_paragraph("补记:推进狮子山休闲公园二期。")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_a_failed_rebuild_saves_nothing(project: Path, docx_bytes: bytes) -> None:
    (project / "data" / "overrides.geojson").write_text("{not json", encoding="utf-8")
    before = tree(project)
    with pytest.raises(
        UploadError, match=r"not saved: the layers cannot be rebuilt \(.*overrides.geojson: not valid JSON"
    ):
        save_upload(at(project), DOCX_NAME, docx_bytes)
    assert tree(project) == before


def test_the_county_of_a_saved_report_must_be_told_by_its_text(project: Path, docx_bytes: bytes) -> None:
    before = tree(project)
    with pytest.raises(UploadError, match="the text reads as 德清县, not 永康市"):
        save_upload(at(project), DOCX_NAME, docx_bytes, county="永康")
    with pytest.raises(UploadError, match="must name its county clearly; not saved"):
        save_upload(at(project), "短讯.txt", "推进狮子山休闲公园改造提升。".encode(), county="德清县")
    assert tree(project) == before
    assert save_upload(at(project), DOCX_NAME, docx_bytes, county="德清").added


# ------------------------------------------------------------------ killed part-way


def _excerpt(report: Path, keep: Any) -> bytes:
    lines = [line for line in report.read_text(encoding="utf-8").splitlines() if line.strip()]
    return "\n\n".join(keep(lines)).encode("utf-8")


def test_a_save_killed_at_any_point_leaves_the_project_as_before_or_as_after(tmp_path: Path) -> None:
    # short reports keep each of the many runs quick
    report = tmp_path / "永康摘录.txt"
    report.write_bytes(_excerpt(YONGKANG_REPORT, lambda lines: lines[:100]))
    upload = tmp_path / "德清摘录.txt"
    upload.write_bytes(_excerpt(DEQING_REPORT, lambda lines: [lines[0], *(x for x in lines if PARK in x)]))
    template, work = tmp_path / "template", tmp_path / "work"
    work.mkdir()
    answer = run_plan(
        {
            "kind": "save",
            "reports": [str(report)],
            "template": str(template),
            "work": str(work),
            "upload": str(upload),
            "name": "德清.txt",
            "random_kills": 6,
            "budget_s": 4,
            "seed": 3,
        },
        tmp_path,
    )
    before, after = tree(template), tree(Path(answer["after"]))
    assert after != before and "data/sources/德清.txt" in after
    originals = {report.read_bytes(), upload.read_bytes()}
    ends: set[str] = set()
    assert len(answer["trials"]) >= 10 and answer["steps"] >= 10
    for i, trial in enumerate(answer["trials"]):
        root, how = Path(trial["root"]), trial["how"]
        assert trial["outcome"] in {"killed", "done"}, trial
        for name in LAYERS:  # readers never see a half-written file
            fc = json.loads((root / "layers" / f"{name}.geojson").read_text(encoding="utf-8"))
            assert fc["type"] == "FeatureCollection", how
        for report in (root / "data" / "sources").iterdir():
            if not report.name.startswith("."):
                assert report.read_bytes() in originals, how
        sources = root / "data" / "sources"
        if i % 2:  # what the next save does first
            finished = recover_interrupted_save(sources)
        else:  # or the next build of the folder
            finished = False
            assert main(["build", str(sources), "--out", str(root / "layers"), "--quiet",
                         "--overrides", str(root / "data" / "overrides.geojson")]) == 0, how
        state = tree(root)
        assert state in (before, after), how
        ends.add("after" if state == after else "before")
        assert finished <= (state == after)
        assert not (root / "data" / "sources" / JOURNAL_NAME).exists()
    assert ends == {"before", "after"}  # killed before and after the point of no return
