"""Call-for-evidence and consultation responses: ingest, code to foundations, link to the data.

What respondents said is read from files officers keep (CSV or XLSX tables, and plain-text
or Markdown submissions with a YAML header), coded to Foundations of Productivity, Grand
Challenges and themes by a taxonomy officers can edit (``data/taxonomy.yaml``), and set
beside the indicator table: claim -> indicator -> verdict. Consultation responses give
agreement with each draft priority (Wilson intervals, net agreement), the themes of the
comments, and a log of how each point was considered.

Every piece of respondent text that reaches a page goes through :func:`redact` (email
addresses, UK phone numbers, full postcodes) and is escaped: use :func:`quotes_table`,
:func:`html_table`, :func:`safe_styler` and :func:`quote_markdown`, never raw ``to_html``
or ``Markdown(text)``.

Ingest never drops a row silently: every reader returns an :class:`IngestResult` with the
rows kept and one line per problem (rejected rows and warnings, with file, sheet, row and
column). ``docs/evidence.md`` states the coding, quote, triangulation and consideration
rules in words.
"""

from __future__ import annotations

import html
import logging
import math
import re
import string
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import snowballstemmer
import yaml

from .config import PACKAGE_DATA
from .errors import InputError, LisError
from .sources._base import Workbook, clean_text, read_csv_rows, read_text

log = logging.getLogger(__name__)

# --------------------------------------------------------------------------------------
# Constants
# --------------------------------------------------------------------------------------

#: Package files that define the questions, draft priorities and coding taxonomy.
QUESTIONS_FILE = PACKAGE_DATA / "call_for_evidence.yaml"
PRIORITIES_FILE = PACKAGE_DATA / "consultation.yaml"
TAXONOMY_FILE = PACKAGE_DATA / "taxonomy.yaml"

#: Respondent types, in the order tables show them. Rows with another value are kept as
#: ``unknown`` with a warning.
ORGANISATION_TYPES = ("public", "private", "voluntary", "education", "individual")
UNKNOWN_TYPE = "unknown"
ORGANISATION_TYPE_LABELS = {
    "public": "Public sector",
    "private": "Private sector",
    "voluntary": "Voluntary and community",
    "education": "Education",
    "individual": "Individual",
    UNKNOWN_TYPE: "Type not given",
}
_ORG_SYNONYMS = {
    "public sector": "public",
    "local authority": "public",
    "council": "public",
    "private sector": "private",
    "business": "private",
    "company": "private",
    "employer": "private",
    "voluntary sector": "voluntary",
    "voluntary and community": "voluntary",
    "vcse": "voluntary",
    "charity": "voluntary",
    "third sector": "voluntary",
    "community": "voluntary",
    "university": "education",
    "college": "education",
    "school": "education",
    "education provider": "education",
    "higher education": "education",
    "further education": "education",
    "resident": "individual",
    "member of the public": "individual",
    "private individual": "individual",
}

#: The five-point agreement scale, most to least favourable.
AGREEMENT_SCALE = (
    "Strongly agree",
    "Agree",
    "Neither agree nor disagree",
    "Disagree",
    "Strongly disagree",
)
DONT_KNOW = "Don't know"
AGREEMENT_CATEGORIES = (*AGREEMENT_SCALE, DONT_KNOW)
_AGREEMENT_SYNONYMS = {
    "neither agree or disagree": "Neither agree nor disagree",
    "neither": "Neither agree nor disagree",
    "dont know": DONT_KNOW,
    "do not know": DONT_KNOW,
}

#: Columns each tabular input must have (after normalising headers: lower case, spaces
#: and hyphens to underscores).
CFE_COLUMNS = (
    "respondent_id",
    "organisation",
    "organisation_type",
    "sector",
    "location",
    "question_id",
    "text",
)
CONSULTATION_COLUMNS = ("respondent_id", "organisation_type", "comments")
LOG_COLUMNS = (
    "point_id",
    "theme_or_priority",
    "point",
    "response",
    "change_made",
    "officer",
    "date",
)
_HEADER_ALIASES = {
    "organization": "organisation",
    "organization_type": "organisation_type",
    "respondent_type": "organisation_type",
    "question": "question_id",
    "response_text": "text",
    "comment": "comments",
    "theme": "theme_or_priority",
    "priority": "theme_or_priority",
    "change": "change_made",
}

#: What happens to a row with a problem.
REJECTED = "row rejected"
WARNED = "kept with warning"
ISSUE_COLUMNS = [
    "file",
    "sheet",
    "row",
    "column",
    "respondent_id",
    "problem",
    "detail",
    "action",
    "message",
]

#: Triangulation verdicts (the rule is in :func:`triangulate`).
SUPPORTED = "supported by the data"
NOT_SUPPORTED = "not supported"
MIXED = "mixed/neutral"
NO_DATA = "no data"
NO_INDICATOR = "no linked indicator"

#: Below this many respondents expressing a view, agreement figures are flagged.
SMALL_BASE = 30

_SKIP_NAMES = {"readme", "provenance", "changelog", "licence", "license", "demonstrator"}
_TABLE_SUFFIXES = {".csv", ".xlsx", ".xlsm", ".xls"}
_TEXT_SUFFIXES = {".md", ".txt", ".markdown"}
_HEADER_SEARCH_ROWS = 10


# --------------------------------------------------------------------------------------
# Questions, priorities
# --------------------------------------------------------------------------------------


def _load_yaml(path: Path) -> Any:
    text = read_text(path)
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise InputError(
            path, f"not valid YAML: {problem}", row=mark.line if mark else None
        ) from None


def load_questions(path: str | Path | None = None) -> pd.DataFrame:
    """The call-for-evidence questions.

    Parameters
    ----------
    path : a YAML file in the layout of ``lis_analysis/data/call_for_evidence.yaml``;
        default: that file (the ten L&L questions, December 2018 to February 2019).

    Returns
    -------
    DataFrame with columns ``question_id`` (Q1..), ``text`` and ``addresses`` (the
    foundation and Grand Challenge ids, joined by ``"; "``), one row per question.
    """
    path = Path(path) if path else QUESTIONS_FILE
    doc = _load_yaml(path)
    items = doc.get("questions") if isinstance(doc, dict) else None
    if not isinstance(items, list) or not items:
        raise InputError(path, "expected a 'questions' list")
    rows = []
    for i, q in enumerate(items):
        if not isinstance(q, dict) or not q.get("id") or not q.get("text"):
            raise InputError(path, f"question {i + 1}: needs 'id' and 'text'")
        addresses = q.get("addresses") or []
        if isinstance(addresses, str):
            addresses = [addresses]
        rows.append(
            {
                "question_id": _norm_question_id(q["id"]),
                "text": " ".join(str(q["text"]).split()),
                "addresses": "; ".join(str(a) for a in addresses),
            }
        )
    out = pd.DataFrame(rows)
    dup = out["question_id"][out["question_id"].duplicated()]
    if len(dup):
        raise InputError(path, f"question id {dup.iloc[0]!r} is declared twice")
    return out


def load_priorities(path: str | Path | None = None) -> pd.DataFrame:
    """The draft priorities put to consultation.

    Parameters
    ----------
    path : a YAML file in the layout of ``lis_analysis/data/consultation.yaml``; default:
        that file (six illustrative priorities, P1..P6).

    Returns
    -------
    DataFrame with columns ``priority_id``, ``title``, ``addresses`` and ``themes``
    (taxonomy theme ids joined by ``"; "``), one row per priority, in file order.
    """
    path = Path(path) if path else PRIORITIES_FILE
    doc = _load_yaml(path)
    items = doc.get("priorities") if isinstance(doc, dict) else None
    if not isinstance(items, list) or not items:
        raise InputError(path, "expected a 'priorities' list")
    rows = []
    for i, p in enumerate(items):
        if not isinstance(p, dict) or not p.get("id") or not p.get("title"):
            raise InputError(path, f"priority {i + 1}: needs 'id' and 'title'")
        pid = str(p["id"]).strip()
        if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", pid):
            raise InputError(path, f"priority id {pid!r}: use letters, digits and '_' only")
        themes = p.get("themes") or []
        rows.append(
            {
                "priority_id": pid,
                "title": " ".join(str(p["title"]).split()),
                "addresses": str(p.get("addresses") or ""),
                "themes": "; ".join(str(t) for t in themes),
            }
        )
    out = pd.DataFrame(rows)
    if out["priority_id"].str.lower().duplicated().any():
        raise InputError(path, "a priority id is declared twice")
    return out


# --------------------------------------------------------------------------------------
# Taxonomy and coding
# --------------------------------------------------------------------------------------

_STEMMER = snowballstemmer.stemmer("english")
#: A word: letters and digits, with apostrophes inside it (don't, Leicester's).
_WORD = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*")


@lru_cache(maxsize=50_000)
def _stem(word: str) -> str:
    return _STEMMER.stemWord(word)


def _tokens(text: str) -> tuple[list[str], list[tuple[int, int]]]:
    """Lower-case word tokens (apostrophes dropped: don't -> dont) and their spans."""
    words, spans = [], []
    for m in _WORD.finditer(str(text)):
        words.append(m.group().lower().replace("'", "").replace("\u2019", ""))
        spans.append(m.span())
    return words, spans


def _words(text: str) -> list[str]:
    return _tokens(text)[0]


def stems(text: str) -> list[str]:
    """The Snowball English stems of the words of ``text`` (lower case, in order)."""
    return [_stem(w) for w in _words(text)]


@dataclass(frozen=True)
class _Pattern:
    label: str  # as written in the taxonomy
    tokens: tuple[str, ...]  # stems, or exact lower-case words when ``exact``
    exact: bool


def _pattern(entry: str) -> _Pattern:
    exact = entry.startswith("=")
    body = entry[1:] if exact else entry
    words = _words(body)
    toks = tuple(words) if exact else tuple(_stem(w) for w in words)
    return _Pattern(entry, toks, exact)


@dataclass(frozen=True)
class Theme:
    """One coding theme (see ``lis_analysis/data/taxonomy.yaml``).

    Attributes
    ----------
    id, label : identifier and display name
    under : the foundation or Grand Challenge id it sits under
    under_label : that foundation's or challenge's name
    kind : ``"foundation"`` or ``"grand challenge"``
    stance : ``"problem"`` or ``"strength"``: what a respondent raising it claims
    claim : that claim in a sentence
    terms, phrases, exclude : the entries as written
    indicators : indicator ids the claim can be checked against
    min_matches : distinct entries that must match for a response to be coded
    """

    id: str
    label: str
    under: str
    under_label: str
    kind: str
    stance: str
    claim: str
    terms: tuple[str, ...]
    phrases: tuple[str, ...]
    exclude: tuple[str, ...]
    indicators: tuple[str, ...]
    min_matches: int = 1
    patterns: tuple[_Pattern, ...] = field(default=(), repr=False)
    exclude_patterns: tuple[_Pattern, ...] = field(default=(), repr=False)


@dataclass(frozen=True)
class Match:
    """The themes found in one text, and why."""

    theme: str
    terms: tuple[str, ...]  # taxonomy entries matched (distinct after stemming)
    text: tuple[str, ...]  # the words in the response that matched, first occurrence each


@dataclass(frozen=True)
class Taxonomy:
    """The coding taxonomy: foundations, Grand Challenges and themes with their terms.

    Build with :func:`load_taxonomy`; code a text with :meth:`code`; show it with
    :meth:`frame`.
    """

    themes: tuple[Theme, ...]
    foundations: Mapping[str, str]
    grand_challenges: Mapping[str, str]
    source: str

    def theme(self, theme_id: str) -> Theme:
        for t in self.themes:
            if t.id == theme_id:
                return t
        raise LisError(f"no theme {theme_id!r} in the taxonomy ({self.source})")

    @property
    def theme_ids(self) -> list[str]:
        return [t.id for t in self.themes]

    def under_label(self, under: str) -> str:
        return {**self.foundations, **self.grand_challenges}.get(under, under)

    def code(self, text: str) -> list[Match]:
        """The themes ``text`` is coded to, in taxonomy order, with the entries matched.

        A theme is coded when at least ``min_matches`` distinct entries (terms or phrases;
        entries with the same stems count once, and an entry found only inside a longer
        matched entry does not count) occur in the text outside the theme's ``exclude``
        phrases. Matching ignores case; entries are compared by Snowball stems,
        or as exact words when written with a leading ``=``.
        """
        text = str(text)
        words, spans = _tokens(text)
        if not words:
            return []
        stemmed = [_stem(w) for w in words]
        idx = (_index(words), _index(stemmed))
        out = []
        for theme in self.themes:
            # distinct entries, longest first, that can occur at all (first token present)
            live = [
                (rank, pat)
                for rank, pat in _ranked(theme)
                if pat.tokens[0] in (idx[0] if pat.exact else idx[1])
            ]
            if not live:
                continue
            excluded = _covered(theme.exclude_patterns, words, stemmed, idx)
            hits: list[tuple[int, str, str]] = []
            claimed: set[int] = set()  # words already matched by a longer entry
            for rank, pat in live:
                hit = _find(pat, words, stemmed, idx, excluded, claimed)
                if hit is not None:
                    claimed.update(range(hit, hit + len(pat.tokens)))
                    found = text[spans[hit][0] : spans[hit + len(pat.tokens) - 1][1]]
                    hits.append((rank, pat.label, " ".join(found.split())))
            if len(hits) >= theme.min_matches:
                hits.sort()  # taxonomy order
                out.append(
                    Match(
                        theme.id,
                        tuple(h[1] for h in hits),
                        tuple(dict.fromkeys(h[2] for h in hits)),
                    )
                )
        return out

    def frame(self) -> pd.DataFrame:
        """The taxonomy as a table (one row per theme) for notebooks and documentation."""
        return pd.DataFrame(
            [
                {
                    "theme": t.id,
                    "label": t.label,
                    "under": t.under_label,
                    "kind": t.kind,
                    "stance": t.stance,
                    "claim": t.claim,
                    "terms": "; ".join(t.terms),
                    "phrases": "; ".join(t.phrases),
                    "exclude": "; ".join(t.exclude),
                    "indicators": "; ".join(t.indicators),
                }
                for t in self.themes
            ]
        )


_Index = dict[str, list[int]]


@lru_cache(maxsize=512)
def _ranked(theme: Theme) -> tuple[tuple[int, _Pattern], ...]:
    """A theme's distinct entries (same stems -> the first spelling) with their position in
    the taxonomy, longest first, so a phrase claims its words before a single term."""
    first: dict[tuple[bool, tuple[str, ...]], tuple[int, _Pattern]] = {}
    for i, pat in enumerate(theme.patterns):
        first.setdefault((pat.exact, pat.tokens), (i, pat))
    return tuple(sorted(first.values(), key=lambda rp: (-len(rp[1].tokens), rp[0])))


def _index(seq: list[str]) -> _Index:
    out: _Index = {}
    for i, tok in enumerate(seq):
        out.setdefault(tok, []).append(i)
    return out


def _occurrences(pat: _Pattern, words: list[str], stemmed: list[str], idx: tuple[_Index, _Index]):
    """Start positions where ``pat`` occurs (stems, or exact words for ``=`` entries)."""
    seq, index = (words, idx[0]) if pat.exact else (stemmed, idx[1])
    n = len(pat.tokens)
    for i in index.get(pat.tokens[0], ()):
        if n == 1 or tuple(seq[i : i + n]) == pat.tokens:
            yield i


def _covered(
    patterns: Sequence[_Pattern], words: list[str], stemmed: list[str], idx: tuple[_Index, _Index]
) -> set[int]:
    pos: set[int] = set()
    for pat in patterns:
        for i in _occurrences(pat, words, stemmed, idx):
            pos.update(range(i, i + len(pat.tokens)))
    return pos


def _find(
    pat: _Pattern,
    words: list[str],
    stemmed: list[str],
    idx: tuple[_Index, _Index],
    excluded: set[int],
    claimed: set[int],
) -> int | None:
    """Start of the first occurrence of ``pat`` that touches no excluded word and is not
    wholly inside words a longer entry already matched ("house prices" is one entry,
    not also "housing")."""
    for i in _occurrences(pat, words, stemmed, idx):
        span = set(range(i, i + len(pat.tokens)))
        if span & excluded or span <= claimed:
            continue
        return i
    return None


def _str_list(value: Any, *, path: Path, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise InputError(path, f"{where}: expected a list")
    out = []
    for v in value:
        if isinstance(v, bool) or not isinstance(v, str | int | float):
            raise InputError(
                path, f"{where}: entry {v!r} is not text (put words like yes/no/on/off in quotes)"
            )
        out.append(str(v).strip())
    return tuple(v for v in out if v)


def load_taxonomy(path: str | Path | None = None) -> Taxonomy:
    """Read and check a coding taxonomy.

    Parameters
    ----------
    path : a YAML file in the layout of ``lis_analysis/data/taxonomy.yaml`` (default: that
        file). Officers can copy and edit it; ``docs/evidence.md`` explains how.

    Returns
    -------
    Taxonomy

    Raises
    ------
    InputError
        naming the file and theme when a theme has no terms, sits under an unknown
        foundation or challenge, has an unknown ``stance``, or an entry has no words.
    """
    path = Path(path) if path else TAXONOMY_FILE
    doc = _load_yaml(path)
    if not isinstance(doc, dict) or not isinstance(doc.get("themes"), dict):
        raise InputError(path, "expected 'foundations', 'grand_challenges' and 'themes' mappings")
    foundations = {str(k): str(v) for k, v in (doc.get("foundations") or {}).items()}
    challenges = {str(k): str(v) for k, v in (doc.get("grand_challenges") or {}).items()}
    if not foundations:
        raise InputError(path, "no 'foundations' declared")
    themes = []
    for tid, spec in doc["themes"].items():
        tid = str(tid)
        where = f"theme {tid!r}"
        if not isinstance(spec, dict):
            raise InputError(path, f"{where}: expected a mapping of label, under, terms ...")
        under = str(spec.get("under") or "")
        if under in foundations:
            kind, under_label = "foundation", foundations[under]
        elif under in challenges:
            kind, under_label = "grand challenge", challenges[under]
        else:
            raise InputError(
                path,
                f"{where}: 'under' is {under!r}; expected one of "
                + ", ".join([*foundations, *challenges]),
            )
        stance = str(spec.get("stance") or "problem")
        if stance not in ("problem", "strength"):
            raise InputError(path, f"{where}: 'stance' must be 'problem' or 'strength'")
        terms = _str_list(spec.get("terms"), path=path, where=f"{where} terms")
        phrases = _str_list(spec.get("phrases"), path=path, where=f"{where} phrases")
        exclude = _str_list(spec.get("exclude"), path=path, where=f"{where} exclude")
        indicators = _str_list(spec.get("indicators"), path=path, where=f"{where} indicators")
        if not terms and not phrases:
            raise InputError(path, f"{where}: no terms or phrases")
        patterns = tuple(_pattern(e) for e in (*terms, *phrases))
        excl = tuple(_pattern(e) for e in exclude)
        for p in (*patterns, *excl):
            if not p.tokens:
                raise InputError(path, f"{where}: entry {p.label!r} has no words")
        min_matches = spec.get("min_matches", 1)
        if not isinstance(min_matches, int) or min_matches < 1:
            raise InputError(path, f"{where}: 'min_matches' must be a whole number >= 1")
        themes.append(
            Theme(
                id=tid,
                label=str(spec.get("label") or tid),
                under=under,
                under_label=under_label,
                kind=kind,
                stance=stance,
                claim=str(spec.get("claim") or ""),
                terms=terms,
                phrases=phrases,
                exclude=exclude,
                indicators=indicators,
                min_matches=min_matches,
                patterns=patterns,
                exclude_patterns=excl,
            )
        )
    return Taxonomy(tuple(themes), foundations, challenges, str(path))


@lru_cache(maxsize=1)
def _default_taxonomy() -> Taxonomy:
    return load_taxonomy()


def _taxonomy(taxonomy: Taxonomy | str | Path | None) -> Taxonomy:
    if isinstance(taxonomy, Taxonomy):
        return taxonomy
    return _default_taxonomy() if taxonomy is None else load_taxonomy(taxonomy)


#: Columns :func:`code_responses` adds to each response row.
CODE_COLUMNS = [
    "theme",
    "theme_label",
    "under",
    "under_label",
    "kind",
    "stance",
    "matched_terms",
    "matched_text",
    "n_terms",
]


def code_responses(
    responses: pd.DataFrame | IngestResult,
    taxonomy: Taxonomy | str | Path | None = None,
    *,
    text_column: str = "text",
    id_column: str = "response_id",
) -> pd.DataFrame:
    """Code each response to themes, and so to foundations and Grand Challenges.

    Parameters
    ----------
    responses : the ``data`` of :func:`read_call_for_evidence` (or the result itself), or
        any DataFrame with ``id_column`` and ``text_column``
    taxonomy : a :class:`Taxonomy`, a path to a taxonomy YAML, or None for the package's
    text_column, id_column : which columns hold the text and the response's unique id

    Returns
    -------
    DataFrame, long: one row per response and theme coded, with the response's own columns
    and ``theme, theme_label, under, under_label, kind, stance, matched_terms`` (the
    taxonomy entries that matched, ``"; "``-joined), ``matched_text`` (the words in the
    response that matched) and ``n_terms`` (distinct entries matched). A response with
    text but no theme appears once with ``theme`` missing, so it is counted, not lost.
    Responses with empty text are not coded (they are not responses).
    """
    tax = _taxonomy(taxonomy)
    df = responses.data if isinstance(responses, IngestResult) else responses
    for col in (id_column, text_column):
        if col not in df.columns:
            raise LisError(f"code_responses: the responses have no {col!r} column")
    by_id = {t.id: t for t in tax.themes}
    records = []
    for rec in df.to_dict("records"):
        text = rec.get(text_column)
        if not isinstance(text, str) or not text.strip():
            continue
        matches = tax.code(text)
        if not matches:
            records.append({**rec, **dict.fromkeys(CODE_COLUMNS, None), "n_terms": 0})
        for m in matches:
            t = by_id[m.theme]
            records.append(
                {
                    **rec,
                    "theme": t.id,
                    "theme_label": t.label,
                    "under": t.under,
                    "under_label": t.under_label,
                    "kind": t.kind,
                    "stance": t.stance,
                    "matched_terms": "; ".join(m.terms),
                    "matched_text": "; ".join(m.text),
                    "n_terms": len(m.terms),
                }
            )
    cols = [c for c in df.columns if c not in CODE_COLUMNS] + CODE_COLUMNS
    out = pd.DataFrame.from_records(records, columns=cols)
    out["n_terms"] = out["n_terms"].astype("int64")
    return out


def _coded_only(coded: pd.DataFrame) -> pd.DataFrame:
    return coded[coded["theme"].notna()]


def counts_by_foundation(
    coded: pd.DataFrame,
    *,
    by: str = "organisation_type",
    unit: str = "responses",
    id_column: str = "response_id",
    taxonomy: Taxonomy | str | Path | None = None,
) -> pd.DataFrame:
    """How many responses (or respondents) raise each foundation and Grand Challenge.

    Parameters
    ----------
    coded : output of :func:`code_responses`
    by : the column across the table (default: organisation type)
    unit : ``"responses"`` (a response coded to two themes under one foundation counts
        once) or ``"respondents"`` (distinct ``respondent_id``)
    id_column : the response id column

    Returns
    -------
    DataFrame indexed by foundation/challenge name (foundations first, in taxonomy order),
    a column per ``by`` value (organisation types in the standard order) and ``All``; the
    last rows are ``No theme found`` and ``All responses`` (or ``All respondents``), the
    distinct count. Rows do not sum to the total: one response can raise several.
    """
    tax = _taxonomy(taxonomy)
    if unit not in ("responses", "respondents"):
        raise LisError("counts_by_foundation: unit must be 'responses' or 'respondents'")
    key = id_column if unit == "responses" else "respondent_id"
    for col in (key, by):
        if col not in coded.columns:
            raise LisError(f"counts_by_foundation: the coded table has no {col!r} column")
    groups = _ordered_values(coded[by])
    order = [*tax.foundations, *tax.grand_challenges]
    labels = [tax.under_label(u) for u in order]
    themed = _coded_only(coded)
    table = pd.DataFrame(0, index=labels, columns=[*groups, "All"], dtype="int64")
    for u, label in zip(order, labels, strict=True):
        sub = themed[themed["under"] == u]
        for g in groups:
            table.loc[label, g] = sub.loc[sub[by] == g, key].nunique()
        table.loc[label, "All"] = sub[key].nunique()
    coded_keys = set(themed[key])
    uncoded = coded[~coded[key].isin(coded_keys)]
    total_label = f"All {unit}"
    table.loc["No theme found"] = [
        *(uncoded.loc[uncoded[by] == g, key].nunique() for g in groups),
        uncoded[key].nunique(),
    ]
    table.loc[total_label] = [
        *(coded.loc[coded[by] == g, key].nunique() for g in groups),
        coded[key].nunique(),
    ]
    table.columns = [
        ORGANISATION_TYPE_LABELS.get(c, c) if by == "organisation_type" else c
        for c in table.columns
    ]
    table.index.name = "Foundation or Grand Challenge"
    return table


def _ordered_values(s: pd.Series) -> list[str]:
    vals = [v for v in pd.unique(s.dropna())]
    std = [t for t in (*ORGANISATION_TYPES, UNKNOWN_TYPE) if t in vals]
    return std + sorted(str(v) for v in vals if v not in std)


def theme_counts(
    coded: pd.DataFrame,
    taxonomy: Taxonomy | str | Path | None = None,
    *,
    id_column: str = "response_id",
) -> pd.DataFrame:
    """Responses and respondents raising each theme, most raised first.

    Returns
    -------
    DataFrame with ``theme, theme_label, under_label, kind, stance, n_responses,
    n_respondents, pct_respondents`` (of all respondents in ``coded``) and one column per
    organisation type (respondents); themes nobody raised are included with zeros.
    """
    tax = _taxonomy(taxonomy)
    themed = _coded_only(coded)
    total = (
        coded["respondent_id"].nunique() if "respondent_id" in coded else coded[id_column].nunique()
    )
    who = "respondent_id" if "respondent_id" in coded else id_column
    types = _ordered_values(coded["organisation_type"]) if "organisation_type" in coded else []
    rows = []
    for t in tax.themes:
        sub = themed[themed["theme"] == t.id]
        row = {
            "theme": t.id,
            "theme_label": t.label,
            "under_label": t.under_label,
            "kind": t.kind,
            "stance": t.stance,
            "n_responses": sub[id_column].nunique(),
            "n_respondents": sub[who].nunique(),
        }
        row["pct_respondents"] = 100 * row["n_respondents"] / total if total else math.nan
        for g in types:
            row[ORGANISATION_TYPE_LABELS.get(g, g)] = sub.loc[
                sub["organisation_type"] == g, who
            ].nunique()
        rows.append(row)
    out = pd.DataFrame(rows)
    return out.sort_values(
        ["n_respondents", "n_responses"], ascending=False, kind="stable"
    ).reset_index(drop=True)


# --------------------------------------------------------------------------------------
# Quotes
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


def attribution(row: Mapping[str, Any]) -> str:
    """Who said it, as a board page may show it: the organisation and its type, or
    "Individual respondent" (an individual's name is never shown)."""
    otype = str(row.get("organisation_type") or UNKNOWN_TYPE)
    label = ORGANISATION_TYPE_LABELS.get(otype, otype)
    if otype == "individual":
        return "Individual respondent"
    org = row.get("organisation")
    org = " ".join(str(org).split()) if isinstance(org, str) else ""
    return f"{org}, {label.lower()}" if org else label


def select_quotes(
    coded: pd.DataFrame,
    taxonomy: Taxonomy | str | Path | None = None,
    *,
    per_theme: int = 1,
    max_chars: int = 300,
    redact_personal: bool = True,
    text_column: str = "text",
    id_column: str = "response_id",
) -> pd.DataFrame:
    """Representative quotes for each theme, chosen by a stated rule.

    The rule, for each theme in taxonomy order:

    1. the candidates are the responses coded to the theme;
    2. they are ranked by the number of distinct theme terms and phrases they contain
       (most first), then by length (shortest first), then by response id;
    3. going down the ranking, a response is taken unless its organisation already gave a
       quote for this theme (individuals, and responses with no organisation, count by
       respondent id), until ``per_theme`` quotes are taken;
    4. the quote is the response with personal data redacted (:func:`redact`, unless
       ``redact_personal`` is False) and cut at a sentence boundary to at most
       ``max_chars`` characters (:func:`truncate_at_sentence`; a cut ends with ``…``).

    Returns
    -------
    DataFrame with ``theme, theme_label, under_label, response_id, respondent_id,
    organisation_type, attribution, n_terms, matched_terms, quote, truncated`` (and
    ``synthetic`` when the responses carry it). The text is not escaped: display it with
    :func:`quotes_table` or :func:`quote_markdown`.
    """
    tax = _taxonomy(taxonomy)
    themed = _coded_only(coded).copy()
    themed["_len"] = themed[text_column].str.len()
    rows = []
    for t in tax.themes:
        sub = themed[themed["theme"] == t.id].sort_values(
            ["n_terms", "_len", id_column], ascending=[False, True, True], kind="stable"
        )
        used: set[str] = set()
        taken = 0
        for rec in sub.to_dict("records"):
            if taken >= per_theme:
                break
            org = rec.get("organisation")
            org_key = " ".join(str(org).lower().split()) if isinstance(org, str) else ""
            if rec.get("organisation_type") == "individual" or not org_key:
                org_key = f"respondent:{rec.get('respondent_id', rec[id_column])}"
            if org_key in used:
                continue
            used.add(org_key)
            taken += 1
            text = redact(rec[text_column]) if redact_personal else rec[text_column]
            quote = truncate_at_sentence(text, max_chars)
            row = {
                "theme": t.id,
                "theme_label": t.label,
                "under_label": t.under_label,
                "response_id": rec[id_column],
                "respondent_id": rec.get("respondent_id"),
                "organisation_type": rec.get("organisation_type"),
                "attribution": attribution(rec),
                "n_terms": rec["n_terms"],
                "matched_terms": rec["matched_terms"],
                "quote": quote,
                "truncated": quote != " ".join(str(text).split()),
            }
            if "synthetic" in rec:
                row["synthetic"] = rec["synthetic"]
            rows.append(row)
    cols = [
        "theme",
        "theme_label",
        "under_label",
        "response_id",
        "respondent_id",
        "organisation_type",
        "attribution",
        "n_terms",
        "matched_terms",
        "quote",
        "truncated",
    ]
    if "synthetic" in coded.columns:
        cols.append("synthetic")
    return pd.DataFrame(rows, columns=cols)


# --------------------------------------------------------------------------------------
# Triangulation
# --------------------------------------------------------------------------------------


#: Indicator-table columns :func:`triangulate` carries into its output when present.
_CARRY = (
    "area_code",
    "indicator_name",
    "benchmark_code",
    "period",
    "value",
    "unit",
    "benchmark_value",
    "uk_value",
    "index",
    "index_uk",
    "significant",
    "significant_uk",
    "classification_reason",
)


def _period_key(p: Any) -> tuple[int, str]:
    s = "" if p is None or (isinstance(p, float) and math.isnan(p)) else str(p)
    years = re.findall(r"(?:19|20)\d\d", s)
    return (int(years[-1]) if years else -1, s)


def verdict(stance: str, classification: Any) -> tuple[str, str]:
    """The verdict on one claim against one indicator, and the reason in words.

    The rule: respondents raise a *problem* -> ``supported by the data`` when the
    indicator is a weakness, ``not supported`` when it is a strength; respondents claim a
    *strength* -> ``supported by the data`` when the indicator is a strength, ``not
    supported`` when it is a weakness; ``mixed/neutral`` when the indicator is neutral or
    not classified; ``no data`` when the indicator is not in the table.
    """
    c = str(classification).strip().lower() if isinstance(classification, str) else ""
    if classification is None or (isinstance(classification, float) and math.isnan(classification)):
        c = ""
    raises = "raise a problem" if stance == "problem" else "claim a strength"
    if c not in ("strength", "weakness"):
        what = "neutral" if c == "neutral" else "not classified"
        return MIXED, f"respondents {raises}; the indicator is {what}"
    agrees = (stance == "problem") == (c == "weakness")
    return (SUPPORTED if agrees else NOT_SUPPORTED), f"respondents {raises}; the indicator is a {c}"


def triangulate(
    coded: pd.DataFrame,
    indicators: pd.DataFrame,
    taxonomy: Taxonomy | str | Path | None = None,
    *,
    area_code: str | None = None,
    min_respondents: int = 1,
    latest_only: bool = True,
) -> pd.DataFrame:
    """Claim -> indicator -> verdict, for every theme respondents raised.

    Parameters
    ----------
    coded : output of :func:`code_responses`
    indicators : the indicator table; needs ``indicator_id`` and ``classification``
        (``strength``/``weakness``/``neutral``, as the classifier decided it, polarity
        already applied); ``value``, ``benchmark_value``, ``index``, ``significant``,
        ``period``, ``area_code``, ``benchmark_code`` (and ``uk_value``, ``index_uk``,
        ``significant_uk``, ``reason`` of ``priorities.assess``) are carried when present
    area_code : keep only this area's rows (when the table has ``area_code``)
    min_respondents : themes raised by fewer respondents are left out
    latest_only : keep each indicator's latest period only (the last year in ``period``)

    Returns
    -------
    DataFrame, one row per theme x linked indicator (x benchmark, when the table has
    several): ``theme, theme_label, under_label, stance, claim, n_respondents,
    indicator_id``, the carried columns present, ``classification, verdict, reason``. The verdict rule is in :func:`verdict`; a theme whose taxonomy entry
    names no indicator gets ``no linked indicator``, and an indicator missing from the
    table ``no data``.
    """
    tax = _taxonomy(taxonomy)
    missing = [c for c in ("indicator_id", "classification") if c not in indicators.columns]
    if missing:
        raise LisError(
            "triangulate: the indicator table has no "
            + ", ".join(repr(c) for c in missing)
            + " column"
        )
    ind = indicators.copy()
    if area_code is not None and "area_code" in ind.columns:
        ind = ind[ind["area_code"] == area_code]
    if "reason" in ind.columns:  # the classifier's own reason; ours is the verdict's
        ind = ind.rename(columns={"reason": "classification_reason"})
    carry = [c for c in _CARRY if c in ind.columns]
    if latest_only and "period" in ind.columns and len(ind):
        keys = [c for c in ("indicator_id", "area_code", "benchmark_code") if c in ind.columns]
        ind["_pk"] = ind["period"].map(_period_key)
        latest = ind.groupby(keys, dropna=False)["_pk"].transform("max")
        ind = ind[ind["_pk"] == latest].drop(columns="_pk")
    themed = _coded_only(coded)
    who = "respondent_id" if "respondent_id" in coded.columns else "response_id"
    rows = []
    for t in tax.themes:
        n = themed.loc[themed["theme"] == t.id, who].nunique()
        if n < min_respondents or n == 0:
            continue
        base = {
            "theme": t.id,
            "theme_label": t.label,
            "under_label": t.under_label,
            "stance": t.stance,
            "claim": t.claim,
            "n_respondents": n,
        }
        if not t.indicators:
            rows.append(
                {
                    **base,
                    "verdict": NO_INDICATOR,
                    "reason": "the taxonomy names no indicator for this theme",
                }
            )
            continue
        for iid in t.indicators:
            hits = ind[ind["indicator_id"] == iid]
            if hits.empty:
                rows.append(
                    {
                        **base,
                        "indicator_id": iid,
                        "verdict": NO_DATA,
                        "reason": "the indicator is not in the table",
                    }
                )
                continue
            for rec in hits.to_dict("records"):
                v, why = verdict(t.stance, rec.get("classification"))
                rows.append(
                    {
                        **base,
                        "indicator_id": iid,
                        **{c: rec.get(c) for c in carry},
                        "classification": rec.get("classification"),
                        "verdict": v,
                        "reason": why,
                    }
                )
    cols = [
        "theme",
        "theme_label",
        "under_label",
        "stance",
        "claim",
        "n_respondents",
        "indicator_id",
        *carry,
        "classification",
        "verdict",
        "reason",
    ]
    return pd.DataFrame(rows, columns=cols)


def theme_verdicts(triangulated: pd.DataFrame) -> pd.DataFrame:
    """One overall verdict per theme from :func:`triangulate` rows.

    The rule: ``supported by the data`` when at least one indicator supports the claim and
    none contradicts it; ``not supported`` when at least one contradicts it and none
    supports it; ``mixed/neutral`` when indicators point both ways or are all neutral;
    ``no data`` / ``no linked indicator`` when there is nothing to compare with.

    Returns
    -------
    DataFrame: ``theme, theme_label, under_label, stance, claim, n_respondents,
    n_supporting, n_contradicting, n_neutral, indicators, verdict``.
    """
    rows = []
    for theme, sub in triangulated.groupby("theme", sort=False):
        first = sub.iloc[0]
        vs = sub["verdict"]
        n_sup, n_con, n_mix = (
            int((vs == SUPPORTED).sum()),
            int((vs == NOT_SUPPORTED).sum()),
            int((vs == MIXED).sum()),
        )
        if n_sup and not n_con:
            overall = SUPPORTED
        elif n_con and not n_sup:
            overall = NOT_SUPPORTED
        elif n_sup or n_con or n_mix:
            overall = MIXED
        elif (vs == NO_INDICATOR).all():
            overall = NO_INDICATOR
        else:
            overall = NO_DATA
        rows.append(
            {
                "theme": theme,
                "theme_label": first["theme_label"],
                "under_label": first["under_label"],
                "stance": first["stance"],
                "claim": first["claim"],
                "n_respondents": first["n_respondents"],
                "n_supporting": n_sup,
                "n_contradicting": n_con,
                "n_neutral": n_mix,
                "indicators": "; ".join(dict.fromkeys(sub["indicator_id"].dropna().astype(str))),
                "verdict": overall,
            }
        )
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------------------
# Consultation: agreement, comments, consideration log
# --------------------------------------------------------------------------------------


def wilson_interval(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """Wilson score interval for a proportion ``k / n``.

    ``(p + z²/2n ± z·sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n)``, with ``p = k/n``. Unlike the
    normal (Wald) interval it stays inside [0, 1] and behaves at k = 0 or k = n.

    Parameters
    ----------
    k : successes (0 <= k <= n)
    n : trials; ``n == 0`` gives ``(nan, nan)``
    z : the normal quantile (1.96 for 95%)

    Returns
    -------
    (lower, upper) as proportions in [0, 1].
    """
    if isinstance(k, bool) or isinstance(n, bool):
        raise LisError("wilson_interval: k and n must be counts, not booleans")
    if n < 0 or k < 0 or k > n or int(k) != k or int(n) != n:
        raise LisError(f"wilson_interval: need whole numbers 0 <= k <= n, got k={k}, n={n}")
    if not z > 0:
        raise LisError(f"wilson_interval: z must be positive, got {z}")
    if n == 0:
        return (math.nan, math.nan)
    # One implementation of the Wilson interval: lis_analysis.methods (z given here as a
    # normal quantile, there as a confidence level).
    from statistics import NormalDist

    from .methods.uncertainty import wilson_interval as _wilson

    iv = _wilson(k, n, level=2 * NormalDist().cdf(z) - 1)
    return (float(iv.lower), float(iv.upper))


def _priorities(priorities: pd.DataFrame | str | Path | None) -> pd.DataFrame:
    if isinstance(priorities, pd.DataFrame):
        return priorities
    return load_priorities(priorities)


def agreement(
    consultation: pd.DataFrame | IngestResult,
    priorities: pd.DataFrame | str | Path | None = None,
    *,
    by: str | None = None,
    z: float = 1.96,
) -> pd.DataFrame:
    """Agreement with each draft priority, with Wilson intervals and net agreement.

    Definitions (percentages of respondents *expressing a view*):

    - a view is any of the five scale points, including "Neither agree nor disagree";
      "Don't know" and no answer are counted and shown but are not views, so they are
      left out of every percentage;
    - ``agree_pct`` = (Strongly agree + Agree) / views, with its Wilson interval
      (:func:`wilson_interval`, ``z`` = 1.96 for 95%);
    - ``net_agreement`` = (Strongly agree + Agree − Disagree − Strongly disagree) / views,
      in percentage points (−100 to +100);
    - ``small_base`` is True when fewer than :data:`SMALL_BASE` respondents expressed a view.

    Parameters
    ----------
    consultation : :func:`read_consultation` result or its ``data``
    priorities : as :func:`load_priorities` (default: the package's)
    by : a column to break down by (e.g. ``"organisation_type"``); the table then has a
        row per priority and group, plus "All respondents"

    Returns
    -------
    DataFrame: ``priority_id, priority, group, n_respondents`` and a count per scale point,
    ``dont_know, no_answer, n_view, n_agree, n_disagree, agree_pct, agree_lower_pct,
    agree_upper_pct, disagree_pct, net_agreement, small_base``.
    """
    df = consultation.data if isinstance(consultation, IngestResult) else consultation
    pri = _priorities(priorities)
    groups: list[tuple[str, pd.DataFrame]] = [("All respondents", df)]
    if by is not None:
        if by not in df.columns:
            raise LisError(f"agreement: the consultation data has no {by!r} column")
        for g in _ordered_values(df[by]):
            label = ORGANISATION_TYPE_LABELS.get(g, g) if by == "organisation_type" else str(g)
            groups.append((label, df[df[by] == g]))
    keys = ["strongly_agree", "agree", "neither", "disagree", "strongly_disagree"]
    rows = []
    for pid, title in zip(pri["priority_id"], pri["title"], strict=True):
        if pid not in df.columns:
            raise LisError(f"agreement: the consultation data has no column for priority {pid!r}")
        for label, sub in groups:
            s = sub[pid].astype("object")
            counts = {
                k: int((s == lab).sum()) for k, lab in zip(keys, AGREEMENT_SCALE, strict=True)
            }
            dk = int((s == DONT_KNOW).sum())
            n_view = sum(counts.values())
            n_agree = counts["strongly_agree"] + counts["agree"]
            n_dis = counts["disagree"] + counts["strongly_disagree"]
            lo, hi = wilson_interval(n_agree, n_view, z)

            def pct(x: int, n_view: int = n_view) -> float:
                return 100 * x / n_view if n_view else math.nan

            rows.append(
                {
                    "priority_id": pid,
                    "priority": title,
                    "group": label,
                    "n_respondents": len(sub),
                    **counts,
                    "dont_know": dk,
                    "no_answer": len(sub) - n_view - dk,
                    "n_view": n_view,
                    "n_agree": n_agree,
                    "n_disagree": n_dis,
                    "agree_pct": pct(n_agree),
                    "agree_lower_pct": 100 * lo,
                    "agree_upper_pct": 100 * hi,
                    "disagree_pct": pct(n_dis),
                    "net_agreement": pct(n_agree - n_dis),
                    "small_base": n_view < SMALL_BASE,
                }
            )
    return pd.DataFrame(rows)


def code_comments(
    consultation: pd.DataFrame | IngestResult,
    taxonomy: Taxonomy | str | Path | None = None,
) -> pd.DataFrame:
    """Code the consultation comments with the same taxonomy (see :func:`code_responses`);
    the response id is the respondent id. Respondents who left no comment are not rows."""
    df = consultation.data if isinstance(consultation, IngestResult) else consultation
    return code_responses(df, taxonomy, text_column="comments", id_column="response_id")


def priority_comments(
    coded_comments: pd.DataFrame,
    priorities: pd.DataFrame | str | Path | None = None,
    taxonomy: Taxonomy | str | Path | None = None,
) -> pd.DataFrame:
    """For each draft priority, the comments coded to one of its themes (``themes`` in
    ``consultation.yaml``): ``priority_id, priority, n_comments, themes`` (each theme
    with its number of comments, most first)."""
    tax = _taxonomy(taxonomy)
    pri = _priorities(priorities)
    themed = _coded_only(coded_comments)
    rows = []
    for rec in pri.to_dict("records"):
        ids = [t.strip() for t in str(rec["themes"]).split(";") if t.strip()]
        sub = themed[themed["theme"].isin(ids)]
        per = (
            sub.groupby("theme")["response_id"]
            .nunique()
            .sort_values(ascending=False, kind="stable")
        )
        rows.append(
            {
                "priority_id": rec["priority_id"],
                "priority": rec["title"],
                "n_comments": sub["response_id"].nunique(),
                "themes": "; ".join(
                    f"{tax.theme(t).label} ({n})" for t, n in per.items() if t in tax.theme_ids
                ),
            }
        )
    return pd.DataFrame(rows)


def draft_consideration_log(
    coded_comments: pd.DataFrame,
    taxonomy: Taxonomy | str | Path | None = None,
) -> pd.DataFrame:
    """A starting consideration log for officers: one point per theme raised in the
    comments (most raised first), with ``response``, ``change_made``, ``officer`` and
    ``date`` blank. Save it as CSV or XLSX, fill it in, and read it back with
    :func:`read_consideration_log`."""
    counts = theme_counts(coded_comments, taxonomy)
    counts = counts[counts["n_responses"] > 0]
    return pd.DataFrame(
        {
            "point_id": [f"C{i + 1:03d}" for i in range(len(counts))],
            "theme_or_priority": counts["theme"].to_list(),
            "point": [
                f"{n} comment{'s' if n != 1 else ''} on {lab.lower()}"
                for n, lab in zip(counts["n_responses"], counts["theme_label"], strict=True)
            ],
            "response": "",
            "change_made": "",
            "officer": "",
            "date": "",
        },
        columns=list(LOG_COLUMNS),
    )


_NO_CHANGE = {"", "no", "none", "n/a", "na", "no change", "-", "nil"}


def consideration_report(
    log: pd.DataFrame | IngestResult,
    coded_comments: pd.DataFrame,
    taxonomy: Taxonomy | str | Path | None = None,
    priorities: pd.DataFrame | str | Path | None = None,
) -> pd.DataFrame:
    """How each point raised in the consultation was considered, with gaps flagged.

    Each log point is joined to the comments it covers: for a theme, the comments coded to
    it; for a draft priority, the comments coded to any of its themes. Status:

    - ``no response yet`` (flagged) when ``response`` is blank;
    - ``considered: change made`` when ``change_made`` says what changed (anything but
      blank, "no", "none", "n/a", "no change");
    - ``considered: no change`` otherwise;
    - ``not in the log`` (flagged): a theme raised in at least one comment that no log point
      covers (a point on a priority covers that priority's themes).

    Returns
    -------
    DataFrame: ``point_id, theme_or_priority, label, point, n_comments, respondent_ids``
    (up to ten), ``response, change_made, officer, date, status, needs_attention``; log
    points first in log order, then themes not in the log, most raised first.
    """
    tax = _taxonomy(taxonomy)
    pri = _priorities(priorities)
    entries = log.data if isinstance(log, IngestResult) else log
    themed = _coded_only(coded_comments)
    pri_themes = {
        r["priority_id"]: [t.strip() for t in str(r["themes"]).split(";") if t.strip()]
        for r in pri.to_dict("records")
    }
    pri_titles = dict(zip(pri["priority_id"], pri["title"], strict=True))
    covered: set[str] = set()
    rows = []
    for rec in entries.to_dict("records"):
        key = str(rec.get("theme_or_priority") or "")
        if key in pri_themes:
            theme_ids, label = pri_themes[key], pri_titles[key]
        elif key in tax.theme_ids:
            theme_ids, label = [key], tax.theme(key).label
        else:
            theme_ids, label = [], "(not a theme or priority)"
        covered.update(theme_ids)
        ids = sorted(
            themed.loc[themed["theme"].isin(theme_ids), "response_id"].astype(str).unique()
        )
        response = _blank_to_empty(rec.get("response"))
        change = _blank_to_empty(rec.get("change_made"))
        if not response:
            status = "no response yet"
        elif change.lower() in _NO_CHANGE:
            status = "considered: no change"
        else:
            status = "considered: change made"
        rows.append(
            {
                "point_id": rec.get("point_id"),
                "theme_or_priority": key,
                "label": label,
                "point": _blank_to_empty(rec.get("point")),
                "n_comments": len(ids),
                "respondent_ids": "; ".join(ids[:10]) + (" …" if len(ids) > 10 else ""),
                "response": response,
                "change_made": change,
                "officer": _blank_to_empty(rec.get("officer")),
                "date": rec.get("date"),
                "status": status,
                "needs_attention": status == "no response yet",
            }
        )
    counts = theme_counts(coded_comments, tax)
    for rec in counts[counts["n_responses"] > 0].to_dict("records"):
        if rec["theme"] in covered:
            continue
        ids = sorted(
            themed.loc[themed["theme"] == rec["theme"], "response_id"].astype(str).unique()
        )
        rows.append(
            {
                "point_id": None,
                "theme_or_priority": rec["theme"],
                "label": rec["theme_label"],
                "point": "",
                "n_comments": len(ids),
                "respondent_ids": "; ".join(ids[:10]) + (" …" if len(ids) > 10 else ""),
                "response": "",
                "change_made": "",
                "officer": "",
                "date": None,
                "status": "not in the log",
                "needs_attention": True,
            }
        )
    cols = [
        "point_id",
        "theme_or_priority",
        "label",
        "point",
        "n_comments",
        "respondent_ids",
        "response",
        "change_made",
        "officer",
        "date",
        "status",
        "needs_attention",
    ]
    return pd.DataFrame(rows, columns=cols)


def _blank_to_empty(v: Any) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA:
        return ""
    return str(v).strip()


# --------------------------------------------------------------------------------------
# Safety: redaction and escaping
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
    if text is None or (isinstance(text, float) and math.isnan(text)) or text is pd.NA:
        return ""
    s = str(text)
    s = _EMAIL.sub(EMAIL_MARK, s)
    s = _PHONE.sub(PHONE_MARK, s)
    s = _POSTCODE.sub(POSTCODE_MARK, s)
    return s


def escape(text: Any) -> str:
    """``text`` escaped for HTML (``& < > " '``), so markup in it renders as text; missing
    values give ``""``."""
    if text is None or (isinstance(text, float) and math.isnan(text)) or text is pd.NA:
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
    if text is None or (isinstance(text, float) and math.isnan(text)) or text is pd.NA:
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


def _cell(v: Any, float_format: str) -> str:
    if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)):
        return ""
    if isinstance(v, bool | np.bool_):
        return "Yes" if v else "No"
    if isinstance(v, float | np.floating):
        return float_format.format(v)
    return str(v)


def html_table(
    df: pd.DataFrame,
    caption: str,
    *,
    columns: Mapping[str, str] | Sequence[str] | None = None,
    float_format: str = "{:,.1f}",
    redact_personal: bool = False,
    table_class: str = "lis-table",
) -> str:
    """An accessible HTML table in which every header, cell and the caption are escaped.

    Parameters
    ----------
    df : the table
    caption : the table's caption (required: screen readers announce it)
    columns : which columns to show, as a list or ``{column: header}``; default all
    float_format : format for floats
    redact_personal : also pass every cell through :func:`redact`

    Returns
    -------
    str: ``<table>`` with ``<caption>``, ``<thead>`` (``th scope="col"``) and ``<tbody>``.
    Missing values show as empty cells.
    """
    if not str(caption).strip():
        raise LisError("html_table: a caption is required (it is what a screen reader announces)")
    if columns is None:
        columns = {c: str(c) for c in df.columns}
    elif not isinstance(columns, Mapping):
        columns = {c: str(c) for c in columns}
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise LisError(f"html_table: no column {missing[0]!r} in the table")
    cls = re.sub(r"[^A-Za-z0-9_ -]", "", table_class)
    parts = [f'<table class="{cls}">', f"<caption>{escape(caption)}</caption>", "<thead><tr>"]
    parts += [f'<th scope="col">{escape(h)}</th>' for h in columns.values()]
    parts.append("</tr></thead><tbody>")
    for rec in df[list(columns)].itertuples(index=False, name=None):
        cells = []
        for v in rec:
            text = _cell(v, float_format)
            cells.append(f"<td>{escape(redact(text) if redact_personal else text)}</td>")
        parts.append("<tr>" + "".join(cells) + "</tr>")
    parts.append("</tbody></table>")
    return "\n".join(parts)


def quotes_table(
    quotes: pd.DataFrame,
    caption: str = "Representative quotes by theme",
    *,
    columns: Mapping[str, str] | None = None,
    redact_personal: bool = True,
) -> str:
    """The quotes of :func:`select_quotes` as an escaped, redacted HTML table.

    Default columns: Theme, Quote, Respondent. Every cell is redacted (unless
    ``redact_personal`` is False) and escaped, so markup in a response renders as text.
    """
    columns = columns or {"theme_label": "Theme", "quote": "Quote", "attribution": "Respondent"}
    return html_table(quotes, caption, columns=columns, redact_personal=redact_personal)


def safe_styler(df: pd.DataFrame, caption: str, *, precision: int = 1) -> Any:
    """A pandas ``Styler`` for ``df`` that escapes every cell, index label and the caption
    (a plain ``df.style`` does not escape). Use it instead of ``df.style`` for any table
    holding respondent text."""
    return (
        df.style.format(escape="html", precision=precision, na_rep="")
        .format_index(escape="html", axis=0)
        .format_index(escape="html", axis=1)
        .set_caption(escape(caption))
    )


# --------------------------------------------------------------------------------------
# Ingest
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IngestResult:
    """What a reader kept, and every problem it met.

    Attributes
    ----------
    kind : ``"call_for_evidence"``, ``"consultation"`` or ``"consideration_log"``
    data : the rows kept (columns depend on ``kind``; each has ``source_file`` and
        ``source_row``, 1-based as an editor or spreadsheet shows it)
    issues : one row per problem: ``file, sheet, row, column, respondent_id, problem``
        (a short category), ``detail``, ``action`` (``row rejected`` or ``kept with
        warning``) and ``message`` (one line naming file, sheet, row, column)
    n_read : rows (responses) read; always ``n_kept + n_rejected``
    files : the files read
    """

    kind: str
    data: pd.DataFrame
    issues: pd.DataFrame
    n_read: int
    files: tuple[str, ...]

    def __post_init__(self) -> None:
        if self.n_read != self.n_kept + self.n_rejected:  # pragma: no cover - a bug if hit
            raise AssertionError(
                f"{self.kind}: read {self.n_read} rows, kept {self.n_kept}, rejected {self.n_rejected}"
            )

    @property
    def n_kept(self) -> int:
        return len(self.data)

    @property
    def n_rejected(self) -> int:
        return int((self.issues["action"] == REJECTED).sum())

    @property
    def rejected(self) -> pd.DataFrame:
        """The rows rejected, with the reason."""
        return self.issues[self.issues["action"] == REJECTED].reset_index(drop=True)

    @property
    def warnings(self) -> pd.DataFrame:
        """Rows kept with a warning, and file-level warnings (an ignored column)."""
        return self.issues[self.issues["action"] == WARNED].reset_index(drop=True)

    def counts(self) -> pd.DataFrame:
        """Read / kept / rejected, then each problem with its count."""
        head = pd.DataFrame(
            {
                "what": ["rows read", "rows kept", "rows rejected"],
                "action": ["", "", ""],
                "n": [self.n_read, self.n_kept, self.n_rejected],
            }
        )
        if self.issues.empty:
            return head
        per = self.issues.groupby(["problem", "action"], sort=True).size().reset_index(name="n")
        per = per.rename(columns={"problem": "what"})
        return pd.concat([head, per], ignore_index=True)

    def summary(self) -> str:
        """One line: files, read, kept, rejected (by reason) and warnings."""
        rej = self.rejected["problem"].value_counts()
        why = "; ".join(f"{n} {p}" for p, n in rej.items())
        line = (
            f"{self.kind.replace('_', ' ')}: {len(self.files)} file(s), read {self.n_read}, "
            f"kept {self.n_kept}, rejected {self.n_rejected}"
        )
        if why:
            line += f" ({why})"
        return line + f", {len(self.warnings)} warning(s)"


@dataclass(frozen=True)
class EvidenceBundle:
    """Everything :func:`load_evidence` found in a folder."""

    call_for_evidence: IngestResult | None
    consultation: IngestResult | None
    consideration_log: IngestResult | None
    skipped: tuple[str, ...] = ()

    def summary(self) -> pd.DataFrame:
        """One row per kind: files, read, kept, rejected, warnings."""
        rows = []
        for r in (self.call_for_evidence, self.consultation, self.consideration_log):
            if r is not None:
                rows.append(
                    {
                        "kind": r.kind,
                        "files": len(r.files),
                        "read": r.n_read,
                        "kept": r.n_kept,
                        "rejected": r.n_rejected,
                        "warnings": len(r.warnings),
                    }
                )
        return pd.DataFrame(rows, columns=["kind", "files", "read", "kept", "rejected", "warnings"])


class _Issues:
    """Collects problems; in strict mode the first one raises an :class:`InputError`."""

    def __init__(self, strict: bool) -> None:
        self.strict = strict
        self.rows: list[dict[str, Any]] = []

    def add(
        self,
        file: Path,
        problem: str,
        detail: str,
        action: str,
        *,
        sheet: str | None = None,
        row: int | None = None,
        column: int | None = None,
        header: str | None = None,
        respondent_id: str | None = None,
    ) -> None:
        err = InputError(
            file, f"{problem}: {detail}", sheet=sheet, row=row, column=column, header=header
        )
        if self.strict:
            raise err
        self.rows.append(
            {
                "file": str(file),
                "sheet": sheet,
                "row": None if row is None else row + 1,
                "column": header,
                "respondent_id": respondent_id,
                "problem": problem,
                "detail": detail,
                "action": action,
                "message": err.message,
            }
        )
        (log.warning if action == REJECTED else log.info)("%s (%s)", err.message, action)

    def frame(self) -> pd.DataFrame:
        out = pd.DataFrame(self.rows, columns=ISSUE_COLUMNS)
        out["row"] = out["row"].astype("Int64")
        return out


@dataclass
class _Table:
    path: Path
    sheet: str | None
    header_row: int  # 0-based
    columns: list[str]  # normalised
    raw_columns: list[str]
    body: list[tuple[int, list[Any]]]  # (0-based row, cells padded to len(columns))

    def col(self, name: str) -> int | None:
        return self.columns.index(name) if name in self.columns else None


def _norm_header(h: Any) -> str:
    s = clean_text(h).lower().replace("\u2019", "'").replace("'", "")
    s = re.sub(r"[\s\-/]+", "_", s).strip("_")
    return _HEADER_ALIASES.get(s, s)


def _norm_question_id(v: Any) -> str:
    s = clean_text(v).upper().replace(" ", "")
    m = re.fullmatch(r"(?:Q|QUESTION)?0*(\d+)", s)
    return f"Q{m.group(1)}" if m else s


def _text(v: Any) -> str:
    """A free-text cell: line endings normalised, outer whitespace stripped."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return str(v).replace("\r\n", "\n").replace("\r", "\n").strip()


def _truthy(v: Any) -> bool:
    return clean_text(v).lower() in ("yes", "y", "true", "1", "synthetic")


def _read_tables(path: Path, keys: Sequence[str]) -> list[_Table]:
    """Every sheet (or the CSV) with a header row, in the first rows, holding one of
    ``keys``. An :class:`InputError` when none has."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        sheets: list[tuple[str | None, list[list[Any]]]] = [(None, read_csv_rows(path))]
    elif suffix in (".xlsx", ".xlsm", ".xls"):
        book = Workbook(path)
        sheets = [(s, book.rows(s)) for s in book.sheet_names]
    else:
        raise InputError(
            path, f"not a table: expected .csv or .xlsx, got {suffix or 'no extension'}"
        )
    tables = []
    for sheet, rows in sheets:
        for i, row in enumerate(rows[:_HEADER_SEARCH_ROWS]):
            normed = [_norm_header(h) for h in row]
            if any(k in normed for k in keys):
                width = len(normed)
                body = []
                for j in range(i + 1, len(rows)):
                    cells = list(rows[j]) + [""] * (width - len(rows[j]))
                    if all(_text(c) == "" for c in cells):
                        continue  # a blank line is not a response
                    body.append((j, cells[:width]))
                tables.append(_Table(path, sheet, i, normed, [clean_text(h) for h in row], body))
                break
    if not tables:
        where = (
            "" if suffix == ".csv" else f" on any sheet ({', '.join(str(s) for s, _ in sheets)})"
        )
        raise InputError(
            path,
            f"no header row with a {' or '.join(repr(k) for k in keys)} column in the first "
            f"{_HEADER_SEARCH_ROWS} rows{where}",
        )
    return tables


def _require(
    table: _Table, required: Iterable[str], what: str, labels: Mapping[str, str] | None = None
) -> None:
    missing = [c for c in required if c not in table.columns]
    if missing:
        found = ", ".join(repr(c) for c in table.raw_columns if c)
        names = ", ".join(repr((labels or {}).get(c, c)) for c in missing)
        raise InputError(
            table.path,
            f"not a {what} table: missing column(s) {names} (found {found})",
            sheet=table.sheet,
            row=table.header_row,
        )


def _org_type(value: Any) -> str | None:
    s = clean_text(value).lower()
    if s in ORGANISATION_TYPES:
        return s
    return _ORG_SYNONYMS.get(s)


def _check_org_type(
    value: Any,
    issues: _Issues,
    file: Path,
    *,
    sheet: str | None,
    row: int,
    column: int | None,
    rid: str,
) -> str:
    t = _org_type(value)
    if t is not None:
        return t
    raw = clean_text(value)
    detail = (
        f"{raw!r} is not one of {', '.join(ORGANISATION_TYPES)}; counted as '{UNKNOWN_TYPE}'"
        if raw
        else f"no organisation type; counted as '{UNKNOWN_TYPE}'"
    )
    issues.add(
        file,
        "unknown organisation type",
        detail,
        WARNED,
        sheet=sheet,
        row=row,
        column=column,
        header="organisation_type",
        respondent_id=rid,
    )
    return UNKNOWN_TYPE


# ---- call for evidence ---------------------------------------------------------------


class _CfeReader:
    def __init__(self, questions: pd.DataFrame, strict: bool) -> None:
        self.valid = list(questions["question_id"])
        self.issues = _Issues(strict)
        self.rows: list[dict[str, Any]] = []
        self.seen: dict[tuple[str, str], str] = {}
        self.n_read = 0
        self.files: list[str] = []

    def _accept(
        self,
        file: Path,
        *,
        sheet: str | None,
        row: int,
        rid: str,
        qid: str,
        text: str,
        fields: dict[str, Any],
        cols: Mapping[str, int | None],
    ) -> None:
        """Check one response; keep it or record why not."""
        self.n_read += 1

        def reject(problem: str, detail: str, col: str) -> None:
            self.issues.add(
                file,
                problem,
                detail,
                REJECTED,
                sheet=sheet,
                row=row,
                column=cols.get(col),
                header=col,
                respondent_id=rid,
            )

        if not rid:
            return reject("missing respondent id", "the respondent_id is blank", "respondent_id")
        if not qid:
            return reject("missing question id", "the question_id is blank", "question_id")
        if qid not in self.valid:
            return reject(
                "unknown question id",
                f"{qid!r} is not a call-for-evidence question (expected {self.valid[0]}..{self.valid[-1]})",
                "question_id",
            )
        if not text:
            return reject("empty text", f"the response of {rid} to {qid} has no text", "text")
        where = f"{file.name}" + (f" sheet '{sheet}'" if sheet else "") + f" row {row + 1}"
        first = self.seen.get((rid, qid))
        if first is not None:
            return reject("duplicate", f"{rid} already answered {qid} ({first})", "question_id")
        self.seen[(rid, qid)] = where
        otype = _check_org_type(
            fields.get("organisation_type"),
            self.issues,
            file,
            sheet=sheet,
            row=row,
            column=cols.get("organisation_type"),
            rid=rid,
        )
        self.rows.append(
            {
                **{k: v for k, v in fields.items() if k not in CFE_COLUMNS and k != "synthetic"},
                "response_id": f"{rid}:{qid}",
                "respondent_id": rid,
                "organisation": clean_text(fields.get("organisation")),
                "organisation_type": otype,
                "sector": clean_text(fields.get("sector")),
                "location": clean_text(fields.get("location")),
                "question_id": qid,
                "text": text,
                "synthetic": _truthy(fields.get("synthetic")),
                "source_file": str(file),
                "source_row": row + 1,
            }
        )

    def table(self, t: _Table) -> None:
        _require(t, CFE_COLUMNS, "call-for-evidence")
        self.files.append(str(t.path))
        cols = {c: t.col(c) for c in t.columns}
        for r, cells in t.body:
            fields = dict(zip(t.columns, cells, strict=False))
            self._accept(
                t.path,
                sheet=t.sheet,
                row=r,
                rid=clean_text(fields.get("respondent_id")),
                qid=_norm_question_id(fields.get("question_id")),
                text=_text(fields.get("text")),
                fields={
                    k: (_text(v) if k not in ("organisation_type",) else v)
                    for k, v in fields.items()
                    if k
                },
                cols=cols,
            )

    def submission(self, path: Path) -> None:
        self.files.append(str(path))
        raw = read_text(path).replace("\r\n", "\n").replace("\r", "\n")
        lines = raw.split("\n")

        def reject_file(problem: str, detail: str, row: int = 0) -> None:
            self.n_read += 1
            self.issues.add(path, problem, detail, REJECTED, row=row)

        start = 0
        while start < len(lines) and not lines[start].strip():
            start += 1
        if start >= len(lines) or lines[start].strip() != "---":
            return reject_file(
                "no YAML header",
                "a submission starts with a '---' line, the header fields "
                "(respondent, organisation_type, question_id ...), and a closing '---' line",
                start,
            )
        end = next(
            (i for i in range(start + 1, len(lines)) if lines[i].strip() in ("---", "...")), None
        )
        if end is None:
            return reject_file("no YAML header", "the header has no closing '---' line", start)
        try:
            head = yaml.safe_load("\n".join(lines[start + 1 : end])) or {}
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            problem = getattr(exc, "problem", None) or "cannot parse"
            return reject_file(
                "bad YAML header", str(problem), start + 1 + (mark.line if mark else 0)
            )
        if not isinstance(head, dict):
            return reject_file(
                "bad YAML header", "the header must be 'field: value' lines", start + 1
            )
        head = {_norm_header(k): v for k, v in head.items()}
        if "respondent" in head and "respondent_id" not in head:
            head["respondent_id"] = head.pop("respondent")
        rid = clean_text(head.get("respondent_id"))
        if not rid:
            return reject_file(
                "missing respondent id", "the header has no 'respondent' field", start + 1
            )
        raw_q = head.get("questions", head.get("question_id"))
        if raw_q is None:
            raw_q = []
        elif isinstance(raw_q, str):
            raw_q = [s for s in re.split(r"[,;\s]+", raw_q) if s]
        elif not isinstance(raw_q, list):
            raw_q = [raw_q]
        listed = [_norm_question_id(q) for q in raw_q]
        fields = {
            k: (v if k == "organisation_type" else ("" if v is None else _text(v)))
            for k, v in head.items()
            if k not in ("questions", "question_id", "respondent_id")
        }
        body_start = end + 1
        heading = re.compile(r"^ {0,3}#{1,6}[ \t]+(?:Q|Question[ \t]*)(\d+)\b.*$", re.IGNORECASE)
        sections: list[tuple[str, int, list[str]]] = []
        preamble: list[str] = []
        for i in range(body_start, len(lines)):
            m = heading.match(lines[i])
            if m:
                sections.append((f"Q{int(m.group(1))}", i, []))
            elif sections:
                sections[-1][2].append(lines[i])
            else:
                preamble.append(lines[i])
        if sections:
            pre = "\n".join(preamble).strip()
            if pre:
                q, i, body = sections[0]
                sections[0] = (q, i, [pre, "", *body])
                self.issues.add(
                    path,
                    "text before first question heading",
                    f"filed under {q}, the first question heading",
                    WARNED,
                    row=body_start,
                    respondent_id=rid,
                )
            found = [q for q, _, _ in sections]
            if listed and sorted(set(listed)) != sorted(set(found)):
                self.issues.add(
                    path,
                    "questions header differs from headings",
                    f"header lists {', '.join(listed)}; headings give {', '.join(found)} (headings used)",
                    WARNED,
                    row=start + 1,
                    respondent_id=rid,
                )
        else:
            whole = "\n".join(lines[body_start:]).strip()
            if len(listed) > 1:
                return reject_file(
                    "several questions, no headings",
                    f"the header lists {', '.join(listed)} but the text has no '## Q<n>' headings "
                    "to say which text answers which question",
                    body_start,
                )
            sections = [(listed[0] if listed else "", body_start, [whole])]
        for qid, line, body in sections:
            self._accept(
                path,
                sheet=None,
                row=line,
                rid=rid,
                qid=qid,
                text="\n".join(body).strip(),
                fields=fields,
                cols={},
            )

    def result(self) -> IngestResult:
        cols = [
            "response_id",
            "respondent_id",
            "organisation",
            "organisation_type",
            "sector",
            "location",
            "question_id",
            "text",
            "synthetic",
            "source_file",
            "source_row",
        ]
        data = pd.DataFrame(self.rows)
        extra = [c for c in data.columns if c not in cols]
        data = pd.DataFrame(self.rows, columns=cols + extra)
        data["synthetic"] = data["synthetic"].astype(bool)
        data["source_row"] = data["source_row"].astype("int64")
        res = IngestResult(
            "call_for_evidence", data, self.issues.frame(), self.n_read, tuple(self.files)
        )
        log.info(res.summary())
        return res


def _as_paths(paths: str | Path | Iterable[str | Path]) -> list[Path]:
    if isinstance(paths, str | Path):
        return [Path(paths)]
    return [Path(p) for p in paths]


def _skip(path: Path) -> bool:
    return (
        path.name.startswith((".", "~$"))
        or path.stem.lower() in _SKIP_NAMES
        or any(part.startswith(".") for part in path.parts[-3:-1])
    )


def read_call_for_evidence(
    paths: str | Path | Iterable[str | Path],
    *,
    questions: pd.DataFrame | str | Path | None = None,
    strict: bool = False,
) -> IngestResult:
    """Read call-for-evidence responses.

    Parameters
    ----------
    paths : CSV/XLSX tables (one row per respondent per question, columns
        ``respondent_id, organisation, organisation_type, sector, location, question_id,
        text``; other columns are carried through), ``.md``/``.txt`` submissions with a
        YAML header (``respondent, organisation, organisation_type, sector, location`` and
        ``question_id``, or ``questions`` with ``## Q3`` headings splitting the text), or
        folders of submissions (read recursively; README files are skipped)
    questions : the valid questions (default :func:`load_questions`)
    strict : raise an :class:`InputError` at the first problem instead of reporting it

    Returns
    -------
    IngestResult with ``data`` columns ``response_id`` (``respondent:question``),
    ``respondent_id, organisation, organisation_type, sector, location, question_id,
    text, synthetic, source_file, source_row`` (+ extra columns of the tables).

    Rows are rejected (and reported) for a blank respondent id, a blank or unknown
    question id, empty text, or a duplicate (same respondent and question: the first is
    kept). An unknown organisation type is kept as ``unknown`` with a warning. A table
    missing a required column is an :class:`InputError`.
    """
    qs = questions if isinstance(questions, pd.DataFrame) else load_questions(questions)
    reader = _CfeReader(qs, strict)
    for p in _as_paths(paths):
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                if f.is_file() and f.suffix.lower() in _TEXT_SUFFIXES and not _skip(f):
                    reader.submission(f)
        elif p.suffix.lower() in _TEXT_SUFFIXES:
            reader.submission(p)
        else:
            for t in _read_tables(p, ["respondent_id"]):
                reader.table(t)
    return reader.result()


# ---- consultation --------------------------------------------------------------------


def _agreement_value(v: Any) -> str | None:
    """The canonical scale label, ``"Don't know"``, ``""`` for blank, or None if invalid."""
    s = clean_text(v).replace("\u2019", "'")
    if not s:
        return ""
    low = " ".join(s.lower().replace("'", "").split())
    for label in AGREEMENT_CATEGORIES:
        if low == label.lower().replace("'", ""):
            return label
    return _AGREEMENT_SYNONYMS.get(low)


def _consultation_tables(tables: Sequence[_Table], pri: pd.DataFrame, strict: bool) -> IngestResult:
    issues = _Issues(strict)
    pids = list(pri["priority_id"])
    required = [*CONSULTATION_COLUMNS, *(p.lower() for p in pids)]
    rows: list[dict[str, Any]] = []
    seen: dict[str, str] = {}
    n_read = 0
    for t in tables:
        _require(t, required, "consultation", {p.lower(): p for p in pids})
        known = {*required, "organisation", "synthetic"}
        for c, raw in zip(t.columns, t.raw_columns, strict=True):
            if re.fullmatch(r"p\d+", c) and c not in known:
                issues.add(
                    t.path,
                    "column ignored",
                    f"{raw!r} looks like a draft priority but is not in consultation.yaml",
                    WARNED,
                    sheet=t.sheet,
                    row=t.header_row,
                    column=t.col(c),
                    header=raw,
                )
        for r, cells in t.body:
            n_read += 1
            f = dict(zip(t.columns, cells, strict=False))
            rid = clean_text(f.get("respondent_id"))
            if not rid:
                issues.add(
                    t.path,
                    "missing respondent id",
                    "the respondent_id is blank",
                    REJECTED,
                    sheet=t.sheet,
                    row=r,
                    column=t.col("respondent_id"),
                    header="respondent_id",
                )
                continue
            where = f"{t.path.name}" + (f" sheet '{t.sheet}'" if t.sheet else "") + f" row {r + 1}"
            if rid in seen:
                issues.add(
                    t.path,
                    "duplicate",
                    f"respondent {rid} already responded ({seen[rid]})",
                    REJECTED,
                    sheet=t.sheet,
                    row=r,
                    column=t.col("respondent_id"),
                    header="respondent_id",
                    respondent_id=rid,
                )
                continue
            seen[rid] = where
            otype = _check_org_type(
                f.get("organisation_type"),
                issues,
                t.path,
                sheet=t.sheet,
                row=r,
                column=t.col("organisation_type"),
                rid=rid,
            )
            rec: dict[str, Any] = {
                "response_id": rid,
                "respondent_id": rid,
                "organisation": clean_text(f.get("organisation")),
                "organisation_type": otype,
            }
            for pid in pids:
                cell = f.get(pid.lower())
                val = _agreement_value(cell)
                if val is None:
                    issues.add(
                        t.path,
                        "bad agreement value",
                        f"{clean_text(cell)!r} is not one of {', '.join(AGREEMENT_CATEGORIES)}; "
                        f"counted as no answer to {pid}",
                        WARNED,
                        sheet=t.sheet,
                        row=r,
                        column=t.col(pid.lower()),
                        header=pid,
                        respondent_id=rid,
                    )
                    val = ""
                rec[pid] = val or None
            rec["comments"] = _text(f.get("comments"))
            rec["synthetic"] = _truthy(f.get("synthetic"))
            rec["source_file"] = str(t.path)
            rec["source_row"] = r + 1
            rows.append(rec)
    cols = [
        "response_id",
        "respondent_id",
        "organisation",
        "organisation_type",
        *pids,
        "comments",
        "synthetic",
        "source_file",
        "source_row",
    ]
    data = pd.DataFrame(rows, columns=cols)
    for pid in pids:
        data[pid] = pd.Categorical(
            data[pid].astype("object"), categories=list(AGREEMENT_CATEGORIES), ordered=False
        )
    data["synthetic"] = data["synthetic"].astype(bool)
    data["source_row"] = data["source_row"].astype("int64")
    res = IngestResult(
        "consultation",
        data,
        issues.frame(),
        n_read,
        tuple(dict.fromkeys(str(t.path) for t in tables)),
    )
    log.info(res.summary())
    return res


def read_consultation(
    paths: str | Path | Iterable[str | Path],
    *,
    priorities: pd.DataFrame | str | Path | None = None,
    strict: bool = False,
) -> IngestResult:
    """Read consultation responses.

    Parameters
    ----------
    paths : CSV/XLSX tables with ``respondent_id, organisation_type``, one column per
        draft priority headed by its id (``P1`` ...) holding ``Strongly agree``, ``Agree``,
        ``Neither agree nor disagree``, ``Disagree``, ``Strongly disagree``, ``Don't know``
        or blank, and ``comments``; optional ``organisation`` and ``synthetic``
    priorities : as :func:`load_priorities` (default: the package's)
    strict : raise at the first problem instead of reporting it

    Returns
    -------
    IngestResult whose ``data`` has one row per respondent: ``response_id`` (= respondent
    id), ``respondent_id, organisation, organisation_type``, a categorical column per
    priority (missing = no answer), ``comments, synthetic, source_file, source_row``.

    A blank respondent id or a repeated one is a rejected row; an agreement value off the
    scale is reported and counted as no answer; a missing column is an
    :class:`InputError`; a ``P<n>`` column not among the priorities is reported and
    ignored.
    """
    pri = _priorities(priorities)
    tables = [t for p in _as_paths(paths) for t in _read_tables(p, ["respondent_id"])]
    return _consultation_tables(tables, pri, strict)


# ---- consideration log ---------------------------------------------------------------


def _parse_date(v: Any) -> date | None | str:
    """A date, None for blank, or the text back when it is not a date."""
    if isinstance(v, datetime):
        return v.date()
    if isinstance(v, date):
        return v
    s = clean_text(v)
    if not s:
        return None
    try:
        return date.fromisoformat(s[:10])
    except ValueError:
        pass
    for fmt in ("%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d %B %Y", "%d %b %Y"):
        try:
            return datetime.strptime(s, fmt).date()
        except ValueError:
            continue
    return s


def read_consideration_log(
    paths: str | Path | Iterable[str | Path],
    *,
    taxonomy: Taxonomy | str | Path | None = None,
    priorities: pd.DataFrame | str | Path | None = None,
    strict: bool = False,
) -> IngestResult:
    """Read the "how each point was considered" log officers fill in.

    Parameters
    ----------
    paths : CSV/XLSX with ``point_id, theme_or_priority`` (a taxonomy theme id or label,
        or a draft priority id), ``point, response, change_made, officer, date``
        (``theme`` or ``priority`` are accepted as the second header)

    Returns
    -------
    IngestResult whose ``data`` has those columns (``theme_or_priority`` normalised to
    the id, ``date`` a date or missing) plus ``source_file, source_row``.

    A blank or repeated point id is a rejected row; an unknown theme or priority, a date
    that is not a date (dd/mm/yyyy or yyyy-mm-dd), or a response with no officer or date
    is a warning.
    """
    tax = _taxonomy(taxonomy)
    pri = _priorities(priorities)
    tables = [t for p in _as_paths(paths) for t in _read_tables(p, ["point_id"])]
    return _log_tables(tables, tax, pri, strict)


def _log_tables(
    tables: Sequence[_Table], tax: Taxonomy, pri: pd.DataFrame, strict: bool
) -> IngestResult:
    issues = _Issues(strict)
    by_key = {t.id.lower(): t.id for t in tax.themes}
    by_key.update({t.label.lower(): t.id for t in tax.themes})
    by_key.update({p.lower(): p for p in pri["priority_id"]})
    rows = []
    seen: dict[str, str] = {}
    n_read = 0
    for t in tables:
        _require(t, LOG_COLUMNS, "consideration log")
        for r, cells in t.body:
            n_read += 1
            f = dict(zip(t.columns, cells, strict=False))
            pid = clean_text(f.get("point_id"))

            def add(
                problem: str,
                detail: str,
                action: str,
                col: str,
                pid: str = pid,
                r: int = r,
                t: _Table = t,
            ) -> None:
                issues.add(
                    t.path,
                    problem,
                    detail,
                    action,
                    sheet=t.sheet,
                    row=r,
                    column=t.col(col),
                    header=col,
                    respondent_id=pid or None,
                )

            if not pid:
                add("missing point id", "the point_id is blank", REJECTED, "point_id")
                continue
            if pid in seen:
                add(
                    "duplicate",
                    f"point {pid} is already in the log ({seen[pid]})",
                    REJECTED,
                    "point_id",
                )
                continue
            seen[pid] = f"{t.path.name} row {r + 1}"
            raw_key = clean_text(f.get("theme_or_priority"))
            key = by_key.get(raw_key.lower())
            if key is None:
                add(
                    "unknown theme or priority",
                    f"{raw_key!r} is not a theme in the taxonomy or a draft priority",
                    WARNED,
                    "theme_or_priority",
                )
                key = raw_key
            when = _parse_date(f.get("date"))
            if isinstance(when, str):
                add(
                    "bad date",
                    f"{when!r} is not a date (use dd/mm/yyyy or yyyy-mm-dd)",
                    WARNED,
                    "date",
                )
                when = None
            response = _text(f.get("response"))
            officer = clean_text(f.get("officer"))
            if response and (not officer or when is None):
                add(
                    "response not signed off",
                    "a response is recorded without an officer and date",
                    WARNED,
                    "officer",
                )
            rows.append(
                {
                    "point_id": pid,
                    "theme_or_priority": key,
                    "point": _text(f.get("point")),
                    "response": response,
                    "change_made": _text(f.get("change_made")),
                    "officer": officer,
                    "date": when,
                    "source_file": str(t.path),
                    "source_row": r + 1,
                }
            )
    data = pd.DataFrame(rows, columns=[*LOG_COLUMNS, "source_file", "source_row"])
    data["source_row"] = data["source_row"].astype("int64")
    res = IngestResult(
        "consideration_log",
        data,
        issues.frame(),
        n_read,
        tuple(dict.fromkeys(str(t.path) for t in tables)),
    )
    log.info(res.summary())
    return res


# ---- a whole folder ------------------------------------------------------------------


def load_evidence(
    folder: str | Path,
    *,
    questions: pd.DataFrame | str | Path | None = None,
    priorities: pd.DataFrame | str | Path | None = None,
    taxonomy: Taxonomy | str | Path | None = None,
    strict: bool = False,
) -> EvidenceBundle:
    """Read every evidence file in a folder (default location: ``data/raw/evidence/``).

    Each CSV/XLSX is recognised by its header: ``point_id`` -> consideration log;
    ``question_id`` -> call-for-evidence responses; ``respondent_id`` with ``comments``
    or a draft-priority column -> consultation responses. ``.md``/``.txt`` files are
    call-for-evidence submissions (README, PROVENANCE, LICENCE and hidden files are
    skipped). Other files are skipped and listed in ``skipped``.

    Returns
    -------
    EvidenceBundle with one :class:`IngestResult` per kind found (None when absent).

    Raises
    ------
    InputError
        when the folder does not exist, or a table is none of the three kinds.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(folder, "evidence folder not found")
    pri = _priorities(priorities)
    pids = {p.lower() for p in pri["priority_id"]}
    cfe_tables: list[_Table] = []
    con_tables: list[_Table] = []
    log_tables: list[_Table] = []
    texts: list[Path] = []
    skipped: list[str] = []
    for f in sorted(folder.rglob("*")):
        if not f.is_file():
            continue
        if _skip(f):
            skipped.append(str(f))
            continue
        suffix = f.suffix.lower()
        if suffix in _TEXT_SUFFIXES:
            texts.append(f)
        elif suffix in _TABLE_SUFFIXES:
            for t in _read_tables(f, ["respondent_id", "point_id"]):
                cols = set(t.columns)
                if "point_id" in cols:
                    log_tables.append(t)
                elif "question_id" in cols:
                    cfe_tables.append(t)
                elif "comments" in cols or cols & pids:
                    con_tables.append(t)
                else:
                    raise InputError(
                        f,
                        "cannot tell what this table is: a call-for-evidence table has "
                        "'question_id', a consultation table 'comments' and the priority columns, "
                        "a consideration log 'point_id'",
                        sheet=t.sheet,
                        row=t.header_row,
                    )
        else:
            skipped.append(str(f))
            log.warning("%s: not read (only .csv, .xlsx, .md and .txt files are evidence)", f)
    cfe = None
    if cfe_tables or texts:
        qs = questions if isinstance(questions, pd.DataFrame) else load_questions(questions)
        reader = _CfeReader(qs, strict)
        for t in cfe_tables:
            reader.table(t)
        for p in texts:
            reader.submission(p)
        cfe = reader.result()
    con = _consultation_tables(con_tables, pri, strict) if con_tables else None
    clog = _log_tables(log_tables, _taxonomy(taxonomy), pri, strict) if log_tables else None
    return EvidenceBundle(cfe, con, clog, tuple(skipped))


__all__ = [
    "AGREEMENT_SCALE",
    "DONT_KNOW",
    "MIXED",
    "NOT_SUPPORTED",
    "NO_DATA",
    "NO_INDICATOR",
    "ORGANISATION_TYPES",
    "SUPPORTED",
    "EvidenceBundle",
    "IngestResult",
    "Match",
    "Taxonomy",
    "Theme",
    "agreement",
    "attribution",
    "code_comments",
    "code_responses",
    "consideration_report",
    "counts_by_foundation",
    "draft_consideration_log",
    "escape",
    "escape_markdown",
    "html_table",
    "load_evidence",
    "load_priorities",
    "load_questions",
    "load_taxonomy",
    "priority_comments",
    "quote_markdown",
    "quotes_table",
    "read_call_for_evidence",
    "read_consideration_log",
    "read_consultation",
    "redact",
    "safe_styler",
    "select_quotes",
    "stems",
    "theme_counts",
    "theme_verdicts",
    "triangulate",
    "truncate_at_sentence",
    "verdict",
    "wilson_interval",
]
