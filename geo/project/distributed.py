"""Reading reports on a Dask distributed cluster.

Only the per-report work goes to the cluster: each worker loads the pipeline's tables once (a
worker plugin), then reads, cleans and extracts the reports it is given. Results come back to
the client in input order; merging, locating and writing the layers stay on the client, so the
layers are those of a single-process build, byte for byte.

A report that cannot be read comes back as its refusal, as in a local build. A worker that dies
mid-report has its reports run again elsewhere (Dask's own retries); a report that still cannot
be finished raises ``DistributedError`` and the build writes nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from geo.errors import GeoError

if TYPE_CHECKING:
    from geo.model import County

ENV = "RENEWAL_MAP_SCHEDULER"  # tcp://HOST:PORT of a running scheduler
RETRIES = 2  # runs of a report after the first, when its worker is lost


class DistributedError(GeoError):
    """The cluster could not be reached or could not finish a report."""


class _Prepare:
    """Worker plugin: load the tables once per worker process, before its first report."""

    name = "renewal-map-prepare"

    def __init__(self, county: County | None) -> None:
        self.county = county

    def setup(self, worker: Any) -> None:
        from geo.report.pipeline import prepare

        prepare(self.county)


@contextmanager
def cluster_client(scheduler: str | None, workers: int) -> Iterator[Any]:
    """A client of the scheduler at ``scheduler``, or of a local cluster of ``workers`` processes."""
    try:
        from distributed import Client, LocalCluster
    except ImportError as e:  # pragma: no cover - distributed is a dependency
        raise DistributedError("the 'distributed' package is not installed") from e
    if scheduler:
        try:
            client = Client(scheduler, timeout="20s")
        except (OSError, TimeoutError) as e:
            raise DistributedError(f"cannot reach the scheduler at {scheduler}: {e}") from e
        try:
            yield client
        finally:
            client.close()
        return
    with LocalCluster(n_workers=max(workers, 1), threads_per_worker=1, processes=True,
                      dashboard_address=None, host="127.0.0.1") as cluster, Client(cluster) as client:
        yield client


def map_reports(client: Any, func: Callable[[Any], Any], tasks: Sequence[Any],
                county: County | None = None) -> Iterator[Any]:
    """``func`` over ``tasks`` on the cluster, results in the tasks' order."""
    from distributed import Future
    from distributed.diagnostics.plugin import WorkerPlugin

    class Prepare(_Prepare, WorkerPlugin):
        pass

    client.register_plugin(Prepare(county), name=_Prepare.name)
    run = uuid.uuid4().hex
    futures: list[Future] = client.map(func, list(tasks), pure=False, retries=RETRIES,
                                       key=[f"report-{i}-{run}" for i in range(len(tasks))])
    try:
        for i, fut in enumerate(futures):
            try:
                yield fut.result()
            except Exception as e:
                raise DistributedError(f"report {i + 1} of {len(tasks)} could not be finished on the "
                                       f"cluster: {type(e).__name__}: {e}") from e
            fut.release()
    finally:
        client.cancel(futures)
