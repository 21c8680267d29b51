# %% [markdown]
# # Emerging priorities
#
# Strengths and weaknesses across the foundations, scored into emerging priorities, with their sensitivity to the weights.
#
# *Placeholder: the evidence review for this page is being written. It runs through the
# pipeline (`lis run`) so that the pack, its index and its provenance can be built.*

# %% tags=["parameters"]
area: str = "E37000021"  # area code: LEP, LSIP, ITL, district or one of your own areas
raw: list[str] = []  # folders of published files; empty = data/raw, or the demonstrator
params_file: str | None = None  # run parameters YAML (years, benchmarks ...); None = defaults
evidence: str | None = None  # call-for-evidence and consultation folder; None = data/raw/evidence

# %%
import lis_analysis as lis

ws = lis.use(raw or None)
inputs = ws.manifest().get("files", [])
print(f"Area {area}: {len(inputs)} input files; demonstrator data: {ws.demo}")
print(f"Evidence folder: {evidence}")

# %%
lis.notebook.summary(
    headline="Emerging priorities: placeholder page; the findings will appear here.",
    neutral=["This page has not been written yet."],
)
