"""Hostile call-for-evidence and consultation files: respondents' submissions and officers' tables.

A response file is expected to have bad rows: the readers reject or flag them with a reason
and go on. What must never happen: a respondent's header that takes minutes and all the
memory (an alias bomb), a file so large that reading it exhausts memory, a crash on a
binary "submission", or a message, a table note or a page that repeats a respondent's
e-mail address, phone number or postcode. Each case puts one hostile file beside valid
ones and checks the reason (naming file, row and column), that the valid responses are
still read, that no personal data survives in the readers' output or messages, and that
the files are byte-identical afterwards. The last tests run ``lis run`` as a user would:
an oversized table is refused before any notebook starts (exit 2, one line), and the real
call-for-evidence and consultation pages built on a hostile folder show no personal data.
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest

from lis_analysis import consultation
from lis_analysis.errors import InputError
from tests.helpers import write_text, write_workbook
from tests.hostile.helpers import MB, lis, one_line_error, snapshot
from tests.pack.project import make_project

CFE_HEAD = "respondent_id,organisation,organisation_type,sector,location,question_id,text\n"
GOOD_ROW = "R01,Demo Ltd (fixture),private,Retail,Leicester,Q4,Roads are congested.\n"

#: A few hundred bytes that expand to 9**9 strings when anything walks them.
ALIAS_BOMB = "".join(
    f"{k}: &{k} [{', '.join([f'*{p}'] * 9) if p else ', '.join(['lol'] * 9)}]\n"
    for p, k in zip(["", *"abcdefgh"], "abcdefghi", strict=True)
)

#: Personal data in the disguises a respondent (or a careless export) uses.
CONTACTS = {
    "email_obfuscated": "jane(at)example(dot)com",
    "email_bracketed": "jane [at] example [dot] com",
    "email_unicode": "j@münchen.de",
    "phone_en_dashes": "0116–496–0123",
    "phone_glued": "Tel07700900123",
    "phone_plus44": "+44 (0)116 496 0123",
    "postcode": "LE1 7RH",
    "postcode_squashed": "le17rh",
}
PERSONAL = [*CONTACTS.values(), "jo@example.org", "07700 900123", "01162 496 012"]


def submission(header: str, body: str = "## Q4\n\nThe roads are congested.\n") -> str:
    return f"---\n{header}---\n\n{body}"


GOOD_HEADER = "respondent: S01\norganisation_type: public\nquestion_id: Q4\n"


def folder_with(tmp_path: Path, name: str, content: str | bytes) -> tuple[Path, Path]:
    """An evidence folder with one valid table, one valid submission and ``name``."""
    ev = tmp_path / "evidence"
    write_text(ev / "cfe.csv", CFE_HEAD + GOOD_ROW)
    write_text(ev / "subs" / "good.md", submission(GOOD_HEADER))
    target = ev / name
    target.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        target.write_bytes(content)
    else:
        target.write_text(content, encoding="utf-8")
    return ev, target


def read(ev: Path):
    before = snapshot(ev)
    t0 = time.perf_counter()
    bundle = consultation.load_evidence(ev)
    assert time.perf_counter() - t0 < 20, "reading the evidence took too long"
    assert snapshot(ev) == before, "an evidence file was modified"
    return bundle


def messages(result) -> list[str]:
    return list(result.issues["message"])


def no_personal_data(*texts: object) -> None:
    joined = "\n".join(map(str, texts))
    for needle in PERSONAL:
        assert needle not in joined, f"{needle!r} survived: {joined[:500]}"


# --------------------------------------------------------------------------------------
# Submissions: rejected with a reason, never the end of the reading
# --------------------------------------------------------------------------------------

SUBMISSIONS = {
    # id: (file content, what the rejection says, the row it names)
    "alias_bomb_header": (
        submission("respondent: S02\n" + ALIAS_BOMB.replace("i: &i", "question_id: &i")),
        "bad YAML header: YAML aliases (*a) are not allowed: write the value out in full",
        "row 4",
    ),
    "header_nested_too_deep": (
        submission("respondent: S02\nnote: " + "[" * 200 + "]" * 200 + "\n"),
        "bad YAML header: nested more than 32 levels deep",
        "row 3",
    ),
    "binary_submission": (
        b"---\nrespondent: S02\n---\n\x00\x01\x02 binary",
        "unreadable: not a text file (binary content)",
        None,
    ),
    "submission_too_large": (
        submission(GOOD_HEADER.replace("S01", "S02"), "## Q4\n\n" + "Words. " * 160_000),
        "too large: the file is 1.1 MB, above the limit of 1 MB for one submission",
        None,
    ),
}


@pytest.mark.parametrize("case", list(SUBMISSIONS), ids=list(SUBMISSIONS))
def test_hostile_submission_is_rejected_with_a_reason(case, tmp_path):
    content, reason, row = SUBMISSIONS[case]
    ev, target = folder_with(tmp_path, "subs/hostile.md", content)
    bundle = read(ev)
    cfe = bundle.call_for_evidence
    assert sorted(cfe.data["response_id"]) == ["R01:Q4", "S01:Q4"]  # the valid ones still read
    rejected = [m for m in messages(cfe) if m.startswith(str(target))]
    assert len(rejected) == 1, messages(cfe)
    where = f"{target}, {row}: " if row else f"{target}: "
    assert rejected[0] == where + reason, rejected[0]
    assert cfe.n_rejected == 1 and cfe.n_read == cfe.n_kept + cfe.n_rejected


def test_submission_file_name_with_a_newline_is_shown_escaped(tmp_path):
    try:
        ev, target = folder_with(tmp_path, "subs/a\nlis: all good.md", submission("x: [\n"))
    except OSError:
        pytest.skip("this system does not allow such a file name")
    cfe = read(ev).call_for_evidence
    shown = [m for m in messages(cfe) if "a\\nlis: all good.md" in m]
    assert len(shown) == 1 and "\n" not in shown[0] and "bad YAML header" in shown[0]


# --------------------------------------------------------------------------------------
# Tables above the stated size: refused before they are read
# --------------------------------------------------------------------------------------


def _big_csv(path: Path, size: int) -> Path:
    row = "R{},Demo Ltd (fixture),private,Retail,Leicester,Q4," + "Roads are congested. " * 40
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(CFE_HEAD)
        i = 0
        while fh.tell() < size:
            fh.write(row.format(i) + "\n")
            i += 1
    return path


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"], ids=["csv", "xlsx"])
def test_table_above_the_limit_is_refused_before_it_is_read(suffix, tmp_path):
    ev = tmp_path / "evidence"
    ev.mkdir()
    big = ev / f"responses{suffix}"
    if suffix == ".csv":
        _big_csv(big, 17 * MB)  # a real table, 17 MB of valid rows
    else:
        with open(big, "wb") as fh:  # a workbook's first bytes, then 17 MB (sparse)
            fh.write(b"PK\x03\x04")
            fh.truncate(17 * MB)
    before = snapshot(ev)
    t0 = time.perf_counter()
    with pytest.raises(InputError) as err:
        consultation.load_evidence(ev)
    assert time.perf_counter() - t0 < 5  # refused from its size, not after reading it
    assert str(err.value) == (
        f"{big}: the file is 17.0 MB, above the limit of 16 MB for a consultation or "
        "call-for-evidence table; split it into smaller files"
    )
    assert snapshot(ev) == before


def test_lis_run_refuses_an_oversized_table_before_any_notebook(tmp_path):
    home = tmp_path / "home"
    make_project(home)
    ev = tmp_path / "evidence"
    ev.mkdir()
    big = _big_csv(ev / "responses.csv", 17 * MB)
    before = snapshot(ev)
    proc = lis("run", "--evidence", ev, home=home, timeout=300)
    line = one_line_error(proc, "run")
    assert line == (
        f"lis run: error: {big}: the file is 17.0 MB, above the limit of 16 MB for a "
        "consultation or call-for-evidence table; split it into smaller files"
    )
    assert snapshot(ev) == before
    assert not (home / "reports" / "_executed").exists()  # no notebook started
    assert not list((home / "reports").glob("*/index.html"))


# --------------------------------------------------------------------------------------
# Personal data: redacted in the readers' output and in every message
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("disguise", list(CONTACTS), ids=list(CONTACTS))
def test_personal_data_in_a_response_is_redacted_in_the_output(disguise, tmp_path):
    text = f"Call me about the roads: {CONTACTS[disguise]}. The A6 is always congested."
    ev, _ = folder_with(
        tmp_path, "more.csv", CFE_HEAD + f'R02,Demo (fixture),public,Retail,Melton,Q5,"{text}"\n'
    )
    cfe = read(ev).call_for_evidence
    kept = cfe.data.set_index("response_id").loc["R02:Q5", "text"]
    assert "The A6 is always congested." in kept and "removed]" in kept
    no_personal_data(cfe.data.to_csv(), messages(cfe))


def test_organisation_type_quoting_an_email_is_redacted_in_the_message(tmp_path):
    row = "R02,Demo (fixture),jo@example.org,Retail,Melton,Q5,Fine.\n"
    ev, target = folder_with(tmp_path, "more.csv", CFE_HEAD + row)
    cfe = read(ev).call_for_evidence
    assert messages(cfe) == [
        f"{target}, row 2, column 3 ('organisation_type'): unknown organisation type: "
        "'[email removed]' is not one of public, private, voluntary, education, individual; "
        "counted as 'unknown'"
    ]
    no_personal_data(cfe.data.to_csv(), cfe.issues.to_csv())


def test_agreement_value_quoting_a_phone_number_is_redacted_in_the_message(tmp_path):
    ev = tmp_path / "evidence"
    head = ["respondent_id", "organisation_type", "P1", "P2", "P3", "P4", "P5", "P6", "comments"]
    row = ["R01", "public", "ring 07700 900123", *["Agree"] * 5, "Fine."]
    path = write_workbook(ev / "consultation.xlsx", {"responses": [head, row]})
    con = read(ev).consultation
    assert con.n_kept == 1
    (msg,) = messages(con)
    assert msg.startswith(
        f"{path}, sheet 'responses', row 2, column C ('P1'): bad agreement value: "
        "'ring [phone removed]' is not one of Strongly agree"
    ), msg
    no_personal_data(con.data.to_csv(), con.issues.to_csv())


def test_theme_in_the_consideration_log_quoting_a_postcode_is_redacted(tmp_path):
    ev = tmp_path / "evidence"
    write_text(
        ev / "log.csv",
        "point_id,theme_or_priority,point,response,change_made,officer,date\n"
        "PT1,see LE1 7RH,A point.,,,,\n",
    )
    clog = read(ev).consideration_log
    (msg,) = messages(clog)
    assert "unknown theme or priority: 'see [postcode removed]' is not a theme" in msg
    no_personal_data(clog.data.to_csv(), clog.issues.to_csv())


def test_respondent_id_that_is_an_email_is_pseudonymised(tmp_path):
    rows = (
        "jo@example.org,Demo (fixture),public,Retail,Melton,Q5,Fine.\n"
        "jo@example.org,Demo (fixture),public,Retail,Melton,Q5,Again.\n"
    )
    ev, target = folder_with(tmp_path, "more.csv", CFE_HEAD + rows)
    cfe = read(ev).call_for_evidence
    ids = set(cfe.data["respondent_id"])
    pseudonym = next(i for i in ids if i.startswith("respondent-"))
    assert ids == {"R01", "S01", pseudonym}  # still one respondent, no address shown
    assert messages(cfe) == [
        f"{target}, row 3, column 6 ('question_id'): duplicate: {pseudonym} already answered Q5 "
        "(more.csv row 2)"
    ]
    no_personal_data(cfe.data.to_csv(), cfe.issues.to_csv())


# --------------------------------------------------------------------------------------
# The pages, as `lis run` builds them on a hostile evidence folder
# --------------------------------------------------------------------------------------


@pytest.mark.slow
def test_evidence_pages_built_on_hostile_files_show_no_personal_data(demo_home, tmp_path):
    home = tmp_path / "home"
    shutil.copytree(demo_home, home, symlinks=True)
    shutil.copytree(Path(__file__).resolve().parents[2] / "notebooks", home / "notebooks")
    ev = tmp_path / "evidence"
    shutil.copytree(home / "data" / "demo" / "evidence", ev)
    contacts = "; ".join(CONTACTS.values())
    write_text(
        ev / "submissions" / "hostile_contacts.md",
        submission(
            "respondent: SUB900\norganisation_type: private\nquestion_id: Q4\n",
            f"## Q4\n\nThe roads are congested. Reach me: {contacts}.\n",
        ),
    )
    write_text(
        ev / "submissions" / "hostile_bomb.md",
        submission("respondent: SUB901\n" + ALIAS_BOMB.replace("i: &i", "question_id: &i")),
    )
    write_text(
        ev / "more_responses.csv",
        CFE_HEAD + "jo@example.org,Demo (fixture),ring 07700 900123,Retail,Melton,Q5,"
        '"Broadband is slow, call 01162 496 012."\n',
    )
    before = snapshot(ev)
    only = "20_call_for_evidence,40_consultation"
    t0 = time.perf_counter()
    proc = lis("run", "--evidence", ev, "--only", only, "--jobs", "2", home=home, timeout=1200)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out[-3000:]
    assert "Traceback" not in proc.stderr and "2 ran, 0 skipped, 0 failed" in proc.stdout, out
    assert time.perf_counter() - t0 < 900  # the alias bomb took minutes alone
    assert snapshot(ev) == before
    pages = [home / "reports" / "E37000021" / f"{n}{v}.html" for n in only.split(",")
             for v in ("", ".analyst")]  # fmt: skip
    for page in pages:
        no_personal_data(page.read_text(encoding="utf-8"))
    executed = home / "reports" / "_executed" / "E37000021" / "20_call_for_evidence.ipynb"
    nb = executed.read_text(encoding="utf-8")
    no_personal_data(nb)
    # what the pages were built from: the bomb rejected with its reason, the rest read
    cfe = consultation.load_evidence(ev).call_for_evidence
    assert "SUB900:Q4" in set(cfe.data["response_id"])
    assert any("hostile_bomb.md" in m and "YAML aliases" in m for m in messages(cfe))
    record = json.loads(next((home / "reports" / "_runs").glob("*.json")).read_text())
    assert record["status"] == "ok"
