# %% [markdown]
# # Call for evidence
#
# What did businesses, public bodies, the voluntary sector, education providers and
# residents tell us? The call for evidence (December 2018 to February 2019) asked ten
# questions on the five Foundations of Productivity and the four Grand Challenges. This
# review codes every response to those themes, shows representative quotes, and checks
# each claim against the data.

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
pg.header("What did respondents say about the area's economy, and does the data bear it out?")

# %% [markdown]
# ## What respondents said, and what the data says
#
# Responses are coded by a taxonomy officers can edit (`lis_analysis/data/taxonomy.yaml`).
# Every quote is shown as text, with email addresses, phone numbers and postcodes
# removed. A claim is *supported by the data* when the indicators it names are weaknesses
# (for a problem raised) or strengths (for a strength claimed).

# %%
pg.call_for_evidence()

# %% [markdown]
# ## Caveats

# %%
pg.caveats()

# %% [markdown]
# ## Provenance

# %%
pg.provenance()
pg.summary()
