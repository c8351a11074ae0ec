"""The browser page's own JavaScript and CSS, fetched from the npm registry for machines that cannot reach a CDN.

The page solara serves loads its front end (the Vuetify app, require.js, Font Awesome, the draggable grid of
charts) through the server's `/_solara/cdn/` route, which fetches each file from a public CDN on first use and
keeps it in a cache folder. A machine that cannot reach the CDN (CI here, a classroom behind a firewall) gets a
blank page. The CDN serves npm packages file by file, so the same files come from the npm registry:

    python -m sim.viz.assets      # needs npm; skips the packages already in the cache

packs each package with npm and unpacks it where solara's cache looks for it. A machine that reaches the CDN
needs none of this (solara fills the same cache by itself).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

# What solara 1.64's page loads (solara/server/templates/solara.html.j2, solara/widgets/vue/gridlayout*.vue and
# solara.server.settings.assets.fontawesome_path). The front end differs with ipyvue's major version.
VUE3_APP = "@widgetti/solara-vuetify3-app@5.2.0"
VUE2_APP = "@widgetti/solara-vuetify-app@10.1.1"
COMMON = ("@widgetti/vue-grid-layout@2.3.13-alpha.2", "requirejs@2.3.6", "font-awesome@4.5.0")


def packages() -> list[str]:
    import ipyvue

    return [VUE3_APP if ipyvue.__version__.startswith("3") else VUE2_APP, *COMMON]


def cache_dir() -> Path:
    from solara.server import settings

    return Path(settings.assets.proxy_cache_dir)


def missing(folder: Path, wanted: list[str]) -> list[str]:
    """The packages with no folder `<name>@<version>` (solara's cache layout) in `folder`."""
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


def install(wanted: list[str], folder: Path) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        packed = subprocess.run(
            ["npm", "pack", "--json", "--silent", "--pack-destination", scratch, *wanted],
            check=True, capture_output=True, text=True,
        )
        for package, record in zip(wanted, json.loads(packed.stdout)):
            target = folder / package
            target.mkdir(parents=True, exist_ok=True)
            unpack(Path(scratch) / record["filename"], target)


def main() -> int:
    folder, wanted = cache_dir(), packages()
    needed = missing(folder, wanted)
    if not needed:
        return 0
    try:
        install(needed, folder)
    except FileNotFoundError:
        print("error: npm not found; it fetches the browser page's assets (apt-get install npm)", file=sys.stderr)
        return 2
    except subprocess.CalledProcessError as error:
        print(f"error: npm pack failed: {error.stderr.strip().splitlines()[-1:] or error}", file=sys.stderr)
        return 1
    print(f"sim.viz.assets: unpacked {', '.join(needed)} into {folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
