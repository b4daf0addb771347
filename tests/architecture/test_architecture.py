"""Imports go one way: no cycle among the modules of ``geo``, no import from a layer above (the
layers are listed in ARCHITECTURE.md), and the app's script imports only the app's package.

Every import counts: at the top of a module, inside a function, or only for type checking.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GEO = ROOT / "geo"
APP_PACKAGES = ("geo.web",)


def _modules(root: Path = GEO) -> dict[str, Path]:
    """Dotted name -> file of every module of the package at ``root``."""
    out = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def _owner(name: str, modules: dict[str, Path]) -> str | None:
    """The module ``name`` lives in (``geo.a.b.func`` -> ``geo.a.b``), or None outside ``geo``."""
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def imports_of(module: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The ``geo`` modules ``module`` imports, wherever the import statement is."""
    found: set[str] = set()
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base_parts = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join(base_parts + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            # ``from pkg import sub`` imports the module pkg.sub; ``from mod import name``, mod
            targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names]
        else:
            continue
        for target in targets:
            owner = _owner(target, modules) if target.split(".")[0] == "geo" else None
            if owner is not None and owner != module:
                found.add(owner)
    return found


def import_graph(root: Path = GEO) -> dict[str, set[str]]:
    modules = _modules(root)
    return {m: imports_of(m, p, modules) for m, p in modules.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in graph:
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    top = stack.pop()
                    on_stack.discard(top)
                    component.append(top)
                    if top == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def declared_layers(text: str | None = None) -> list[tuple[str, list[str]]]:
    """(layer, its modules and packages), lowest first, from the ``layers`` block of ARCHITECTURE.md."""
    text = text if text is not None else (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
    block = re.search(r"```layers\n(.*?)```", text, re.S)
    assert block, "ARCHITECTURE.md has no ```layers block"
    out = []
    for line in block.group(1).splitlines():
        if line.strip():
            name, _, members = line.partition(":")
            out.append((name.strip(), members.split()))
    return out


def layer_of(module: str, layers: list[tuple[str, list[str]]]) -> int | None:
    """Index of the layer holding ``module``: the longest declared name that is it or a package of it
    (the root package ``geo`` holds only itself, so a new module must be declared)."""
    best: tuple[int, int] | None = None
    for i, (_, members) in enumerate(layers):
        for m in members:
            holds = module == m or ("." in m and module.startswith(m + "."))
            if holds and (best is None or len(m) > best[0]):
                best = (len(m), i)
    return None if best is None else best[1]


def upward_imports(graph: dict[str, set[str]], layers: list[tuple[str, list[str]]]) -> list[str]:
    out = []
    for module, targets in sorted(graph.items()):
        here = layer_of(module, layers)
        for target in sorted(targets):
            there = layer_of(target, layers)
            if here is not None and there is not None and there > here:
                out.append(f"{module} ({layers[here][0]}) imports {target} ({layers[there][0]})")
    return out


def test_no_import_cycle() -> None:
    assert cycles(import_graph()) == []


def test_every_module_is_in_a_declared_layer() -> None:
    layers = declared_layers()
    assert [m for m in import_graph() if layer_of(m, layers) is None] == []


def test_no_import_from_a_layer_above() -> None:
    assert upward_imports(import_graph(), declared_layers()) == []


def test_the_app_script_imports_only_the_app_package() -> None:
    modules = _modules()
    used = imports_of("streamlit_app", ROOT / "streamlit_app.py", modules)
    assert used, "streamlit_app.py imports nothing from geo: the check would prove nothing"
    assert sorted(m for m in used if not m.startswith(APP_PACKAGES)) == []


MAX_FUNCTION_LINES = 60
# being split into named steps elsewhere; remove once it is short
def long_functions(root: Path = GEO) -> list[str]:
    """``path:name (lines)`` of every function of ``root`` longer than ``MAX_FUNCTION_LINES``."""
    out = []
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = (node.end_lineno or node.lineno) - node.lineno + 1
                if lines > MAX_FUNCTION_LINES:
                    out.append(f"{path.relative_to(root.parent).as_posix()}:{node.name} ({lines})")
    return out


def test_no_function_over_sixty_lines() -> None:
    assert long_functions() == []


def test_one_datum_shift_and_one_folder_lock() -> None:
    """Only geo/coords.py talks to prcoords; only geo/atomic.py takes a file lock."""
    shifts = sorted(str(p.relative_to(ROOT)) for p in GEO.rglob("*.py") if "prcoords" in p.read_text("utf-8"))
    locks = sorted(str(p.relative_to(ROOT)) for p in GEO.rglob("*.py") if "fcntl.flock" in p.read_text("utf-8"))
    assert shifts == ["geo/coords.py"]
    assert locks == ["geo/atomic.py"]


def test_no_test_module_imports_another() -> None:
    """Shared helpers live in conftest.py or a helper module (documents, builds, geocoding, ...)."""
    found = []
    for path in sorted((ROOT / "tests").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            found += [f"{path.name}: {n}" for n in names if n.split(".")[-1].startswith("test_")]
    assert found == []


TESTS = ROOT / "tests"
# test folders that mirror no package of geo/, and what they hold
CROSS_CUTTING = {
    "architecture": "the layout itself: imports, markers, no copied report text, the import renamer",
    "base": "the base modules at the top of geo/ (errors, names, model, coords, atomic, outcome)",
    "eval": "the scores on the evaluation kit",
}


def misplaced_tests(tests: Path = TESTS, geo: Path = GEO) -> list[str]:
    """Test modules outside a folder that mirrors a package or module of ``geo`` (tests/text/ for
    geo/text/, tests/locate/county/ for geo/locate/county/, tests/cli/ for geo/cli.py) or one of
    the cross-cutting folders; a test module at the top of tests/ is misplaced too."""
    out = []
    for path in sorted(tests.rglob("test_*.py")):
        folder = path.parent.relative_to(tests).parts
        mirrored = geo.joinpath(*folder)
        if folder and ((len(folder) == 1 and folder[0] in CROSS_CUTTING)
                       or (mirrored / "__init__.py").is_file() or mirrored.with_suffix(".py").is_file()):
            continue
        out.append(path.relative_to(tests).as_posix())
    return out


def test_every_test_folder_mirrors_a_stage_or_is_cross_cutting() -> None:
    assert misplaced_tests() == []


def test_test_module_names_are_unique() -> None:
    """pytest imports each test module by its file name (the tests folders are not packages)."""
    names = [p.name for p in TESTS.rglob("test_*.py")]
    assert sorted({n for n in names if names.count(n) > 1}) == []


# ------------------------------------------------------------------ the checker itself


def _package(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = tmp_path / "geo" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path / "geo"


def test_a_cycle_through_a_function_level_import_is_found(tmp_path: Path) -> None:
    root = _package(tmp_path, {
        "__init__.py": "",
        "a.py": "from geo.b import g\n",
        "b.py": "def g():\n    from geo import c\n",
        "c.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from geo.a import f\n",
    })
    assert cycles(import_graph(root)) == [["geo.a", "geo.b", "geo.c"]]


def test_relative_and_package_imports_resolve_to_modules(tmp_path: Path) -> None:
    root = _package(tmp_path, {
        "__init__.py": "",
        "low/__init__.py": "from .one import x\n",
        "low/one.py": "x = 1\n",
        "high/__init__.py": "",
        "high/two.py": "from ..low import one\nfrom geo.low import x\nimport geo.high\n",
    })
    graph = import_graph(root)
    assert graph["geo.high.two"] == {"geo.low.one", "geo.low", "geo.high"}
    assert graph["geo.low"] == {"geo.low.one"}


@pytest.mark.parametrize(("importer", "imported", "upward"), [
    ("geo.low.a", "geo.high.b", True),
    ("geo.high.b", "geo.low.a", False),
    ("geo.low.a", "geo.low.c", False),
])
def test_an_upward_import_is_found(importer: str, imported: str, upward: bool) -> None:
    layers = declared_layers("```layers\nlow: geo.low\nhigh: geo.high\n```\n")
    found = upward_imports({importer: {imported}, imported: set()}, layers)
    assert bool(found) is upward


def test_a_module_outside_the_declared_layers_is_found() -> None:
    layers = declared_layers("```layers\nbase: geo geo.errors\ntext: geo.text\n```\n")
    assert layer_of("geo", layers) == 0 and layer_of("geo.text.clean", layers) == 1
    assert layer_of("geo.newcomer", layers) is None


def test_a_long_function_is_found(tmp_path: Path) -> None:
    body = "".join(f"    x{i} = {i}\n" for i in range(MAX_FUNCTION_LINES))
    root = _package(tmp_path, {"__init__.py": "", "a.py": f"def short():\n    pass\n\n\ndef long():\n{body}"})
    assert long_functions(root) == [f"geo/a.py:long ({MAX_FUNCTION_LINES + 1})"]


def test_a_misplaced_test_module_is_found(tmp_path: Path) -> None:
    for name in ("geo/text/__init__.py", "geo/cli.py", "tests/conftest.py", "tests/test_top.py",
                 "tests/text/test_a.py", "tests/cli/test_b.py", "tests/eval/test_c.py",
                 "tests/nowhere/test_d.py", "tests/text/deep/test_e.py", "tests/text/eval/test_f.py"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("", encoding="utf-8")
    assert misplaced_tests(tmp_path / "tests", tmp_path / "geo") == [
        "nowhere/test_d.py", "test_top.py", "text/deep/test_e.py", "text/eval/test_f.py"]
