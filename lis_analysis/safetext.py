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

_EMAIL = re.compile(r"(?<![\w.%+-])[\w.%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b")
#: UK numbers: a leading 0 (optionally bracketed) or +44 / 0044 (optionally "(0)"), then
#: 9 or 10 more digits with spaces, hyphens, dots or brackets between them.
_PHONE = re.compile(
    r"(?<![\w+])(?:(?:\+|00)\s?44\s?(?:\(0\)\s?)?|\(?0)\d(?:[\s\-.()]{0,2}\d){8,9}(?!\d)"
)
#: A full UK postcode: outward code (LE1, LE19, EC1A, W1) and inward code (7RH). Outward
#: codes alone ("LE1") are not redacted: they name an area, not an address.
_POSTCODE = re.compile(
    r"\b(?:[A-Z]{1,2}[0-9][A-Z0-9]?|GIR)[ \t]*[0-9][ABD-HJLNP-UW-Z]{2}\b", re.IGNORECASE
)
EMAIL_MARK = "[email removed]"
PHONE_MARK = "[phone removed]"
POSTCODE_MARK = "[postcode removed]"


def redact(text: Any) -> str:
    """``text`` with personal data replaced: email addresses by ``[email removed]``, UK
    phone numbers by ``[phone removed]``, full UK postcodes by ``[postcode removed]``.

    Limits (see docs/evidence.md): names, street addresses without a postcode, social
    media handles and numbers written in words are not found. Board pages still need an
    officer to read the quotes they show. Missing text gives ``""``.
    """
    if _missing(text):
        return ""
    s = str(text)
    s = _EMAIL.sub(EMAIL_MARK, s)
    s = _PHONE.sub(PHONE_MARK, s)
    s = _POSTCODE.sub(POSTCODE_MARK, s)
    return s


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
    "PHONE_MARK",
    "POSTCODE_MARK",
    "escape",
    "escape_markdown",
    "quote_markdown",
    "redact",
    "truncate_at_sentence",
]
