"""The coding taxonomy: themes under the Foundations of Productivity and the Grand
Challenges, their terms and phrases, and the matcher that codes one text.

The taxonomy is package data officers can copy and edit (``lis_analysis/data/taxonomy.yaml``);
:func:`load_taxonomy` checks it and names the theme and problem when something is wrong.
Words are compared by their Snowball English stems (``docs/evidence.md``, "How coding
works").
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd
import snowballstemmer

from ..errors import InputError, LisError
from .questions import TAXONOMY_FILE, _load_yaml

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
    """The taxonomy as given, loaded from a path, or the package's (read once)."""
    if isinstance(taxonomy, Taxonomy):
        return taxonomy
    return _default_taxonomy() if taxonomy is None else load_taxonomy(taxonomy)
