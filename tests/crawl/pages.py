"""Reading a crawled page: its links, and what a user of another language would trip over."""

import gettext
import re
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent

# Identical in every language on purpose, so they are not English left untranslated: the product's
# name, and the format names the download links carry.
ALLOWED_ENGLISH = {"casemgr", "PDF", "XLSX", "CSV", "API", "ID", "TOTP", "OK"}

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
ISO_DATETIME_LOCAL = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?")
# Month first, as in 11/26/2026 or 1/5/26: what en-US formats produce.
US_DATE = re.compile(r"(?<![\d/])(0?[1-9]|1[0-2])/(0?[1-9]|[12]\d|3[01])/(\d{4}|\d{2})(?![\d/])")
# Parts of a page people do not read as text.
HIDDEN_TAGS = {"script", "style", "template", "noscript"}
VISIBLE_ATTRIBUTES = ("placeholder", "title", "aria-label", "alt")
BUTTON_INPUTS = {"submit", "button", "reset"}
# A message with a placeholder never shows as written, so it cannot be matched whole.
PLACEHOLDER = re.compile(r"%(\(\w+\))?[sdif]|\{\w*\}")


def _normalise(text: str) -> str:
    return " ".join(text.split())


def english_strings(language: str) -> set[str]:
    """The catalogue's msgids that the language translates differently: English if they show."""
    mo = ROOT / "locale" / language / "LC_MESSAGES" / "django.mo"
    with mo.open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)._catalog  # noqa: SLF001
    strings = set()
    for key, translated in catalog.items():
        msgid = key[0] if isinstance(key, tuple) else key
        if "\x04" in msgid:  # a message with context: msgctxt EOT msgid
            msgid = msgid.split("\x04", 1)[1]
        msgid = _normalise(msgid)
        if not msgid or msgid == _normalise(translated) or PLACEHOLDER.search(msgid):
            continue
        if msgid in ALLOWED_ENGLISH or not re.search(r"[A-Za-z]{2}", msgid):
            continue
        strings.add(msgid)
    return strings


class Page(HTMLParser):
    """One HTML page: the links it offers and the text, attributes and inputs it shows."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.html_lang: str | None = None
        self.texts: list[str] = []
        self.attributes: list[tuple[str, str]] = []  # (what, value)
        self.inputs: list[tuple[str, str, str]] = []  # (type, name, value)
        self._hidden = 0
        # Text marked as another language (the language switcher names each language in its own).
        self._foreign: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        values = {name: value or "" for name, value in attrs}
        if tag in HIDDEN_TAGS:
            self._hidden += 1
            return
        if tag == "html":
            self.html_lang = values.get("lang")
        elif values.get("lang"):
            self._foreign.append(tag)
        if tag == "a" and values.get("href"):
            self.links.append(values["href"])
        for name in VISIBLE_ATTRIBUTES:
            if values.get(name):
                self.attributes.append((f"{tag}[{name}]", values[name]))
        kind = values.get("type", "").lower()
        if tag == "input" and kind in BUTTON_INPUTS and values.get("value"):
            self.attributes.append((f"input[type={kind}][value]", values["value"]))
        if tag == "input" and kind in {"date", "datetime-local"}:
            self.inputs.append((kind, values.get("name", ""), values.get("value", "")))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag in HIDDEN_TAGS:
            self._hidden -= 1

    def handle_endtag(self, tag):
        if tag in HIDDEN_TAGS and self._hidden:
            self._hidden -= 1
        if self._foreign and self._foreign[-1] == tag:
            self._foreign.pop()

    def handle_data(self, data):
        if not self._hidden and not self._foreign:
            text = _normalise(data)
            if text:
                self.texts.append(text)


def raw_codes() -> set[str]:
    """Codes people must never read: indicator codes, catalogue versions, model labels."""
    from django.apps import apps

    from apps.screening.catalogue import available_versions, get_catalogue

    codes = set(available_versions())
    for version in available_versions():
        codes |= set(get_catalogue(version).codes)
    codes |= {model._meta.label_lower for model in apps.get_models()}
    return codes


def problems(
    page: Page, *, language: str, english: set[str], codes: frozenset[str] = frozenset()
) -> list[tuple[str, str]]:
    """(kind, detail) for everything wrong with a page shown in `language`."""
    found = []
    if page.html_lang != language:
        found.append(("html lang", f"<html lang={page.html_lang!r}>, expected {language!r}"))
    for kind, name, value in page.inputs:
        pattern = ISO_DATE if kind == "date" else ISO_DATETIME_LOCAL
        if value and not pattern.fullmatch(value):
            found.append((f"non-ISO input[type={kind}]", f"{name}={value!r}"))
    for text in page.texts + [value for _what, value in page.attributes]:
        for match in US_DATE.finditer(text):
            found.append(("US-order date", f"{match.group(0)!r} in {text[:80]!r}"))
    for text in page.texts:
        if text in codes:
            found.append(("raw code", repr(text)))
    if english:
        for text in page.texts:
            # A label is often followed by its colon outside the translated string.
            if text in english or text.rstrip(":").strip() in english:
                found.append(("English text", repr(text)))
        for what, value in page.attributes:
            if _normalise(value) in english:
                found.append(("English attribute", f"{what}={value!r}"))
    return found
