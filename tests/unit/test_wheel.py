"""The wheel Glue loads holds the job code and nothing that runs only here, and the job code
imports nothing the wheel lacks."""

import ast
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
IN_THE_WHEEL = ("jobs", "transforms", "expectations")


def test_the_wheel_holds_only_the_job_code(tmp_path):
    source = tmp_path / "source"  # a copy: building writes build/ next to setup.py
    shutil.copytree(REPO, source, ignore=shutil.ignore_patterns(".*", "lake", "*.egg-info", "__pycache__"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", tmp_path, source], check=True)
    (wheel,) = tmp_path.glob("*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    packages = {name.split("/")[0] for name in names if not name.split("/")[0].endswith(".dist-info")}
    assert packages == set(IN_THE_WHEEL)
    assert "jobs/bronze_to_silver.py" in names and "jobs/silver/datasets.py" in names
    shipped = {name for name in names if name.endswith(".odcs.yaml")}  # the contracts the code reads
    assert "transforms/contracts/sales/silver_orders.odcs.yaml" in shipped
    assert len(shipped) == len(list((REPO / "transforms" / "contracts").rglob("*.odcs.yaml")))
    assert "jobs/runtime/lineage_facets.schema.json" in names  # what the lineage facets' _schemaURL names


def imported_top_levels(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_job_code_never_imports_what_runs_only_here():
    for package in IN_THE_WHEEL:
        for path in (REPO / package).rglob("*.py"):
            assert not imported_top_levels(path) & {"local", "bench", "tests"}, path
