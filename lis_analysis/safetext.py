"""Untrusted text made safe to show: personal data redacted, HTML and Markdown escaped.

Respondents' text (and any name read from a data file) is untrusted. A page shows it
through :func:`escape` (HTML) or :func:`escape_markdown` / :func:`quote_markdown`
(Markdown), and board pages redact it first with :func:`redact`. The rules and their
limits are in ``docs/evidence.md`` ("Safety: escaping and redaction").

Standard library only, so that every layer can import it: the consultation readings, the
table renderer (:mod:`lis_analysis.pages.tables`) and the page object.
"""

from __future__ import annotations

import html
import math
import re
import string
import sys
from typing import Any


def _missing(value: Any) -> bool:
    """None, a float NaN, or pandas' ``NA`` (looked up only when pandas is loaded: without
    pandas no value can be ``NA``, and this module stays free of it)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return True
    pd = sys.modules.get("pandas")
    return pd is not None and value is getattr(pd, "NA", object())


# --------------------------------------------------------------------------------------
# Quotes cut to length
# --------------------------------------------------------------------------------------

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+")


def truncate_at_sentence(text: str, max_chars: int = 300) -> str:
    """``text`` with whitespace collapsed, cut at a sentence end so it is at most
    ``max_chars`` characters including the closing ``…`` that marks a cut.

    Whole sentences are kept while they fit; if even the first sentence is too long, it is
    cut at the last word boundary that fits.
    """
    text = " ".join(str(text).split())
    if len(text) <= max_chars:
        return text
    budget = max_chars - 2  # room for " …"
    kept = ""
    for m in _SENTENCE_END.finditer(text):
        candidate = text[: m.start()].rstrip()
        if len(candidate) <= budget:
            kept = candidate
        else:
            break
    if not kept:
        cut = text[: budget + 1]
        kept = cut[: cut.rfind(" ")] if " " in cut else cut[:budget]
        kept = kept.rstrip(" ,;:-")
    return kept + " …"


# --------------------------------------------------------------------------------------
# Redaction and escaping
# --------------------------------------------------------------------------------------

#: "@" or an obfuscated at: "(at)", "[at]", "{at}", "<at>", with or without spaces.
_AT = r"(?:\s*@\s*|\s*[(\[{<]\s*at\s*[)\]}>]\s*)"
#: "." or an obfuscated dot: "(dot)", "[dot]", "{dot}", "<dot>".
_DOT = r"(?:\.|\s*[(\[{<]\s*dot\s*[)\]}>]\s*)"
#: An e-mail address, the domain in any script (``j@münchen.de``), with "@" and "." as
#: written or obfuscated (``jane(at)example(dot)com``, ``jane [at] example [dot] com``),
#: or both spelled out between spaces (``jane at example dot com``: only when the dot is
#: spelled too, so that "look at example.com" stays).
_EMAIL = re.compile(
    rf"(?<![\w.%+'-])[\w.%+'-]+{_AT}[\w-]+(?:{_DOT}[\w-]+)*{_DOT}[^\W\d_]{{2,}}(?![\w-])"
    rf"|(?<![\w.%+'-])[\w.%+'-]+\s+at\s+[\w-]+(?:\s+dot\s+[\w-]+)*\s+dot\s+[^\W\d_]{{2,}}(?![\w-])",
    re.IGNORECASE,
)
#: What may stand between the digits of a phone number: any space (no-break ones too),
#: hyphens and dashes of every kind (en and em dashes, the minus sign), dots, brackets
#: and slashes.
_PHONE_SEP = r"[\s\-.()/\u2010-\u2015\u2212]"
#: UK numbers: a leading 0 (optionally bracketed) or +44 / 0044 (optionally "(0)"), then
#: 9 or 10 more digits with up to two separators between them. Letters may come right
#: before (``Tel07700900123``); a digit or "+" may not (part of a longer number).
_PHONE = re.compile(
    rf"(?<![\d+])(?:(?:\+|00){_PHONE_SEP}?44{_PHONE_SEP}{{0,2}}(?:\(0\){_PHONE_SEP}?)?|\(?0)"
    rf"\d(?:{_PHONE_SEP}{{0,2}}\d){{8,9}}(?!\d)"
)
#: A full UK postcode: outward code (LE1, LE19, EC1A, W1) and inward code (7RH), any
#: case, with a space of any kind, a hyphen or nothing between (``le17rh``). Outward codes
#: alone ("LE1") are not redacted: they name an area, not an address.
_POSTCODE = re.compile(
    r"(?<![^\W_])(?:[A-Z]{1,2}[0-9][A-Z0-9]?|GIR)[\s\-]{0,2}[0-9][ABD-HJLNP-UW-Z]{2}(?![^\W_])",
    re.IGNORECASE,
)
EMAIL_MARK = "[email removed]"
PHONE_MARK = "[phone removed]"
POSTCODE_MARK = "[postcode removed]"


def redact(text: Any) -> str:
    """``text`` with personal data replaced: email addresses by ``[email removed]``, UK
    phone numbers by ``[phone removed]``, full UK postcodes by ``[postcode removed]``.

    Found in their usual disguises: an address with "(at)" and "(dot)" or in another
    script (``j@münchen.de``), a number with dashes of any kind, no-break spaces, dots,
    brackets, "+44 (0)" or glued to a word (``Tel07700900123``), a postcode in lower case
    or without its space (``le17rh``).

    Limits (see docs/evidence.md): names, street addresses without a postcode, social
    media handles and numbers written in words are not found. Board pages still need an
    officer to read the quotes they show. Missing text gives ``""``.

    Examples
    --------
    >>> redact("jane(at)example(dot)com, 0116–496–0123, le17rh")
    '[email removed], [phone removed], [postcode removed]'
    """
    if _missing(text):
        return ""
    s = str(text)
    s = _EMAIL.sub(EMAIL_MARK, s)
    s = _PHONE.sub(PHONE_MARK, s)
    s = _POSTCODE.sub(POSTCODE_MARK, s)
    return s


#: What a spreadsheet reads as the start of a formula (OWASP, "CSV injection"): ``=``,
#: ``+``, ``-``, ``@``, a tab and a carriage return.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


def csv_cell(value: Any) -> Any:
    """A value made safe for a CSV that a spreadsheet will open: text that a spreadsheet
    would run as a formula (starting ``=``, ``+``, ``-``, ``@``, a tab or a carriage
    return) gets a leading ``'``, as OWASP recommends, so that it shows as the text it is;
    numbers (and text that is just a number, such as ``-1.5``) and missing values are
    returned unchanged.

    Examples
    --------
    >>> csv_cell("=HYPERLINK(\"http://x\")"), csv_cell("@SUM(A1)"), csv_cell(-1.5), csv_cell("-1.5")
    ('\'=HYPERLINK("http://x")', "'@SUM(A1)", -1.5, '-1.5')
    """
    if not isinstance(value, str) or not value.startswith(FORMULA_PREFIXES):
        return value
    if _PLAIN_NUMBER.fullmatch(value):
        return value
    return "'" + value


def escape(text: Any) -> str:
    """``text`` escaped for HTML (``& < > " '``), so markup in it renders as text; missing
    values give ``""``."""
    if _missing(text):
        return ""
    return html.escape(str(text), quote=True)


_MD_PUNCT = set(string.punctuation) - {"&", "<", ">"}
_MD_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def escape_markdown(text: Any) -> str:
    """``text`` made inert for a Markdown renderer, on one line.

    ``&``, ``<`` and ``>`` become HTML entities (Markdown renderers pass raw HTML
    through, so ``<script>`` would otherwise run); every other ASCII punctuation mark is
    backslash-escaped, so no link (``[x](javascript:...)``), image, autolink, emphasis,
    heading, list or table can form; whitespace (including newlines) collapses to single
    spaces. The text renders exactly as written.
    """
    if _missing(text):
        return ""
    s = " ".join(str(text).split())
    out = []
    for ch in s:
        if ch in _MD_ENTITIES:
            out.append(_MD_ENTITIES[ch])
        elif ch in _MD_PUNCT:
            out.append("\\" + ch)
        else:
            out.append(ch)
    return "".join(out)


def quote_markdown(
    quote: Any,
    attribution: Any = None,
    *,
    redact_personal: bool = True,
    max_chars: int | None = None,
) -> str:
    """A quote as a safe Markdown block quote, for ``IPython.display.Markdown``.

    The text (and attribution) is redacted (unless ``redact_personal`` is False),
    optionally cut at a sentence boundary to ``max_chars``, and escaped with
    :func:`escape_markdown`, so raw HTML, links and ``javascript:`` URLs render as text.

    Returns
    -------
    str, e.g. ``"> Text of the quote\\n>\\n> — Attribution\\n"``.
    """
    text = redact(quote) if redact_personal else ("" if quote is None else str(quote))
    if max_chars:
        text = truncate_at_sentence(text, max_chars)
    md = f"> {escape_markdown(text)}\n"
    if attribution is not None and str(attribution).strip():
        who = redact(attribution) if redact_personal else str(attribution)
        md += f">\n> \u2014 {escape_markdown(who)}\n"
    return md


__all__ = [
    "EMAIL_MARK",
    "FORMULA_PREFIXES",
    "PHONE_MARK",
    "POSTCODE_MARK",
    "csv_cell",
    "escape",
    "escape_markdown",
    "quote_markdown",
    "redact",
    "truncate_at_sentence",
]
