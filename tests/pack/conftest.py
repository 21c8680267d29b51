"""Fixtures of the pack's tests: kernel state in a temporary folder, one in-process
executor per test module, and a fresh project per test (see ``tests/pack/project.py``)."""

from __future__ import annotations

import pytest

from lis_analysis.config import Paths
from lis_analysis.pack.executors import InlineExecutor
from tests.pack.project import make_project


@pytest.fixture(scope="module")
def kernel_env(tmp_path_factory):
    """matplotlib, IPython and Jupyter state in a temporary folder."""
    cfg = tmp_path_factory.mktemp("kernel-cfg")
    env = {
        "MPLCONFIGDIR": str(cfg / "mpl"),
        "IPYTHONDIR": str(cfg / "ipython"),
        "JUPYTER_CONFIG_DIR": str(cfg / "jupyter"),
    }
    with pytest.MonkeyPatch.context() as mp:
        for k, v in env.items():
            mp.setenv(k, v)
        yield env


@pytest.fixture(scope="module")
def executor(kernel_env):
    """One in-process executor (and kernel template) shared by the module's tests."""
    env = {**kernel_env, "PYDEVD_DISABLE_FILE_VALIDATION": "1", "JUPYTER_PLATFORM_DIRS": "1"}
    ex = InlineExecutor(env)
    yield ex
    ex.shutdown()


@pytest.fixture
def project(tmp_path, kernel_env, monkeypatch) -> Paths:
    monkeypatch.setenv("LIS_HOME", str(tmp_path))
    return make_project(tmp_path)
