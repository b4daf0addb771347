"""Online geocoding started from the app: the key's keeping, and a rebuild through a real local server."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from fakegeo import AMAP, FakeGeoServer, Reply, amap

from geo import coords
from geo.locate.geocoders.errors import GeocoderConfigError
from geo.web.online import forget_key, geocoder_env, run_geocoding, save_key, saved_key
from geo.web.service import Project

KEY = "secret-key-0123456789"
IN_YONGKANG = (120.03, 28.90)


def test_a_key_is_checked_kept_privately_and_forgotten(tmp_path: Path) -> None:
    assert geocoder_env("amap", f" {KEY} ") == {"RENEWAL_MAP_GEOCODERS": "amap", "AMAP_KEY": KEY}
    for provider, key in (("amap", ""), ("amap", 'a"b'), ("google", KEY)):
        with pytest.raises(GeocoderConfigError):
            geocoder_env(provider, key)
    path = save_key("tianditu", KEY, tmp_path / "cfg" / "app.toml")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert saved_key(path) == ("tianditu", KEY)
    forget_key(path)
    assert saved_key(path) is None


def test_rebuild_with_a_key_places_a_site_and_never_writes_the_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    (data / "sources").mkdir(parents=True)
    (data / "sources" / "report.txt").write_text(
        "永康市住建局年度工作\n今年永康市完成子丑公园提升改造。\n", encoding="utf-8"
    )
    project = Project.at(tmp_path)
    with FakeGeoServer() as server:
        server.script(AMAP, Reply(amap(*coords.wgs84_to_gcj02(*IN_YONGKANG))))
        monkeypatch.setenv("AMAP_URL", server.url)
        monkeypatch.setenv("AMAP_MIN_INTERVAL", "0")
        monkeypatch.setenv("RENEWAL_MAP_GEOCODE_RETRIES", "0")
        monkeypatch.setenv("RENEWAL_MAP_GEOCODE_CACHE", str(tmp_path / "geocode.sqlite"))
        monkeypatch.setenv("RENEWAL_MAP_OSM_INDEX", str(tmp_path / "no-osm.sqlite"))
        run = run_geocoding(project, "amap", KEY)
        assert run.ok, run.log
        assert server.count(AMAP) == 1
        texts = [p.read_text("utf-8") for p in sorted(project.layers.glob("*.geojson"))]
        feats = [f for t in texts for f in json.loads(t)["features"]]
        park = next(f for f in feats if f["properties"]["name"] == "子丑公园")
        assert park["properties"]["precision"] == "street"
        assert park["properties"]["location_source"].startswith("amap: ")
        assert all(KEY not in t for t in texts) and KEY not in run.log
        again = run_geocoding(project, "amap", KEY)  # the answer is cached: no second request
        assert again.ok and server.count(AMAP) == 1
