# %% [markdown]
# # Consultation feedback
#
# How far did respondents agree with the draft priorities, what did their comments say,
# and how has each point been considered? A public body must show that it considered the
# consultation before finalising the strategy; the log at the end shows which points
# still need a response.

# %% tags=["parameters"]
area: str = "E37000021"  # area code: LEP, LSIP, ITL, district or one of your own areas
raw: list[str] = []  # folders of published files; empty = data/raw, or the demonstrator
params_file: str | None = None  # run parameters YAML (years, benchmarks ...); None = defaults
evidence: str | None = None  # call-for-evidence and consultation folder; None = data/raw/evidence

# %% tags=["remove-cell"]
import lis_analysis as lis

pg = lis.page(area, raw=raw, params_file=params_file, evidence=evidence)

# %% [markdown]
# ## The question

# %%
pg.header(
    "Do respondents support the draft priorities, and has every point they raised been considered?"
)

# %% [markdown]
# ## Agreement, comments and how they were considered

# %%
pg.consultation()

# %% [markdown]
# ## Caveats

# %%
pg.caveats()

# %% [markdown]
# ## Provenance

# %%
pg.provenance()
pg.summary()
