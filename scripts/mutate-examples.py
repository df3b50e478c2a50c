#!/usr/bin/env python3
"""Runs mutants of the examples through vep-c or vepcc and reports how each
ended: a crash (signal), a hang (time limit) or an exit status outside 0..2
is a defect of the tool; for vepcc, exit 3 (internal error) on a program
vep-c verified is a gap between what VEP-C proves and what the bytecode
proof can show, reported with the mutant kept for reproduction.

Mutations are small edits a developer makes by mistake: delete or duplicate
a line, swap two tokens, replace a number (0, 1, 255, 65535, 2^32 - 1, ...)
or a token by an operator. Deterministic for a given --seed.

  python3 scripts/mutate-examples.py --tool build/bin/vepcc --count 200
  python3 scripts/mutate-examples.py --tool build/bin/vep-c --count 40 --keep /tmp/m

Exit status: 0 when no mutant crashed or hung (and, with --strict, none
made vepcc report an internal error), 1 otherwise, 2 on bad arguments.
"""
import argparse
import random
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NUMBERS = ["0", "1", "255", "65535", "4294967295", "-1", "63", "64"]
OPERATORS = ["<", ">", "<=", ">=", "+", "-", "*", "/", "%", "&", "|", "^",
             "<<", ">>", "==", "!=", "&&", "||", "!", "~"]


def mutate(src, rnd):
    lines = src.split("\n")
    toks = src.split(" ")
    kind = rnd.randrange(5)
    if kind == 0:
        del lines[rnd.randrange(len(lines))]
        return "\n".join(lines)
    if kind == 1:
        lines.insert(rnd.randrange(len(lines)), rnd.choice(lines))
        return "\n".join(lines)
    if kind == 2:
        i, j = rnd.randrange(len(toks)), rnd.randrange(len(toks))
        toks[i], toks[j] = toks[j], toks[i]
        return " ".join(toks)
    nums = list(re.finditer(r"\b\d+\b", src))
    if kind == 3 and nums:
        m = rnd.choice(nums)
        return src[:m.start()] + rnd.choice(NUMBERS) + src[m.end():]
    toks[rnd.randrange(len(toks))] = rnd.choice(OPERATORS)
    return " ".join(toks)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--tool", required=True, help="path of vep-c or vepcc")
    ap.add_argument("--count", type=int, default=100)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=60.0,
                    help="seconds per run before it counts as a hang")
    ap.add_argument("--strict", action="store_true",
                    help="also fail on vepcc internal errors (exit 3)")
    ap.add_argument("--keep", type=Path, help="directory for the mutants that failed")
    args = ap.parse_args()
    tool = Path(args.tool)
    if not tool.is_file():
        print(f"mutate-examples: no tool at {tool}", file=sys.stderr)
        return 2
    sources = sorted((ROOT / "examples").glob("*.c")) + \
        sorted((ROOT / "examples" / "unsafe").glob("*.c"))
    rnd = random.Random(args.seed)
    counts = {}
    defects = gaps = 0
    with tempfile.TemporaryDirectory() as tmp:
        mutant = Path(tmp) / "mutant.c"
        for i in range(args.count):
            origin = rnd.choice(sources)
            mutant.write_text(mutate(origin.read_text(), rnd))
            argv = [str(tool), str(mutant)]
            if tool.name == "vepcc":
                argv += ["-o", str(Path(tmp) / "mutant.o")]
            try:
                p = subprocess.run(argv, capture_output=True, text=True,
                                   errors="replace", timeout=args.timeout)
                rc = p.returncode
                why = (p.stderr.strip().splitlines() or [""])[-1][:200]
            except subprocess.TimeoutExpired:
                rc, why = "hang", f"no answer within {args.timeout} s"
            counts[rc] = counts.get(rc, 0) + 1
            compiler = tool.name == "vepcc"
            defect = rc not in ((0, 1, 2, 3) if compiler else (0, 1, 2))
            gap = compiler and rc == 3
            if defect or gap:
                defects += defect
                gaps += gap
                print(f"mutant {i} of {origin.name}: "
                      f"{'DEFECT' if defect else 'internal error'} ({rc}): {why}")
                if args.keep:
                    args.keep.mkdir(parents=True, exist_ok=True)
                    shutil.copy(mutant, args.keep / f"mutant-{args.seed}-{i}-{origin.name}")
    summary = ", ".join(f"{k}: {v}" for k, v in sorted(counts.items(), key=str))
    print(f"mutate-examples: {args.count} mutants through {tool.name} "
          f"(seed {args.seed}); exit statuses {summary}; "
          f"{defects} crashes or hangs, {gaps} internal errors")
    return 1 if defects or (args.strict and gaps) else 0


if __name__ == "__main__":
    sys.exit(main())
