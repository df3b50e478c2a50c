#!/usr/bin/env python3
"""Which helpers a program type may call on the running kernel: loads,
with bpftool, `call ID; r0 = 1; exit` for each id and reads the verifier
log; "unknown func" or "cannot use helper" means the type may not call it (any other error is
about the arguments: the type may call it). Usage: probe_helpers.py
SECTION TYPE ID..."""
import os, subprocess, sys, tempfile

PIN = "/sys/fs/bpf/vep_helper_probe"  # unpinned after each load

def main():
    section, ptype, ids = sys.argv[1], sys.argv[2], sys.argv[3:]
    with tempfile.TemporaryDirectory() as work:
        src, obj = os.path.join(work, "p.s"), os.path.join(work, "p.o")
        for hid in ids:
            with open(src, "w") as f:
                f.write(f"""\t.section\t{section},"ax",@progbits
\t.globl\tprog
\t.type\tprog,@function
prog:
\tcall {hid}
\tr0 = 1
\texit
.Lend:
\t.size\tprog, .Lend-prog
\t.section\tlicense,"aw",@progbits
\t.globl\t_license
_license:
\t.asciz\t"GPL"
""")
            subprocess.run(["llvm-mc", "-triple", "bpf", "-filetype=obj", src,
                            "-o", obj], check=True)
            r = subprocess.run(["bpftool", "-d", "prog", "load", obj, PIN, "type",
                                ptype], capture_output=True, text=True)
            if os.path.exists(PIN):
                os.unlink(PIN)
            log = r.stdout + r.stderr
            allowed = not ("unknown func" in log or "cannot use helper" in log)
            print(f"helper {hid}: {'allowed' if allowed else 'not allowed'}")

if __name__ == "__main__":
    main()
