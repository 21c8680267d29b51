# %% [markdown]
# # People: skills, jobs, pay and health
#
# Are enough of the area's residents in work, and do they have the skills, pay and
# health that a more productive economy needs? This review compares the area with the
# UK, England, its region and its peer areas on employment and unemployment,
# qualifications, apprenticeships and adult learning, school and early-years attainment,
# pay, healthy life expectancy and the working-age population.

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
    "Are residents in work, skilled, healthy and well paid, and are young people and adults gaining skills?"
)

# %% [markdown]
# ## Sources

# %%
pg.sources("People")

# %% [markdown]
# ## Findings
#
# For each indicator: a sentence written from the numbers, the area against its
# benchmarks, the trend where there is one, and a table with the method behind the figure.

# %%
pg.findings("People")

# %% [markdown]
# ## Strengths and weaknesses

# %%
pg.strengths_and_weaknesses("People")

# %% [markdown]
# ## Caveats

# %%
pg.caveats()

# %% [markdown]
# ## Provenance

# %%
pg.provenance()
pg.summary("People", headline_indicator="employment_rate")
