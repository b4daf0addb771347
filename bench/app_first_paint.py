"""First paint of the app as a user opens it, and the cold script run.

1. ``streamlit run streamlit_app.py`` on a free local port, on the project's layers (the seeds;
   read-only, as deployed by default). Debian's Chromium (headless, through Playwright) opens the
   app in a new browser profile each time, every non-local request blocked, and the time from
   navigation to the first sites drawn on the map is taken twice: painted (the browser's clock
   of the map frame's "site-map-drawn" mark, set once the frame showing the sites has been
   painted) and seen (when the driver sees a Leaflet path in the map's frame visible).
   The first opening after the server starts (cold: nothing imported or cached yet) is printed
   on its own, then the median of ``--repeat`` further openings (new profiles, warm server).
2. The cold script run: a new Python process runs the app's script once (Streamlit's AppTest),
   timing that run alone (imports of the app's modules included; the scan of installed components
   that `streamlit run` makes once at server start is timed apart); median of ``--repeat``
   processes. Whole-process wall seconds are printed beside it.
3. With ``--floor``: the same first paint of ``bench/floor_app.py`` (a bare Streamlit page with
   the app's map component showing the same sites, nothing else), opened in turn with the app on
   two servers started side by side, so that the two medians share the machine's load. The floor
   is what Streamlit and the map take by themselves; the app cannot paint faster than it.

    PYTHONPATH=$PWD .venv/bin/python bench/app_first_paint.py [--repeat 3] [--floor] [--sites 10000]

``--sites N``: N generated sites (``bench/render_bench.py``'s) instead of the seeds' layers.

Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
MAP_FRAME = "iframe.site-map-frame"
FRAME_URL_PART = "site_map_frame"
# the browser's clock (ms since the epoch) of the frame's "site-map-drawn" mark, once it is set
PAINTED_JS = """() => { const m = performance.getEntriesByName("site-map-drawn")[0];
  return m ? performance.timeOrigin + m.startTime : null; }"""
SITE_PATHS = "path.leaflet-interactive, .leaflet-overlay-pane canvas"  # SVG, or canvas past CANVAS_THRESHOLD
LOCAL = {"127.0.0.1", "localhost", "::1", "[::1]"}
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]  # fmt: skip
COLD_RUN = """
import time, sys
from streamlit.components.v2.component_manager import BidiComponentManager
from streamlit.testing.v1 import AppTest
at = AppTest.from_file(sys.argv[1], default_timeout=120)
t0 = time.perf_counter()
# What `streamlit run` does once when the server starts, before anyone opens the app (AppTest
# would do it inside the first run): scan the installed packages for components.
components = BidiComponentManager()
components.discover_and_register_components(start_file_watching=False)
at._bidi_component_manager = components
t1, cpu = time.perf_counter(), time.process_time()
at.run()
print(time.perf_counter() - t1, t1 - t0, time.process_time() - cpu, len(at.exception))
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


LAYERS = ROOT / "layers"  # the seeds' layers, or generated ones (--sites)


def app_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RENEWAL_MAP_")}
    env.update(RENEWAL_MAP_LAYERS=str(LAYERS), RENEWAL_MAP_DATA=str(ROOT / "data"),
               PYTHONPATH=str(ROOT))  # fmt: skip
    return env


def write_generated(folder: Path, n: int) -> Path:
    """``n`` generated sites (``bench/render_bench.make_layers``) as layer files in ``folder``."""
    sys.path.insert(0, str(ROOT / "bench"))
    from render_bench import make_layers

    folder.mkdir(parents=True, exist_ok=True)
    for layer, features in make_layers(n).features.items():
        doc = {"type": "FeatureCollection", "features": features}
        (folder / f"{layer}.geojson").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return folder


def start_app(log: Path, script: str = "streamlit_app.py") -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    cmd = [sys.executable, "-m", "streamlit", "run", script, "--server.headless", "true",
           "--server.port", str(port), "--server.address", "127.0.0.1",
           "--browser.gatherUsageStats", "false"]  # fmt: skip
    proc = subprocess.Popen(cmd, cwd=ROOT, env=app_env(), stdout=log.open("wb"), stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return proc, url
        except OSError:
            pass
        if proc.poll() is not None:
            break
        time.sleep(0.2)
    proc.kill()
    raise SystemExit("streamlit did not start:\n" + log.read_text(errors="replace"))


def first_paint(playwright: object, url: str, profile: Path) -> tuple[float, float]:
    """(painted, seen) seconds from navigation to the first sites drawn, in a new browser profile.

    ``painted``: the browser's own clock, from the page's navigation start to the map frame's
    User Timing mark "site-map-drawn" (set after the frame that first shows the sites has been
    painted, ``geo/web/frame/frame.js``). ``seen``: when the test driver sees a site's path
    visible; it polls from another process through the page's busy thread, so it comes later.
    """
    context = playwright.chromium.launch_persistent_context(  # type: ignore[attr-defined]
        str(profile), executable_path=CHROMIUM, args=ARGS, headless=True,
        viewport={"width": 1400, "height": 1000},
    )  # fmt: skip
    try:
        def route(r: object) -> None:
            where = r.request.url  # type: ignore[attr-defined]
            if where.startswith(("data:", "blob:", "about:")) or urlparse(where).hostname in LOCAL:
                r.continue_()  # type: ignore[attr-defined]
            else:
                r.abort()  # type: ignore[attr-defined]

        context.route("**/*", route)
        page = context.pages[0] if context.pages else context.new_page()
        t0 = time.perf_counter()
        page.goto(url, wait_until="commit")
        page.frame_locator(MAP_FRAME).locator(SITE_PATHS).first.wait_for(timeout=120000)
        seen = time.perf_counter() - t0
        frame = next(f for f in page.frames if FRAME_URL_PART in f.url)
        mark = frame.wait_for_function(PAINTED_JS, timeout=30000).json_value()
        return (float(mark) - float(page.evaluate("performance.timeOrigin"))) / 1000, seen
    finally:
        context.close()


def cold_script_runs(repeat: int) -> list[tuple[float, float, float, float]]:
    """(script run s, server start-up's component scan s, whole process s, script run CPU s) of the
    app's script in new processes (CPU seconds are not inflated by other processes' load)."""
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", COLD_RUN, str(ROOT / "streamlit_app.py")], cwd=ROOT,
                              env=app_env(), capture_output=True, text=True, check=False)  # fmt: skip
        whole = time.perf_counter() - t0
        try:
            run_s, scan_s, cpu_s, errors = done.stdout.strip().splitlines()[-1].split()
        except (IndexError, ValueError):
            print("script run failed:", done.stderr[-2000:])
            continue
        if errors != "0":
            print(f"script run raised {errors} exception(s)")
        out.append((float(run_s), float(scan_s), whole, float(cpu_s)))
    return out


def side_by_side(repeat: int) -> None:
    """First paints of the app and of the floor page, taking turns on two running servers."""
    from playwright.sync_api import sync_playwright

    times: dict[str, list[tuple[float, float]]] = {"app": [], "floor": []}
    with tempfile.TemporaryDirectory(prefix="first-paint-") as tmp:
        servers = {"app": start_app(Path(tmp) / "app.log"),
                   "floor": start_app(Path(tmp) / "floor.log", "bench/floor_app.py")}  # fmt: skip
        try:
            with sync_playwright() as p:
                for name, (_, url) in servers.items():  # the first opening of each: not counted
                    first_paint(p, url, Path(tmp) / f"profile-{name}-cold")
                for i in range(repeat):
                    for name, (_, url) in servers.items():
                        times[name].append(first_paint(p, url, Path(tmp) / f"profile-{name}-{i}"))
        finally:
            for proc, _ in servers.values():
                proc.terminate()
                proc.wait(timeout=20)
    for name, runs in times.items():
        print(f"first paint, {name}, new browser profile, median of {len(runs)}: {_runs(runs)}")
    print(f"SUMMARY first_paint_app_s={statistics.median(r[0] for r in times['app']):.2f} "
          f"first_paint_floor_s={statistics.median(r[0] for r in times['floor']):.2f} "
          f"seen_app_s={statistics.median(r[1] for r in times['app']):.2f} "
          f"seen_floor_s={statistics.median(r[1] for r in times['floor']):.2f}")  # fmt: skip


def _runs(runs: list[tuple[float, float]]) -> str:
    """Median painted and seen seconds, and each run's."""
    return (f"painted {statistics.median(r[0] for r in runs):.2f} s, seen by the driver "
            f"{statistics.median(r[1] for r in runs):.2f} s "
            f"(runs: {', '.join(f'{a:.2f}/{b:.2f}' for a, b in runs)})")  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--floor", action="store_true", help="time bench/floor_app.py in turn with the app")
    ap.add_argument("--sites", type=int, default=0, help="generated sites instead of the seeds' layers")
    args = ap.parse_args()
    if args.sites:
        global LAYERS
        generated = tempfile.TemporaryDirectory(prefix="first-paint-layers-")  # removed at exit
        LAYERS = write_generated(Path(generated.name), args.sites)
        print(f"layers: {args.sites} generated sites in {LAYERS}")
    if args.floor:
        side_by_side(args.repeat)
        return
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="first-paint-") as tmp:
        proc, url = start_app(Path(tmp) / "streamlit.log")
        try:
            with sync_playwright() as p:
                cold = first_paint(p, url, Path(tmp) / "profile-cold")
                warm = [first_paint(p, url, Path(tmp) / f"profile-{i}") for i in range(args.repeat)]
        finally:
            proc.terminate()
            proc.wait(timeout=20)
    runs = cold_script_runs(args.repeat)
    what = f"{args.sites} generated sites" if args.sites else "seeds"
    print(f"first paint, {what}, first opening after the server starts: painted {cold[0]:.2f} s, "
          f"seen {cold[1]:.2f} s")  # fmt: skip
    print(f"first paint, {what}, new browser profile, median of {len(warm)}: {_runs(warm)}")
    if runs:
        print(f"cold script run (new process), median of {len(runs)}: "
              f"{statistics.median(r[0] for r in runs):.2f} s, "
              f"CPU {statistics.median(r[3] for r in runs):.2f} s "
              f"(after the server's start-up scan of installed components, "
              f"{statistics.median(r[1] for r in runs):.2f} s); whole process "
              f"{statistics.median(r[2] for r in runs):.2f} s")  # fmt: skip
    print(f"SUMMARY first_paint_cold_s={cold[0]:.2f} "
          f"first_paint_median_s={statistics.median(r[0] for r in warm):.2f} "
          f"seen_median_s={statistics.median(r[1] for r in warm):.2f} "
          f"script_cold_s={statistics.median(r[0] for r in runs) if runs else float('nan'):.2f} "
          f"script_cold_cpu_s={statistics.median(r[3] for r in runs) if runs else float('nan'):.2f}")


if __name__ == "__main__":
    main()
