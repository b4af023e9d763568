"""Serve a WSGI application on a loopback port, one thread per request."""

from __future__ import annotations

import json
import os
import socketserver
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server


class _ThreadingWSGIServer(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 (the name wsgiref gives it)
        pass


def serve(application, port: int) -> None:
    server = make_server(
        "127.0.0.1",
        port,
        application,
        server_class=_ThreadingWSGIServer,
        handler_class=_QuietHandler,
    )
    print(f"listening on 127.0.0.1:{port}", flush=True)
    server.serve_forever()


def users() -> list[dict[str, str]]:
    """The provider's accounts, from IDP_USERS (JSON): username, password, email,
    first_name, last_name."""
    return json.loads(os.environ.get("IDP_USERS", "[]"))
