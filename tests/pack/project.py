"""A small project for the pack's tests, in the published formats.

``make_project(root)`` writes, under ``root`` (``Paths.under``): two hand-made Explore
Local Statistics CSV files with their JSON metadata, as ELS publishes them (two
datasets), a three-notebook ``pack.yaml`` and tiny py:percent notebooks.
"""

from __future__ import annotations

import json
from pathlib import Path

from lis_analysis.config import Paths, RunParams
from lis_analysis.pack.run import RunSummary, run
from tests.helpers import write_text

HEAD = (
    "areacd,areanm,geography,indicator,period,observation,measure,unit,lci_95,uci_95,status,notes\n"
)


def els_row(code, name, indicator, period, value, lci="", uci=""):
    geo = "County or Unitary Authority" if code.startswith("E06") else "Local Authority District"
    return f"{code},{name},{geo},{indicator},{period},{value},Percentage,%,{lci},{uci},,\n"


def els_meta(label, date):
    return json.dumps(
        {
            "ess-beta-metadata": {
                "shared": {"sourceDate": date, "sourceOrg": "Office for National Statistics"},
                label: {"label": label},
            }
        }
    )


def write_raw(folder: Path, *, leicester_rate: str = "65.1") -> None:
    """employment-rate.csv (els_employment_rate) and gigabit-capable-broadband.csv
    (els_gigabit_capable_broadband), as Explore Local Statistics publishes them."""
    write_text(
        folder / "employment-rate.csv",
        HEAD
        + els_row(
            "E06000016",
            "Leicester",
            "Employment rate",
            "2023-01-01/P1Y",
            leicester_rate,
            "61.0",
            "69.2",
        )
        + els_row(
            "E07000129", "Blaby", "Employment rate", "2023-01-01/P1Y", "78.0", "74.0", "82.0"
        ),
        bom=True,
        crlf=True,
    )
    write_text(folder / "employment-rate.json", els_meta("Employment rate", "16/04/2024"))
    write_text(
        folder / "gigabit-capable-broadband.csv",
        HEAD
        + els_row("E06000016", "Leicester", "Gigabit capable broadband", "2026-01", "91.2")
        + els_row("E07000129", "Blaby", "Gigabit capable broadband", "2026-01", "80.5"),
    )
    write_text(
        folder / "gigabit-capable-broadband.json",
        els_meta("Gigabit capable broadband", "01/02/2026"),
    )


PARAMS_CELL = """# %% tags=["parameters"]
area: str = "E37000021"  # area code
raw: list[str] = []  # raw folders
params_file: str | None = None  # run parameters YAML
evidence: str | None = None  # evidence folder
neighbour_characteristics: list[str] = []  # indicator ids
"""


def notebook_source(title: str, body: str = "", *, strengths=(), weaknesses=()) -> str:
    return f'''# %% [markdown]
# # {title}

{PARAMS_CELL}
# %%
import sys

import lis_analysis as lis

print("AREA", area)
print("RAW", raw)
print("PYTHON", sys.executable)
print("RUN", lis.notebook.provenance()["run_id"])
{body}
# %%
lis.notebook.summary(
    headline="{title}: headline from the numbers.",
    strengths={list(strengths)!r},
    weaknesses={list(weaknesses)!r},
)
'''


PACK = """title: Test evidence
notebooks:
  - name: a_jobs
    title: Jobs
    description: Employment.
    datasets: [els_employment_rate]
  - name: b_broadband
    title: Broadband
    description: Gigabit coverage.
    datasets: [els_gigabit_capable_broadband]
  - name: c_all
    title: Sources
    description: Everything.
    datasets: ["*"]
    evidence: true
"""


def make_project(root: Path) -> Paths:
    p = Paths.under(root)
    write_raw(p.raw)
    p.notebooks.mkdir(parents=True)
    (p.notebooks / "pack.yaml").write_text(PACK, encoding="utf-8")
    (p.notebooks / "a_jobs.py").write_text(
        notebook_source("Jobs", strengths=["Employment is high."], weaknesses=["Pay is low."]),
        encoding="utf-8",
    )
    (p.notebooks / "b_broadband.py").write_text(notebook_source("Broadband"), encoding="utf-8")
    (p.notebooks / "c_all.py").write_text(
        notebook_source(
            "Sources",
            "import matplotlib.pyplot as plt\nplt.plot([1, 2, 3])\nplt.title('a chart')\n",
        ),
        encoding="utf-8",
    )
    return p


def run_pack(p: Paths, executor=None, **kw) -> RunSummary:
    """``lis run`` on the project at ``p`` (no progress bars; ``RunParams()`` unless
    ``params=`` is given)."""
    kw.setdefault("progress", False)
    return run(kw.pop("params", RunParams()), paths=p, executor=executor, **kw)


def statuses(summary: RunSummary) -> dict[str, str]:
    return {n.name: n.status for n in summary.notebooks}


def executed(p: Paths, name: str, area: str = "E37000021") -> dict:
    return json.loads(
        (p.reports / "_executed" / area / f"{name}.ipynb").read_text(encoding="utf-8")
    )


def stream_text(nb: dict) -> str:
    return "".join(
        "".join(o.get("text", ""))
        for c in nb["cells"]
        for o in c.get("outputs", [])
        if o.get("output_type") == "stream"
    )
