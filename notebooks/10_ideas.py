# %% [markdown]
# # Ideas: innovation and research
#
# Does the area generate and use new ideas? This review looks at business and
# public-funded research and development and at the weight of knowledge-intensive
# services in the economy and in its business base, against the UK, England, the region
# and peer areas.

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
    "Is research and development done here, and how much of the economy and of its firms is knowledge-intensive?"
)

# %% [markdown]
# ## Sources

# %%
pg.sources("Ideas")

# %% [markdown]
# ## Findings

# %%
pg.findings("Ideas")

# %% [markdown]
# ## Industry structure
#
# Location quotients compare each industry's share of the area's output with its share
# of the UK's: above 1, the area is specialised in it.

# %%
pg.industry_structure()

# %% [markdown]
# ## Strengths and weaknesses

# %%
pg.strengths_and_weaknesses("Ideas")

# %% [markdown]
# ## Caveats

# %%
pg.caveats()

# %% [markdown]
# ## Provenance

# %%
pg.provenance()
pg.summary("Ideas", headline_indicator="knowledge_intensive_share")
