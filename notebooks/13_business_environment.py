# %% [markdown]
# # Business environment
#
# Is the area a good place to start and grow a business? This review covers business
# births, deaths and survival, high-growth firms, business density, the size of firms by
# employment and turnover, exports, inward investment and the industry mix, and splits the area's growth into national, industry-mix and local
# effects (shift-share).

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
    "Are businesses started, surviving and growing here, and does the industry mix help or hold the area back?"
)

# %% [markdown]
# ## Sources

# %%
pg.sources("Business Environment")

# %% [markdown]
# ## Findings

# %%
pg.findings("Business Environment")

# %% [markdown]
# ## Industry mix and growth
#
# Shift-share splits the change in real output into what the area would have had growing
# at the UK's rate, what its industry mix added, and what is left: the area's own
# (competitive) performance.

# %%
pg.industry_structure()
pg.shift_share(years=10)

# %% [markdown]
# ## Strengths and weaknesses

# %%
pg.strengths_and_weaknesses("Business Environment")

# %% [markdown]
# ## Caveats

# %%
pg.caveats()

# %% [markdown]
# ## Provenance

# %%
pg.provenance()
pg.summary("Business Environment", headline_indicator="business_birth_rate")
