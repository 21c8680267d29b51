"""Call-for-evidence and consultation responses: read, code to foundations, set beside the data.

What respondents said is read from the files officers keep (CSV or XLSX tables, and
plain-text or Markdown submissions with a YAML header), coded to Foundations of
Productivity, Grand Challenges and themes by a taxonomy officers can edit
(``lis_analysis/data/taxonomy.yaml``), and set beside the indicator table: claim ->
indicator -> verdict. Consultation responses give agreement with each draft priority
(Wilson intervals, net agreement), the themes of the comments, and a log of how each
point was considered.

One module per concern:

- :mod:`.questions`: the questions, the draft priorities, organisation types and the
  agreement scale;
- :mod:`.taxonomy`: the coding taxonomy and the matcher that codes one text;
- :mod:`.readers`: the file readers (:func:`load_evidence` reads a whole folder); they
  never drop a row silently: every reader returns an :class:`IngestResult` with the rows
  kept and one line per problem, naming file, sheet, row and column;
- :mod:`.coding`: responses coded to themes, counted by foundation and theme;
- :mod:`.quotes`: representative quotes, by a stated rule;
- :mod:`.triangulation`: claim -> indicator -> verdict;
- :mod:`.agreement`: agreement statistics, comment themes, the consideration log.

Respondent text that reaches a page is redacted and escaped by
:mod:`lis_analysis.safetext` (``redact``, ``escape``, ``quote_markdown``) and shown in
tables by :func:`lis_analysis.pages.tables.table` and
:func:`~lis_analysis.pages.tables.quotes_table`, never by raw ``to_html`` or
``Markdown(text)``. ``docs/evidence.md`` states the coding, quote, triangulation and
consideration rules in words.
"""

from __future__ import annotations

from .agreement import (
    SMALL_BASE,
    agreement,
    code_comments,
    consideration_report,
    draft_consideration_log,
    priority_comments,
)
from .coding import CODE_COLUMNS, code_responses, counts_by_foundation, theme_counts
from .questions import (
    AGREEMENT_CATEGORIES,
    AGREEMENT_SCALE,
    DONT_KNOW,
    ORGANISATION_TYPE_LABELS,
    ORGANISATION_TYPES,
    UNKNOWN_TYPE,
    load_priorities,
    load_questions,
)
from .quotes import attribution, select_quotes
from .readers import (
    CFE_COLUMNS,
    CONSULTATION_COLUMNS,
    LOG_COLUMNS,
    EvidenceBundle,
    IngestResult,
    load_evidence,
    read_call_for_evidence,
    read_consideration_log,
    read_consultation,
)
from .taxonomy import Match, Taxonomy, Theme, load_taxonomy, stems
from .triangulation import (
    MIXED,
    NO_DATA,
    NO_INDICATOR,
    NOT_SUPPORTED,
    SUPPORTED,
    theme_verdicts,
    triangulate,
    verdict,
)

__all__ = [
    "AGREEMENT_CATEGORIES",
    "AGREEMENT_SCALE",
    "CFE_COLUMNS",
    "CODE_COLUMNS",
    "CONSULTATION_COLUMNS",
    "DONT_KNOW",
    "LOG_COLUMNS",
    "MIXED",
    "NOT_SUPPORTED",
    "NO_DATA",
    "NO_INDICATOR",
    "ORGANISATION_TYPES",
    "ORGANISATION_TYPE_LABELS",
    "SMALL_BASE",
    "SUPPORTED",
    "UNKNOWN_TYPE",
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
    "load_evidence",
    "load_priorities",
    "load_questions",
    "load_taxonomy",
    "priority_comments",
    "read_call_for_evidence",
    "read_consideration_log",
    "read_consultation",
    "select_quotes",
    "stems",
    "theme_counts",
    "theme_verdicts",
    "triangulate",
    "verdict",
]
