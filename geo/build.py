"""``python -m geo build``: reports in, four GeoJSON layers out.

Every input is processed on its own; a file that cannot be read is named with
its reason and the others go on. Layers are written only when at least one
report was read, all four at once, so a failed run leaves the previous ones.

With ``workers`` > 1 a process pool reads the reports; their results are taken
in input order, so the layers are byte for byte those of one worker.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from geo.build_guard import fingerprint, inputs_locked
from geo.cli import EXIT_FAILED, EXIT_OK, EXIT_SOME_REFUSED
from geo.errors import GeoError, printable

if TYPE_CHECKING:
    from geo.pipeline import DocumentResult
    from geo.project.kept import KeptResult
    from geo.project.result_cache import ResultCache

_CHUNKS_PER_WORKER = 8  # reports go to the workers in chunks: few enough to pay little per chunk


def _say(msg: str) -> None:
    print(msg, file=sys.stderr)


def _process(task: tuple[Path, str | None, Path | None]) -> DocumentResult | str:
    """One report's result (waiting for a county when unclear), or why it was refused."""
    from geo.pipeline import process_file

    path, county, root = task
    try:
        return process_file(path, county=county, root=root, pending_ok=True)
    except GeoError as e:
        return str(e)


def _prepare_worker(county: str | None) -> None:
    from geo.pipeline import prepare

    prepare(county)


@contextmanager
def _computed(tasks: list[tuple[Path, str | None, Path | None]], county: str | None, workers: int,
              scheduler: str | None) -> Iterator[Iterator[DocumentResult | str]]:
    """``_process`` over ``tasks``, in their order: in this process, a pool of ``workers``, or on a
    Dask cluster (``scheduler``, or a local one when ``workers`` is negative).

    The pool is started on entry, before any thread (the progress bar's) exists to be forked.
    """
    from geo.pipeline import prepare

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
def _outcomes(files: list[Path], county: str | None, workers: int, roots: dict[Path, Path] | None = None,
              cache: ResultCache | None = None,
              scheduler: str | None = None) -> Iterator[Iterator[DocumentResult | KeptResult | str]]:
    """Every report's result or refusal, in input order: kept results from ``cache`` (unpickled
    only when needed, see :mod:`geo.project.kept`), the others computed (and kept). A refusal is
    never kept: the file is tried again next time.

    A result depends on what the build is told beside the text too: ``--county``, the folder the
    report was found in and its manifest row; all are part of its key.
    """
    from geo.pipeline import DocumentResult as DR
    from geo.project.file_digests import FileDigests
    from geo.project.kept import BriefIndex, kept_result
    from geo.project.manifest import row_for

    tasks = [(path, county, (roots or {}).get(path)) for path in files]
    keys: list[str | None] = [None] * len(tasks)
    kept: dict[int, KeptResult] = {}
    index = BriefIndex(cache.folder) if cache is not None else None
    if cache is not None:
        manifests: dict[Path, dict] = {}  # each manifest read once per build
        digests = FileDigests(cache.folder)  # files unchanged since they were hashed are not read
        for i, (path, hint, root) in enumerate(tasks):
            try:
                keys[i] = cache.key(path, (hint, str(root), row_for(path, root, manifests)), digests)
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


def run_build(inputs: list[Path], out: Path, county: str | None = None, quiet: bool = False,
              workers: int = 1, cache: Path | bool | None = True, scheduler: str | None = None) -> int:
    """Build the layers from ``inputs`` into ``out``; ``workers`` processes read the reports.

    ``workers`` 0 means one per CPU; whatever it is, the layers are the same. ``cache``: the
    folder of kept results (True: the default folder, False or None: read every report).
    ``scheduler``: the address of a Dask scheduler, or "" for a local cluster of ``workers``.
    Reports saved while the build reads are not lost: see :mod:`geo.build_guard`.
    """
    return _run_build(inputs, out, county, quiet, workers, False, cache, scheduler)


def _run_build(inputs: list[Path], out: Path, county: str | None, quiet: bool, workers: int,
               locked: bool, cache: Path | bool | None, scheduler: str | None) -> int:
    from tqdm import tqdm

    from geo.ingest import iter_input_files
    from geo.layers import write_layer_files
    from geo.locate import Resolver
    from geo.upload import recover_interrupted_save

    for p in inputs if not locked else ():  # (under the lock, the save that holds it is done)
        if p.is_dir() and recover_interrupted_save(p):
            _say(f"note: finished a save into {printable(p)} that was interrupted")
    if out.exists() and not out.is_dir():
        _say(f"error: --out {printable(out)} is not a folder; nothing written")
        return EXIT_FAILED
    missing = [p for p in inputs if not p.exists()]
    for p in missing:
        _say(f"error: {printable(p)}: no such file or folder")
    files = iter_input_files([p for p in inputs if p.exists()])
    read_as = fingerprint(files)
    if not files:
        _say("error: no report files to read (supported: .txt .md .html .htm .pdf .docx); "
             "layers left as they were")
        return EXIT_FAILED

    from geo.project.county_cache import assemble, county_store
    from geo.project.kept import brief, whole
    from geo.project.manifest import FIELDS
    from geo.project.pending import PENDING, entry, pending_bytes
    from geo.project.result_cache import ResultCache, default_folder

    folder = default_folder() if cache is True else cache or None
    kept = ResultCache(folder) if folder is not None else None
    roots = _roots([p for p in inputs if p.exists()], files)
    results, refused, waiting = [], [], []
    try:
        with _outcomes(files, county, workers, roots, kept, scheduler) as outcomes:
            for outcome in tqdm(outcomes, total=len(files), desc="reports", unit="doc", disable=quiet,
                                file=sys.stderr):
                if isinstance(outcome, str):
                    refused.append(outcome)
                    _say(f"warning: {outcome}")
                elif not brief(outcome).county:
                    waiting.append(whole(outcome))
                else:
                    results.append(outcome)
    except GeoError as e:  # the cluster could not finish: nothing is written
        _say(f"error: {e}; layers left as they were")
        return EXIT_FAILED
    if not results and not waiting:
        _say(f"error: none of the {len(files)} report(s) could be read; layers left as they were")
        return EXIT_FAILED

    resolver = Resolver()  # one per build: overrides and gazetteer read once, results cached
    try:  # counties whose reports are all kept are taken from the kept counties
        built = assemble(out, results, resolver, county_store(folder))
    except GeoError as e:  # an unreadable overrides file or gazetteer: never half-used
        _say(f"error: {e}; layers left as they were")
        return EXIT_FAILED
    pending = [entry(r, roots.get(Path(r.path))) for r in waiting]
    # written when a report waits, or to empty an earlier list; else the folder holds the four layers
    extra = {PENDING: pending_bytes(pending)} if pending or (out / PENDING).exists() else {}
    try:
        with contextlib.nullcontext() if locked else inputs_locked(inputs, out):
            if not locked and (iter_input_files([p for p in inputs if p.exists()]) != files
                               or fingerprint(files) != read_as):
                _say("note: reports changed while they were read (a save?); reading them again")
                # read again, still holding the lock
                return _run_build(inputs, out, county, quiet, workers, True, cache, scheduler)
            write_layer_files(out, built.files, extra)
    except OSError as e:  # read-only, full, not a folder: the old layers are untouched
        _say(f"error: cannot write the layers to {printable(out)}: {e.strerror or e}; "
             "layers left as they were")
        return EXIT_FAILED

    _say(f"read {len(results)} of {len(files)} report(s); {sum(built.counts.values())} site(s): "
         + ", ".join(f"{k} {v}" for k, v in built.counts.items()))
    for b in map(brief, results):
        _say(f"  {printable(b.name)}: county {b.county} ({b.county_source}: "
             f"{', '.join(b.county_evidence[:3])}), year {b.year or '?'}, {b.mention_count} mention(s)")
    _say("  precision: " + ", ".join(f"{k} {v}" for k, v in sorted(built.precision.items())))
    _say("  placed by: " + ", ".join(f"{k} {v}" for k, v in built.steps.items()))
    for problem in built.problems:
        _say(f"  location problem: {printable(problem)}")
    for r, e in zip(waiting, pending, strict=True):
        guesses = ", ".join(f"{g['county']} ({g['score']:.1f})" for g in e["guesses"][:3]) or "none"
        _say(f"  {printable(r.name)}: county unclear ({r.pending_reason}); guesses {guesses}; "
             f"{len(r.mentions)} mention(s) wait in {PENDING}.")
        new = "" if Path(e["manifest"]).exists() else f" (a new file: first line {','.join(FIELDS)})"
        _say(f"    to place it, add this line to {printable(e['manifest'])}{new}: {e['manifest_line']}")
    if waiting:
        _say(f"{len(waiting)} report(s) need a county: their sites wait in {printable(out / PENDING)}")
    if kept is not None:
        _say(f"  kept results: {kept.hits} of {len(files)} report(s) unchanged since an earlier build; "
             f"{built.kept_counties} of {built.counties} counties' sites kept")
    if refused:
        _say(f"{len(refused)} file(s) refused (see warnings above)")
    if missing:
        _say(f"{len(missing)} named input(s) do not exist (see errors above)")
    _say(f"layers written to {printable(out)}/")
    return EXIT_SOME_REFUSED if refused or waiting or missing else EXIT_OK


def _roots(inputs: list[Path], files: list[Path]) -> dict[Path, Path]:
    """The input folder each file was found in (a file named itself: its own folder)."""
    folders = [p for p in inputs if p.is_dir()]
    out: dict[Path, Path] = {}
    for f in files:
        out[f] = next((d for d in folders if f.is_relative_to(d)), f.parent)
    return out
