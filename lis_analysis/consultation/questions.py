"""What the call for evidence and the consultation asked: the questions, the draft
priorities, and the vocabularies answers are read into (organisation types, the
agreement scale).

The questions and priorities are package data officers can copy and edit
(``lis_analysis/data/call_for_evidence.yaml``, ``consultation.yaml``); a malformed file is
an :class:`~lis_analysis.errors.InputError` naming the file and the entry.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from ..config import PACKAGE_DATA
from ..errors import InputError
from ..sources._base import clean_text, read_text

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


def _load_yaml(path: Path) -> Any:
    """A YAML file's content; malformed YAML is an :class:`InputError` naming file and line."""
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


def _priorities(priorities: pd.DataFrame | str | Path | None) -> pd.DataFrame:
    """The priorities table as given, or loaded from a path (the package's when None)."""
    if isinstance(priorities, pd.DataFrame):
        return priorities
    return load_priorities(priorities)


def _norm_question_id(v: Any) -> str:
    """A question id as written (``q3``, ``3``, ``Question 03``, ``4.0``) as ``Q<n>``; other
    text is returned cleaned, for the reader to reject as unknown."""
    s = clean_text(v).upper().replace(" ", "")
    m = re.fullmatch(r"(?:Q|QUESTION)?0*(\d+)", s)
    return f"Q{m.group(1)}" if m else s


def _ordered_values(s: pd.Series) -> list[str]:
    """The distinct values of a grouping column: organisation types in the standard order,
    then any other value, sorted."""
    vals = [v for v in pd.unique(s.dropna())]
    std = [t for t in (*ORGANISATION_TYPES, UNKNOWN_TYPE) if t in vals]
    return std + sorted(str(v) for v in vals if v not in std)
