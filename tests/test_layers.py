"""Dependencies point one way (DESIGN.md's layers), and no package modules import each other in a cycle.

Every module of ``lis_analysis`` is parsed (``ast``, nothing is imported) and each of its
imports of another package module, at the top or inside a function, is an edge; imports
under ``if TYPE_CHECKING:`` are not (they never run). A module may import only from its
own layer or the layers below it:

    base utilities -> sources -> store -> geography -> methods -> indicators
    -> readings -> pages -> face -> pack -> cli

There is no list of exceptions: any import pointing up the layers, and any import cycle
among package modules, fails.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "lis_analysis"

#: DESIGN.md's layers, bottom first. A module belongs to the first layer one of whose
#: names is the module itself or a package holding it. (Names that do not exist yet are
#: where the modules being restructured are going.)
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    (
        "base",
        (
            "errors",
            "config",
            "_files",
            "_procs",
            "_yaml",
            "periods",
            "safetext",
            "demo_marker",
            "industries",
            "paths",
            "params",
        ),
    ),
    ("sources", ("sources", "fetch", "demo")),  # fetch and demo write published files
    ("store", ("store", "workspace")),
    ("geography", ("geography",)),
    ("methods", ("methods",)),
    ("indicators", ("indicators",)),
    ("readings", ("priorities", "consultation", "analyses")),
    ("pages", ("pages", "notebook")),  # notebook: what a page reports to the pack
    ("face", ("", "api")),  # "" is lis_analysis/__init__.py
    ("pack", ("pack",)),
    ("cli", ("cli",)),
]


def _modules() -> dict[str, Path]:
    """``{dotted name relative to lis_analysis: file}``; a package is its ``__init__``."""
    out = {}
    for f in sorted(PACKAGE.rglob("*.py")):
        parts = list(f.relative_to(PACKAGE).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = f
    return out


MODULES = _modules()


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.AST) -> list[ast.Import | ast.ImportFrom]:
    """Every import statement that can run (not under ``if TYPE_CHECKING:``)."""
    found: list[ast.Import | ast.ImportFrom] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import | ast.ImportFrom):
            found.append(node)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def _target(name: str) -> str | None:
    """The package module an absolute dotted name refers to (itself or its holder)."""
    if name != "lis_analysis" and not name.startswith("lis_analysis."):
        return None
    rel = name.removeprefix("lis_analysis").lstrip(".")
    while rel not in MODULES:
        if "." not in rel:
            return None
        rel = rel.rsplit(".", 1)[0]
    return rel


def edges_of(module: str) -> set[str]:
    """The package modules ``module`` imports."""
    path = MODULES[module]
    is_package = path.name == "__init__.py"
    here = ["lis_analysis", *([p for p in module.split(".") if p])]
    if not is_package:
        here = here[:-1]  # the package holding the module
    out: set[str] = set()
    for node in _imports(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        else:
            if node.level:
                base = ".".join(here[: len(here) - (node.level - 1)])
                base = f"{base}.{node.module}" if node.module else base
            else:
                base = node.module or ""
            names = []
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                if _target(sub) == sub.removeprefix("lis_analysis").lstrip("."):
                    names.append(sub)  # ``from . import charts``: the module itself
                elif alias.name != "__version__":  # the version is metadata, not the face
                    names.append(base)
        for name in names:
            target = _target(name)
            if target is not None and target != module:
                out.add(target)
    return out


GRAPH = {m: edges_of(m) for m in MODULES}


def layer_of(module: str) -> int:
    for i, (_, names) in enumerate(LAYERS):
        for name in names:
            if module == name or (name and module.startswith(name + ".")):
                return i
    raise AssertionError(f"lis_analysis.{module or '__init__'} is in no layer: add it to LAYERS")


def test_every_module_has_a_layer():
    for module in MODULES:
        layer_of(module)


def test_imports_point_down_the_layers():
    upward = {(m, t) for m, targets in GRAPH.items() for t in targets if layer_of(t) > layer_of(m)}
    new = sorted(upward)
    assert not new, "imports pointing up the layers (DESIGN.md): " + ", ".join(
        f"{m or 'lis_analysis'} ({LAYERS[layer_of(m)][0]}) -> {t} ({LAYERS[layer_of(t)][0]})"
        for m, t in new
    )


def test_nothing_below_the_pack_imports_it():
    pack = layer_of("pack")
    for module, targets in GRAPH.items():
        if layer_of(module) < pack:
            assert not [t for t in targets if t == "pack" or t.startswith("pack.")], module


def test_code_that_runs_in_a_kernel_never_imports_the_orchestrator():
    """What a notebook's kernel imports, directly or not, holds no module of the pack."""
    seen: set[str] = set()
    todo = ["notebook", "api", "pages", "analyses"]
    while todo:
        m = todo.pop()
        if m in seen or m not in GRAPH:
            continue
        seen.add(m)
        todo.extend(GRAPH[m])
    assert not sorted(m for m in seen if m == "pack" or m.startswith("pack."))


def _cycles() -> set[frozenset[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: set[frozenset[str]] = set()

    def strongconnect(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in GRAPH[v]:
            if w not in index:
                strongconnect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = set()
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.add(w)
                if w == v:
                    break
            if len(component) > 1:
                out.add(frozenset(component))

    for v in GRAPH:
        if v not in index:
            strongconnect(v)
    return out


def test_no_import_cycles():
    cycles = _cycles()
    assert not cycles, f"import cycles among package modules: {[sorted(c) for c in cycles]}"


def test_the_graph_sees_function_level_and_relative_imports():
    """The parser itself: a function-level import counts, a TYPE_CHECKING one does not,
    and ``from . import x`` / ``from .x import y`` resolve to modules."""
    assert "pack.worker" in GRAPH["pack.executors"]
    assert {"pack.jobs", "pack.kernels", "_files"} <= GRAPH["pack.worker"]
    assert "pack.run" in GRAPH["pack.commands"]  # imported inside cmd_run
    assert "store" in GRAPH["workspace"]  # from . import store
    assert "indicators.engine" in GRAPH["pack.commands"]  # imported inside cmd_indicators
    tree = ast.parse("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import x\n")
    assert _imports(tree)[0].module == "typing" and len(_imports(tree)) == 1
