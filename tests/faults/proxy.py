"""A fault-injecting HTTP proxy on loopback, between cytoskel and the emulator.

    from tests.faults.proxy import FaultProxy

    with FaultProxy(upstream_port=emulator.port) as proxy:
        proxy.add_rule("CreateUser", "lost", times=1)
        env["AWS_ENDPOINT_URL"] = proxy.endpoint     # http://localhost:PORT
        ...run cytoskel...
        proxy.attempts("CreateUser")                  # -> 1

cytoskel is pointed at the proxy (``--endpoint-url`` or ``AWS_ENDPOINT_URL``);
the proxy forwards every request to the emulator on 127.0.0.1 with the Host
header untouched (the signature covers it; S3 Control requests arrive for
``123456789012.localhost:PORT``, which libcurl resolves to loopback by
itself), unless a rule says otherwise.

Each request is named by its AWS operation: the ``Action`` form field of the
query protocol (IAM, STS), or the method, path and query keys matched
against the botocore models of S3 Control and S3.  ``attempts(name)`` counts
every request of that operation the proxy saw, faulted or not.

Faults (``add_rule(operation, fault, times=None, **params)``; ``"*"``
matches every operation; the first matching rule with hits left applies):

``slowdown``   503 ``SlowDown`` ("Please reduce your request rate.")
``throttle``   400 ``Throttling`` ("Rate exceeded")
``internal``   500 ``InternalError``
``reset``      the connection is reset (RST) before anything is forwarded
``lost``       forwarded and executed by the emulator, then the connection
               is reset instead of answering: "executed, answer lost"
``stall``      waits ``seconds`` (default: until the client gives up or the
               proxy stops), then forwards as usual
``reply``      answers ``status`` / ``headers`` / ``body`` as given
``mangle``     forwards, then answers ``transform(status, headers, body)``
``cut``        forwards, then sends the answer's head (with its full
               Content-Length) and half its body, and resets the connection
``hook``       calls ``callback(request)`` (in the proxy's thread); then
               ``"drop"`` resets the connection, ``"lost"`` forwards and
               then resets it, anything else forwards as usual

Clock check (on unless ``check_clock=False``): like AWS, a request whose
``X-Amz-Date`` is more than five minutes from the proxy's clock is refused
with 403 ``RequestTimeTooSkewed`` and a true ``Date`` header, before any
rule applies.

Run it by hand: ``python3 -m tests.faults.proxy --upstream-port 5000
--port 5001 [--rule OPERATION:FAULT[:TIMES]]...``.
"""

from __future__ import annotations

import argparse
import calendar
import collections
import email.utils
import functools
import http.client
import http.server
import re
import socket
import socketserver
import struct
import threading
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import botocore.session

MAX_SKEW_SECONDS = 300
S3CONTROL_PREFIX = "/v20180820/"
HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "te",
              "trailer", "upgrade", "proxy-connection", "content-length"}
FAULTS = ("slowdown", "throttle", "internal", "reset", "lost", "stall",
          "reply", "mangle", "cut", "hook")


# ---- naming requests -----------------------------------------------------


@dataclass(frozen=True)
class _Route:
    operation: str
    method: str
    pattern: re.Pattern[str]
    query_keys: frozenset[str]
    header_names: frozenset[str]  # required headers (x-amz-copy-source)
    specificity: int


def _route(operation: Any) -> _Route:
    """A matcher for one rest-xml operation from its botocore model."""
    http = operation.http
    uri = http["requestUri"]
    path, _, query = uri.partition("?")
    keys = frozenset(pair.split("=", 1)[0] for pair in query.split("&")
                     if pair)
    regex = ""
    literal = 0
    for piece in re.split(r"(\{[^}]+\})", path):
        if piece.startswith("{"):
            regex += "(.+)" if piece.endswith("+}") else "([^/]+)"
        else:
            regex += re.escape(piece)
            literal += len(piece)
    if path.endswith("}") and not path.endswith("+}"):
        regex += "/?"  # S3 sends "/bucket" and "/bucket/" alike
    shape = operation.input_shape
    required = set(shape.required_members) if shape else set()
    headers = frozenset(
        member.serialization["name"].lower()
        for name, member in (shape.members.items() if shape else ())
        if name in required and name != "AccountId" and
        member.serialization.get("location") == "header")
    return _Route(operation.name, http["method"],
                  re.compile(regex + r"\Z"), keys, headers,
                  literal * 10 + len(keys) * 100 + len(headers) * 100)


@functools.lru_cache(maxsize=None)
def _routes(service: str) -> tuple[_Route, ...]:
    model = botocore.session.Session().get_service_model(service)
    return tuple(_route(model.operation_model(name))
                 for name in model.operation_names)


def operation_name(method: str, target: str, headers: Any,
                   body: bytes) -> str:
    """The AWS operation of one request: ``CreateUser``,
    ``CreateAccessGrant``, ``HeadBucket``, ...; ``"METHOD /path"`` when no
    model matches."""
    parts = urlsplit(target)
    form_type = (headers.get("Content-Type") or "").lower()
    is_form = ("x-www-form-urlencoded" in form_type
               or body.startswith(b"Action"))
    if method == "POST" and parts.path == "/" and is_form:
        form = dict(parse_qsl(body.decode("utf-8", "replace")))
        if "Action" in form:
            return form["Action"]
    service = "s3control" if parts.path.startswith(S3CONTROL_PREFIX) else "s3"
    keys = {pair.split("=", 1)[0] for pair in parts.query.split("&") if pair}
    best: _Route | None = None
    for route in _routes(service):
        if route.method != method or not route.query_keys <= keys:
            continue
        if any(name not in headers for name in route.header_names):
            continue
        if not route.pattern.match(parts.path):
            continue
        if best is None or route.specificity > best.specificity:
            best = route
    return best.operation if best else f"{method} {parts.path}"


# ---- rules -----------------------------------------------------------------


@dataclass
class Rule:
    """One fault for one operation (or ``"*"``), ``times`` times (None:
    every time). ``hits`` counts the requests it applied to."""

    operation: str
    fault: str
    times: int | None = None
    params: dict[str, Any] = field(default_factory=dict)
    hits: int = 0

    def wants(self, operation: str) -> bool:
        if self.operation not in ("*", operation):
            return False
        return self.times is None or self.hits < self.times


@dataclass
class Request:
    """What a hook sees: the request as received."""

    operation: str
    method: str
    target: str
    headers: Any
    body: bytes
    index: int  # 1-based position among every request the proxy saw


def _error_body(query_protocol: bool, code: str, message: str) -> bytes:
    """The XML of an AWS error: IAM/STS's <ErrorResponse> or S3's <Error>."""
    if query_protocol:
        text = (f"<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code>"
                f"<Message>{message}</Message></Error>"
                f"<RequestId>fault-proxy</RequestId></ErrorResponse>")
    else:
        text = (f"<Error><Code>{code}</Code><Message>{message}</Message>"
                f"<RequestId>fault-proxy</RequestId></Error>")
    return text.encode()


# fault -> (status, code, message), as AWS sends them.
_CANNED = {
    "slowdown": (503, "SlowDown", "Please reduce your request rate."),
    "throttle": (400, "Throttling", "Rate exceeded"),
    "internal": (500, "InternalError",
                 "We encountered an internal error. Please try again."),
}


def _parse_amz_date(text: str) -> float | None:
    try:
        return float(calendar.timegm(time.strptime(text, "%Y%m%dT%H%M%SZ")))
    except (ValueError, OverflowError):
        return None


# ---- the server ----------------------------------------------------------


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass  # the proxy's own record is FaultProxy.log

    def _do(self) -> None:
        """Names and counts the request, then answers it as the first
        matching rule says, or forwards it."""
        body = self._read_body()
        proxy = self.server.proxy
        operation = operation_name(self.command, self.path, self.headers,
                                   body)
        index, rule = proxy._record(operation)
        proxy._note_signing(self.headers, self.path)
        if proxy.check_clock and self._skewed():
            proxy._note(operation, "skewed")
            self._error(403, "RequestTimeTooSkewed",
                        "The difference between the request time and the "
                        "current time is too large.")
            return
        fault = rule.fault if rule else "forward"
        params = rule.params if rule else {}
        proxy._note(operation, fault)
        if fault == "hook":
            outcome = params["callback"](Request(
                operation, self.command, self.path, self.headers, body,
                index))
            fault = {"drop": "reset", "lost": "lost"}.get(outcome, "forward")
        if fault == "stall":
            proxy._stopping.wait(params.get("seconds"))
            fault = "reset" if proxy._stopping.is_set() else "forward"

        if fault in _CANNED:
            self._error(*_CANNED[fault])
        elif fault == "reset":
            self._reset()
        elif fault == "reply":
            self._answer(params.get("status", 200),
                         dict(params.get("headers", {})),
                         params.get("body", b""))
        elif fault == "lost":
            self._forward(body)
            self._reset()
        elif fault == "mangle":
            self._answer(*params["transform"](*self._forward(body)))
        elif fault == "cut":
            self._cut(*self._forward(body))
        else:
            answer = self._forward(body)
            if proxy.record:
                proxy._keep_answer(operation, answer)
            self._answer(*answer)

    do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = _do

    def _read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0], 16)
                chunk = self.rfile.read(size + 2)[:size]
                if size == 0:
                    break
                chunks.append(chunk)
            return b"".join(chunks)
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _skewed(self) -> bool:
        stamp = self.headers.get("X-Amz-Date")
        if stamp is None:
            return False
        sent = _parse_amz_date(stamp)
        return sent is None or abs(sent - time.time()) > \
            self.server.proxy.max_skew

    def _forward(self, body: bytes) -> tuple[int, list[tuple[str, str]],
                                             bytes]:
        """Sends the request to the emulator as it came; returns its answer."""
        proxy = self.server.proxy
        upstream = http.client.HTTPConnection("127.0.0.1", proxy.upstream_port,
                                              timeout=120)
        try:
            upstream.putrequest(self.command, self.path, skip_host=True,
                                skip_accept_encoding=True)
            for name, value in self.headers.items():
                if name.lower() not in HOP_BY_HOP:
                    upstream.putheader(name, value)
            upstream.putheader("Content-Length", str(len(body)))
            upstream.endheaders(body)
            response = upstream.getresponse()
            data = response.read()
            headers = [(k, v) for k, v in response.getheaders()
                       if k.lower() not in HOP_BY_HOP]
            return response.status, headers, data
        finally:
            upstream.close()

    def _answer(self, status: int, headers: Any, body: bytes) -> None:
        items = headers.items() if isinstance(headers, dict) else headers
        self.send_response_only(status)
        names = set()
        for name, value in items:
            names.add(name.lower())
            self.send_header(name, value)
        if "date" not in names:
            self.send_header("Date", email.utils.formatdate(usegmt=True))
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        self.wfile.flush()

    def _error(self, status: int, code: str, message: str) -> None:
        """An AWS error answer, in the shape of the request's protocol."""
        query = self.command == "POST" and urlsplit(self.path).path == "/"
        self._answer(status, {"Content-Type": "application/xml"},
                     _error_body(query, code, message))

    def _cut(self, status: int, headers: list[tuple[str, str]],
             body: bytes) -> None:
        """Sends the head and half the body, then resets: the connection
        broke in the middle of the answer."""
        self.send_response_only(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body[:len(body) // 2])
        self.wfile.flush()
        self._reset()

    def _reset(self) -> None:
        """Drops the connection with a TCP reset, answering nothing."""
        self.close_connection = True
        try:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                       struct.pack("ii", 1, 0))
            self.connection.close()
        except OSError:
            pass


class _Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, proxy: FaultProxy, port: int) -> None:
        self.proxy = proxy
        super().__init__(("127.0.0.1", port), _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that hung up mid-answer is not the proxy's problem


class FaultProxy:
    """The proxy (see the module docstring). Thread-safe."""

    def __init__(self, upstream_port: int, port: int = 0,
                 check_clock: bool = True,
                 max_skew: float = MAX_SKEW_SECONDS,
                 record: bool = False) -> None:
        self.upstream_port = upstream_port
        self.record = record
        # (operation, status, headers, body) of each forwarded answer, when
        # `record` is set (fuzz/make_seeds.py turns them into seeds).
        self.answers: list[tuple[str, int, list[tuple[str, str]], bytes]] = []
        # Every Authorization value, signature and session token sent.
        self.signing_secrets: set[str] = set()
        self.check_clock = check_clock
        self.max_skew = max_skew
        self._lock = threading.Lock()
        self._rules: list[Rule] = []
        self._counts: collections.Counter[str] = collections.Counter()
        self._log: list[tuple[str, str]] = []
        self._stopping = threading.Event()
        self._server = _Server(self, port)
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def endpoint(self) -> str:
        """The URL to give cytoskel (``localhost``, so that S3 Control's
        ``ACCOUNT.localhost`` host works too)."""
        return f"http://localhost:{self.port}"

    def start(self) -> FaultProxy:
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        kwargs={"poll_interval": 0.05},
                                        daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        self._server.shutdown()
        self._server.server_close()
        if self._thread:
            self._thread.join(timeout=5)

    def __enter__(self) -> FaultProxy:
        return self.start()

    def __exit__(self, *_: Any) -> None:
        self.stop()

    # -- rules and counters --------------------------------------------------

    def add_rule(self, operation: str, fault: str, times: int | None = None,
                 **params: Any) -> Rule:
        """Adds a fault (see the module docstring); returns the rule, whose
        ``hits`` tell how often it applied."""
        if fault not in FAULTS:
            raise ValueError(f"unknown fault {fault!r}: one of {FAULTS}")
        rule = Rule(operation, fault, times, params)
        with self._lock:
            self._rules.append(rule)
        return rule

    def clear_rules(self) -> None:
        with self._lock:
            self._rules.clear()

    def reset_counts(self) -> None:
        with self._lock:
            self._counts.clear()
            self._log.clear()

    def attempts(self, operation: str) -> int:
        """How many requests of ``operation`` the proxy saw."""
        with self._lock:
            return self._counts[operation]

    def total(self) -> int:
        """How many requests the proxy saw, all operations together."""
        with self._lock:
            return sum(self._counts.values())

    def counts(self) -> dict[str, int]:
        with self._lock:
            return dict(self._counts)

    @property
    def log(self) -> list[tuple[str, str]]:
        """(operation, what happened) per request, in arrival order."""
        with self._lock:
            return list(self._log)

    def _record(self, operation: str) -> tuple[int, Rule | None]:
        with self._lock:
            self._counts[operation] += 1
            index = sum(self._counts.values())
            for rule in self._rules:
                if rule.wants(operation):
                    rule.hits += 1
                    return index, rule
            return index, None

    def _note_signing(self, headers: Any, target: str) -> None:
        """Keeps what must never appear in a log: Authorization values,
        their signatures, session tokens (header or query)."""
        values = []
        authorization = headers.get("Authorization")
        if authorization:
            values.append(authorization)
            values += re.findall(r"Signature=([0-9a-f]{64})", authorization)
        if headers.get("X-Amz-Security-Token"):
            values.append(headers["X-Amz-Security-Token"])
        query = dict(parse_qsl(urlsplit(target).query))
        for name in ("X-Amz-Signature", "X-Amz-Security-Token"):
            if query.get(name):
                values.append(query[name])
        with self._lock:
            self.signing_secrets.update(values)

    def _keep_answer(self, operation: str,
                     answer: tuple[int, list[tuple[str, str]], bytes]) -> None:
        with self._lock:
            self.answers.append((operation, *answer))

    def _note(self, operation: str, what: str) -> None:
        with self._lock:
            self._log.append((operation, what))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--upstream-port", type=int, required=True)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--rule", action="append", default=[],
                        help="OPERATION:FAULT[:TIMES], e.g. CreateUser:lost:1")
    parser.add_argument("--no-clock-check", action="store_true")
    args = parser.parse_args()
    proxy = FaultProxy(args.upstream_port, args.port,
                       check_clock=not args.no_clock_check)
    for text in args.rule:
        operation, fault, *times = text.split(":")
        proxy.add_rule(operation, fault, int(times[0]) if times else None)
    proxy.start()
    print(f"fault proxy on {proxy.endpoint} -> 127.0.0.1:{args.upstream_port}",
          flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        print(proxy.counts())
        proxy.stop()


if __name__ == "__main__":
    main()
