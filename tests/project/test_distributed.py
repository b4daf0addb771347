"""Builds whose reports are read on a Dask cluster: a real ``LocalCluster`` of two worker
processes, the build a real ``python -m geo build --scheduler`` process."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

distributed = pytest.importorskip("distributed")
import cloudpickle  # noqa: E402  (installed with distributed)
from conftest import layer_bytes, seed_corpus  # noqa: E402
from distributed.diagnostics.plugin import WorkerPlugin  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]


class KillOnce(WorkerPlugin):
    """Ends its worker's process the first time a report starts on it, and only once per cluster
    (a marker file says it has happened): the report must then be run again on another worker."""

    name = "kill-once"

    def __init__(self, marker: str) -> None:
        self.marker = marker

    def transition(self, key: Any, start: str, finish: str, **kwargs: Any) -> None:
        if finish == "executing" and str(key).startswith("report-") and not os.path.exists(self.marker):
            with open(self.marker, "w") as f:
                f.write(str(key))
            os._exit(1)


cloudpickle.register_pickle_by_value(sys.modules[__name__])


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                      host="127.0.0.1") as c:
        yield c


def build(inputs: Path, out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "geo", "build", str(inputs), "--out", str(out), "--quiet", "--no-cache", *extra],
        cwd=ROOT, capture_output=True, text=True, timeout=900, check=False,
    )


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, bytes]]:
    """Eight reports and two files that are refused, and the layers of a single-process build."""
    root = tmp_path_factory.mktemp("dist")
    seed_corpus(root / "reports", 8)
    (root / "reports" / "empty.txt").write_bytes(b"")
    done = build(root / "reports", root / "single")
    assert done.returncode == 1, done.stderr
    return root / "reports", layer_bytes(root / "single")


def test_a_cluster_build_writes_the_layers_of_a_single_process(cluster: Any, reports: tuple[Path, dict[str, bytes]],
                                                               tmp_path: Path) -> None:
    inputs, expected = reports
    done = build(inputs, tmp_path / "out", "--scheduler", cluster.scheduler_address)
    assert done.returncode == 1, done.stderr  # the empty file is refused, as in a local build
    assert "empty.txt" in done.stderr
    assert layer_bytes(tmp_path / "out") == expected


def test_a_lost_worker_still_gives_the_whole_layers(cluster: Any, reports: tuple[Path, dict[str, bytes]],
                                                    tmp_path: Path) -> None:
    from distributed import Client

    inputs, expected = reports
    marker = tmp_path / "killed"
    with Client(cluster) as client:
        client.register_plugin(KillOnce(str(marker)))
        try:
            done = build(inputs, tmp_path / "out", "--scheduler", cluster.scheduler_address)
        finally:
            client.unregister_worker_plugin(KillOnce.name)
    assert marker.exists(), "no worker was lost: the test did not test anything"
    if done.returncode == 2:  # Dask gave up on the report: nothing written, never a mix
        assert not (tmp_path / "out").exists(), done.stderr
    else:
        assert done.returncode == 1, done.stderr
        assert layer_bytes(tmp_path / "out") == expected


def test_an_unreachable_scheduler_is_a_clear_error(tmp_path: Path, reports: tuple[Path, dict[str, bytes]]) -> None:
    inputs, _ = reports
    done = build(inputs, tmp_path / "out", "--scheduler", "tcp://127.0.0.1:9")
    assert done.returncode == 2
    assert "scheduler" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "out").exists()
