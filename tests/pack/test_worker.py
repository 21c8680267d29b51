"""The worker's checks on parameters: what the injected cell may hold, what a notebook declares."""

from __future__ import annotations

import nbformat
import pytest

from lis_analysis.pack.worker import UnsafeParameters, check_injected, declared_parameters
from tests.pack.project import PARAMS_CELL


def test_check_injected_accepts_literals_and_refuses_code():
    def nb(source):
        cell = nbformat.v4.new_code_cell(source)
        cell.metadata["tags"] = ["injected-parameters"]
        return nbformat.v4.new_notebook(cells=[cell])

    check_injected(nb('# Parameters\narea = "E37000021"\nraw = ["a\\"b", "c\\nd"]\nn = None\n'))
    for bad in ('area = __import__("os").system("true")', "import os", "x = [f(1)]", "a, b = 1, 2"):
        with pytest.raises(UnsafeParameters):
            check_injected(nb(bad))


def test_declared_parameters_reads_annotated_cells():
    cell = nbformat.v4.new_code_cell(PARAMS_CELL.split("\n", 1)[1])
    cell.metadata["tags"] = ["parameters"]
    assert declared_parameters(nbformat.v4.new_notebook(cells=[cell])) == {
        "area",
        "raw",
        "params_file",
        "evidence",
        "neighbour_characteristics",
    }
    assert declared_parameters(nbformat.v4.new_notebook()) is None
