"""The package's imports have no cycles, between modules or between the package's folders:
each folder is one idea that the ones above it build on (DESIGN.md's one way data flows).
Every import counts, also those made inside a function or only for type checking."""

from __future__ import annotations

import ast
from collections.abc import Iterable
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"


def _modules() -> dict[str, Path]:
    out = {}
    for f in (SRC / "smartball").rglob("*.py"):
        name = ".".join(f.relative_to(SRC).with_suffix("").parts)
        out[name.removesuffix(".__init__")] = f
    return out


def _imports(name: str, path: Path, known: Iterable[str]) -> set[str]:
    known = set(known)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            targets = [base, *(f"{base}.{a.name}" for a in node.names)]
        else:
            continue
        for target in targets:
            parts = target.split(".")
            # Importing a module imports every package above it, too.
            for k in range(1, len(parts) + 1):
                up = ".".join(parts[:k])
                if up in known and up != name and not name.startswith(up + "."):
                    found.add(up)
    return found


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one node (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def _folder(module: str) -> str:
    """``smartball.view.live`` -> ``smartball.view``; a top-level module is its own."""
    parts = module.split(".")
    return ".".join(parts[:2])


def test_no_module_imports_itself_round_about() -> None:
    mods = _modules()
    graph = {m: _imports(m, p, mods) for m, p in mods.items()}
    assert _cycles(graph) == []


def test_no_two_folders_import_each_other() -> None:
    mods = _modules()
    graph: dict[str, set[str]] = {}
    for m, p in mods.items():
        if m == "smartball":
            continue
        src = _folder(m)
        graph.setdefault(src, set()).update(
            _folder(t) for t in _imports(m, p, mods) if t != "smartball" and _folder(t) != src)
    cycles = _cycles(graph)
    # The command line sits on top of everything, and nothing below it imports it.
    assert cycles == [], cycles


def test_the_checker_finds_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []
