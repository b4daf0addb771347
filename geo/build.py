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
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from geo.build_guard import fingerprint, inputs_locked
from geo.cli import EXIT_FAILED, EXIT_OK, EXIT_SOME_REFUSED
from geo.errors import GeoError, printable

if TYPE_CHECKING:
    from geo.pipeline import DocumentResult

_CHUNKS_PER_WORKER = 8  # reports go to the workers in chunks: few enough to pay little per chunk


def _say(msg: str) -> None:
    print(msg, file=sys.stderr)


def _process(task: tuple[Path, str | None]) -> DocumentResult | str:
    """One report's result, or why it was refused (a GeoError's message)."""
    from geo.pipeline import process_file

    path, county = task
    try:
        return process_file(path, county=county)
    except GeoError as e:
        return str(e)


def _prepare_worker(county: str | None) -> None:
    from geo.pipeline import prepare

    prepare(county)


@contextmanager
def _outcomes(files: list[Path], county: str | None,
              workers: int) -> Iterator[Iterator[DocumentResult | str]]:
    """``_process`` over ``files``, in their order, in this process or in a pool of ``workers``.

    The pool is started on entry, before any thread (the progress bar's) exists to be forked.
    """
    from geo.pipeline import prepare

    tasks = [(path, county) for path in files]
    workers = min(workers or os.cpu_count() or 1, len(files))
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


def run_build(inputs: list[Path], out: Path, county: str | None = None, quiet: bool = False,
              workers: int = 1) -> int:
    """Build the layers from ``inputs`` into ``out``; ``workers`` processes read the reports.

    ``workers`` 0 means one per CPU; whatever it is, the layers are the same. Reports saved
    while the build reads are not lost: see :mod:`geo.build_guard`.
    """
    return _run_build(inputs, out, county, quiet, workers, False)


def _run_build(inputs: list[Path], out: Path, county: str | None, quiet: bool, workers: int,
               locked: bool) -> int:
    from tqdm import tqdm

    from geo.assemble import located_features
    from geo.ingest import iter_input_files
    from geo.layers import write_layers
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

    results, refused = [], []
    with _outcomes(files, county, workers) as outcomes:
        for outcome in tqdm(outcomes, total=len(files), desc="reports", unit="doc", disable=quiet,
                            file=sys.stderr):
            if isinstance(outcome, str):
                refused.append(outcome)
                _say(f"warning: {outcome}")
            else:
                results.append(outcome)
    if not results:
        _say(f"error: none of the {len(files)} report(s) could be read; layers left as they were")
        return EXIT_FAILED

    resolver = Resolver()  # one per build: overrides and gazetteer read once, results cached
    try:
        features = located_features(results, resolver)
    except GeoError as e:  # an unreadable overrides file or gazetteer: never half-used
        _say(f"error: {e}; layers left as they were")
        return EXIT_FAILED
    try:
        with contextlib.nullcontext() if locked else inputs_locked(inputs, out):
            if not locked and (iter_input_files([p for p in inputs if p.exists()]) != files
                               or fingerprint(files) != read_as):
                _say("note: reports changed while they were read (a save?); reading them again")
                return _run_build(inputs, out, county, quiet, workers, True)  # still holding the lock
            counts = write_layers(out, features)
    except OSError as e:  # read-only, full, not a folder: the old layers are untouched
        _say(f"error: cannot write the layers to {printable(out)}: {e.strerror or e}; "
             "layers left as they were")
        return EXIT_FAILED

    precision = Counter(f["properties"]["precision"] for f in features)
    _say(f"read {len(results)} of {len(files)} report(s); {len(features)} site(s): "
         + ", ".join(f"{k} {v}" for k, v in counts.items()))
    for r in results:
        _say(f"  {printable(r.name)}: county {r.county} ({', '.join(r.county_evidence[:3])}), "
             f"year {r.year or '?'}, {len(r.mentions)} mention(s)")
    _say("  precision: " + ", ".join(f"{k} {v}" for k, v in sorted(precision.items())))
    _say("  placed by: " + ", ".join(f"{k} {v}" for k, v in resolver.step_counts().items()))
    for problem in resolver.problems():
        _say(f"  location problem: {printable(problem)}")
    if refused:
        _say(f"{len(refused)} file(s) refused (see warnings above)")
    if missing:
        _say(f"{len(missing)} named input(s) do not exist (see errors above)")
    _say(f"layers written to {printable(out)}/")
    return EXIT_SOME_REFUSED if refused or missing else EXIT_OK
