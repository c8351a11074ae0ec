"""The browser page's own scripts and styles (solara's front end), fetched once from the npm registry.

The page solara serves loads its front end (the Vuetify app, require.js, Font Awesome, the grid of charts) through
the server's `/_solara/cdn/` route, which answers from a cache folder and, for a file it lacks, asks a public CDN.
govsim does not rely on that CDN (a classroom behind a firewall, CI, this machine cannot reach it): `govsim viz`
fills the cache before it serves, from the npm registry, the first time it starts (`make install` does it too):

    python -m sim.viz.assets      # the same by hand; does nothing when the cache is complete

Which packages: the ones the installed solara's page names (its page template, its grid widget and its Font Awesome
path), read from solara's files, so an upgrade of solara fetches the versions it needs. About 20 MB to download
(the Vue 3 app is 18 MB of it) and 85 MB on disk: too big to ship inside govsim, so fetched, not shipped.
Each tarball is checked against the registry's sha512 digest and unpacked into a scratch folder that is renamed
into place, so a package folder with its `package.json` is always complete.

The registry is npm's usual one, or the one named by `npm_config_registry` (as npm itself reads it; a mirror).
"""

from __future__ import annotations

import base64
import hashlib
import importlib.metadata
import importlib.util
import json
import os
import re
import shutil
import sys
import tarfile
import tempfile
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path

DEFAULT_REGISTRY = "https://registry.npmjs.org/"
TIMEOUT = 60  # s per request: 18 MB over a slow classroom line
# `{{cdn}}/@scope/name@1.2.3/...` in a template, `${this.getCdn()}/name@1.2.3/...` in a widget, `/name@1.2.3/...`
PINNED = re.compile(r"/((?:@[\w.-]+/)?[\w.-]+)@(\d+\.\d+\.\d+(?:-[\w.]+)?)/")
FIX = ("run `govsim viz` again once this machine reaches the npm registry (or set npm_config_registry to a "
       "mirror); `python -m sim.viz.assets` fetches them without serving")


class AssetsUnavailable(Exception):
    """The page's scripts are not in the cache and could not be fetched; the message says why, in one line."""


def registry() -> str:
    for name in ("npm_config_registry", "NPM_CONFIG_REGISTRY"):
        if os.environ.get(name):
            return os.environ[name].rstrip("/") + "/"
    return DEFAULT_REGISTRY


def _solara_folder() -> Path:
    spec = importlib.util.find_spec("solara")  # without importing solara (slow, and it creates folders)
    if spec is None or not spec.submodule_search_locations:
        raise AssetsUnavailable("solara is not installed: pip install 'govsim[viz]'")
    return Path(list(spec.submodule_search_locations)[0])


def vue3() -> bool:
    """Whether solara uses its Vue 3 front end (it does with ipyvue 3), as solara.server.server decides."""
    return importlib.metadata.version("ipyvue").startswith("3")


def packages() -> list[str]:
    """`name@version` of each npm package the installed solara's page loads from its CDN route."""
    folder = _solara_folder()
    wrong_app = "solara-vuetify-app" if vue3() else "solara-vuetify3-app"  # the template names both
    sources = [
        folder / "server" / "templates" / "solara.html.j2",
        folder / "widgets" / "vue" / ("gridlayout_v3.vue" if vue3() else "gridlayout.vue"),
        folder / "server" / "settings.py",  # Font Awesome's path
    ]
    found: dict[str, None] = {}
    for source in sources:
        for name, version in PINNED.findall(source.read_text(encoding="utf-8")):
            if not name.endswith(wrong_app):
                found[f"{name}@{version}"] = None
    if not any("solara-vuetify" in package for package in found):
        raise AssetsUnavailable(f"could not tell which front end solara {importlib.metadata.version('solara')} loads "
                                f"(no solara-vuetify app named in {sources[0]})")
    return list(found)


def _writable(folder: Path) -> bool:
    existing = next((parent for parent in (folder, *folder.parents) if parent.exists()), None)
    return existing is not None and os.access(existing, os.W_OK)


def cache_dir() -> Path:
    """Where solara's CDN route looks: $SOLARA_ASSETS_PROXY_CACHE_DIR, or solara's default inside the Python
    environment, or (when that is read-only: a system-wide install) a folder in the user's cache."""
    if os.environ.get("SOLARA_ASSETS_PROXY_CACHE_DIR"):
        return Path(os.environ["SOLARA_ASSETS_PROXY_CACHE_DIR"])
    default = Path(sys.prefix) / "share" / "solara" / "cdn"
    if _writable(default):
        return default
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "govsim" / "solara-cdn"


def missing(folder: Path, wanted: list[str]) -> list[str]:
    """The packages with no complete folder `<name>@<version>` (solara's cache layout) in `folder`."""
    return [package for package in wanted if not (folder / package / "package.json").is_file()]


def unpack(archive: Path, target: Path) -> None:
    """Extract an npm tarball's `package/` folder into `target` (the tarball's own root becomes `target`)."""
    with tarfile.open(archive) as tar:
        members = []
        for member in tar.getmembers():
            _, _, rest = member.name.partition("/")
            if rest:
                members.append(member.replace(name=rest, deep=False))
        tar.extractall(target, members=members, filter="data")


def _get(url: str):
    request = urllib.request.Request(url, headers={"Accept": "application/json, application/octet-stream"})
    return urllib.request.urlopen(request, timeout=TIMEOUT)


def _split(package: str) -> tuple[str, str]:
    name, _, version = package.rpartition("@")
    return name, version


def _check_digest(data_file: Path, dist: dict, package: str) -> None:
    integrity = dist.get("integrity", "")
    if integrity.startswith("sha512-"):
        digest, expected = hashlib.sha512(), base64.b64decode(integrity.removeprefix("sha512-"))
    elif dist.get("shasum"):
        digest, expected = hashlib.sha1(), bytes.fromhex(dist["shasum"])
    else:
        raise AssetsUnavailable(f"the registry gives no digest for {package}: refusing an unchecked download")
    with open(data_file, "rb") as data:
        for block in iter(lambda: data.read(1 << 20), b""):
            digest.update(block)
    if digest.digest() != expected:
        raise AssetsUnavailable(f"{package} from {registry()} does not match the registry's digest (a damaged download?)")


def fetch(package: str, folder: Path) -> None:
    """Download `package` (`name@version`) from the registry, check its digest and put it in `folder`."""
    name, version = _split(package)
    base = registry()
    with _get(f"{base}{urllib.parse.quote(name, safe='@')}/{version}") as answer:
        dist = json.load(answer)["dist"]
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".govsim-", dir=folder) as scratch:
        archive = Path(scratch) / "package.tgz"
        with _get(dist["tarball"]) as answer, open(archive, "wb") as out:
            shutil.copyfileobj(answer, out, 1 << 20)
        _check_digest(archive, dist, package)
        unpacked = Path(scratch) / "package"
        unpack(archive, unpacked)
        _move_into_place(unpacked, folder / package)


def _move_into_place(unpacked: Path, target: Path) -> None:
    """Rename the unpacked folder to `target`; if solara's CDN route already cached a few of its files there,
    add the rest and write `package.json` (the mark of a complete folder) last."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.rename(unpacked, target)
        return
    except OSError:
        if (target / "package.json").is_file():  # another govsim viz finished it meanwhile
            return
    marker = unpacked / "package.json"
    marker_text = marker.read_bytes()
    marker.unlink()
    shutil.copytree(unpacked, target, dirs_exist_ok=True)
    (target / "package.json").write_bytes(marker_text)


def ensure(say: Callable[[str], None] = print) -> Path:
    """Make sure the cache holds every package the page loads, fetching those it lacks; the cache folder.
    Raises AssetsUnavailable with a one-line reason and the fix when they cannot be had."""
    folder, wanted = cache_dir(), packages()
    needed = missing(folder, wanted)
    if not needed:
        return folder
    if not _writable(folder):
        raise AssetsUnavailable(f"the page's scripts are missing and {folder} cannot be written; "
                                "set SOLARA_ASSETS_PROXY_CACHE_DIR to a folder you may write")
    say(f"fetching the page's scripts from the npm registry into {folder} (once, about 20 MB): {', '.join(needed)}")
    for package in needed:
        try:
            fetch(package, folder)
        except AssetsUnavailable:
            raise
        except (OSError, ValueError, KeyError, tarfile.TarError) as error:  # URLError and timeouts are OSErrors
            reason = getattr(error, "reason", None) or error
            raise AssetsUnavailable(f"the page's scripts ({package}) could not be fetched from {registry()} "
                                    f"({reason}): {FIX}") from None
    return folder


def main() -> int:
    try:
        folder = ensure(say=lambda line: print(f"sim.viz.assets: {line}", flush=True))
    except AssetsUnavailable as problem:
        print(f"error: {problem}", file=sys.stderr)
        return 1
    print(f"sim.viz.assets: the page's scripts are in {folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
