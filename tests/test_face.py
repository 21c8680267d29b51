"""The economist's face (``import lis_analysis as lis``): one documented module, the only
holder of session state, whose examples run as doctests here, on the demonstrator, in a
project of their own (so that they never read or write the checkout's data)."""

from __future__ import annotations

import doctest
import importlib
import inspect
import shutil
import subprocess
import sys

import pytest

import lis_analysis as lis

#: Modules whose examples run: the face, and the methods and areas it hands out.
DOCTEST_MODULES = [
    "lis_analysis.api",
    "lis_analysis.config",
    "lis_analysis.geography",
    "lis_analysis.methods.gaps",
    "lis_analysis.methods.structure",
    "lis_analysis.methods.trends",
    "lis_analysis.methods.uncertainty",
    "lis_analysis.methods.position",
    "lis_analysis.methods.neighbours",
]

FACE = [
    "Area",
    "RunParams",
    "aggregate",
    "analyses",
    "area",
    "areas",
    "charts",
    "indicator_series",
    "indicators",
    "load",
    "methods",
    "page",
    "registry",
]


@pytest.fixture(scope="module")
def demo_project(tmp_path_factory, demo_store):
    """A project with an empty data/raw and the demonstrator in data/demo (copied from
    the session's demonstrator), as LIS_HOME; the face's session emptied around it."""
    from lis_analysis.api import session

    folder, _, _ = demo_store
    root = tmp_path_factory.mktemp("face_project")
    (root / "data" / "raw").mkdir(parents=True)
    shutil.copytree(folder, root / "data" / "demo")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("LIS_HOME", str(root))
        session().reset()
        yield root
        session().reset()


def test_dir_shows_only_the_face():
    assert lis.__all__ == FACE
    assert dir(lis) == FACE
    assert not any(
        isinstance(getattr(lis, n), type(sys))
        for n in FACE
        if n not in ("analyses", "charts", "methods")
    )


def test_indicators_is_a_plain_function_and_the_subpackage_still_imports():
    import lis_analysis.indicators.engine  # noqa: F401  (the subpackage, for the package's use)
    from lis_analysis.indicators import table

    assert inspect.isfunction(lis.indicators) and lis.indicators.__module__ == "lis_analysis.api"
    assert table.__module__ == "lis_analysis.indicators.engine"
    assert not callable(sys.modules["lis_analysis.indicators"])


def test_import_is_light():
    # the lis command imports the package: no pandas, no matplotlib until a face name is used
    code = "import sys, lis_analysis; print('pandas' in sys.modules, 'matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_every_entry_point_is_documented_with_an_example():
    for name in FACE:
        obj = getattr(lis, name)
        if inspect.ismodule(obj):
            assert obj.__doc__, name
            continue
        doc = inspect.getdoc(obj) or ""
        assert "Examples" in doc and ">>>" in doc, f"{name} has no example"
        if inspect.isfunction(obj):
            assert "Parameters" in doc and "Returns" in doc, f"{name} lacks numpydoc sections"


def test_every_method_has_an_example():
    import lis_analysis.methods as methods

    missing = [
        n
        for n in methods.__all__
        if inspect.isfunction(getattr(methods, n))
        and ">>>" not in (getattr(methods, n).__doc__ or "")
    ]
    assert not missing, f"methods without an example: {missing}"


def test_the_face_alone_holds_session_state():
    # no module-level mutable state in the modules that used to keep it
    import lis_analysis.geography as geography

    assert not hasattr(geography, "_SLICES")
    from lis_analysis.api import Session, session

    assert isinstance(session(), Session) and session() is session()


@pytest.mark.parametrize("module", DOCTEST_MODULES)
def test_examples_run(module, demo_project):
    mod = importlib.import_module(module)
    res = doctest.testmod(mod, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert res.failed == 0, f"{res.failed} example(s) of {module} failed (printed above)"
    if module == "lis_analysis.api":
        assert res.attempted >= 20


def test_page_opens_on_the_session_data(demo_project):
    from lis_analysis.api import session
    from lis_analysis.pages import Page

    lis.load()
    rv = lis.page("E37000021")
    assert rv.area.code == "E37000021" and rv.demo is session().demo
    assert isinstance(rv, Page)
