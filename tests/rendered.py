"""Markdown as a reader sees it: rendered by mistune (the renderer nbconvert uses).

Raw HTML is passed through (``escape=False``), as GitHub and Jupyter render
it, so a test sees any tag a student managed to smuggle into the Markdown.
"""

import html
import re

import mistune

_RENDER = mistune.create_markdown(
    escape=False, plugins=["strikethrough", "table", "url", "math"]
)


def markdown_html(text):
    """The HTML that ``text`` renders to."""
    return _RENDER(text)


def markdown_text(text):
    """The text a reader sees when ``text`` is rendered: tags dropped, entities read."""
    return html.unescape(re.sub(r"<[^>]*>", "", markdown_html(text)))


def tags(text):
    """The names of the HTML elements ``text`` renders to, e.g. ``{"p", "strong"}``."""
    return {
        name.lower() for name in re.findall(r"<([A-Za-z][\w-]*)", markdown_html(text))
    }
