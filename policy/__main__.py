"""`python -m policy PLAN.json [PLAN.json ...] [--config FILE]`: every policy over offline plans.

One line per violation (`LEVEL POLICY URN: MESSAGE`); exit 1 if any is mandatory, 2 if an input cannot be read."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .offline import PolicyInputError, evaluate, read_json


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m policy", description="Check plan.json files against the project's policies.")
    parser.add_argument("plans", nargs="+", type=Path, metavar="PLAN.json")
    parser.add_argument("--config", type=Path, help="policy config, as for pulumi preview --policy-pack-config")
    args = parser.parse_args(argv)
    try:
        config = read_json(args.config, "policy config") if args.config else None
        results = [(plan, evaluate(read_json(plan, "plan"), config, str(plan), str(args.config))) for plan in args.plans]
    except PolicyInputError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    mandatory = 0
    for plan, violations in results:
        for v in violations:
            print(f"{v.enforcement} {v.policy} {v.urn}: {v.message}")
        mandatory += sum(v.enforcement == "mandatory" for v in violations)
        print(f"{plan}: {len(violations)} violation(s), {sum(v.enforcement == 'mandatory' for v in violations)} mandatory")
    return 1 if mandatory else 0


if __name__ == "__main__":
    sys.exit(main())
