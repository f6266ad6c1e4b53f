"""`make contracts-test`: `datacontract test` of every silver and gold contract against what
the local lake publishes now (after `make run-local`): each field present, required fields
never empty, the primary key unique, as the Data Contract CLI checks them with DuckDB (it does
not check types in Parquet files yet, and warns).

The lake's tables are snapshots the catalog points at, partition by partition, so the files
of one table are not one folder. `python -m local published` lists the published folders;
here each table gets a folder of links in Hive layout (`<key>=<value>/` per partition) and
a copy of its contract whose `local` server reads that folder. Runs in .venv-contracts (with
the CLI's DuckDB extra) and imports nothing that needs Spark.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

LOCAL_SERVER = "local"
CANARY_COLUMN = "no_such_column"  # a required field no table has: its test must fail


def link_tree(folders: dict[str, str], target: Path) -> Path:
    """A folder in Hive layout (a `<key>=<value>/` folder per partition; "" is the whole
    unpartitioned table) of links to the published Parquet files (DuckDB's `**` does not
    follow a linked folder)."""
    for spec, folder in folders.items():
        partition = target / spec if spec else target
        partition.mkdir(parents=True, exist_ok=True)
        for data_file in sorted(Path(folder).glob("*.parquet")):
            (partition / data_file.name).symlink_to(data_file)
    target.mkdir(parents=True, exist_ok=True)
    return target


def with_local_server(document: dict[str, Any], data: Path) -> dict[str, Any]:
    """The contract with its `local` server reading every Parquet file under `data` (Hive
    partition folders give the partition columns), its other servers dropped."""
    (local,) = [s for s in document["servers"] if s["server"] == LOCAL_SERVER]
    server = {**local, "path": f"{data}/**/*.parquet"}
    return {**document, "servers": [server]}


def contract_tests(contracts: Path, published: dict[str, Any], workdir: Path) -> dict[str, Path]:
    """The contract copies to test, by table: every silver and gold contract whose table the
    lake publishes."""
    copies = {}
    for path in sorted(contracts.rglob("*.odcs.yaml")):
        document = yaml.safe_load(path.read_text())
        table = document["name"]
        if table not in published:
            continue
        data = link_tree(published[table]["folders"], workdir / "data" / table)
        copy = workdir / "contracts" / f"{table}.odcs.yaml"
        copy.parent.mkdir(parents=True, exist_ok=True)
        copy.write_text(yaml.safe_dump(with_local_server(document, data), sort_keys=False))
        copies[table] = copy
    return copies


def datacontract_test(contract: Path) -> subprocess.CompletedProcess[str]:
    command = [str(Path(sys.executable).parent / "datacontract"), "test", str(contract), "--server", LOCAL_SERVER]
    return subprocess.run(command, capture_output=True, text=True)


def canary(contract: Path) -> Path:
    """A copy of a contract that asks for a required column its table lacks."""
    document = yaml.safe_load(contract.read_text())
    document["schema"][0]["properties"].append({"name": CANARY_COLUMN, "physicalType": "string", "required": True})
    broken = contract.with_name(f"canary-{contract.name}")
    broken.write_text(yaml.safe_dump(document, sort_keys=False))
    return broken


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("published", type=Path, help="what `python -m local published` wrote")
    parser.add_argument("--contracts", type=Path, default=Path("transforms/contracts"))
    args = parser.parse_args(argv)
    published = json.loads(args.published.read_text())
    with tempfile.TemporaryDirectory() as workdir:
        copies = contract_tests(args.contracts, published, Path(workdir))
        if not copies:
            print("no contract's table is in the lake: run `make run-local` first", file=sys.stderr)
            return 1
        if datacontract_test(canary(next(iter(copies.values())))).returncode == 0:
            print(f"a contract asking for {CANARY_COLUMN!r} passed: the test cannot fail", file=sys.stderr)
            return 1
        failed = []
        for table, copy in copies.items():
            result = datacontract_test(copy)
            print(f"{'ok  ' if result.returncode == 0 else 'FAIL'} {table}")
            if result.returncode != 0:
                failed.append(table)
                print(result.stdout[-4000:] + result.stderr[-2000:])
    print(f"{len(copies) - len(failed)} of {len(copies)} contract(s) hold on the lake's published data")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
