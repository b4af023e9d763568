"""The ceiling: the smallest WSGI app, served by the same gunicorn as the portal."""

BODY = b"Hello"


def app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "5")])
    return [BODY]
