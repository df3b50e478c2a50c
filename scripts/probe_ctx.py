#!/usr/bin/env python3
"""Probe which context accesses the running kernel's verifier accepts.

For a program type (a libbpf section name and bpftool type) loads, with
bpftool, one program per (offset, size, access): a load `rX = *(uN *)(r1 +
off)`, a register store `*(uN *)(r1 + off) = r2` and an immediate store
`*(uN *)(r1 + off) = 0`, for offsets -8 .. MAX_OFFSET and sizes 1, 2, 4,
8, and prints the accepted offsets per access and size. Run as root; the
tables of vep-ebpf/src/elf.c and vep-ebpf/tests/progtype_test.cc came from
`probe_ctx.py sockops sockops 240` and `probe_ctx.py perf_event perf_event
200` on Linux 6.18.
Usage: probe_ctx.py SECTION TYPE MAX_OFFSET
"""
import os, subprocess, sys, tempfile

SIZES = {1: "u8", 2: "u16", 4: "u32", 8: "u64"}
PIN = "/sys/fs/bpf/vep_ctx_probe"  # unpinned after each load

def program(section, body):
    return f"""\t.section\t{section},"ax",@progbits
\t.globl\tprog
\t.type\tprog,@function
prog:
{body}
\tr0 = 1
\texit
.Lend:
\t.size\tprog, .Lend-prog
\t.section\tlicense,"aw",@progbits
\t.globl\t_license
_license:
\t.asciz\t"GPL"
"""

def loads(section, ptype, body, work):
    src, obj = os.path.join(work, "p.s"), os.path.join(work, "p.o")
    with open(src, "w") as f:
        f.write(program(section, body))
    subprocess.run(["llvm-mc", "-triple", "bpf", "-filetype=obj", src, "-o", obj],
                   check=True)
    ok = subprocess.run(["bpftool", "prog", "load", obj, PIN, "type", ptype],
                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
                        ).returncode == 0
    if os.path.exists(PIN):
        os.unlink(PIN)
    return ok

def st_imm(size, off):
    """BPF_ST | BPF_MEM | size, dst r1, imm 0 (llvm-mc 14 cannot spell it)."""
    code = 0x62 | {1: 0x10, 2: 0x08, 4: 0x00, 8: 0x18}[size]
    return "\t.byte " + ", ".join(str(b) for b in
        [code, 1] + list((off & 0xffff).to_bytes(2, "little")) + [0] * 4)

def main():
    section, ptype, max_off = sys.argv[1], sys.argv[2], int(sys.argv[3])
    with tempfile.TemporaryDirectory() as work:
        for name, body in (
            ("read", "\tr0 = *({t} *)(r1 {o:+d})"),
            ("write-reg", "\tr2 = 0\n\t*({t} *)(r1 {o:+d}) = r2"),
            ("write-imm", "{st}"),
        ):
            for size, t in SIZES.items():
                ok = [o for o in range(-8, max_off + 1)
                      if loads(section, ptype,
                               body.format(t=t, o=o, st=st_imm(size, o)), work)]
                print(f"{name} size {size}: {ok}")
                sys.stdout.flush()

if __name__ == "__main__":
    main()
