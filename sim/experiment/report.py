"""The HTML report of stored results: one self-contained file (no links to fetch: figures are embedded) holding
the summary tables, the figures, the runs that failed, the scenarios and the manifests.

It is written from stored results only, like the figures: `govsim report RESULTS` never runs a model.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import json
from pathlib import Path

from sim.experiment.store import ResultsFolder, open_results
from sim.experiment.summary import Summary, Table, headline, summary_tables

REPORT_BLOCKS = 12  # scenario x parameter-point blocks shown in full (more: one compact table; all in summary.csv)
STYLE = """
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #222; max-width: 1180px; margin: 2em auto; padding: 0 1em; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; } h2 { margin-top: 2em; border-bottom: 1px solid #ddd; padding-bottom: 0.2em; }
table { border-collapse: collapse; margin: 0.6em 0 1.4em; font-variant-numeric: tabular-nums; }
th, td { padding: 0.25em 0.8em; border-bottom: 1px solid #eee; text-align: right; white-space: nowrap; }
th:first-child, td:first-child { text-align: left; } thead th { border-bottom: 2px solid #bbb; }
caption { text-align: left; font-weight: 600; padding: 0.3em 0; caption-side: top; }
figure { margin: 1.5em 0; } figure img { width: 100%; border: 1px solid #eee; } figcaption { color: #555; font-size: 0.9em; }
pre { background: #f7f7f7; padding: 0.8em; overflow-x: auto; font-size: 0.85em; }
td.sub { padding-left: 2em; } .note { color: #555; } .failed { color: #a40000; } details { margin: 0.6em 0; } summary { cursor: pointer; }
"""


def _table_html(table: Table) -> str:
    head = "".join(f"<th>{html.escape(cell)}</th>" for cell in table.header)
    body = "".join(
        "<tr>" + "".join(_cell(cell, first=i == 0) for i, cell in enumerate(row)) + "</tr>"
        for row in table.rows
    )
    return f"<table><caption>{html.escape(table.title)}</caption><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _cell(text: str, first: bool) -> str:
    """A table cell; an indented first cell ('  of which ...') stays indented."""
    if first and text.startswith(" "):
        return f'<td class="sub">{html.escape(text.strip())}</td>'
    return f"<td>{html.escape(text)}</td>"


def _figure_html(path: Path, root: Path) -> str:
    svg = path.with_suffix(".svg")
    source, mime = (svg, "image/svg+xml") if svg.is_file() else (path, "image/png")
    data = base64.b64encode(source.read_bytes()).decode("ascii")
    name = html.escape(str(path.relative_to(root).with_suffix("")))
    return f'<figure><img alt="{name}" src="data:{mime};base64,{data}"><figcaption>{name}</figcaption></figure>'


def _details(title: str, text: str) -> str:
    return f"<details><summary>{html.escape(title)}</summary><pre>{html.escape(text)}</pre></details>"


def write_report(path: str | Path, summary: Summary, out: str | Path | None = None) -> Path:
    """Write the report of the results under `path` (default file: its report.html) and return its path."""
    folder = ResultsFolder(path)
    runs, _, record = open_results(path)
    target = Path(out) if out is not None else folder.report_html
    spec = record.get("spec", {})
    title = spec.get("name") or folder.root.name
    parts = [f"<h1>{html.escape(title)}</h1>"]
    if spec.get("description"):
        parts.append(f"<p>{html.escape(spec['description'])}</p>")
    parts.append("".join(f'<p class="note">{html.escape(line)}</p>' for line in headline(summary)))

    parts.append("<h2>Summary</h2>")
    tables = summary_tables(summary, max_blocks=REPORT_BLOCKS)
    parts += [_table_html(t) for t in tables] or ["<p>No finished runs.</p>"]
    parts.append(
        '<p class="note">Median and 10–90 % range across replicates of each run\'s total (rates over the whole run, stocks '
        "at its end). Paired differences: replicate k of one regime minus replicate k of the other (the same seed, so the "
        "same problems); mean with the 95 % Student t-interval of the mean of the paired differences.</p>"
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
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.with_name(f".{target.name}.tmp")
    staging.write_text(page, encoding="utf-8")
    staging.replace(target)
    return target
