"""What an evidence notebook calls to talk to ``lis run``: its summary, its provenance.

A notebook reports its headline finding and its strengths and weaknesses with
:func:`summary`; the pipeline (``lis run``) reads it from the executed notebook and puts
it on the pack's index page. :func:`provenance` returns the record of the run that is
executing the notebook (run id, time, git commit, package version, parameters, input
checksums). (The demonstrator warning in JupyterLab is shown by opening the page,
``lis.page``.)

The protocol, for anyone reading executed notebooks:

- :func:`summary` displays one output whose data holds ``SUMMARY_MIME``
  (``application/vnd.lis.summary+json``) with ``{"headline": str, "strengths": [str],
  "weaknesses": [str], "neutral": [str]}`` and an empty ``text/plain``, so nothing shows
  in JupyterLab or in the exported pages. The last such output in the notebook wins.
- The pipeline runs each kernel with ``LIS_RUN_RECORD`` (path of the run record JSON),
  ``LIS_NOTEBOOK`` (the notebook's name), ``LIS_AREA`` (the area code) and ``LIS_HOME``
  (the project root) in its environment; outside the pipeline they are absent and
  :func:`provenance` describes an interactive session.

This module runs in the notebook's kernel: it imports only the standard library, the
bottom-layer file utilities (:mod:`lis_analysis._files`) and IPython when displaying, never
the orchestrator (:mod:`lis_analysis.pack`).
"""

from __future__ import annotations

import datetime as _dt
import json
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from .errors import ConfigError

SUMMARY_MIME = "application/vnd.lis.summary+json"
ENV_RUN_RECORD = "LIS_RUN_RECORD"
ENV_NOTEBOOK = "LIS_NOTEBOOK"
ENV_AREA = "LIS_AREA"

_KINDS = ("strengths", "weaknesses", "neutral")


def _texts(name: str, values: Iterable[str] | str | None) -> list[str]:
    if values is None:
        return []
    if isinstance(values, str):
        values = [values]
    out = []
    for v in values:
        if not isinstance(v, str) or not v.strip():
            raise ConfigError(
                f"summary(): every item of '{name}' must be a non-empty sentence, got {v!r}"
            )
        out.append(" ".join(v.split()))
    return out


def summary(
    headline: str,
    strengths: Iterable[str] | str | None = (),
    weaknesses: Iterable[str] | str | None = (),
    neutral: Iterable[str] | str | None = (),
) -> None:
    """Report this notebook's headline finding and its strengths and weaknesses.

    Call it once, near the end of the notebook, with sentences generated from the
    numbers. It shows nothing; the pipeline puts it on the pack's index page (headline,
    then strengths, weaknesses and neutral findings, each labelled in words and colour).

    Parameters
    ----------
    headline : one sentence, e.g. "GVA per hour worked was £35.10 in 2022, 12% below the UK."
    strengths, weaknesses, neutral : sentences (or one sentence) for each kind of finding

    Raises
    ------
    ConfigError
        when the headline is empty or an item is not a non-empty string.
    """
    if not isinstance(headline, str) or not headline.strip():
        raise ConfigError(f"summary(): the headline must be a non-empty sentence, got {headline!r}")
    payload = {
        "headline": " ".join(headline.split()),
        "strengths": _texts("strengths", strengths),
        "weaknesses": _texts("weaknesses", weaknesses),
        "neutral": _texts("neutral", neutral),
    }
    from IPython.display import display

    display({SUMMARY_MIME: payload, "text/plain": ""}, raw=True)


def read_summary(nb: Mapping[str, Any]) -> dict[str, Any] | None:
    """The summary an executed notebook reported (the last one), or None."""
    found = None
    for cell in nb.get("cells", []):
        for out in cell.get("outputs", []) or []:
            data = out.get("data") or {}
            if SUMMARY_MIME in data:
                found = data[SUMMARY_MIME]
    if not isinstance(found, Mapping):
        return None
    return {
        "headline": str(found.get("headline") or ""),
        **{k: [str(x) for x in (found.get(k) or [])] for k in _KINDS},
    }


def provenance() -> dict[str, Any]:
    """The record of the run executing this notebook, for its provenance footer.

    Returns
    -------
    dict
        ``run_id``, ``generated`` (ISO time), ``git_commit``, ``package_version``,
        ``parameters`` (this notebook's), ``inputs`` (``name``, ``sha256``, ``release`` of
        the files this notebook reads), ``notebook``, ``area`` and ``interactive`` (False
        under ``lis run``; True in JupyterLab, where ``run_id`` is None and the inputs
        are not known).
    """
    from . import __version__

    path = os.environ.get(ENV_RUN_RECORD)
    name = os.environ.get(ENV_NOTEBOOK)
    area = os.environ.get(ENV_AREA)
    if path and Path(path).exists():
        record = json.loads(Path(path).read_text(encoding="utf-8"))
        nb = (record.get("notebooks") or {}).get(f"{area}/{name}", {})
        return {
            "run_id": record.get("run_id"),
            "generated": record.get("started"),
            "git_commit": record.get("git_commit"),
            "package_version": record.get("package_version"),
            "parameters": nb.get("parameters", {}),
            "inputs": nb.get("inputs", []),
            "notebook": name,
            "area": area,
            "demo": bool(record.get("demo")),
            "interactive": False,
        }
    from ._files import git_commit

    return {
        "run_id": None,
        "generated": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
        "git_commit": git_commit(),
        "package_version": __version__,
        "parameters": {},
        "inputs": [],
        "notebook": name,
        "area": area,
        "demo": None,
        "interactive": True,
    }


__all__ = ["SUMMARY_MIME", "summary", "read_summary", "provenance"]
