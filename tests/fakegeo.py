"""A real HTTP server on 127.0.0.1 that speaks the geocoders' JSON, for tests.

Each provider has its own path (Nominatim ``/search``, Baidu ``/geocoding/v3/``,
Amap ``/v3/geocode/geo``, Tianditu ``/geocoder``), so one server can stand in for
all four. Answers are scripted per path (the last one repeats); every request is
recorded with the server's own arrival time, so tests can count requests and
measure their spacing as the service would see it.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

NOMINATIM = "/search"
BAIDU = "/geocoding/v3/"
AMAP = "/v3/geocode/geo"
TIANDITU = "/geocoder"


@dataclass(frozen=True)
class Reply:
    """One scripted answer: JSON (or raw text) body, HTTP status, and a delay before answering."""

    body: Any = None
    status: int = 200
    delay_s: float = 0.0
    raw_text: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    drip_s: float = 0.0  # > 0: the body is sent one byte at a time, this long apart


@dataclass(frozen=True)
class Request:
    path: str
    params: dict[str, str]
    headers: dict[str, str]
    at: float  # time.monotonic() when the server received it


class FakeGeoServer:
    """``with FakeGeoServer() as server: server.script(AMAP, Reply(...)); … server.url``."""

    def __init__(self) -> None:
        self.requests: list[Request] = []
        self.cut_off = 0  # answers the client stopped reading before their end
        self._scripts: dict[str, list[Reply]] = {}
        self._lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                fake._handle(self)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._httpd.block_on_close = False
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.02,), daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def script(self, path: str, *replies: Reply) -> None:
        """Answer requests to ``path`` with these replies in order; the last one repeats."""
        with self._lock:
            self._scripts[path] = list(replies)

    def count(self, path: str | None = None) -> int:
        with self._lock:
            return sum(1 for r in self.requests if path is None or r.path == path)

    def of(self, path: str) -> list[Request]:
        with self._lock:
            return [r for r in self.requests if r.path == path]

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(handler.path)
        params = {k: v[0] for k, v in parse_qs(parts.query).items()}
        with self._lock:
            self.requests.append(Request(parts.path, params, dict(handler.headers), time.monotonic()))
            script = self._scripts.get(parts.path)
            if not script:
                reply = Reply(status=404, body={"error": "no script for " + parts.path})
            else:
                reply = script.pop(0) if len(script) > 1 else script[0]
        try:
            if reply.delay_s:
                time.sleep(reply.delay_s)
            if reply.raw_text is not None:
                data = reply.raw_text
            else:
                data = json.dumps(reply.body, ensure_ascii=False)
            payload = data.encode("utf-8")
            handler.send_response(reply.status)
            handler.send_header("Content-Type", "application/json; charset=utf-8")
            handler.send_header("Content-Length", str(len(payload)))
            for k, v in reply.headers.items():
                handler.send_header(k, v)
            handler.end_headers()
            if reply.drip_s:
                for i in range(len(payload)):
                    handler.wfile.write(payload[i:i + 1])
                    handler.wfile.flush()
                    time.sleep(reply.drip_s)
            else:
                handler.wfile.write(payload)
        except OSError:
            with self._lock:
                self.cut_off += 1  # the client gave up waiting (timeout tests)

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> FakeGeoServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# ---------------------------------------------------------------- provider answers


def nominatim(lon: float, lat: float, *, geojson: dict[str, Any] | None = None, place_rank: int = 25,
              category: str = "leisure", type_: str = "park", addresstype: str = "leisure",
              name: str = "塔山公园", bbox_deg: float = 0.002) -> list[dict[str, Any]]:
    """A Nominatim jsonv2 answer (a list of one place), with its geojson geometry."""
    return [{
        "place_id": 1, "osm_type": "way", "osm_id": 2, "lat": f"{lat:.7f}", "lon": f"{lon:.7f}",
        "category": category, "type": type_, "place_rank": place_rank, "importance": 0.3,
        "addresstype": addresstype, "name": name, "display_name": f"{name}, 永康市, 金华市, 浙江省, 中国",
        "boundingbox": [f"{lat - bbox_deg:.7f}", f"{lat + bbox_deg:.7f}",
                        f"{lon - bbox_deg:.7f}", f"{lon + bbox_deg:.7f}"],
        "geojson": geojson or {"type": "Point", "coordinates": [lon, lat]},
    }]


def baidu(lng: float, lat: float, *, level: str = "休闲娱乐", confidence: int = 70,
          precise: int = 1) -> dict[str, Any]:
    """A Baidu geocoding v3 answer (BD-09 coordinates as given)."""
    return {"status": 0, "result": {"location": {"lng": lng, "lat": lat}, "precise": precise,
                                    "confidence": confidence, "comprehension": 100, "level": level}}


def amap(lon: float, lat: float, *, level: str = "兴趣点") -> dict[str, Any]:
    """An Amap geocoding v3 answer (GCJ-02 "lon,lat")."""
    return {"status": "1", "info": "OK", "infocode": "10000", "count": "1", "geocodes": [{
        "formatted_address": "浙江省金华市永康市塔山公园", "country": "中国", "province": "浙江省",
        "city": "金华市", "district": "永康市", "adcode": "330784",
        "location": f"{lon:.6f},{lat:.6f}", "level": level}]}


def tianditu(lon: float, lat: float, *, level: str = "兴趣点") -> dict[str, Any]:
    """A Tianditu geocoder answer (CGCS2000)."""
    return {"status": "0", "msg": "ok", "searchVersion": "6.4.9V",
            "location": {"lon": lon, "lat": lat, "level": level, "score": 100, "keyWord": ""}}


EMPTY = {
    NOMINATIM: [],
    BAIDU: {"status": 0, "result": []},
    AMAP: {"status": "1", "info": "OK", "infocode": "10000", "count": "0", "geocodes": []},
    TIANDITU: {"status": "101", "msg": "结果为空"},
}
