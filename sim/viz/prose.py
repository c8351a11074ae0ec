"""Text on the page: markdown turned into HTML on the server.

solara.Markdown would do it in the browser, but it loads mermaid and KaTeX from a CDN each time it is shown (a
classroom without that CDN gets script errors) and builds a new widget whenever its text changes, which the
status line does every step. The texts are the app's own, so inserting their HTML is safe.
"""

from __future__ import annotations

import markdown
import solara


# The page's CSS resets paragraph margins and bold type; give prose its usual look back.
CSS = ".govsim-prose p { margin: 0 0 0.6em 0; } .govsim-prose strong { font-weight: 700; }"


def html(text: str) -> str:
    return markdown.markdown(text, extensions=["tables"])


@solara.component
def Prose(text: str, style: str = "", classes: list[str] | None = None):
    """Markdown `text` as HTML; the page must include `ProseStyle()` once."""
    return solara.HTML(tag="div", unsafe_innerHTML=html(text), style=style, classes=["govsim-prose", *(classes or [])])


@solara.component
def ProseStyle():
    return solara.Style(CSS)
