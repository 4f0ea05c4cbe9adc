"""The emulator's WSGI application and threaded HTTP server.

The application is moto's ``DomainDispatcherApplication`` (which picks the
service from the SigV4 credential scope; ``/v20180820/...`` paths signed for
``s3`` go to S3 Control).  On the S3 Control app every route is served by
``AccessGrantsResponse``: moto's own routes are re-pointed to it, and rules
are added for the Access Grants paths and for tag calls on multi-segment
ARNs.
"""

from __future__ import annotations

import threading
from typing import Any

from flask import Flask
from moto.core.utils import convert_to_flask_response
from moto.moto_server.werkzeug_app import (
    HTTP_METHODS,
    DomainDispatcherApplication,
    create_backend_app,
)
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from .responses import AccessGrantsResponse

ACCESS_GRANTS_RULES = (
    "/v20180820/accessgrantsinstance",
    "/v20180820/accessgrantsinstance/<path:rest>",
    "/v20180820/accessgrantsinstances",
    "/v20180820/tags/<path:resource_arn>",
)


def create_app(service: Any) -> Flask:
    """moto's app for ``service``; S3 Control's is served by AccessGrantsResponse."""
    app = create_backend_app(service)
    if service == "s3control":
        view = convert_to_flask_response(AccessGrantsResponse.dispatch)
        for endpoint in app.view_functions:
            app.view_functions[endpoint] = view
        for number, rule in enumerate(ACCESS_GRANTS_RULES):
            app.add_url_rule(rule, endpoint=f"access_grants_{number}", view_func=view,
                             methods=HTTP_METHODS, strict_slashes=False)
    return app


class _PlainLogHandler(WSGIRequestHandler):
    """Logs each request as plain text (werkzeug adds terminal colours)."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        self.log("info", '"%s" %s %s', self.requestline, code, size)


class EmulatorServer:
    """A threaded HTTP server for the emulator on ``host:port``; the socket is
    bound (and accepting into its backlog) as soon as it is constructed."""

    def __init__(self, host: str, port: int) -> None:
        self.app = DomainDispatcherApplication(create_app)
        self._server: BaseWSGIServer = make_server(host, port, self.app, threaded=True,
                                                     request_handler=_PlainLogHandler)
        self._thread = threading.Thread(target=self._server.serve_forever, name="emulator-http",
                                        daemon=True)

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def warm_up(self, services: tuple[str, ...]) -> None:
        """Build the apps of ``services`` now rather than on first request."""
        for service in services:
            self.app.app_instances.setdefault(service, create_app(service))

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._thread.join()
        self._server.server_close()
