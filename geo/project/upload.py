"""Reports brought by the user: read one without touching the project, or save it into the project.

:func:`process_upload` puts the bytes in a private temporary folder under the upload's own name
and runs the build's per-report unit (:func:`geo.report.pipeline.process_file`) on them, so an upload
is read, sniffed and refused exactly as a report in ``data/sources`` would be. Its sites come
back as the layer features the build would write, marked ``"origin": "upload"``. Nothing is
written anywhere but the private folder, which is removed before returning.

:func:`save_upload` adds the report to the project and rebuilds the layers from every report,
as ``python -m geo build`` would. It is all or nothing:

1. everything is computed first: the new report is read from a private copy, the layers are
   built in memory; a report that cannot be read, or layers that cannot be built, stop the
   save before anything in the project changes;
2. the report and the four layers are written, flushed to disk, into a hidden staging folder
   in the sources folder (``.upload-stage-*``; the build skips hidden names);
3. a journal naming it (``<sources>/.upload-journal.json``) is renamed into place: from now on
   the save is decided;
4. the four layers replace the old ones together (:func:`geo.atomic.write_many_atomic`), the
   report is renamed into the sources folder, the journal and the staging folder are removed.

Readers never see a half-written file. A save killed before step 3 leaves only the hidden
staging folder, which the next save (or :func:`recover_interrupted_save`) deletes: the project
is as before. A save killed after step 3 is finished by the next save or recovery, which repeat
step 4: the project is as after. Saves into one sources folder take turns (a lock on it).

Names: an upload whose name is already taken by a different report is refused (rename it, or
remove the old one first), so a save never replaces a report; the same report under the same
name is accepted again and only rebuilds the layers; the same report under another name is
refused, as it would count every site twice.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geo.atomic import directory_lock, fsync_dir, write_new_file
from geo.errors import CountyError, GeoError, IngestError
from geo.output import layers as geo_layers
from geo.text.ingest import SUPPORTED_SUFFIXES
from geo.text.ingest.messages import format_size

if TYPE_CHECKING:
    from geo.locate.resolver import Resolver
    from geo.model import County, DocumentResult
    from geo.project.project import Project

#: Size limit of one uploaded report.
MAX_UPLOAD_BYTES: int = 20 * 1024 * 1024
#: The save journal, in the sources folder (hidden: the build skips it).
JOURNAL_NAME = ".upload-journal.json"
_STAGE_PREFIX = ".upload-stage-"
_STAGED_REPORT = "report"
_MAX_NAME_BYTES = 200
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class UploadError(GeoError):
    """An upload was refused or could not be saved; names the file and the reason."""

    def __init__(self, name: str, reason: str) -> None:
        self.name = name
        self.reason = reason
        super().__init__(f"{name}: {reason}")


@dataclass(frozen=True)
class UploadResult:
    """One uploaded report as the build reads it; the project is not touched."""

    name: str
    document: DocumentResult
    features: tuple[dict[str, Any], ...]  # layer features as the build writes them, plus origin=upload
    warnings: tuple[str, ...]
    notes: tuple[tuple[str, dict[str, Any]], ...] = ()  # each warning as (code, fields), in order

    def feature_collection(self) -> dict[str, Any]:
        return {"type": "FeatureCollection", "features": list(self.features)}

    def by_layer(self) -> dict[str, list[dict[str, Any]]]:
        """Features per layer (renewal, parks, roads, scenic), empty layers included."""
        from geo.output.layers import LAYERS

        out: dict[str, list[dict[str, Any]]] = {layer: [] for layer in LAYERS}
        for f in self.features:
            out[f["properties"]["category"]].append(f)
        return out


@dataclass(frozen=True)
class SaveResult:
    """A report saved into the project and the layers rebuilt with it."""

    path: Path  # the report in the sources folder
    added: bool  # False when the same report was already there under this name
    document: DocumentResult  # the report as the rebuild read it
    counts: dict[str, int]  # sites per layer after the rebuild
    reports: int  # reports the rebuild read
    warnings: tuple[str, ...]  # other reports the rebuild refused, location problems
    notes: tuple[tuple[str, dict[str, Any]], ...] = ()  # each warning as (code, fields), in order


# ------------------------------------------------------------------ reading an upload


def process_upload(project: Project, name: str, data: bytes, *, county: str | None = None,
                   resolver: Resolver | None = None) -> UploadResult:
    """Read an uploaded report with the build's pipeline, ``project`` untouched; raises UploadError
    naming the reason.

    ``county`` (official or short name) is used instead of telling the county from the text.
    A ``resolver`` (:meth:`Project.resolver`) may be shared between uploads to reuse what it has
    loaded; it reads the project's placements, and an unreadable placements file raises
    OverridesError.
    """
    from geo.output.assemble import located_features
    from geo.report.pipeline import process_file

    name = _clean_name(name)
    data = _checked_bytes(name, data)
    with tempfile.TemporaryDirectory(prefix="renewal-upload-") as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        try:
            doc = process_file(path, county=county)
        except GeoError as error:
            raise _refusal(name, error, hide=Path(tmp)) from None
    doc = replace(doc, path=Path(name))

    resolver = resolver if resolver is not None else project.resolver()
    seen = len(resolver.problems())
    features = located_features([doc], resolver)
    for feature in features:
        feature["properties"]["origin"] = "upload"

    notes: list[tuple[str, dict[str, Any]]] = []
    warnings: list[str] = []
    if not features:
        warnings.append(f"{name}: no sites found in the report")
        notes.append(("no_sites", {}))
    if county:
        for said, note in _county_warning(name, doc):
            warnings.append(said)
            notes.append(note)
    for p in resolver.problems()[seen:]:
        warnings.append(f"location problem: {p}")
        notes.append(("location_problem", {"detail": p}))
    return UploadResult(name, doc, tuple(features), tuple(warnings), tuple(notes))


def _county_warning(name: str, doc: DocumentResult) -> list[tuple[str, tuple[str, dict[str, Any]]]]:
    """Saving needs the county to be told from the text; say so early when it cannot be.
    Each warning with its (code, fields)."""
    from geo.locate.county import detect_county

    try:
        found = detect_county(doc.text).county
    except CountyError:
        return [(f"{name}: the county was given; the text alone does not tell it, so saving it into the "
                 "project would be refused (every build reads a report's county from its text)",
                 ("county_not_in_text", {}))]
    if doc.county is not None and found != doc.county:
        return [(f"{name}: the text reads as {found.key}, not {doc.county.key}; saving it into the project "
                 "would be refused (every build reads a report's county from its text)",
                 ("county_reads_otherwise", {"read": found.key, "given": doc.county.key}))]
    return []


def _clean_name(name: str) -> str:
    """The file name of an upload (a browser may send a whole path); refuses names the build would skip."""
    base = re.split(r"[\\/]", str(name))[-1].strip()
    shown = base or str(name) or "(no name)"
    if not base or base in {".", ".."}:
        raise UploadError(shown, "no file name")
    if _CONTROL.search(base):
        raise UploadError(repr(base), "control characters in the file name").with_code("control_characters")
    if base.startswith((".", "~$")):
        raise UploadError(base, "a hidden or temporary file name (starting with . or ~$); the build "
                                "skips such files: rename it").with_code("hidden_name")
    if len(base.encode("utf-8")) > _MAX_NAME_BYTES:
        raise UploadError(base, f"file name too long (over {_MAX_NAME_BYTES} bytes): rename it").with_code(
            "long_name", limit=_MAX_NAME_BYTES)
    suffix = Path(base).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        supported = ", ".join(sorted(SUPPORTED_SUFFIXES))
        shown_suffix = suffix or "(no suffix)"
        hint = " (old Word format: save it as .docx)" if suffix == ".doc" else ""
        said = f"unsupported file type {shown_suffix}{hint} (supported: {supported})"
        raise UploadError(base, said).with_code("unsupported", suffix=suffix,
                                                supported=tuple(sorted(SUPPORTED_SUFFIXES)))
    return base


def _checked_bytes(name: str, data: bytes) -> bytes:
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise UploadError(name, f"the upload must be bytes, got {type(data).__name__}")
    data = bytes(data)
    if not data:
        raise UploadError(name, "empty file (0 bytes)").with_code("empty")
    if len(data) > MAX_UPLOAD_BYTES:
        raise UploadError(name, f"file too large: {format_size(len(data))} exceeds the upload limit of "
                                f"{format_size(MAX_UPLOAD_BYTES)}").with_code(
            "too_large", size=format_size(len(data)), limit=format_size(MAX_UPLOAD_BYTES))
    return data


def _refusal(name: str, error: GeoError, hide: Path | None = None) -> UploadError:
    """The refusal as the user should read it: about their file, never the server's temporary copy."""
    if isinstance(error, IngestError):
        reason = error.reason
    elif isinstance(error, CountyError):
        reason = f"{error}; choose the county"
    else:
        reason = str(error)
    if hide is not None:
        copy = str(hide / name)
        reason = reason.replace(f"{copy}: ", "").replace(copy, name).replace(str(hide), "…")
    return UploadError(name, reason).with_code(error.code, **error.fields)


# ------------------------------------------------------------------ saving into the project


def save_upload(project: Project, name: str, data: bytes, *, county: str | None = None) -> SaveResult:
    """Add a report to the project's sources and rebuild its layers from every report there, all
    or nothing.

    Every build reads a report's county from its text, so ``county`` cannot stand in for it
    here: when given, the report is refused unless its text is found to be about that county.
    The layers are placed as a build of ``project`` places them (its placements and location data).
    Raises UploadError when the report is refused or the layers cannot be built; the project is
    then unchanged.
    """
    from geo.text.ingest import iter_input_files

    name = _clean_name(name)
    data = _checked_bytes(name, data)
    official = _official_county(name, county) if county else None
    sources_dir, layers_dir = project.sources, project.layers
    sources_dir.mkdir(parents=True, exist_ok=True)
    if layers_dir.resolve().parent == sources_dir.resolve():
        raise UploadError(name, f"the layers folder {layers_dir} must not be inside the sources folder")
    with directory_lock(sources_dir):
        _recover(sources_dir)
        target = sources_dir / name
        existing = iter_input_files([sources_dir])
        added = _check_name(name, data, target, existing)
        files = sorted([*existing, target]) if added else existing  # the order a build walks the folder in
        with tempfile.TemporaryDirectory(prefix="renewal-save-") as tmp:
            read_from = Path(tmp) / name
            read_from.write_bytes(data)
            reads = [read_from if p == target else p for p in files] if added else files
            try:
                built = _build(reads, project)
            except GeoError as error:
                raise UploadError(name, f"not saved: the layers cannot be rebuilt ({error})").with_code(
                    "not_rebuilt", detail=str(error)) from None
            new = read_from if added else target
            doc = next((r for r in built.results if r.path == new), None)
            if doc is None:
                reason = next(e for p, e in built.refused if p == new)
                raise _save_refusal(name, reason, official, hide=Path(tmp))
        if official is not None and doc.county != official:
            raise UploadError(name, f"the text reads as {_key(doc.county)}, not {official.key}; every build "
                                    "reads a report's county from its text, so it is not saved").with_code(
                "county_differs", read=_key(doc.county), given=official.key)
        layer_files, counts = geo_layers.layer_files(layers_dir, built.features)
        _commit(sources_dir, layer_files, (target, data) if added else None)

    warnings, notes = _save_warnings(name, doc, built)
    return SaveResult(target, added, replace(doc, path=target), counts, len(built.results), warnings, notes)


def _save_warnings(name: str, doc: DocumentResult, built: Any) -> tuple[tuple[str, ...], tuple[Any, ...]]:
    """What a save warns of (no sites, other reports refused, location problems), each with its note."""
    warnings = [f"{name}: no sites found in the report"] if not doc.mentions else []
    warnings += [f"refused by the build: {e}" for p, e in built.refused]
    warnings += [f"location problem: {p}" for p in built.problems]
    notes: list[tuple[str, dict[str, Any]]] = [("no_sites", {})] if not doc.mentions else []
    notes += [("build_refused", {"file": Path(p).name, "detail": str(e), "code": e.code,
                                 "fields": dict(e.fields)}) for p, e in built.refused]
    notes += [("location_problem", {"detail": p}) for p in built.problems]
    return tuple(warnings), tuple(notes)


def recover_interrupted_save(sources_dir: Path) -> bool:
    """Finish a decided save that was interrupted, and delete the temporaries of an undecided one.

    Every save does this first; call it when the app starts so readers see a whole project.
    Returns True when an interrupted save was finished.
    """
    sources_dir = Path(sources_dir)
    if not sources_dir.is_dir():
        return False
    with directory_lock(sources_dir):
        return _recover(sources_dir)


def _official_county(name: str, county: str) -> County:
    from geo.locate import admin

    try:
        return admin.county(county)
    except GeoError as error:
        raise UploadError(name, str(error)).with_code("unknown_county", county=county) from None


def _check_name(name: str, data: bytes, target: Path, existing: list[Path]) -> bool:
    """True if the report is new; False if this very report is already saved under this name."""
    if target.exists() and not target.is_file():
        raise UploadError(name, f"{target} exists and is not a file").with_code("not_a_file")
    for path in existing:
        same_bytes = path.stat().st_size == len(data) and path.read_bytes() == data
        if path == target and same_bytes:
            return False
        if path.name == name:
            raise UploadError(name, f"a different report of this name is already in the project ({path}): "
                                    "rename the upload, or remove the old report first").with_code(
                "name_taken", existing=path.name)
        if same_bytes:
            raise UploadError(name, f"the same report is already in the project as {path}").with_code(
                "already_saved", existing=path.name)
    return True


def _key(county: County | None) -> str:
    return county.key if county is not None else "no county"


def _save_refusal(name: str, error: GeoError, county: County | None, hide: Path | None = None) -> UploadError:
    if isinstance(error, CountyError):
        given = f" (given: {county.key})" if county else ""
        refusal = _refusal(name, CountyError(f"{error}{given}"), hide)
        return UploadError(name, refusal.reason.removesuffix("; choose the county")
                           + "; every build reads a report's county from its text, so a report saved into "
                             "the project must name its county clearly; not saved").with_code(
            "county_unclear_save", **error.fields, **({"given": county} if county else {}))
    return _refusal(name, error, hide)


@dataclass(frozen=True)
class _Built:
    results: list[DocumentResult]
    refused: list[tuple[Path, GeoError]]
    features: list[dict[str, Any]]
    problems: list[str]


def _build(files: list[Path], project: Project) -> _Built:
    """What ``python -m geo build`` of ``project`` makes of ``files`` (in this order), without
    writing anything."""
    from geo.output.assemble import located_features
    from geo.report.pipeline import process_file

    results, refused = [], []
    for path in files:
        try:
            results.append(process_file(path))
        except GeoError as error:
            refused.append((path, error))
    resolver = project.resolver()  # one per build: files read once, results cached
    features = located_features(results, resolver)
    return _Built(results, refused, features, resolver.problems())


# ------------------------------------------------------------------ the commit


def _commit(sources_dir: Path, layer_files: dict[Path, bytes], report: tuple[Path, bytes] | None) -> None:
    """Stage the new files, write the journal (from then on the save is decided), then put them in place."""
    stage = Path(tempfile.mkdtemp(prefix=_STAGE_PREFIX, dir=sources_dir))
    record_tmp: Path | None = None
    try:
        (stage / "layers").mkdir()
        for final, data in layer_files.items():
            write_new_file(stage / "layers" / final.name, data)
        if report is not None:
            write_new_file(stage / _STAGED_REPORT, report[1])
        fsync_dir(stage / "layers")
        fsync_dir(stage)
        record = {
            "stage": str(stage.resolve()),
            "layers_dir": str(next(iter(layer_files)).parent.resolve()),
            "report": str(report[0].resolve()) if report is not None else None,
        }
        record_tmp = sources_dir / f"{stage.name}.journal"
        write_new_file(record_tmp, json.dumps(record, ensure_ascii=False).encode("utf-8"))
        os.replace(record_tmp, sources_dir / JOURNAL_NAME)
        fsync_dir(sources_dir)
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        if record_tmp is not None:
            record_tmp.unlink(missing_ok=True)
        raise
    _roll_forward(sources_dir / JOURNAL_NAME)


def _roll_forward(journal: Path) -> None:
    """Put a decided save's staged files in place; safe to repeat after being killed part-way."""
    from geo.atomic import write_many_atomic

    try:
        record = json.loads(journal.read_text(encoding="utf-8"))
        stage, layers_dir = Path(record["stage"]), Path(record["layers_dir"])
        report = Path(record["report"]) if record["report"] else None
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise UploadError(str(journal), f"the journal of an interrupted save cannot be read ({error}); "
                                        "remove it to give the save up") from None
    staged_layers = sorted((stage / "layers").glob("*.geojson")) if (stage / "layers").is_dir() else []
    if staged_layers:
        write_many_atomic({layers_dir / p.name: p.read_bytes() for p in staged_layers})  # all four as one
    staged_report = stage / _STAGED_REPORT
    if report is not None and staged_report.exists():
        os.replace(staged_report, report)
        fsync_dir(report.parent)
    journal.unlink()
    fsync_dir(journal.parent)
    shutil.rmtree(stage, ignore_errors=True)


def _recover(sources_dir: Path) -> bool:
    """Under the lock: finish a decided save, then delete what undecided ones left."""
    journal = sources_dir / JOURNAL_NAME
    finished = journal.exists()
    if finished:
        _roll_forward(journal)
    for stray in sources_dir.glob(f"{_STAGE_PREFIX}*"):
        if stray.is_dir() and not stray.is_symlink():
            shutil.rmtree(stray, ignore_errors=True)
        else:
            stray.unlink(missing_ok=True)
    return finished



