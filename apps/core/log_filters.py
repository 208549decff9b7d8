"""Logs never carry a URL's query string: searches travel in it (`?q=Karimov`, a passport
number), and so would any filter added later. Paths hold only ids and stay."""

import logging
import re

# A path, absolute or after a scheme and host, then its query string up to a space, a quote or
# a fragment: "GET /api/v1/cases/?q=Karimov HTTP/1.1" and a Referer "https://site/cases/?q=…".
_QUERY = re.compile(
    r"""((?:[a-zA-Z][a-zA-Z0-9+.\-]*://[^\s/?#"'<>]*)?/[^\s?#"'<>]*)\?[^\s#"'<>]*"""
)


def without_query_strings(text: str) -> str:
    """`text` with the query string of every URL in it removed."""
    return _QUERY.sub(r"\1", text) if "?" in text else text


class QueryStringFilter(logging.Filter):
    """Drops query strings from the record's message (Django's request and runserver lines,
    and anything else that logs a URL), for every handler that sees the record after it."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken record is the formatter's to report, as it is
            return True
        scrubbed = without_query_strings(message)
        if scrubbed != message:
            record.msg, record.args = scrubbed, ()
        return True


class TemplateContextFilter(logging.Filter):
    """Django's template engine logs, at DEBUG, each variable it could not resolve with the
    exception, whose text is the whole context: the request with its query, and the page's
    records (names, stories). The record keeps which variable in which template, not that."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.exc_info, record.exc_text = None, None
        return True
