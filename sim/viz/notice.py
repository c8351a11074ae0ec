"""The page `govsim viz` serves when the app's own page cannot work: one line saying why, and the fix.

Solara's page is blank without its scripts, so when they cannot be had (see `sim.viz.assets`) the browser gets
this plain page instead, from the standard library's HTTP server, on the address the app would have used.
"""

from __future__ import annotations

import html
import socket
import threading
import webbrowser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>govsim viz: the page's scripts are missing</title></head>
<body style="font: 18px/1.5 sans-serif; margin: 3em; max-width: 48em">
<h1 style="font-size: 1.3em">govsim viz cannot show the teaching app yet</h1>
<p class="govsim-notice">{message}</p>
</body></html>
"""


def handler_for(message: str) -> type[BaseHTTPRequestHandler]:
    body = PAGE.format(message=html.escape(message)).encode("utf-8")

    class Notice(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(503)  # Service Unavailable: the app, not the address, is what is missing
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")  # once fixed, a reload must reach the real app
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format, *args):  # the terminal already says it; no line per request
            pass

    return Notice


class _Server(ThreadingHTTPServer):
    daemon_threads = True


def serve(host: str, port: int, message: str, open_url: str | None = None) -> None:
    """Serve `message` as the only page on `host`:`port` until interrupted; open `open_url` in a browser."""
    server_class = type("Server", (_Server,), {"address_family": socket.getaddrinfo(host, port)[0][0]})
    with server_class((host, port), handler_for(message)) as server:
        if open_url:
            threading.Thread(target=webbrowser.open, args=(open_url,), daemon=True).start()
        server.serve_forever()
