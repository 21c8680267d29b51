# %% [markdown]
# # Emerging priorities
#
# Which Foundations of Productivity most need attention, and which industries are the
# area's best opportunities? Both rankings come from a transparent score with weights
# declared in `lis_analysis/data/weights.yaml`, and each is tested by redrawing the
# weights 1,000 times: a priority that keeps its place is robust to reasonable
# disagreement about what matters most.

# %% tags=["parameters"]
area: str = "E37000021"  # area code: LEP, LSIP, ITL, district or one of your own areas
raw: list[str] = []  # folders of published files; empty = data/raw, or the demonstrator
params_file: str | None = None  # run parameters YAML (years, benchmarks ...); None = defaults
evidence: str | None = None  # call-for-evidence and consultation folder; None = data/raw/evidence

# %% tags=["remove-cell"]
import lis_analysis as lis

pg = lis.page(area, raw=raw, params_file=params_file)

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
# ## Sector opportunities
#
# Each industry is scored on specialisation (location quotient), real growth and
# productivity against the same industry in the UK, each standardised across industries.

# %%
pg.sector_priorities()

# %% [markdown]
# ## Caveats

# %%
pg.caveats()

# %% [markdown]
# ## Provenance

# %%
pg.provenance()
pg.summary()
