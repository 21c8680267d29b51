"""``lis fetch`` against a local HTTP server on 127.0.0.1 serving hand-made files in the
publishers' formats (never the internet): naming by release, the manifest, no overwrite,
rejected error pages, HTTP errors, no network, --list/--only, zip members, Nomis pages,
the newest edition found on ONS landing pages, geography portal lookups found by their
feature service, and HTTP 202 "Processing" answers retried with back-off."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import shutil
import socket
import threading
import zipfile
from datetime import date
from fnmatch import fnmatch
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

import pandas as pd
import pytest

from lis_analysis import fetch as fetch_mod
from lis_analysis.cli import main
from lis_analysis.errors import ConfigError
from lis_analysis.sources import parsers
from tests.helpers import write_workbook

LAST_MODIFIED = "Thu, 20 Jun 2024 09:30:00 GMT"  # -> release 2024-06-20
#: Where the district productivity workbook served at the catalogue URL is saved (the
#: June 2025 name, .xls; calamine reads the served .xlsx bytes whatever the extension).
LAD_SAVED = "productivity/labourproductivitylad1_2024-06-20.xls"


# --------------------------------------------------------------------------------------
# A local server: routes are "path?query" -> (status, body, headers)
# --------------------------------------------------------------------------------------


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - http.server's name
        self.server.requests.append(self.path)
        answer = self.server.routes.get(self.path, (404, b"Not Found", {}))
        if isinstance(answer, list):  # answers in turn, the last one repeated
            answer = answer.pop(0) if len(answer) > 1 else answer[0]
        status, body, headers = answer
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):  # keep test output quiet
        pass


@pytest.fixture(scope="module")
def _httpd():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.routes, httpd.requests = {}, []
    thread = threading.Thread(
        target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    httpd.base = f"http://127.0.0.1:{httpd.server_address[1]}"
    yield httpd
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def server(_httpd):
    """The module's server with no routes (every path answers 404) and no requests seen."""
    _httpd.routes.clear()
    _httpd.requests.clear()
    return _httpd


def route(url: str) -> str:
    """The request path a catalogue URL becomes under --base-url."""
    u = urlsplit(url)
    return u.path + (f"?{u.query}" if u.query else "")


def entry(eid: str) -> fetch_mod.Download:
    return next(e for e in fetch_mod.catalogue() if e.id == eid)


def closed_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def run(capsys, *args):
    rc = main(["fetch", *args])
    out, err = capsys.readouterr()
    return rc, out, err


# --------------------------------------------------------------------------------------
# Hand-made files in the published layouts
# --------------------------------------------------------------------------------------


def productivity_book(path):
    """A tiny ONS subregional productivity (district) workbook, June 2024 layout."""
    title = [["Table A3: Current Price (smoothed) GVA (B) per hour worked"], [], [], []]
    sheets = {
        "Contents": [
            ["Reference tables published with the ONS Subregional Productivity June 2024 release"]
        ],
        "A1": title + [["LAD_Code", "LAD_Name", "Index_2022"], ["UKX", "UK", 100]],
        "A3": title
        + [["LAD_Code", "LAD_Name", "Pounds_2021", "Pounds_2022"]]
        + [["UKX", "UK", 38.1, 39.7], ["E06000016", "Leicester", 35.1, 35.8]]
        + [[], ["Source: Office for National Statistics"]],
        "B1": title + [["LAD_Code", "LAD_Name", "Index_2022"], ["UKX", "UK", 100]],
        "B3": title + [["LAD_Code", "LAD_Name", "Pounds_2022"], ["UKX", "UK", 70000]],
        "Productivity Hours": title + [["LAD_Code", "LAD_Name", "Hours_2022"], ["UKX", "UK", 1e9]],
        "Productivity Jobs": title + [["LAD_Code", "LAD_Name", "Jobs_2022"], ["UKX", "UK", 3e7]],
    }
    return write_workbook(path, sheets).read_bytes()


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    return productivity_book(tmp_path_factory.mktemp("book") / "book.xlsx")


ELS_CSV = (
    "\ufeffareacd,areanm,geography,indicator,period,observation,measure,unit,lci_95,uci_95,status,notes\r\n"
    "E06000016,Leicester,County or Unitary Authority,Employment rate,2023-01-01/P1Y,65.1,Percentage,%,61.0,69.2,,\r\n"
    "E07000129,Blaby,Local Authority District,Employment rate,2023-01-01/P1Y,85.3,Percentage,%,80.1,90.5,,\r\n"
).encode()
ELS_JSON = b"""{"ess-beta-metadata": {
  "shared": {"sourceDate": "16/04/2024", "sourceOrg": "Office for National Statistics"},
  "Employment rate": {"label": "Employment rate (Great Britain)", "caveats": "APS caveat"}}}
"""
HTML_404 = b"<!DOCTYPE html>\n<html lang='en'><head><title>Page not found - Office for National Statistics</title></head><body>Sorry</body></html>"


def serve(server, eid, body, *, status=200, last_modified=LAST_MODIFIED, url=None):
    headers = {"Last-Modified": last_modified} if last_modified else {}
    server.routes[route(url or entry(eid).url)] = (status, body, headers)


def manifest(raw):
    path = raw / "manifest.csv"
    if not path.exists():
        return []
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def files_under(folder):
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


# --------------------------------------------------------------------------------------
# Downloading, naming, manifest, no overwrite
# --------------------------------------------------------------------------------------


class TestDownload:
    def test_saved_with_release_in_name_and_parsed(self, server, book, tmp_path, capsys):
        serve(server, "productivity_lad", book)
        raw = tmp_path / "raw"
        rc, out, err = run(
            capsys, "--raw", str(raw), "--only", "productivity_lad", "--base-url", server.base
        )
        assert rc == 0, err
        saved = raw / LAD_SAVED
        assert saved.read_bytes() == book  # byte for byte as served
        assert files_under(raw) == ["manifest.csv", LAD_SAVED]
        assert "saved" in out and LAD_SAVED in out
        assert "fetch: productivity_lad: GET http://127.0.0.1:" in err  # progress on stderr

    def test_manifest_line(self, server, book, tmp_path, capsys):
        serve(server, "productivity_lad", book)
        raw = tmp_path / "raw"
        run(capsys, "--raw", str(raw), "--only", "productivity_lad", "--base-url", server.base)
        (line,) = manifest(raw)
        assert list(line)[:6] == ["url", "file", "release", "downloaded_at", "sha256", "bytes"]
        assert line["url"] == server.base + route(entry("productivity_lad").url)
        assert line["file"] == LAD_SAVED
        assert line["release"] == "2024-06-20"
        assert line["sha256"] == hashlib.sha256(book).hexdigest()
        assert line["bytes"] == str(len(book))
        assert line["downloaded_at"].startswith(date.today().isoformat()[:4])
        assert line["downloaded_at"].endswith("+00:00")
        assert (line["id"], line["dataset"], line["parser"]) == (
            "productivity_lad",
            "ons_productivity_lad",
            "ons_productivity_lad",
        )
        assert int(line["rows"]) > 0

    def test_second_run_overwrites_nothing(self, server, book, tmp_path, capsys):
        serve(server, "productivity_lad", book)
        raw = tmp_path / "raw"
        args = ("--raw", str(raw), "--only", "productivity_lad", "--base-url", server.base)
        run(capsys, *args)
        saved = raw / LAD_SAVED
        before = (saved.read_bytes(), saved.stat().st_mtime_ns)
        serve(server, "productivity_lad", book + b"changed")  # same release, other bytes
        rc, out, err = run(capsys, *args)
        assert rc == 0
        assert f"already have {LAD_SAVED}" in err
        assert "skipped" in out
        assert (saved.read_bytes(), saved.stat().st_mtime_ns) == before
        assert len(manifest(raw)) == 1

    def test_same_content_under_a_new_date_is_not_saved_twice(self, server, book, tmp_path, capsys):
        raw = tmp_path / "raw"
        args = ("--raw", str(raw), "--only", "productivity_lad", "--base-url", server.base)
        serve(server, "productivity_lad", book)
        run(capsys, *args)
        serve(server, "productivity_lad", book, last_modified="Mon, 01 Jul 2024 08:00:00 GMT")
        rc, out, err = run(capsys, *args)
        assert rc == 0
        assert f"same content as {LAD_SAVED}" in err
        assert files_under(raw / "productivity") == [LAD_SAVED.split("/")[1]]
        assert len(manifest(raw)) == 1

    def test_without_last_modified_the_download_date_is_the_release(
        self, server, book, tmp_path, capsys
    ):
        serve(server, "productivity_lad", book, last_modified=None)
        raw = tmp_path / "raw"
        rc, _, _ = run(
            capsys, "--raw", str(raw), "--only", "productivity_lad", "--base-url", server.base
        )
        assert rc == 0
        name = f"labourproductivitylad1_{date.today().isoformat()}.xls"
        assert (raw / "productivity" / name).exists()
        assert manifest(raw)[0]["release"] == date.today().isoformat()

    def test_els_json_keeps_the_csv_stem(self, server, tmp_path, capsys):
        e = entry("els_employment_rate")
        serve(server, e.id, ELS_CSV, last_modified=None)
        server.routes[route(e.companion)] = (200, ELS_JSON, {})
        raw = tmp_path / "raw"
        rc, out, err = run(
            capsys, "--raw", str(raw), "--only", "els_employment_rate", "--base-url", server.base
        )
        assert rc == 0, err
        stem = f"employment-rate_{date.today().isoformat()}"
        assert files_under(raw / "indicators_els") == [f"{stem}.csv", f"{stem}.json"]
        lines = manifest(raw)
        assert [r["file"] for r in lines] == [
            f"indicators_els/{stem}.csv",
            f"indicators_els/{stem}.json",
        ]
        assert lines[0]["parser"] == "ons_explore_local_statistics" and lines[0]["rows"] == "2"
        assert lines[1]["sha256"] == hashlib.sha256(ELS_JSON).hexdigest()


# --------------------------------------------------------------------------------------
# Failures
# --------------------------------------------------------------------------------------


class TestFailures:
    def test_html_error_page_is_rejected_and_deleted(self, server, tmp_path, capsys):
        serve(server, "productivity_lad", HTML_404)  # status 200, as publishers do
        raw = tmp_path / "raw"
        rc, out, err = run(
            capsys, "--raw", str(raw), "--only", "productivity_lad", "--base-url", server.base
        )
        assert rc == 1
        assert "rejected" in out
        assert "the server sent an HTML page, not the published file (.xls)" in out
        assert files_under(raw) == []  # no file, no temporary folder, no manifest

    def test_file_no_parser_reads_is_rejected(self, server, tmp_path, capsys):
        serve(server, "productivity_lad", b"PK\x03\x04 truncated workbook")
        raw = tmp_path / "raw"
        rc, out, _ = run(
            capsys, "--raw", str(raw), "--only", "productivity_lad", "--base-url", server.base
        )
        assert rc == 1
        assert f"{LAD_SAVED}: cannot read the workbook" in out
        assert files_under(raw) == []

    def test_http_404_reported_others_still_saved(self, server, book, tmp_path, capsys):
        serve(server, "productivity_lad", book)  # productivity_itl is not served: 404
        raw = tmp_path / "raw"
        rc, out, err = run(
            capsys,
            "--raw",
            str(raw),
            "--only",
            "productivity_lad",
            "--only",
            "productivity_itl",
            "--base-url",
            server.base,
        )
        assert rc == 1
        row = next(ln for ln in out.splitlines() if ln.startswith("productivity_itl"))
        assert "failed" in row and "HTTP 404 Not Found from 127.0.0.1:" in row
        assert files_under(raw) == ["manifest.csv", LAD_SAVED]

    def test_no_network_is_one_line_and_exit_2(self, tmp_path, capsys):
        port = closed_port()
        raw = tmp_path / "raw"
        rc, out, err = run(
            capsys,
            "--raw",
            str(raw),
            "--only",
            "productivity_lad",
            "--base-url",
            f"http://127.0.0.1:{port}",
        )
        assert rc == 2
        errors = [ln for ln in err.splitlines() if not ln.startswith("fetch: ")]
        assert len(errors) == 1
        assert errors[0].startswith(f"lis fetch: error: cannot reach 127.0.0.1:{port}: ")
        assert "Connection refused" in errors[0] and "no network?" in errors[0]
        assert out == "" and files_under(raw) == []

    def test_unknown_only_is_a_usage_error(self, capsys):
        rc, _, err = run(capsys, "--list", "--only", "no_such_dataset")
        assert rc == 2
        assert err.strip() == (
            "lis fetch: error: --only no_such_dataset: no catalogue entry has that id or dataset "
            "(see 'lis fetch --list')"
        )


# --------------------------------------------------------------------------------------
# The catalogue: --list, --only, and every saved name still recognised by its parser
# --------------------------------------------------------------------------------------


class TestCatalogue:
    def test_list(self, capsys):
        rc, out, _ = run(capsys, "--list")
        assert rc == 0
        for eid in (
            "productivity_lad",
            "ashe_table7",
            "nomis_bres_sections",
            "nomis_population",
            "lookup_lad_ca",
        ):
            assert eid in out
        assert "download by hand from https://geoportal.statistics.gov.uk/" in out
        assert "None could be verified from this machine" in out

    def test_only_by_dataset(self, capsys):
        rc, out, _ = run(capsys, "--list", "--only", "ons_gva_industry_lad")
        ids = [ln.split()[0] for ln in out.splitlines() if ln.startswith("gva_industry_")]
        assert rc == 0 and len(ids) == 9
        assert "productivity_lad" not in out

    def test_manual_entry_prints_the_page(self, tmp_path, capsys):
        rc, out, err = run(capsys, "--raw", str(tmp_path), "--only", "lookup_lep_names")
        assert rc == 0
        assert (
            "lookup_lep_names: no direct link known; download by hand from https://geoportal" in err
        )
        assert "manual" in out

    def test_entries_are_valid(self):
        entries = fetch_mod.catalogue()
        assert len({e.id for e in entries}) == len(entries) >= 30
        known = {ds for p in parsers() for ds in (p.dataset, *p.extra_datasets)}
        assert {e.dataset for e in entries} <= known

    # A member name as published inside each zip archive.
    MEMBERS = {
        "ashe_table7": [
            "PROV - Work Geography Table 7.1a   Weekly pay - Gross 2025.xlsx",
            "PROV - Work Geography Table 7.7a   Annual pay - Gross 2025.xlsx",
        ],
        "ashe_table8": ["PROV - Home Geography Table 8.1a   Weekly pay - Gross 2025.xlsx"],
    }

    def test_every_saved_name_is_recognised_by_its_parser(self):
        """The renamed file (release appended) still matches its parser's name patterns."""
        by_dataset = {ds: p for p in parsers() for ds in (p.dataset, *p.extra_datasets)}
        for e in fetch_mod.catalogue():
            if e.extract:
                names = self.MEMBERS[e.id]
                for pat in e.extract:
                    assert any(fnmatch(n.lower(), pat.lower()) for n in names), (e.id, pat)
            else:
                names = [e.filename] if e.manual else [fetch_mod.publisher_name(e, e.url)]
            parser = by_dataset[e.dataset]
            for n in names:
                saved = fetch_mod.released_name(n, "2026-01-02").lower()
                assert any(fnmatch(saved, p) for p in parser.patterns), (e.id, saved, parser.name)

    def test_lsip_and_ca_from_the_ons_lookups(self):
        """Not a department's copy: the ONS portal's CSV of LAD25_LSIP25_EN_LU and
        LAD25_CAUTH25_EN_LU, parsed by the ONS lookup parsers."""
        for eid, service, dataset in (
            ("lookup_lad_lsip", "LAD25_LSIP25_EN_LU", "ons_lookup_lad_lsip"),
            ("lookup_lad_ca", "LAD25_CAUTH25_EN_LU", "ons_lookup_lad_ca"),
        ):
            e = entry(eid)
            assert not e.manual and e.dataset == dataset and e.publisher.startswith("Office")
            assert f"/rest/services/{service}/FeatureServer?f=json" in e.item_from
            assert e.url.startswith("https://geoportal.statistics.gov.uk/api/download/v1/items/")
            assert f"{{item}}: serviceItemId of {e.item_from}" in fetch_mod.listing([e])
        assert not any("github" in e.url for e in fetch_mod.catalogue() if e.folder == "lookups")

    def test_bres_landing_page(self):
        for eid in ("nomis_bres_sections", "nomis_bres_divisions"):
            assert entry(eid).landing == "https://www.nomisweb.co.uk/datasets/newbres6pub"

    def test_a_bad_catalogue_is_refused(self, tmp_path):
        bad = tmp_path / "downloads.yaml"
        bad.write_text(
            "entries:\n  - {id: x, dataset: d, publisher: p, title: t, landing: l, folder: f, url: u, colour: red}\n"
        )
        with pytest.raises(ConfigError, match=r"entry 1 \(x\): unknown field\(s\) colour"):
            fetch_mod.catalogue(bad)
        bad.write_text(
            "entries:\n  - {id: x, dataset: d, publisher: p, title: t, landing: l, folder: ../up, url: u}\n"
        )
        with pytest.raises(ConfigError, match="must be a sub-folder name"):
            fetch_mod.catalogue(bad)
        bad.write_text(
            "entries:\n  - {id: x, dataset: d, publisher: p, title: t, landing: l, folder: f, url: 'u/{item}/csv'}\n"
        )
        with pytest.raises(ConfigError, match=r"item_from .* and an url with \{item\} go together"):
            fetch_mod.catalogue(bad)


# --------------------------------------------------------------------------------------
# Zip members and Nomis pages (a test catalogue in place of the shipped one)
# --------------------------------------------------------------------------------------

TEST_CATALOGUE = """
version: 1
entries:
  - id: prod_zip
    dataset: ons_productivity_lad
    publisher: Office for National Statistics
    title: productivity tables in a zip archive
    landing: https://files.example.test/datasets/productivity
    url: https://files.example.test/file?uri=/datasets/productivity/2024/tables2024.zip
    discover: '[^"''<>\\s]*tables\\d{4}\\.zip'
    extract: ["labourproductivitylocalauthorities*.xlsx"]
    folder: productivity
  - id: bres_paged
    dataset: nomis_bres
    publisher: Office for National Statistics (via Nomis)
    title: BRES by section, paged
    landing: https://api.example.test/datasets/bres
    url: https://api.example.test/api/v01/dataset/NM_189_1.data.csv?geography=TYPE424&select=x
    filename: nomis_bres_sections.csv
    pages: nomis
    folder: bres
"""


@pytest.fixture
def test_catalogue(tmp_path, monkeypatch):
    path = tmp_path / "downloads.yaml"
    path.write_text(TEST_CATALOGUE, encoding="utf-8")
    monkeypatch.setattr(fetch_mod, "CATALOGUE", path)
    return path


def zip_of(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


class TestZipAndPages:
    def test_zip_members_extracted_archive_not_kept(
        self, server, book, tmp_path, capsys, test_catalogue
    ):
        archive = zip_of(
            {
                "tables2024/labourproductivitylocalauthorities.xlsx": book,
                "tables2024/notes.txt": b"n",
            }
        )
        server.routes["/file?uri=/datasets/productivity/2024/tables2024.zip"] = (
            200,
            archive,
            {"Last-Modified": LAST_MODIFIED},
        )
        raw = tmp_path / "raw"
        rc, out, err = run(
            capsys, "--raw", str(raw), "--only", "prod_zip", "--base-url", server.base
        )
        assert rc == 0, out + err
        assert files_under(raw) == [
            "manifest.csv",
            "productivity/labourproductivitylocalauthorities_2024-06-20.xlsx",
        ]
        assert (
            raw / "productivity/labourproductivitylocalauthorities_2024-06-20.xlsx"
        ).read_bytes() == book
        (line,) = manifest(raw)
        assert line["url"].endswith(
            "tables2024.zip#tables2024/labourproductivitylocalauthorities.xlsx"
        )
        assert line["sha256"] == hashlib.sha256(book).hexdigest()
        # The landing page was tried first (404 here), then the catalogue URL.
        assert server.requests[0] == "/datasets/productivity"

    def test_newer_edition_found_on_the_landing_page(
        self, server, book, tmp_path, capsys, test_catalogue
    ):
        server.routes["/datasets/productivity"] = (
            200,
            b'<html><a href="/file?uri=%2fdatasets%2fproductivity%2f2025%2ftables2025.zip">2025</a>'
            b'<a href="/file?uri=/datasets/productivity/2024/tables2024.zip">2024</a></html>',
            {},
        )
        server.routes["/file?uri=/datasets/productivity/2025/tables2025.zip"] = (
            200,
            zip_of({"labourproductivitylocalauthorities.xlsx": book}),
            {"Last-Modified": "Fri, 20 Jun 2025 09:30:00 GMT"},
        )
        raw = tmp_path / "raw"
        rc, out, err = run(
            capsys, "--raw", str(raw), "--only", "prod_zip", "--base-url", server.base
        )
        assert rc == 0, out + err
        assert files_under(raw / "productivity") == [
            "labourproductivitylocalauthorities_2025-06-20.xlsx"
        ]

    def test_zip_without_the_member_is_rejected(self, server, tmp_path, capsys, test_catalogue):
        server.routes["/file?uri=/datasets/productivity/2024/tables2024.zip"] = (
            200,
            zip_of({"readme.txt": b"x"}),
            {},
        )
        raw = tmp_path / "raw"
        rc, out, _ = run(capsys, "--raw", str(raw), "--only", "prod_zip", "--base-url", server.base)
        assert rc == 1
        assert (
            "no member of the archive matches 'labourproductivitylocalauthorities*.xlsx' (members: readme.txt)"
            in out
        )
        assert files_under(raw) == []

    def test_nomis_pages_are_joined(self, server, fixtures, tmp_path, capsys, test_catalogue):
        lines = (
            (fixtures / "nomis_api" / "nomis_bres_sections_2026-10-08.csv")
            .read_text()
            .splitlines(keepends=True)
        )
        header, rows = lines[0], lines[1:]
        base = "/api/v01/dataset/NM_189_1.data.csv?geography=TYPE424&select=x"
        server.routes[base] = (200, (header + "".join(rows[:5])).encode(), {})
        server.routes[base + "&recordOffset=5"] = (200, (header + "".join(rows[5:10])).encode(), {})
        server.routes[base + "&recordOffset=10"] = (200, (header + "".join(rows[10:])).encode(), {})
        raw = tmp_path / "raw"
        rc, out, err = run(
            capsys, "--raw", str(raw), "--only", "bres_paged", "--base-url", server.base
        )
        assert rc == 0, out + err
        name = f"nomis_bres_sections_{date.today().isoformat()}.csv"
        saved = raw / "bres" / name
        assert saved.read_text().splitlines(keepends=True) == lines  # one header, every row once
        line = manifest(raw)[0]
        assert (line["parser"], line["rows"]) == ("nomis_api_bres", "12")
        assert "rows 5 of 12; GET next page" in err
        assert PurePosixPath(line["file"]).name == name


# --------------------------------------------------------------------------------------
# ONS files renamed each release: the landing page's newest link (discover)
# --------------------------------------------------------------------------------------

_REGIONS = {
    "c": "northeast",
    "d": "northwest",
    "e": "yorkshireandthehumber",
    "f": "eastmidlands",
    "g": "westmidlands",
    "h": "eastofengland",
    "i": "london",
    "j": "southeast",
    "k": "southwest",
}
_GVA = "regionalgrossvalueaddedbalancedbyindustrylocalauthorities"
#: Names each file has been published under, as seen in public code (see the comments in
#: downloads.yaml): every one must be found by its entry's pattern and read by its parser.
PUBLISHED_NAMES = {
    "productivity_lad": [
        "ladproductivity.xls",
        "ladproductivity.xlsx",
        "labourproductivitylocalauthorities.xls",
        "labourproductivitylad1.xls",
    ],
    "productivity_itl": ["labourproductivityitls.xls", "labourproductivityitls1.xlsx"],
    "business_demography": [
        "businessdemographyexceltables2016v2.xls",
        "businessdemographyexceltables2021.xlsx",
        "businessdemographyexceltables2024.xlsx",
    ],
    "uk_business_counts": [
        "ukbusinessworkbook2024.xlsx",
        "ukbusinessworkbook2025new.xlsx",
        "ukbusinessworkbook2026.xlsx",
    ],
    **{
        f"gva_industry_tl{k}": [f"{_GVA}tl{k}{v}.xlsx", f"{_GVA}uk{k}{v}.xlsx"]
        for k, v in _REGIONS.items()
    },
    "ashe_table7": ["ashetable72024provisional.zip", "ashetable72025revised.zip"],
    "ashe_table8": ["ashetable82023provisional.zip", "ashetable82025provisional.zip"],
}


def ons_link(e: fetch_mod.Download, name: str, *, encoded: bool) -> str:
    """An href as ONS landing pages print it: /file?uri=<dataset path>/<edition>/<name>,
    the slashes sometimes %2F-encoded."""
    folder = PurePosixPath(urlsplit(e.url).query.removeprefix("uri=")).parent
    uri = f"{folder}/{name}"
    return "/file?uri=" + (uri.replace("/", "%2f") if encoded else uri)


class TestDiscover:
    def test_every_ons_file_renamed_each_release_has_a_pattern(self):
        renamed = {
            "business_demography",
            "uk_business_counts",
            "productivity_lad",
            "productivity_itl",
            *(f"gva_industry_tl{k}" for k in _REGIONS),
            "ashe_table7",
            "ashe_table8",
        }
        with_pattern = {e.id for e in fetch_mod.catalogue() if e.discover}
        assert with_pattern == renamed == set(PUBLISHED_NAMES)

    @pytest.mark.parametrize("eid", sorted(PUBLISHED_NAMES))
    def test_pattern_finds_each_published_name_and_the_parser_reads_it(self, eid):
        e = entry(eid)
        by_dataset = {ds: p for p in parsers() for ds in (p.dataset, *p.extra_datasets)}
        for name in PUBLISHED_NAMES[eid]:
            for encoded in (False, True):
                href = ons_link(e, name, encoded=encoded)
                page = f'<html><a href="/help">help</a><a href="{href}">xlsx (1 MB)</a></html>'
                found = re.findall(e.discover, page)
                assert found and unquote(found[0]) == unquote(href), (eid, name, found)
            if not e.extract:  # zips: their members are checked in TestCatalogue
                saved = fetch_mod.released_name(name, "2026-01-02").lower()
                assert any(fnmatch(saved, p) for p in by_dataset[e.dataset].patterns), saved

    def test_each_gva_entry_takes_its_own_region_from_the_one_page(self):
        """One landing page lists every region (Wales, Scotland, NI too): each entry's
        pattern picks its own region's workbook, not the first on the page."""
        e0 = entry("gva_industry_tlc")
        names = [f"{_GVA}tl{k}{v}.xlsx" for k, v in _REGIONS.items()]
        names += [
            f"{_GVA}tlwwales.xlsx",
            f"{_GVA}tlmscotland.xlsx",
            f"{_GVA}tlnnorthernireland.xlsx",
        ]
        page = "".join(f'<a href="{ons_link(e0, n, encoded=True)}">x</a>' for n in reversed(names))
        for k, v in _REGIONS.items():
            (link, *_) = re.findall(entry(f"gva_industry_tl{k}").discover, page)
            assert unquote(link).endswith(f"/{_GVA}tl{k}{v}.xlsx")

    def test_renamed_district_workbook_downloaded_from_the_landing_page(
        self, server, book, tmp_path, capsys
    ):
        """The shipped catalogue end to end: the page links next year's name, fetch saves
        that file under that name and parses it."""
        e = entry("productivity_lad")
        href = ons_link(e, "labourproductivitylad2.xlsx", encoded=True)
        server.routes[route(e.landing)] = (200, f'<a href="{href}">xlsx</a>'.encode(), {})
        server.routes[unquote(href)] = (200, book, {"Last-Modified": LAST_MODIFIED})
        raw = tmp_path / "raw"
        rc, out, err = run(
            capsys, "--raw", str(raw), "--only", "productivity_lad", "--base-url", server.base
        )
        assert rc == 0, out + err
        assert files_under(raw) == [
            "manifest.csv",
            "productivity/labourproductivitylad2_2024-06-20.xlsx",
        ]
        (line,) = manifest(raw)
        assert line["url"] == server.base + unquote(href)
        assert line["parser"] == "ons_productivity_lad"
        assert server.requests == [route(e.landing), unquote(href)]


# --------------------------------------------------------------------------------------
# The geography portal: lookups by feature service, HTTP 202 "Processing" retried
# --------------------------------------------------------------------------------------

ITEM = "0123456789abcdef0123456789abcdef"
PROCESSING = (
    202,
    b'{"processingTime":"8.716 seconds","status":"Processing","generating":{}}',
    {"Content-Type": "application/json; charset=utf-8"},
)
LSIP_CSV = (
    "\ufeffLAD25CD,LAD25NM,LSIP25CD,LSIP25NM,ObjectId\r\n"
    'E06000016,Leicester,E69000020,"Leicester, Leicestershire and Rutland ",1\r\n'
    'E06000017,Rutland,E69000020,"Leicester, Leicestershire and Rutland ",2\r\n'
).encode()
FAST = fetch_mod.Backoff(attempts=4, first=0.01, cap=0.02)


def serve_portal(server, eid: str, answers) -> str:
    """The feature service description (with its item id) and the CSV download route."""
    e = entry(eid)
    server.routes[route(e.item_from)] = (
        200,
        json.dumps({"currentVersion": 11.5, "serviceItemId": ITEM, "layers": []}).encode(),
        {"Content-Type": "application/json"},
    )
    download = route(e.url.replace("{item}", ITEM))
    server.routes[download] = answers
    return download


class TestPortalAndProcessing:
    def test_202_then_200_saves_the_file_not_the_processing_body(self, server, tmp_path):
        download = serve_portal(
            server, "lookup_lad_lsip", [PROCESSING, PROCESSING, (200, LSIP_CSV, {})]
        )
        raw, lines = tmp_path / "raw", []
        report = fetch_mod.fetch(
            raw,
            only=["lookup_lad_lsip"],
            base_url=server.base,
            progress=lines.append,
            backoff=FAST,
            today=date(2026, 1, 2),
        )
        assert not report.failed
        name = "Local_Authority_District_to_Local_Skills_Improvement_Plan_Areas_(October_2025)_Lookup_in_EN_2026-01-02.csv"
        assert files_under(raw) == ["lookups/" + name, "manifest.csv"]
        assert (raw / "lookups" / name).read_bytes() == LSIP_CSV
        (line,) = manifest(raw)
        assert line["url"] == server.base + download  # the item id resolved
        assert (line["parser"], line["rows"]) == ("ons_lookup_lad_lsip", "2")
        assert line["sha256"] == hashlib.sha256(LSIP_CSV).hexdigest()
        assert server.requests == [route(entry("lookup_lad_lsip").item_from)] + [download] * 3
        waits = [ln for ln in lines if "HTTP 202 (Processing)" in ln]
        assert len(waits) == 2 and "asking again in 0.01 s (request 2 of 4)" in waits[0]
        assert "asking again in 0.02 s (request 3 of 4)" in waits[1]

    def test_202_forever_is_one_line_and_nothing_is_saved(
        self, server, tmp_path, capsys, monkeypatch
    ):
        monkeypatch.setattr(fetch_mod, "PROCESSING_BACKOFF", fetch_mod.Backoff(3, 0.01, 0.01))
        download = serve_portal(server, "lookup_lad_ca", [PROCESSING])
        raw = tmp_path / "raw"
        rc, out, err = run(
            capsys, "--raw", str(raw), "--only", "lookup_lad_ca", "--base-url", server.base
        )
        assert rc == 1
        host = server.base.removeprefix("http://")
        message = (
            f"{host} was still preparing the file after 3 requests over 0.02 s "
            "(HTTP 202, Processing); nothing saved, try again later"
        )
        (failed,) = [ln for ln in err.splitlines() if "FAILED" in ln]
        assert failed == f"fetch: lookup_lad_ca: FAILED: {message}"
        row = next(ln for ln in out.splitlines() if ln.startswith("lookup_lad_ca"))
        assert "failed" in row and message in row
        assert files_under(raw) == []  # no body, no temporary folder, no manifest
        assert server.requests.count(download) == 3

    def test_waits_double_up_to_the_cap(self, server):
        """The back-off is what the client really sleeps between 202s."""
        server.routes["/slow.csv"] = [PROCESSING, PROCESSING, PROCESSING, (200, b"a,b\n", {})]
        slept = []
        http = fetch_mod._Http(5.0, fetch_mod.Backoff(5, 0.5, 1.5), sleep=slept.append)
        resp = http.get(server.base + "/slow.csv")
        assert http.read(resp) == b"a,b\n"
        assert slept == [0.5, 1.0, 1.5]
        assert fetch_mod.Backoff().waits() == [2, 4, 8, 16, 32, 60, 60]  # about 3 minutes
        with pytest.raises(ConfigError, match="attempts >= 1"):
            fetch_mod.Backoff(attempts=0)

    def test_no_item_id_in_the_service_description(self, server, tmp_path, capsys):
        e = entry("lookup_lad_lsip")
        server.routes[route(e.item_from)] = (
            200,
            b'{"error":{"code":400,"message":"Invalid URL","details":[]}}',
            {},
        )
        raw = tmp_path / "raw"
        rc, out, err = run(
            capsys, "--raw", str(raw), "--only", "lookup_lad_lsip", "--base-url", server.base
        )
        assert rc == 1
        assert (
            "no portal item id (serviceItemId) in the feature service description "
            f"{server.base}{route(e.item_from)}: Invalid URL" in out
        )
        assert files_under(raw) == [] and len(server.requests) == 1


# --------------------------------------------------------------------------------------
# The real published files under the names lis fetch gives them (release appended)
# --------------------------------------------------------------------------------------

RELEASE = "2026-01-02"
#: Parsers that read something from the file name (edition, year, version, release).
NAME_READERS = [
    "deprivation/File_10_-_IoD2019_Local_Authority_District_Summaries__lower-tier__.xlsx",
    "deprivation/File_10_-_IoD2025_Local_Authority_District_Summaries__lower-tier__v2.xlsx",
    "earnings/PROV - Work Geography Table 7.1a   Weekly pay - Gross 2024.xlsx",
    "earnings/PROV - Home Geography Table 8.1a   Weekly pay - Gross 2023.xls",
    "business/ukbusinessworkbook2025new.xlsx",
    "lookups/LAD_(December_2024)_to_LAU1_to_ITL3_to_ITL2_to_ITL1_(January_2025)_Lookup_in_the_UK.csv",
    "lookups/Local_Authority_District_to_Combined_Authority_(May_2025)_Lookup_in_EN.csv",
    "indicators_els/research-and-development-business.csv",
]


def _renamed(src, tmp_path):
    dst = tmp_path / fetch_mod.released_name(src.name, RELEASE)
    shutil.copyfile(src, dst)
    if src.with_suffix(".json").exists():
        shutil.copyfile(src.with_suffix(".json"), dst.with_suffix(".json"))
    return dst


@pytest.mark.shared
class TestRenamedRealFiles:
    def test_every_real_file_keeps_its_parser(self, public, tmp_path):
        from lis_analysis.sources import detect
        from lis_analysis.store import list_raw_files

        for _, src in list_raw_files([public]):
            assert detect(_renamed(src, tmp_path)).name == detect(src).name, src.name

    @pytest.mark.parametrize("rel", NAME_READERS)
    def test_same_observations_under_the_new_name(self, public_file, tmp_path, rel):
        from lis_analysis.sources import detect

        src = public_file(rel)
        dst = _renamed(src, tmp_path)
        a, b = detect(src).parse(src), detect(dst).parse(dst)
        # Everything but the file name is the same: values, markers, years and release.
        pd.testing.assert_frame_equal(a.drop(columns="source_file"), b.drop(columns="source_file"))
