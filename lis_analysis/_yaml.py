"""One safe way to read YAML: no aliases, bounded size, depth and node count.

PyYAML's ``safe_load`` builds no objects from tags, but it expands nothing either: an
alias (``*a``) is the same object again, so a 900-byte file of nested aliases (a "billion
laughs") becomes a structure of billions of items as soon as anything walks it (turning
a ``raw:`` list into strings hangs a run; a respondent's header took minutes and failed
with MemoryError). Every YAML the package reads (run parameters, areas files, the indicator
registry and the package's own YAML, respondents' headers) goes through :func:`load`, which
refuses aliases outright (no file this package reads needs them), refuses a document
nested deeper than :data:`MAX_DEPTH` or holding more than :data:`MAX_NODES` values, and
refuses files above :data:`MAX_BYTES` before parsing them.

Errors are :class:`YamlProblem`, a ``yaml.MarkedYAMLError``: code that already catches
``yaml.YAMLError`` and reads ``problem`` and ``problem_mark.line`` keeps working, and
:func:`describe` gives the one-line message (``line 3: ...``) that callers prefix with
the file name. Standard library and PyYAML only.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from ._files import input_path

#: Largest YAML text read (bytes). The package's largest YAML is 27 KB (data/downloads.yaml);
#: parameters and areas files are a few hundred bytes.
MAX_BYTES = 1 << 20
#: Deepest nesting of mappings and lists. The package's YAML nests four levels deep.
MAX_DEPTH = 32
#: Most values (scalars, lists and mappings) in one document. The package's largest YAML
#: (data/downloads.yaml) holds about 2,000.
MAX_NODES = 200_000


class YamlProblem(yaml.MarkedYAMLError):
    """A YAML text this package refuses to read (an alias, too deep, too large, not text).

    ``problem`` says what, ``problem_mark`` (when known) where: ``problem_mark.line`` is
    0-based, as in every PyYAML error.
    """

    def __init__(self, problem: str, mark: Any = None) -> None:  # a PyYAML or libyaml Mark
        super().__init__(problem=problem, problem_mark=mark)


class _Loader(yaml.SafeLoader):
    """SafeLoader that refuses aliases and bounds depth and node count while composing
    (before any Python object is built)."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0
        self._nodes = 0

    def compose_node(self, parent: Any, index: Any) -> Any:  # type: ignore[override]
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise YamlProblem(
                f"YAML aliases (*{event.anchor}) are not allowed: write the value out in full",
                event.start_mark,
            )
        self._nodes += 1
        if self._nodes > MAX_NODES:
            raise YamlProblem(
                f"more than {MAX_NODES:,} values in one document", self.peek_event().start_mark
            )
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise YamlProblem(
                    f"nested more than {MAX_DEPTH} levels deep", self.peek_event().start_mark
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def load(source: str | Path, *, text: str | None = None, fast: bool = False) -> Any:
    """The YAML document in a file, or in ``text`` when given (``source`` then only names it).

    Parameters
    ----------
    source : the file to read (UTF-8), or a label for ``text``
    text : YAML text already read (a respondent's header, say)
    fast : parse with libyaml (PyYAML's C parser) where it is installed, checking the same
        rules on its events before anything is built: about ten times faster. Used for the
        package's own data files read whenever their module loads (the ELS declarations);
        syntax errors are worded by libyaml rather than by PyYAML.

    Returns
    -------
    The document as plain Python values (dicts, lists, str, int, float, bool, None, dates).

    Raises
    ------
    OSError
        when the file cannot be read (callers say so with the file name).
    YamlProblem
        for an alias, nesting deeper than :data:`MAX_DEPTH`, more than :data:`MAX_NODES`
        values, more than :data:`MAX_BYTES`, or a file that is not UTF-8 text.
    yaml.YAMLError
        for YAML that does not parse.

    Examples
    --------
    >>> load("params.yaml", text="area: E37000021\\nyears: [2020, 2021]")
    {'area': 'E37000021', 'years': [2020, 2021]}
    >>> try:
    ...     load("bomb.yaml", text="a: &a [x]\\nb: [*a, *a]")
    ... except YamlProblem as exc:
    ...     print(describe(exc))
    line 2: YAML aliases (*a) are not allowed: write the value out in full
    """
    if text is None:
        # (on a Dask worker, the local copy of a file the run names by the client's path)
        path = input_path(source)
        if path.stat().st_size > MAX_BYTES:
            raise YamlProblem(
                f"the file is {path.stat().st_size:,} bytes, above the limit of {MAX_BYTES:,} "
                "for a YAML file"
            )
        data = path.read_bytes()
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise YamlProblem("not a UTF-8 text file") from None
    elif len(text) > MAX_BYTES:
        raise YamlProblem(f"the text is above the limit of {MAX_BYTES:,} characters for YAML")
    if "\x00" in text:
        raise YamlProblem("not a text file (binary content)")
    if fast and getattr(yaml, "__with_libyaml__", False):
        return _load_with_libyaml(text)
    loader = _Loader(text)
    try:
        return loader.get_single_data()
    except RecursionError:  # a parser path this module's depth limit does not reach
        raise YamlProblem(f"nested more than {MAX_DEPTH} levels deep") from None
    finally:
        loader.dispose()


def _load_with_libyaml(text: str) -> Any:
    """:func:`load`'s rules (no alias, depth and node count bounded) checked on the events of
    libyaml's parser, then the document built by PyYAML's safe constructor on libyaml."""
    depth = nodes = 0
    for event in yaml.parse(text, Loader=yaml.CSafeLoader):
        if isinstance(event, yaml.AliasEvent):
            raise YamlProblem(
                f"YAML aliases (*{event.anchor}) are not allowed: write the value out in full",
                event.start_mark,
            )
        if isinstance(event, (yaml.ScalarEvent, yaml.CollectionStartEvent)):
            nodes += 1
            if nodes > MAX_NODES:
                raise YamlProblem(
                    f"more than {MAX_NODES:,} values in one document", event.start_mark
                )
            if depth + 1 > MAX_DEPTH:  # as the composer counts: this node's own level
                raise YamlProblem(f"nested more than {MAX_DEPTH} levels deep", event.start_mark)
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return yaml.load(text, Loader=yaml.CSafeLoader)  # the safe constructor, on libyaml


def describe(exc: yaml.YAMLError) -> str:
    """A one-line description of a YAML error: ``line 3: YAML aliases (*a) are not
    allowed ...`` (the caller adds the file name)."""
    problem = getattr(exc, "problem", None)
    mark = getattr(exc, "problem_mark", None)
    if not problem:
        problem = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    where = f"line {mark.line + 1}: " if mark is not None else ""
    return f"{where}{problem}"
