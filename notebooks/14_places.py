# %% [markdown]
# # Places
#
# Is growth shared across the area, and is it a good place to live? This review looks at
# household income, child poverty, deprivation, wellbeing, cultural life, greenhouse gas
# emissions, population and the differences in productivity and output per head between
# the area's districts.

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
pg.header("Do all the area's places share in its prosperity, or are some left behind?")

# %% [markdown]
# ## Sources

# %%
pg.sources("Places")

# %% [markdown]
# ## Findings

# %%
pg.findings("Places")

# %% [markdown]
# ## The districts side by side

# %%
pg.district_profile(
    [
        "gva_per_hour",
        "gva_per_head",
        "employment_rate",
        "median_pay_residence",
        "imd_score",
        "population",
    ]
)

# %% [markdown]
# ## Strengths and weaknesses

# %%
pg.strengths_and_weaknesses("Places")

# %% [markdown]
# ## Caveats

# %%
pg.caveats()

# %% [markdown]
# ## Provenance

# %%
pg.provenance()
pg.summary("Places", headline_indicator="productivity_spread")
