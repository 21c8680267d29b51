"""Hostile respondent text and a check that HTML made from it is inert (no tag but the
allowed ones, no ``javascript:`` attribute): shared by the tests of lis_analysis.safetext,
the escaped tables of lis_analysis.pages.tables and the demonstrator's evidence."""

from __future__ import annotations

from html.parser import HTMLParser

HOSTILE = [
    "<script>alert('x')</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">click</a>',
    "[click](javascript:alert(1))",
    "<javascript:alert(1)>",
    "<iframe src=//evil.example></iframe>",
    "&lt;script&gt; already escaped",
    "</td></tr></table><script>x()</script>",
]


class Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.extend(attrs)

    def handle_data(self, data):
        self.text.append(data)


def parse(html: str) -> Tags:
    p = Tags()
    p.feed(html)
    p.close()
    return p


def assert_inert(html: str, allowed_tags: set[str], allowed_attrs: set[str]) -> Tags:
    p = parse(html)
    assert set(p.tags) <= allowed_tags, set(p.tags) - allowed_tags
    for name, value in p.attrs:
        assert name in allowed_attrs, name
        assert "javascript" not in (value or "").lower()
    return p
