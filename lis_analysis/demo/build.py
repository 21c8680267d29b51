"""Turn the synthetic world into tidy observations per published dataset, and write them."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..sources._base import tidy
from .world import UKX, World, world


def productivity_obs(w: World) -> pd.DataFrame:
    """The district productivity workbook: £ per hour/job, indices (UK=100), hours, jobs."""
    lab = w.labour.merge(w.districts[["code", "name"]], on="code")
    uk = lab.groupby("year")[["gva_current", "hours_weekly", "jobs"]].sum().reset_index()
    uk["gva_per_hour"] = uk["gva_current"] * 1e6 / (uk["hours_weekly"] * 52)
    uk["gva_per_job"] = uk["gva_current"] * 1e6 / uk["jobs"]
    uk["code"], uk["name"] = UKX
    both = pd.concat([uk, lab], ignore_index=True)
    ukv = uk.set_index("year")
    both["gva_per_hour_index"] = both["gva_per_hour"] / both["year"].map(ukv["gva_per_hour"]) * 100
    both["gva_per_job_index"] = both["gva_per_job"] / both["year"].map(ukv["gva_per_job"]) * 100
    parts = []
    for m, dec in [
        ("gva_per_hour", 1),
        ("gva_per_hour_index", 1),
        ("gva_per_job", 0),
        ("gva_per_job_index", 1),
        ("hours_weekly", 0),
        ("jobs", 0),
    ]:
        parts.append(
            tidy(
                measure=m,
                geography_code=both["code"].to_numpy(),
                geography_name=both["name"].to_numpy(),
                year=both["year"].to_numpy(),
                period=both["year"].astype(str).to_numpy(),
                value=np.round(both[m].to_numpy(dtype=float), dec),
            )
        )
    return pd.concat(parts, ignore_index=True)


def build_all(out: Path) -> list[Path]:
    """Write every demonstrator file into ``out``; returns the paths written."""
    from .fmt_productivity import write_productivity_lad

    w = world()
    files = [
        write_productivity_lad(productivity_obs(w), out / "productivity" / "labourproductivitylocalauthorities-demo.xlsx"),
    ]
    return files
