"""Errors the suite raises on purpose: one line, naming file, sheet, row and column.

Every error a user can cause (bad input file, bad parameter, missing data) is a
:class:`LisError`. The command line prints its message on one line and exits with
``exit_code`` (2 for bad input or parameters), never with a traceback.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

#: Unicode categories never shown raw in a message: control characters (newline, tab,
#: escape), format characters (bidirectional overrides, zero-width spaces) and the line
#: and paragraph separators. A file name or cell holding one could otherwise split the
#: one-line error, or make its second line read like a message from the tool.
_HIDDEN_CATEGORIES = {"Cc", "Cf", "Zl", "Zp"}


def printable(text: object) -> str:
    """``text`` with every control, format or line-separator character escaped
    (``\\n``, ``\\x1b``, ``\\u202e``), so that it prints as one unambiguous line.

    Examples
    --------
    >>> printable("pop\\nulation.csv")
    'pop\\\\nulation.csv'
    """
    s = str(text)
    if s.isprintable():  # the common case: nothing to escape (fast)
        return s
    out = []
    for ch in s:
        if ch == " " or unicodedata.category(ch) not in _HIDDEN_CATEGORIES:
            out.append(ch)
        else:
            out.append(ch.encode("unicode_escape").decode("ascii"))
    return "".join(out)


def column_letter(index: int) -> str:
    """Spreadsheet column letter for a 0-based column index (0 -> 'A', 27 -> 'AB')."""
    if index < 0:
        raise ValueError("column index must be >= 0")
    letters = ""
    n = index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


class LisError(Exception):
    """An error the user can act on; printed as one line, exit code 2."""

    exit_code = 2

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:  # pragma: no cover - trivial
        return self.message


class ConfigError(LisError):
    """A run parameter or area definition is invalid."""


class InputError(LisError):
    """A published (or demonstrator) input file is unreadable or malformed.

    Parameters
    ----------
    file : path of the offending file
    problem : what is wrong, in words
    sheet : worksheet name, when the file is a workbook
    row : 0-based row index as read; printed 1-based, as a spreadsheet or editor shows it
    column : 0-based column index; printed as a letter (workbooks) or number (CSV)
    header : the column's header text, when known
    """

    def __init__(
        self,
        file: str | Path,
        problem: str,
        *,
        sheet: str | None = None,
        row: int | None = None,
        column: int | None = None,
        header: str | None = None,
    ) -> None:
        self.file = str(file)
        self.problem = problem
        self.sheet = sheet
        self.row = row
        self.column = column
        self.header = header
        super().__init__(self._format())

    def _format(self) -> str:
        # Every part may come from the file (its name, a sheet name, a header cell):
        # escaped so that the message stays on one line (see :func:`printable`).
        where = [printable(self.file)]
        if self.sheet is not None:
            where.append(f"sheet '{printable(self.sheet)}'")
        if self.row is not None:
            where.append(f"row {self.row + 1}")
        if self.column is not None:
            is_book = self.sheet is not None
            col = column_letter(self.column) if is_book else str(self.column + 1)
            label = f"column {col}"
            if self.header:
                label += f" ('{printable(self.header)}')"
            where.append(label)
        elif self.header:
            where.append(f"column '{printable(self.header)}'")
        return ", ".join(where) + f": {printable(self.problem)}"


class DataNotAvailable(LisError):
    """The data needed for an area, indicator or year is not in the store."""


class NotAggregable(LisError):
    """A measure cannot be aggregated to a custom area (a median or a published index)."""


class NetworkError(LisError):
    """A download failed (no network, or the publisher refused)."""
