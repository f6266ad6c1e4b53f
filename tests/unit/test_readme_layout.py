"""The README's layout names every folder and runtime module that is in the tree."""

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def layout_block() -> str:
    text = (REPO / "README.md").read_text()
    return re.search(r"## Layout\n\n```\n(.*?)```", text, re.S).group(1)


def named(name: str, block: str) -> bool:
    """`name` as a word of its own (a folder may go on into a path: `silver/datasets.py`)."""
    after = "" if name.endswith("/") else r"(?![\w])"
    return re.search(rf"(?<![\w.]){re.escape(name)}{after}", block) is not None


def test_the_layout_names_what_the_tree_holds():
    block = layout_block()
    folders = [p for top in ("jobs", "local", "tests") for p in (REPO / top).iterdir() if (p / "__init__.py").exists()]
    modules = [p for top in ("jobs/runtime", "transforms", "expectations") for p in (REPO / top).glob("*.py")]
    wanted = {f"{p.name}/" for p in folders} | {p.name for p in modules if p.name != "__init__.py"}
    assert sorted(name for name in wanted if not named(name, block)) == []


def test_the_layout_names_nothing_that_is_gone():
    block = layout_block()
    mentioned = set(re.findall(r"\b([a-z_]+\.py)\b", block))
    present = {p.name for p in REPO.rglob("*.py") if ".venv" not in p.parts}
    assert sorted(mentioned - present) == []
