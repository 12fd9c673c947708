"""HTML to PDF with WeasyPrint, reading nothing but the portal's own static files.

User text reaches the PDF only through autoescaped Django templates, so markup in it
prints as text. The fetcher below is the second wall: whatever the HTML names, only
files under STATIC_URL (found by the staticfiles finders) are read, up to a size
limit; http(s), file:, data: and anything else are refused and never requested.
"""

import logging
import mimetypes
import threading
from typing import Any, cast
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

# Relative URLs in the templates resolve against this made-up origin, so that every
# legitimate resource has one recognisable prefix.
BASE_URL = "https://pdf.ascn.invalid/"


class RefusedResource(ValueError):
    """WeasyPrint skips a resource whose fetch raises; the document renders without it."""


class StaticFilesFetcher(URLFetcher):
    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        static_prefix = BASE_URL.rstrip("/") + settings.STATIC_URL
        if not url.startswith(static_prefix):
            logger.warning("PDF rendering refused to fetch %s", url[:200])
            raise RefusedResource(f"Refused to fetch {url[:200]}")
        relative = unquote(urlsplit(url).path[len(settings.STATIC_URL) :])
        path = finders.find(relative) if ".." not in relative.split("/") else None
        if not path:
            raise RefusedResource(f"No static file {relative}")
        with open(path, "rb") as handle:
            content = handle.read(settings.ASCN_PDF_MAX_RESOURCE_BYTES + 1)
        if len(content) > settings.ASCN_PDF_MAX_RESOURCE_BYTES:
            raise RefusedResource(f"Static file {relative} is larger than the limit")
        mimetype = mimetypes.guess_type(path)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=content, headers={"Content-Type": mimetype})


# Tagged (PDF/UA-1): a structure tree of headings, tables and reading order that
# screen readers follow; the templates set the language and title it requires.
PDF_VARIANT = "pdf/ua-1"


# The print stylesheet every PDF template links (templates/pdf/base.html).
PRINT_CSS = "css/print.css"
_loaded = threading.local()


def _print_stylesheet() -> tuple[CSS, FontConfiguration]:
    """print.css parsed and its two font files loaded once per thread (a worker
    process has one), rather than for every document: the fixed cost that made a small
    document slow next to its size. Per thread, as WeasyPrint's font configuration is
    not shared between threads."""
    if not hasattr(_loaded, "stylesheet"):
        font_config = FontConfiguration()
        _loaded.stylesheet = (
            CSS(
                url=BASE_URL.rstrip("/") + settings.STATIC_URL + PRINT_CSS,
                url_fetcher=StaticFilesFetcher(),
                font_config=font_config,
            ),
            font_config,
        )
    return cast(tuple[CSS, FontConfiguration], _loaded.stylesheet)


def html_to_pdf(html: str, *, print_stylesheet: bool = False) -> bytes:
    """PDF bytes of an HTML document, with the restrictive fetcher; with
    ``print_stylesheet``, the already parsed print.css applied too (for HTML that
    leaves its link out)."""
    options: dict[str, Any] = {}
    if print_stylesheet:
        stylesheet, font_config = _print_stylesheet()
        options = {"stylesheets": [stylesheet], "font_config": font_config}
    pdf = HTML(string=html, base_url=BASE_URL, url_fetcher=StaticFilesFetcher()).write_pdf(
        pdf_variant=PDF_VARIANT, **options
    )
    return cast(bytes, pdf)


def warm_up() -> None:
    """Render a line of text with print.css in this thread: the stylesheet parsed and
    its regular, bold and italic faces loaded before the first real document."""
    html_to_pdf(
        '<html lang="en"><title>-</title><p>-<b>-</b><i>-</i></p></html>',
        print_stylesheet=True,
    )


def render_pdf(template_name: str, context: dict[str, Any]) -> bytes:
    """PDF bytes of an autoescaped Django template under templates/pdf/, which leaves
    out its link to print.css (``print_stylesheet_given``) for the one parsed already.
    The same template without the flag links it: the PDF is the same either way."""
    html = render_to_string(template_name, {**context, "print_stylesheet_given": True})
    return html_to_pdf(html, print_stylesheet=True)
