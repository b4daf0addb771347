"""geopy's requests adapter with two bounds a geocoder's answer must keep: its size and its time.

The per-read timeout alone lets a server that sends one byte a second hold a build for as long
as it likes, and a body of any size is read into memory. Here the whole request (headers and
body) has a deadline, the body is read in pieces and refused past :data:`MAX_BODY_BYTES`, and
JSON nested too deep to parse is a parse error, not a crash.
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from typing import Any

import requests
from geopy.adapters import AdapterHTTPError, RequestsAdapter
from geopy.exc import GeocoderParseError, GeocoderServiceError, GeocoderTimedOut, GeocoderUnavailable

from geo.locate.geocoders import answers


class AnswerTooLarge(GeocoderParseError):
    """The body is larger than the cap (not worth another try)."""


class BoundedAdapter(RequestsAdapter):
    """A :class:`RequestsAdapter` whose requests end by ``deadline_s`` and read at most the size cap."""

    def __init__(self, *, proxies: Any, ssl_context: Any, deadline_s: float) -> None:
        # max_retries=0: retries are the geocoding layer's business (bounded, with backoff)
        super().__init__(proxies=proxies, ssl_context=ssl_context, max_retries=0)
        self._init = {"proxies": proxies, "ssl_context": ssl_context}
        self.deadline_s = deadline_s

    def get_json(self, url: str, *, timeout: Any, headers: dict[str, str]) -> Any:
        text = self.get_text(url, timeout=timeout, headers=headers)
        try:
            return json.loads(text)
        except RecursionError:
            raise GeocoderParseError("answer is not usable JSON (nested too deep)") from None
        except ValueError:
            raise GeocoderParseError(f"answer is not JSON ({len(text)} characters)") from None

    def get_text(self, url: str, *, timeout: Any, headers: dict[str, str]) -> str:
        box: dict[str, Any] = {}
        ends_at = time.monotonic() + self.deadline_s
        worker = threading.Thread(target=self._work, args=(url, timeout, headers, ends_at, box), daemon=True)
        worker.start()
        worker.join(self.deadline_s + 0.5)
        if worker.is_alive():  # stuck in a read before the body (headers trickling in)
            self._cut(box)
            RequestsAdapter.__init__(self, max_retries=0, **self._init)  # a fresh session; leave the old
            raise GeocoderTimedOut(f"no whole answer within {self.deadline_s:g} s")
        if "error" in box:
            raise box["error"]
        return str(box["text"])

    def _work(self, url: str, timeout: Any, headers: dict[str, str], ends_at: float,
              box: dict[str, Any]) -> None:
        try:
            box["text"] = self._read(url, timeout, headers, ends_at, box)
        except BaseException as error:  # handed to the caller's thread
            box["error"] = error

    def _read(self, url: str, timeout: Any, headers: dict[str, str], ends_at: float,
              box: dict[str, Any]) -> str:
        try:
            resp = self.session.get(url, timeout=timeout, headers=headers, stream=True)
        except requests.Timeout:
            raise GeocoderTimedOut("Service timed out") from None
        except requests.ConnectionError as error:
            raise GeocoderUnavailable(str(error)) from None
        except requests.RequestException as error:
            raise GeocoderServiceError(str(error)) from None
        box["response"] = resp
        with contextlib.closing(resp):
            declared = resp.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > answers.MAX_BODY_BYTES:
                raise AnswerTooLarge(_too_large(int(declared)))
            body = bytearray()
            try:
                while True:
                    if time.monotonic() > ends_at:
                        raise GeocoderTimedOut(f"no whole answer within {self.deadline_s:g} s")
                    piece = resp.raw.read1(65536)  # what has arrived, without waiting for more
                    if not piece:
                        break
                    body += piece
                    if len(body) > answers.MAX_BODY_BYTES:
                        raise AnswerTooLarge(_too_large(len(body), at_least=True))
            except (requests.RequestException, OSError) as error:
                if "timed out" in str(error).lower():
                    raise GeocoderTimedOut("Service timed out") from None
                raise GeocoderUnavailable(str(error)) from None
            text = body.decode(resp.encoding or "utf-8", errors="replace")
            if resp.status_code >= 400:
                raise AdapterHTTPError(f"Non-successful status code {resp.status_code}",
                                       status_code=resp.status_code, headers=resp.headers, text=text[:2000])
            return text

    @staticmethod
    def _cut(box: dict[str, Any]) -> None:
        """Close the connection under a stuck read, where it can be reached."""
        resp = box.get("response")
        sock = getattr(getattr(getattr(resp, "raw", None), "_connection", None), "sock", None)
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


def _too_large(size: int, at_least: bool = False) -> str:
    more = "more than " if at_least else ""
    return f"answer larger than the limit: {more}{size} bytes > {answers.MAX_BODY_BYTES} bytes"
