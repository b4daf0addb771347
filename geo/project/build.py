"""``python -m geo build``: reports in, four GeoJSON layers out.

Every input is processed on its own; a file that cannot be read is named with
its reason and the others go on. Layers are written only when at least one
report was read, all four at once, so a failed run leaves the previous ones.

With ``workers`` > 1 a process pool reads the reports; their results are taken
in input order, so the layers are byte for byte those of one worker.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geo.errors import GeoError, printable
from geo.outcome import Outcome
from geo.output.layers import write_layer_files
from geo.project.build_guard import fingerprint, inputs_locked

if TYPE_CHECKING:
    from geo.model import County, DocumentResult
    from geo.project.county_cache import Assembled
    from geo.project.kept import KeptResult
    from geo.project.project import Project
    from geo.project.result_cache import ResultCache

_CHUNKS_PER_WORKER = 8  # reports go to the workers in chunks: few enough to pay little per chunk


def _say(msg: str) -> None:
    print(msg, file=sys.stderr)


def _process(task: tuple[Path, County | None, Path | None]) -> DocumentResult | str:
    """One report's result (waiting for a county when unclear), or why it was refused."""
    from geo.report.pipeline import process_file

    path, county, root = task
    try:
        return process_file(path, county=county, root=root, pending_ok=True)
    except GeoError as e:
        return str(e)


def _prepare_worker(county: County | None) -> None:
    from geo.report.pipeline import prepare

    prepare(county)


@contextmanager
def _computed(tasks: list[tuple[Path, County | None, Path | None]], county: County | None, workers: int,
              scheduler: str | None) -> Iterator[Iterator[DocumentResult | str]]:
    """``_process`` over ``tasks``, in their order: in this process, a pool of ``workers``, or on a
    Dask cluster (``scheduler``, or a local one when ``workers`` is negative).

    The pool is started on entry, before any thread (the progress bar's) exists to be forked.
    """
    from geo.report.pipeline import prepare

    if not tasks:
        yield iter(())
        return
    if scheduler is not None:
        from geo.project.distributed import cluster_client, map_reports

        with cluster_client(scheduler or None, workers) as client:
            yield map_reports(client, _process, tasks, county)
        return
    workers = min(workers or os.cpu_count() or 1, len(tasks))
    if workers <= 1:
        prepare(county)
        yield map(_process, tasks)
        return
    import multiprocessing  # only for a pool of workers (a few milliseconds of start-up otherwise)

    if "fork" in multiprocessing.get_all_start_methods():
        # loaded once here, the tables are shared with the workers (copy-on-write)
        prepare(county)
        ctx = multiprocessing.get_context("fork")
        init, initargs = None, ()
    else:
        ctx = multiprocessing.get_context()
        init, initargs = _prepare_worker, (county,)
    chunk = max(1, len(tasks) // (workers * _CHUNKS_PER_WORKER))
    with ctx.Pool(workers, initializer=init, initargs=initargs) as pool:
        yield pool.imap(_process, tasks, chunksize=chunk)


@contextmanager
def _outcomes(files: list[Path], county: County | None, workers: int, roots: dict[Path, Path] | None = None,
              cache: ResultCache | None = None,
              scheduler: str | None = None) -> Iterator[Iterator[DocumentResult | KeptResult | str]]:
    """Every report's result or refusal, in input order: kept results from ``cache`` (unpickled
    only when needed, see :mod:`geo.project.kept`), the others computed (and kept). A refusal is
    never kept: the file is tried again next time.

    A result depends on what the build is told beside the text too: ``--county``, the folder the
    report was found in and its manifest row; all are part of its key.
    """
    from geo.model import DocumentResult as DR
    from geo.project.file_digests import FileDigests
    from geo.project.kept import BriefIndex, kept_result
    from geo.report.manifest import row_for

    tasks = [(path, county, (roots or {}).get(path)) for path in files]
    keys: list[str | None] = [None] * len(tasks)
    kept: dict[int, KeptResult] = {}
    index = BriefIndex(cache.folder) if cache is not None else None
    if cache is not None:
        manifests: dict[Path, dict] = {}  # each manifest read once per build
        digests = FileDigests(cache.folder)  # files unchanged since they were hashed are not read
        for i, (path, hint, root) in enumerate(tasks):
            try:
                told = hint.key if hint is not None else None  # the county as the layers name it
                keys[i] = cache.key(path, (told, str(root), row_for(path, root, manifests)), digests)
            except (OSError, GeoError):
                continue  # unreadable file or manifest: the reader says why
            found = kept_result(keys[i], cache, index, tasks[i])
            if found is not None:
                kept[i] = found
        digests.save()
    todo = [i for i in range(len(tasks)) if i not in kept]
    with _computed([tasks[i] for i in todo], county, workers, scheduler) as computed:
        def ordered() -> Iterator[DocumentResult | KeptResult | str]:
            fresh = iter(computed)
            for i in range(len(tasks)):
                if i in kept:
                    yield kept[i]
                    continue
                outcome = next(fresh)
                key = keys[i]
                if cache is not None and index is not None and key is not None and isinstance(outcome, DR):
                    cache.put(key, outcome)
                    outcome = index.kept(key, outcome, cache, tasks[i])
                yield outcome
            if index is not None:
                index.save()

        yield ordered()


@dataclass(frozen=True)
class BuildRequest:
    """What a build is told: the project, its inputs, and how to read the reports."""

    project: Project  # where the layers go, the placements and location data, the kept results
    inputs: list[Path]
    county: County | None = None  # county of every input, instead of telling it from the text
    quiet: bool = False
    workers: int = 1
    scheduler: str | None = None

    @property
    def out(self) -> Path:
        return self.project.layers


@dataclass
class _Read:
    """Every report's outcome, sorted: results with a county, refusals, reports waiting for one."""

    files: list[Path]
    roots: dict[Path, Path]
    results: list[DocumentResult] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    waiting: list[DocumentResult] = field(default_factory=list)
    kept: ResultCache | None = None
    folder: Path | None = None  # the kept results' folder (None: no kept results)


def build(project: Project, inputs: list[Path] | None = None, *, county: str | None = None,
          quiet: bool = False, workers: int = 1, scheduler: str | None = None) -> Outcome:
    """Build ``project``'s layers from ``inputs`` (default: its sources); ``workers`` processes read
    the reports.

    ``workers`` 0 means one per CPU; whatever it is, the layers are the same. The project names
    the layers' folder, the placements and location files, and the kept results (its ``cache``;
    None: read every report). ``scheduler``: the address of a Dask scheduler, or "" for a local
    cluster of ``workers``. Reports saved while the build reads are not lost: see
    :mod:`geo.project.build_guard`. ``county`` as a person writes it (``--county``) becomes a
    County here, once: one it names no county of stops the build before anything is read.
    """
    from geo.errors import CountyError

    inputs = [project.sources] if inputs is None else list(inputs)
    try:
        given = _given_county(county)
    except CountyError as e:
        _say(f"error: --county: {printable(str(e))}; no report was read, "
             "layers left as they were")
        return Outcome.FAILED
    request = BuildRequest(project, inputs, given, quiet, workers, scheduler)
    return _run_build(request, locked=False)


def _given_county(county: str | None) -> County | None:
    """The County ``county`` names; None when it is not given (blank included): each report's
    county is then told from the report. Raises CountyError when it names no county or several."""
    from geo.locate.admin import county as county_named

    if county is None or not county.strip():
        return None
    return county_named(county)


def _run_build(request: BuildRequest, locked: bool) -> Outcome:
    """Read, locate, write, tell; ``locked``: the inputs' lock is held from the start."""
    from geo.text.ingest import iter_input_files

    inputs, out = request.inputs, request.out
    if not _inputs_usable(request, locked):
        return Outcome.FAILED
    files = iter_input_files([p for p in inputs if p.exists()])
    read_as = fingerprint(files)
    if not files:
        _say("error: no report files to read (supported: .txt .md .html .htm .pdf .docx); "
             "layers left as they were")
        return Outcome.FAILED
    read = _read_reports(request, files)
    if read is None:
        return Outcome.FAILED
    built = _assembled(read, out, request.project)
    if built is None:
        return Outcome.FAILED
    pending, extra = _pending(read, out)
    try:
        with contextlib.nullcontext() if locked else inputs_locked(inputs, out):
            if not locked and (iter_input_files([p for p in inputs if p.exists()]) != files
                               or fingerprint(files) != read_as):
                _say("note: reports changed while they were read (a save?); reading them again")
                return _run_build(request, locked=True)  # read again, still holding the lock
            write_layer_files(out, built.files, extra)
    except OSError as e:  # read-only, full, not a folder: the old layers are untouched
        _say(f"error: cannot write the layers to {printable(out)}: {e.strerror or e}; "
             "layers left as they were")
        return Outcome.FAILED
    missing = [p for p in inputs if not p.exists()]
    _tell(read, built, pending, out, missing)
    return Outcome.PARTIAL if read.refused or read.waiting or missing else Outcome.DONE


def _inputs_usable(request: BuildRequest, locked: bool) -> bool:
    """Finish interrupted saves into the inputs; False (said why) when ``out`` is no folder.
    A missing input is named and the others go on."""
    from geo.project.upload import recover_interrupted_save

    for p in request.inputs if not locked else ():  # (under the lock, the save that holds it is done)
        if p.is_dir() and recover_interrupted_save(p):
            _say(f"note: finished a save into {printable(p)} that was interrupted")
    if request.out.exists() and not request.out.is_dir():
        _say(f"error: --out {printable(request.out)} is not a folder; nothing written")
        return False
    for p in request.inputs:
        if not p.exists():
            _say(f"error: {printable(p)}: no such file or folder")
    return True


def _progress(outcomes: Iterator[DocumentResult | str], total: int,
              quiet: bool) -> Iterator[DocumentResult | str]:
    """The outcomes, with a progress bar on standard error unless ``quiet`` (then tqdm, which takes
    tens of milliseconds to import, is not loaded)."""
    if quiet:
        return outcomes
    from tqdm import tqdm

    return iter(tqdm(outcomes, total=total, desc="reports", unit="doc", file=sys.stderr))


def _read_reports(request: BuildRequest, files: list[Path]) -> _Read | None:
    """Every report read (or taken from the kept results), with a progress bar; None (said why)
    when none could be read or the cluster could not finish."""
    from geo.project.kept import brief, whole
    from geo.project.result_cache import ResultCache

    folder = request.project.cache
    read = _Read(files, _roots([p for p in request.inputs if p.exists()], files),
                 kept=ResultCache(folder) if folder is not None else None, folder=folder)
    try:
        with _outcomes(files, request.county, request.workers, read.roots, read.kept,
                       request.scheduler) as outcomes:
            for outcome in _progress(outcomes, len(files), request.quiet):
                if isinstance(outcome, str):
                    read.refused.append(outcome)
                    _say(f"warning: {outcome}")
                elif brief(outcome).county is None:
                    read.waiting.append(whole(outcome))
                else:
                    read.results.append(outcome)
    except GeoError as e:  # the cluster could not finish: nothing is written
        _say(f"error: {e}; layers left as they were")
        return None
    if not read.results and not read.waiting:
        _say(f"error: none of the {len(files)} report(s) could be read; layers left as they were")
        return None
    return read


def _assembled(read: _Read, out: Path, project: Project) -> Assembled | None:
    """The layer files of the reports read, counties unchanged since an earlier build taken as
    they were kept (:mod:`geo.project.county_cache`); None (said why) when the placements file or
    the gazetteer cannot be read."""
    from geo.project.county_cache import assemble, county_store

    try:
        return assemble(out, read.results, project.resolver, county_store(read.folder), project)
    except GeoError as e:  # an unreadable overrides file or gazetteer: never half-used
        _say(f"error: {e}; layers left as they were")
        return None


def _pending(read: _Read, out: Path) -> tuple[list[dict[str, Any]], dict[str, bytes]]:
    """The entries of the reports waiting for a county, and the extra file that lists them:
    written when a report waits, or to empty an earlier list; else the folder holds the four layers."""
    from geo.project.pending import PENDING, entry, pending_bytes

    pending = [entry(r, read.roots.get(Path(r.path))) for r in read.waiting]
    extra = {PENDING: pending_bytes(pending)} if pending or (out / PENDING).exists() else {}
    return pending, extra


def _tell(read: _Read, built: Assembled, pending: list[dict[str, Any]], out: Path,
          missing: list[Path]) -> None:
    """The build's summary on stderr: counts, each report's county, what waits and what was refused."""
    from geo.project.kept import brief
    from geo.project.pending import PENDING
    from geo.report.manifest import FIELDS

    results, files = read.results, read.files
    _say(f"read {len(results)} of {len(files)} report(s); {sum(built.counts.values())} site(s): "
         + ", ".join(f"{k} {v}" for k, v in built.counts.items()))
    for b in map(brief, results):
        _say(f"  {printable(b.name)}: county {b.county.key if b.county else '?'} ({b.county_source}: "
             f"{', '.join(b.county_evidence[:3])}), year {b.year or '?'}, {b.mention_count} mention(s)")
    _say("  precision: " + ", ".join(f"{k} {v}" for k, v in sorted(built.precision.items())))
    _say("  placed by: " + ", ".join(f"{k} {v}" for k, v in built.steps.items()))
    for problem in built.problems:
        _say(f"  location problem: {printable(problem)}")
    for r, e in zip(read.waiting, pending, strict=True):
        guesses = ", ".join(f"{g['county']} ({g['score']:.1f})" for g in e["guesses"][:3]) or "none"
        _say(f"  {printable(r.name)}: county unclear ({r.pending_reason}); guesses {guesses}; "
             f"{len(r.mentions)} mention(s) wait in {PENDING}.")
        new = "" if Path(e["manifest"]).exists() else f" (a new file: first line {','.join(FIELDS)})"
        _say(f"    to place it, add this line to {printable(e['manifest'])}{new}: {e['manifest_line']}")
    if read.waiting:
        _say(f"{len(read.waiting)} report(s) need a county: their sites wait in {printable(out / PENDING)}")
    if read.kept is not None:
        _say(f"  kept results: {read.kept.hits} of {len(files)} report(s) unchanged since an earlier build; "
             f"{built.kept_counties} of {built.counties} counties' sites kept")
    if read.refused:
        _say(f"{len(read.refused)} file(s) refused (see warnings above)")
    if missing:
        _say(f"{len(missing)} named input(s) do not exist (see errors above)")
    _say(f"layers written to {printable(out)}/")


def _roots(inputs: list[Path], files: list[Path]) -> dict[Path, Path]:
    """The input folder each file was found in (a file named itself: its own folder)."""
    folders = [p for p in inputs if p.is_dir()]
    out: dict[Path, Path] = {}
    for f in files:
        out[f] = next((d for d in folders if f.is_relative_to(d)), f.parent)
    return out
