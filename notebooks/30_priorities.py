# %% [markdown]
# # Emerging priorities
#
# Which Foundations of Productivity most need attention, and which industries are the
# area's strengths? Every indicator is read against the nation by one rule (thresholds in
# `lis_analysis/data/readings.yaml`); the foundations are ranked by their weaknesses, and
# the ranking is tested by moving the thresholds, leaving each indicator out and redrawing
# the weights (`lis_analysis/data/weights.yaml`): a priority that keeps its place is
# robust to reasonable disagreement about what matters most.

# %% tags=["parameters"]
area: str = "E37000021"  # area code: LEP, LSIP, ITL, district or one of your own areas
raw: list[str] = []  # folders of published files; empty = data/raw, or the demonstrator
params_file: str | None = None  # run parameters YAML (years, benchmarks ...); None = defaults
evidence: str | None = None  # call-for-evidence and consultation folder; None = data/raw/evidence
areas_file: str | None = None  # your own areas YAML (docs/areas.md); None = none

# %% tags=["remove-cell"]
import lis_analysis as lis

pg = lis.page(area, raw=raw, params_file=params_file, areas_file=areas_file)

# %% [markdown]
# ## The question

# %%
pg.header(
    "Where should the strategy focus: which foundations are weakest, and which sectors are the best opportunities?"
)

# %% [markdown]
# ## Strengths and weaknesses across all foundations

# %%
pg.strengths_and_weaknesses()

# %% [markdown]
# ## Foundations by need

# %%
pg.foundation_priorities()

# %% [markdown]
# ## Sector specialisms
#
# Industries at the finest level the GVA tables publish for districts (2-digit groups
# where ONS publishes them), against the nation: location quotient, share of the area's
# GVA, real growth against the same industry nationally, and where in the area each
# specialism sits.

# %%
pg.sector_specialisms()

# %% [markdown]
# ## Sector opportunities
#
# Each industry is scored on specialisation, real growth and productivity against the same
# industry nationally, each pulled toward the national figure for small industries and
# standardised across industries.

# %%
pg.sector_priorities()

# %% [markdown]
# ## Sector strengths for a Local Growth Plan
#
# The Industrial Strategy's eight growth-driving sectors (IS-8) and its foundational
# industries, from the SIC 2007 codes that define them, measured from the industry
# groups published for the area's districts. Sectors overlap, so they are never summed;
# sectors SIC cannot measure are said to be so.

# %%
pg.is8_sectors()

# %% [markdown]
# ## Caveats

# %%
pg.caveats()

# %% [markdown]
# ## Provenance

# %%
pg.provenance()
pg.summary()
