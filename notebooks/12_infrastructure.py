# %% [markdown]
# # Infrastructure: connectivity, transport, energy and housing
#
# Do the area's digital connections, transport, energy and housing support growth? This
# review compares broadband and mobile coverage, journey times to jobs, access to rail,
# road traffic, public EV chargers, domestic electricity use, housing supply, first-time
# buyers and the affordability of housing with the UK, England, the region and peer areas.

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
    "Are homes and businesses well connected, can people reach the jobs, and are enough homes built that people can afford?"
)

# %% [markdown]
# ## Sources

# %%
pg.sources("Infrastructure")

# %% [markdown]
# ## Findings
#
# Coverage shares and affordability ratios cannot be built for an area from its
# districts without premises counts or the underlying prices and earnings; where the
# publisher does not print the area's own figure, the figures of its published parts
# (for Leicester and Leicestershire: Leicester and Leicestershire county) are shown,
# with the range of its districts.

# %%
pg.findings("Infrastructure")

# %% [markdown]
# ## Strengths and weaknesses

# %%
pg.strengths_and_weaknesses("Infrastructure")

# %% [markdown]
# ## Caveats

# %%
pg.caveats()

# %% [markdown]
# ## Provenance

# %%
pg.provenance()
pg.summary("Infrastructure", headline_indicator="gigabit_coverage")
