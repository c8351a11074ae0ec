"""`govsim viz`: serve the browser app for teaching (sim/viz/app.py) on this machine.

    govsim viz [--port N] [--host 127.0.0.1] [--no-open]

Checks the address, makes sure the page's scripts are on this machine (fetching them from the npm registry the
first time, see `sim.viz.assets`), then runs solara's server on the app *in this process*, bound to 127.0.0.1
unless told otherwise, opens it in a browser (unless --no-open) and serves until Ctrl-C or a kill. One process:
whatever stops govsim viz, even SIGKILL, stops the server with it. When the scripts cannot be had, it says so in
one line and serves that line, with the fix, as the page instead.

Needs the [viz] extra; without it, says how to install it and exits with status 2. Imports nothing of the app
until it serves, so `govsim --help` stays fast.
"""

from __future__ import annotations

import argparse
import errno
import importlib.util
import os
import signal
import socket
import sys
import warnings
from pathlib import Path

APP = Path(__file__).with_name("app.py")
DEFAULT_PORT = 8765
VIZ_MODULES = ("solara", "mesa.visualization", "matplotlib")
INSTALL_HINT = "error: govsim viz needs the browser app's extra; install it with: pip install 'govsim[viz]'"
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a port number, got '{text}'") from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"expected a port number in 0-65535 (0: any free port), got {value}")
    return value


def register(commands) -> dict:
    """Add `viz` to the argparse `commands` object; return {name: handler}."""
    viz = commands.add_parser("viz", help="serve the browser app for teaching the three regimes (needs the [viz] extra)")
    viz.add_argument("--port", type=_port, default=DEFAULT_PORT, help=f"port to serve on (default {DEFAULT_PORT}; 0: any free port)")
    viz.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)")
    viz.add_argument("--no-open", dest="open", action="store_false", help="do not open a browser")
    return {"viz": cmd_viz}


def viz_available() -> bool:
    try:
        return all(importlib.util.find_spec(name) is not None for name in VIZ_MODULES)
    except ModuleNotFoundError:  # a parent package (mesa) is missing
        return False


class AddressError(Exception):
    """--host or --port cannot be served on; the message names the option and says what to do."""


def bind_check(host: str, port: int) -> int:
    """The port to serve on (a free one for 0) after checking that `host` names this machine and the port is free;
    raises AddressError otherwise. The server binds again just after: a port taken in between fails there."""
    try:
        family, _, _, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except (socket.gaierror, UnicodeError) as error:
        raise AddressError(f"--host {host}: not a name or address this machine can serve on ({getattr(error, 'strerror', None) or error}); "
                           "use 127.0.0.1 (this machine) or 0.0.0.0 (every network it is on)") from None
    try:
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.bind(address)
            return probe.getsockname()[1]
    except OSError as error:
        if port and error.errno == errno.EADDRINUSE:
            raise AddressError(f"--port {port}: already in use on {host} (another govsim viz?); choose another "
                               "port, or --port 0 for any free one") from None
        raise AddressError(f"--host {host}: cannot serve on this address ({error.strerror or error}); "
                           "use 127.0.0.1 or 0.0.0.0") from None


def url_of(host: str, port: int) -> str:
    return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"


def solara_arguments(host: str, port: int, open_browser: bool) -> list[str]:
    """`solara run`'s arguments for the app."""
    return [
        "run", str(APP),
        "--host", host, "--port", str(port),
        "--production",  # no file watching or hot reload: a classroom server, not a development one
        "--open" if open_browser else "--no-open",
        "--no-check-version",
    ]


def prepare_environment(cache: Path) -> None:
    """Settings solara reads when it is first imported: where its CDN route's files are, and no telemetry."""
    os.environ.setdefault("SOLARA_TELEMETRY_MIXPANEL_ENABLE", "false")  # solara reports usage online unless told not to
    os.environ["SOLARA_ASSETS_PROXY_CACHE_DIR"] = str(cache)


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def serve_app(host: str, port: int, open_browser: bool) -> int:
    """Run solara's server on the app in this process until it stops."""
    from click.exceptions import Abort
    from solara.__main__ import cli

    # Solara warns at every page load over plain http that it falls back to SameSite=Lax cookies: true and harmless
    # for a classroom server, and twenty lines each time in the lecturer's terminal.
    warnings.filterwarnings("ignore", message="Cookies with samesite=none require https", category=UserWarning)

    try:
        cli.main(args=solara_arguments(host, port, open_browser), prog_name="solara", standalone_mode=False)
    except Abort:  # click's name for a KeyboardInterrupt inside a command
        raise KeyboardInterrupt from None
    except SystemExit as stop:  # uvicorn exits 1 when it cannot bind after all
        return stop.code if isinstance(stop.code, int) else 1
    return 0


def cmd_viz(args: argparse.Namespace) -> int:
    if not viz_available():
        print(INSTALL_HINT, file=sys.stderr)
        return 2
    from sim.viz import assets, notice

    try:
        port = bind_check(args.host, args.port)
    except AddressError as problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    url = url_of(args.host, port)
    signal.signal(signal.SIGTERM, _interrupt)  # a `kill` stops the server the way Ctrl-C does
    try:
        cache = assets.ensure(say=lambda line: print(f"govsim viz: {line}", flush=True))
    except assets.AssetsUnavailable as problem:
        print(f"error: {problem}", file=sys.stderr, flush=True)
        print(f"govsim viz: the page at {url} says the same until stopped (Ctrl-C)", file=sys.stderr, flush=True)
        stopped(lambda: notice.serve(args.host, port, str(problem), url if args.open else None))
        return 1
    except KeyboardInterrupt:
        print("govsim viz: stopped", file=sys.stderr)
        return 1
    prepare_environment(cache)
    print(f"govsim viz: serving the teaching app at {url} (Ctrl-C to stop)", flush=True)
    if args.host not in LOCAL_HOSTS:
        print(f"note: bound to {args.host}: other machines on the network can open it too", flush=True)
    return stopped(lambda: serve_app(args.host, port, args.open))


def stopped(serve) -> int:
    """Run `serve()` until it returns or Ctrl-C / SIGTERM stops it; its status (0 when stopped)."""
    try:
        return serve()
    except KeyboardInterrupt:
        print("govsim viz: stopped", file=sys.stderr)
        return 0
