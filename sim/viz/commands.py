"""`govsim viz`: serve the browser app for teaching (sim/viz/app.py) on this machine.

    govsim viz [--port N] [--host 127.0.0.1] [--no-open]

Runs `solara run` on the app in a child process, bound to 127.0.0.1 unless told otherwise, prints the address,
opens it in a browser (unless --no-open) and serves until Ctrl-C. Needs the [viz] extra; without it, says how to
install it and exits with status 2. Imports nothing of the app itself, so `govsim --help` stays fast.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

APP = Path(__file__).with_name("app.py")
DEFAULT_PORT = 8765
VIZ_MODULES = ("solara", "mesa.visualization", "matplotlib")
INSTALL_HINT = "error: govsim viz needs the browser app's extra; install it with: pip install 'govsim[viz]'"


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


def free_port(host: str) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


def server_command(host: str, port: int, open_browser: bool) -> list[str]:
    return [
        sys.executable, "-m", "solara", "run", str(APP),
        "--host", host, "--port", str(port),
        "--production",  # no file watching or hot reload: a classroom server, not a development one
        "--open" if open_browser else "--no-open",
        "--no-check-version",
    ]


def server_environment() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("SOLARA_TELEMETRY_MIXPANEL_ENABLE", "false")  # solara reports usage online unless told not to
    return env


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def cmd_viz(args: argparse.Namespace) -> int:
    if not viz_available():
        print(INSTALL_HINT, file=sys.stderr)
        return 2
    port = args.port or free_port(args.host)
    url = f"http://{args.host}:{port}/"
    print(f"govsim viz: serving the teaching app at {url} (Ctrl-C to stop)", flush=True)
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        print(f"note: bound to {args.host}: other machines on the network can open it too", flush=True)
    server = subprocess.Popen(server_command(args.host, port, args.open), env=server_environment())
    signal.signal(signal.SIGTERM, _interrupt)  # a `kill` must stop the server too, not orphan it
    try:
        return server.wait()
    except KeyboardInterrupt:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        print("govsim viz: stopped", file=sys.stderr)
        return 0
