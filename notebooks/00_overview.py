# %% [markdown]
# # Productivity overview
#
# How productive is the area, how large is its gap with the UK, what lies behind the gap
# (productivity itself, hours, jobs per resident, employment, the age of the population,
# the industry mix) and is the gap closing?

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
pg.header("How productive is the area compared with the UK, why, and is the gap closing?")

# %% [markdown]
# ## Sources

# %%
pg.sources("Productivity")

# %% [markdown]
# ## The headline gap

# %%
pg.finding("gva_per_hour")
pg.productivity_gap()

# %% [markdown]
# ## What lies behind the gap in GVA per head
#
# GVA per head is the product of five ratios: productivity (GVA per hour), hours per
# job, filled jobs per employed resident aged 16-64 (net commuting, second jobs and
# workers outside 16-64: the nation's own ratio is above 1), the employment rate and the
# working-age share of the population. Each is compared with the benchmark; their logs
# add up to the gap.

# %%
pg.gva_per_head_decomposition()

# %% [markdown]
# ## Industry mix or productivity within industries?

# %%
pg.sector_productivity()

# %% [markdown]
# ## Is the gap closing?

# %%
pg.trend_and_convergence("gva_per_hour")

# %% [markdown]
# ## Other headline indicators

# %%
pg.findings("Productivity", exclude=["gva_per_hour", "gva_per_hour_index"])

# %% [markdown]
# ## Strengths and weaknesses

# %%
pg.strengths_and_weaknesses("Productivity")

# %% [markdown]
# ## Caveats

# %%
pg.caveats()

# %% [markdown]
# ## Provenance

# %%
pg.provenance()
pg.summary("Productivity", headline_indicator="gva_per_hour")
