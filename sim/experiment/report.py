"""The HTML report of stored results: one self-contained file (no links to fetch: figures are embedded) holding
the summary tables (city-wide, by district zone and by district), the figures, the runs that failed, the scenarios
and the manifests.

It is written from stored results only, like the figures: `govsim report RESULTS` never runs a model. Every figure
is shown at one common scale (PX_PER_INCH), so that its text is the same size as every other figure's.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import json
import os
import re
from pathlib import Path

from sim.experiment.store import ResultsFolder, open_results
from sim.experiment.summary import Summary, headline
from sim.regimes.registry import NAMES
from sim.experiment.summary_tables import Table, summary_tables
from sim.inputs import InputError

REPORT_BLOCKS = 12  # scenario x parameter-point blocks shown in full (more: one compact table; all in summary.csv)
PX_PER_INCH = 120  # CSS pixels per inch of figure: 7.2 in figures are 864 px wide, their 8 pt text about 13 px
REGIME_NAMES = {**NAMES, "timeline": "their own timeline"}
CAPTIONS = {
    "fig1": "Daily indicators over the run: median across replicates and 10–90 % band",
    "fig2": "Indicators over the whole run, as in the summary table: median and 10–90 % interval across replicates",
    "fig3": "Days from opening to closure: distribution (density per day) and share closed within d days",
    "fig4": "Load: street offices against departments, and whistles blown",
    "fig5": "Equity: rates by district zone and by age group",
    "fig6": "Contacts per day by complaint category",
    "fig7": "The swept parameters: heat map (a grid) or partial dependence (a Latin hypercube)",
    "fig8": "Paired differences (replicate k minus replicate k, same seed) with 95 % t-intervals",
}
STYLE = """
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #222; max-width: 1180px; margin: 2em auto; padding: 0 1em; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; } h2 { margin-top: 2em; border-bottom: 1px solid #ddd; padding-bottom: 0.2em; }
table { border-collapse: collapse; margin: 0.6em 0 1.4em; font-variant-numeric: tabular-nums; }
th, td { padding: 0.25em 0.8em; border-bottom: 1px solid #eee; text-align: right; white-space: nowrap; }
th:first-child, td:first-child { text-align: left; } thead th { border-bottom: 2px solid #bbb; }
caption { text-align: left; font-weight: 600; padding: 0.3em 0; caption-side: top; }
figure { margin: 1.5em 0; } figure img { max-width: 100%; height: auto; border: 1px solid #eee; } figcaption { color: #555; font-size: 0.9em; }
pre { background: #f7f7f7; padding: 0.8em; overflow-x: auto; font-size: 0.85em; }
.wide { overflow-x: auto; } td.sub { padding-left: 2em; } .note { color: #555; } .failed { color: #a40000; } details { margin: 0.6em 0; } summary { cursor: pointer; }
"""


def _table_html(table: Table) -> str:
    head = "".join(f"<th>{html.escape(cell)}</th>" for cell in table.header)
    body = "".join(
        "<tr>" + "".join(_cell(cell, first=i == 0) for i, cell in enumerate(row)) + "</tr>"
        for row in table.rows
    )
    return (f'<div class="wide"><table><caption>{html.escape(table.title)}</caption><thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table></div>")


def _cell(text: str, first: bool) -> str:
    """A table cell; an indented first cell ('  of which ...') stays indented."""
    if first and text.startswith(" "):
        return f'<td class="sub">{html.escape(text.strip())}</td>'
    return f"<td>{html.escape(text)}</td>"


def figure_inches(path: Path) -> float | None:
    """A figure's width in inches: from its SVG's width attribute (in pt), else from the PNG's pixels at 300 dpi."""
    svg = path.with_suffix(".svg")
    if svg.is_file():
        found = re.search(r'<svg[^>]*\swidth="([0-9.]+)pt"', svg.read_text(encoding="utf-8")[:2000])
        if found:
            return float(found.group(1)) / 72
    data = path.read_bytes()[:24]
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return int.from_bytes(data[16:20], "big") / 300
    return None


def _figure_html(path: Path, root: Path) -> str:
    svg = path.with_suffix(".svg")
    source, mime = (svg, "image/svg+xml") if svg.is_file() else (path, "image/png")
    data = base64.b64encode(source.read_bytes()).decode("ascii")
    name = str(path.relative_to(root).with_suffix(""))
    inches = figure_inches(path)
    width = f' width="{round(inches * PX_PER_INCH)}"' if inches else ""
    caption = CAPTIONS.get(name.split("_", 1)[0], "")
    text = f"{html.escape(caption)} <code>{html.escape(name)}</code>" if caption else f"<code>{html.escape(name)}</code>"
    return f'<figure><img alt="{html.escape(name)}"{width} src="data:{mime};base64,{data}"><figcaption>{text}</figcaption></figure>'


def pretty_name(name: str) -> str:
    """'beijing_ecological_staff' -> 'Beijing ecological staff'."""
    text = str(name).replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def _listed(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def report_title(record: dict, scenarios: list[str]) -> str:
    """A title for people: what `govsim compare` compared ('Beijing under whistle-blowing, complaint-response and
    proactive governance'), or an experiment file's name in words."""
    spec = record.get("spec", {})
    name = spec.get("name") or ""
    if not name.startswith("compare_") or not scenarios:
        return pretty_name(name) if name else "govsim results"
    regimes = [REGIME_NAMES.get(r, r) for r in spec.get("regimes", [])]
    title = _listed([pretty_name(s) for s in scenarios])
    return f"{title} under {_listed(regimes)}" if regimes else title


def _details(title: str, text: str) -> str:
    return f"<details><summary>{html.escape(title)}</summary><pre>{html.escape(text)}</pre></details>"


def write_report(path: str | Path, summary: Summary, out: str | Path | None = None) -> Path:
    """Write the report of the results under `path` (default file: its report.html) and return its path."""
    folder = ResultsFolder(path)
    runs, _, record = open_results(path)
    target = Path(out) if out is not None else folder.report_html
    spec = record.get("spec", {})
    title = report_title(record, list(dict.fromkeys(summary.totals["scenario"])) if len(summary.totals) else [])
    parts = [f"<h1>{html.escape(title)}</h1>"]
    if spec.get("description"):
        parts.append(f"<p>{html.escape(spec['description'])}</p>")
    parts.append("".join(f'<p class="note">{html.escape(line)}</p>' for line in headline(summary)))
    scaled = [s for s in summary.scales if s < 1]
    if scaled:
        parts.append(
            f'<p class="note"><b>Simulated or city-equivalent.</b> The tables give simulated counts and money (the runs '
            f"simulate {scaled[0] * 100:g} % of the residents); the figures give city-equivalents (simulated ÷ "
            f"{scaled[0]:g}), and their axes say so. Rates, days and means are the same at any scale.</p>"
        )

    parts.append("<h2>Summary</h2>")
    tables = summary_tables(summary, max_blocks=REPORT_BLOCKS, areas=("zone", "district"), points_across=True)
    parts += [_table_html(t) for t in tables] or ["<p>No finished runs.</p>"]
    parts.append(
        '<p class="note">Median and 10–90 % range across replicates of each run\'s total (rates over the whole run, stocks '
        "at its end; by zone and district, rates from the area's counts). Paired differences: replicate k of one "
        "regime, scenario or parameter value minus replicate k of the other, everything else equal (the same seed, so "
        "the same problems); mean with the 95 % Student t-interval of the mean of the paired differences. All of it is "
        "in summary.csv, differences.csv, summary_by_area.csv and differences_by_area.csv.</p>"
    )

    figures = sorted(folder.figures.rglob("*.png")) if folder.figures.is_dir() else []
    parts.append("<h2>Figures</h2>")
    parts += [_figure_html(p, folder.figures) for p in figures] or ["<p>No figures (run <code>govsim plot</code>).</p>"]

    failures = folder.failed_runs() if folder.failures.is_dir() else []
    if failures:
        parts.append(f'<h2 class="failed">Failed runs ({len(failures)})</h2>')
        rows = [[f["run_id"], f["error"]] for f in failures]
        parts.append(_table_html(Table("rerun the same command to retry them", ["run", "error"], rows)))
        parts += [_details(f"{f['run_id']}: traceback", f.get("traceback", "")) for f in failures]

    parts.append("<h2>Scenarios</h2>")
    seen = set()
    for run in runs:
        name = run.identifiers["scenario"]
        scenario_file = run.folder / "scenario.yaml"
        if name in seen or not scenario_file.is_file():
            continue
        seen.add(name)
        params = run.manifest.get("params") or {}
        note = " (as run in " + run.run_id + (", with its parameter point" if params else "") + ")"
        parts.append(_details(f"{name}{note}", scenario_file.read_text(encoding="utf-8")))

    parts.append("<h2>Manifest</h2>")
    if record.get("runs"):
        parts.append(_details("experiment.json: the resolved experiment and every run", json.dumps(record, indent=2, ensure_ascii=False)))
    if runs:
        parts.append(_details(f"run manifest of {runs[0].run_id}", json.dumps(runs[0].manifest, indent=2, ensure_ascii=False)))
    written = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    parts.append(f'<p class="note">Written {written} from the stored results in {html.escape(str(folder.root))}.</p>')

    page = (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)} · govsim report</title><style>{STYLE}</style></head><body>\n"
        + "\n".join(parts)
        + "\n</body></html>\n"
    )
    write_page(target, page)
    return target


def write_page(target: Path, page: str) -> None:
    """Write the page atomically (a reader never sees half a report) and leave no temporary file, whatever happens."""
    if target.is_dir():
        raise InputError(f"is a folder; give the report's file name, e.g. {target / 'report.html'}", source=str(target))
    target.parent.mkdir(parents=True, exist_ok=True)
    # A name of this process's own (not mkstemp's, whose file would be private to its owner: 0600).
    staging = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        staging.write_text(page, encoding="utf-8")
        os.replace(staging, target)
    except BaseException:
        staging.unlink(missing_ok=True)
        raise
