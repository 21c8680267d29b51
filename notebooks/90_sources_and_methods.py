# %% [markdown]
# # Sources and methods
#
# Where every number in this pack came from, how each indicator is built, and the
# assumptions behind them.

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
pg.header("Which published files, indicators, methods and assumptions stand behind this pack?")

# %% [markdown]
# ## Published files
#
# Every file read, as published: publisher, table, release and the number of figures
# read from it. The checksums are under Provenance.

# %%
pg.sources()

# %% [markdown]
# ## Indicators

# %%
pg.registry_table()

# %% [markdown]
# ## Markers
#
# Publishers mark figures that are suppressed, unreliable or not applicable. The suite
# keeps each marker beside a missing value and never turns it into a zero.

# %%
pg.markers()

# %% [markdown]
# ## Methods
#
# Benchmarking (index and gap), location quotients, shift-share (classic and
# Esteban-Marquillas), Krugman specialisation, the productivity gap decomposition into
# industry mix, within-industry and interaction terms, the industry-mix-adjusted index,
# compound growth, trend slopes with Newey-West intervals, β- and σ-convergence, survey
# confidence intervals and significance tests, robust z-scores among peers and the
# strength/weakness rule. Formulas, sources and edge cases are in `docs/methods.md`; the
# priority scoring is in `docs/priorities.md`.

# %% [markdown]
# ## Caveats
#
# The assumptions and caveats log (`lis_analysis/data/caveats.yaml`, also in
# `docs/assumptions.md`): each entry is written once, and the indicators and analyses cite
# it by number; every page prints the entries of what it shows.

# %%
pg.caveats_log()

# %% [markdown]
# ## Provenance

# %%
pg.provenance()
pg.summary(headline_indicator="gva_per_hour")
