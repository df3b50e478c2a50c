#!/usr/bin/env python3
"""VEP's evaluation harness: one command for the comparison table.

    python3 scripts/evaluate.py [--runs N] [--prevail PATH] [--out docs/evaluation.md]
                                [--repeat N] [--timeout S] [--bin DIR] [example.c ...]

Build first (bash scripts/build.sh). For every example (examples/*.c and
examples/unsafe/*.c unless files are named) it runs, --runs times:

  * vep-c (verdict, its own time, peak RSS from wait4 via scripts/peak_rss.c; once with --proof,
    the C-level proof's size and vep-c's time recording it), vepcc (verdict, wall
    time), vep-check --stats (check time, peak arena, proof size);
  * the same C built by clang-14 -O2: the Linux verifier's verdict and figures
    (verification time, processed insns, peak states), then, when both builds
    load, the run time per packet of each under BPF_PROG_TEST_RUN on a fixed
    98-byte Ethernet+IPv4+UDP packet;
  * PREVAIL on the clang object when --prevail or $PREVAIL_BIN names one;

and writes the medians as a Markdown report plus two gnuplot PNGs next to it.
Ratios are taken pair by pair within a run, then their median is reported.

Linux verification figures come from a BPF_PROG_LOAD issued here with log
level 4 (BPF_LOG_STATS: statistics only), because `bpftool -d` asks for the
full per-instruction log (level 7), which more than doubles the verifier's
time. bpftool still loads, pins and runs the objects and decides the verdict;
objects the direct loader cannot take (relocations, subprogram calls, unknown
section types) fall back to bpftool's figures, marked in the report.

Exit status: 0 when every safe example verifies, compiles and checks and every
unsafe example is rejected by vep-c (exit 1); 1 otherwise (the last line says
which); 2 on bad usage or missing tools. Python 3 standard library only.
"""

import argparse
import ctypes
import datetime
import os
import platform
import re
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# ---------------------------------------------------------------- processes


class Proc:
    """Outcome of one subprocess: rc is None when it did not run or timed out."""

    def __init__(self, rc=None, out="", err="", wall_s=0.0, maxrss_kib=None,
                 timed_out=False, error=None):
        self.rc, self.out, self.err = rc, out, err
        self.wall_s, self.maxrss_kib = wall_s, maxrss_kib
        self.timed_out, self.error = timed_out, error

    def why(self):
        if self.error:
            return self.error
        if self.timed_out:
            return "timed out"
        return f"exit {self.rc}"

    def failure(self):
        """`exit N: first error line` for a failed tool run."""
        line = first_error_line(self.err + self.out)
        return f"{self.why()}: {line}" if line and not self.error else self.why()


def tail(f, limit=16 << 20):
    """The last `limit` bytes of the file f, decoded. bpftool -d's verifier
    log of a program the kernel gives up on runs to about a GB; holding it
    would grow this harness's RSS, which every later child inherits in its
    ru_maxrss (a fork copies it, exec keeps the old high-water mark)."""
    size = f.seek(0, os.SEEK_END)
    f.seek(max(0, size - limit))
    return f.read().decode(errors="replace")


def build_peak_rss(tmp):
    """Compiles scripts/peak_rss.c, the launcher that measures a command's peak
    RSS without the harness's own pages (see its header). Returns its path or
    None (then the reason is printed)."""
    exe = tmp / "peak_rss"
    p = run(["cc", "-O2", "-o", exe, ROOT / "scripts" / "peak_rss.c"], 120)
    if p.rc != 0:
        print(f"evaluate: cannot build scripts/peak_rss.c: {p.failure()}", file=sys.stderr)
        return None
    return exe


def read_peak_rss(path):
    """The KiB peak_rss wrote, or None when the command did not get that far."""
    try:
        return int(Path(path).read_text())
    except (OSError, ValueError):
        return None


def run(argv, timeout):
    """Runs argv in its own session with a timeout (the whole session is killed
    when it expires). Returns wall time and the child's peak RSS (wait4)."""
    argv = [str(a) for a in argv]
    with tempfile.TemporaryFile() as fo, tempfile.TemporaryFile() as fe:
        t0 = time.perf_counter()
        try:
            p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=fo, stderr=fe,
                                 start_new_session=True)
        except OSError as e:
            return Proc(error=f"cannot run {argv[0]}: {e.strerror or e}")
        lock = threading.Lock()
        state = {"reaped": False, "killed": False}

        def kill():
            with lock:
                if not state["reaped"]:
                    state["killed"] = True
                    try:
                        os.killpg(p.pid, signal.SIGKILL)
                    except ProcessLookupError:
                        pass

        timer = threading.Timer(timeout, kill)
        timer.daemon = True
        timer.start()
        try:
            # Wait without reaping so the timer can never signal a reused pid.
            os.waitid(os.P_PID, p.pid, os.WEXITED | os.WNOWAIT)
            wall = time.perf_counter() - t0
            with lock:
                state["reaped"] = True
            timer.cancel()
            _, status, usage = os.wait4(p.pid, 0)
        except BaseException:
            timer.cancel()
            kill()
            try:
                os.wait4(p.pid, 0)
            except ChildProcessError:
                pass
            p.returncode = -1
            raise
        p.returncode = os.waitstatus_to_exitcode(status)
        out, err = tail(fo), tail(fe)
    if state["killed"]:
        return Proc(out=out, err=err, wall_s=wall, timed_out=True)
    return Proc(p.returncode, out, err, wall, usage.ru_maxrss)


def first_error_line(text):
    """The first line mentioning an error (else the last line), with paths
    inside the repository shortened."""
    text = text.replace(str(ROOT) + "/", "")
    for line in text.splitlines():
        if "error" in line:
            return line.strip()
    lines = [l.strip() for l in text.splitlines() if l.strip()]
    return lines[-1] if lines else ""


# ---------------------------------------------------------------- sources


def strip_comments(text):
    """Returns (code with comments and literals blanked, set of 1-based lines
    covered by /*@ ... */ annotations)."""
    out, annot = [], set()
    i, n, line = 0, len(text), 1
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            i = j
            continue
        if text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            chunk = text[i:j]
            if chunk.startswith("/*@"):
                annot.update(range(line, line + chunk.count("\n") + 1))
            out.append("\n" * chunk.count("\n"))
            line += chunk.count("\n")
            i = j
            continue
        if c in "\"'":
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            out.append(c + c)
            i = j + 1
            continue
        if c == "\n":
            line += 1
        out.append(c)
        i += 1
    return "".join(out), annot


LOOP_RE = re.compile(r"\b(for|while|do|bpf_loop|bpf_for|bpf_repeat)\b")
GROUP_RE = re.compile(r"^\s*//\s*group:\s*(\S.*?)\s*$", re.M)
KERNEL_CLAIM_RE = re.compile(r"kernel-verifier:\s*(rejects|accepts)", re.I)
PACKET, LOOPS, UNSAFE = "packet programs", "loops", "unsafe"


def source_info(src):
    text = src.read_text(errors="replace")
    code, annot = strip_comments(text)
    loc = sum(1 for l in code.splitlines() if l.strip())
    unsafe = src.parent.name == "unsafe"
    m = GROUP_RE.search(text)
    if m:
        group = m.group(1)
    elif unsafe:
        group = UNSAFE
    elif LOOP_RE.search(code):
        group = LOOPS
    else:
        group = PACKET
    claim = KERNEL_CLAIM_RE.search(text)
    return {"name": src.stem, "src": src, "unsafe": unsafe, "group": group,
            "loc": loc, "annot": len(annot),
            "kernel_claim": claim.group(1).lower() if claim else None}


# ---------------------------------------------------------------- ELF + direct BPF_PROG_LOAD


class Unsupported(Exception):
    pass


def parse_elf(path):
    d = Path(path).read_bytes()
    if d[:4] != b"\x7fELF" or d[4] != 2 or d[5] != 1:
        raise Unsupported("not a 64-bit little-endian ELF")
    (machine,) = struct.unpack_from("<H", d, 0x12)
    if machine != 247:
        raise Unsupported("not an eBPF ELF")
    (shoff,) = struct.unpack_from("<Q", d, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", d, 0x3A)
    raw = [struct.unpack_from("<IIQQQQIIQQ", d, shoff + i * shentsize) for i in range(shnum)]
    stroff = raw[shstrndx][4]

    def cstr(off):
        return d[off:d.index(b"\0", off)].decode(errors="replace")

    secs = [{"name": cstr(stroff + s[0]), "type": s[1], "flags": s[2], "data": d[s[4]:s[4] + s[5]],
             "link": s[6], "info": s[7]} for s in raw]
    syms = []
    for s in secs:
        if s["type"] == 2:  # SHT_SYMTAB
            strtab = secs[s["link"]]["data"]
            for k in range(0, len(s["data"]) - 23, 24):
                st_name, st_info, _, st_shndx, st_value, st_size = struct.unpack_from("<IBBHQQ", s["data"], k)
                name = strtab[st_name:strtab.index(b"\0", st_name)].decode(errors="replace")
                syms.append({"name": name, "func": st_info & 0xF == 2, "shndx": st_shndx,
                             "value": st_value, "size": st_size})
    return secs, syms


def program_sections(path):
    """[(section index, section name, function name)] of the object's programs."""
    secs, syms = parse_elf(path)
    progs = []
    for i, s in enumerate(secs):
        if s["flags"] & 0x4 and s["data"] and s["name"] != ".text":  # SHF_EXECINSTR
            funcs = [y["name"] for y in syms if y["func"] and y["shndx"] == i]
            progs.append((i, s["name"], funcs[0] if funcs else s["name"], len(funcs)))
    return secs, syms, progs


PROG_TYPES = [("xdp", 6), ("tc", 3), ("classifier", 3), ("socket", 1), ("kprobe", 2),
              ("kretprobe", 2), ("tracepoint", 5), ("tp", 5), ("raw_tracepoint", 17),
              ("raw_tp", 17), ("perf_event", 7), ("sockops", 13)]
# Sections whose programs BPF_PROG_TEST_RUN cannot time: kprobes,
# tracepoints, perf_event and sock_ops programs have no test run; raw
# tracepoints run once per call (no repeat, no duration) on arguments, not
# on a packet.
UNTIMED = ("kprobe", "kretprobe", "tracepoint", "tp", "raw_tracepoint", "raw_tp",
           "perf_event", "sockops")


def untimed_reason(obj):
    """Why the object's programs have no run time to measure, or None."""
    _, _, progs = program_sections(obj)
    for _, sec, _, _ in progs:
        if any(sec == p or sec.startswith(p + "/") for p in UNTIMED):
            return f"no timed BPF_PROG_TEST_RUN for section {sec}"
    return None
SYS_BPF = {"x86_64": 321, "aarch64": 280, "riscv64": 280, "s390x": 351, "ppc64le": 361}


def raw_programs(path):
    secs, _, progs = program_sections(path)
    if any(s["flags"] & 0x4 and s["data"] for s in secs if s["name"] == ".text"):
        raise Unsupported("subprograms in .text")
    exec_idx = {i for i, _, _, _ in progs}
    if any(s["type"] in (4, 9) and s["info"] in exec_idx for s in secs):
        raise Unsupported("relocations in program code (maps, calls)")
    lic = next((s["data"].split(b"\0")[0] for s in secs if s["name"] == "license"), b"")
    out = []
    for i, sec, func, nfuncs in progs:
        if nfuncs > 1:
            raise Unsupported(f"several functions in section {sec}")
        ptype = next((t for p, t in PROG_TYPES if sec == p or sec.startswith(p + "/")), None)
        if ptype is None:
            raise Unsupported(f"section type {sec}")
        insns = secs[i]["data"]
        for k in range(0, len(insns) - 7, 8):
            code, regs = insns[k], insns[k + 1]
            if (code == 0x85 and regs >> 4 == 1) or (code == 0x18 and regs >> 4 != 0):
                raise Unsupported("pseudo calls or map references")
        out.append((func, ptype, insns))
    return out, lic


def parse_verifier_log(log):
    """Sums verification time and processed insns, maximum peak states, over
    every program in a log."""
    us = [int(x) for x in re.findall(r"verification time (\d+) usec", log)]
    insns = [int(x) for x in re.findall(r"processed (\d+) insns", log)]
    peak = [int(x) for x in re.findall(r"peak_states (\d+)", log)]
    return (sum(us) if us else None, sum(insns) if insns else None, max(peak) if peak else None)


def raw_verify(path):
    """Loads every program of the object with BPF_PROG_LOAD, log level 4
    (statistics only). Returns {ok, us, insns, peak, reason}; raises
    Unsupported when this loader cannot take the object."""
    nr = SYS_BPF.get(platform.machine())
    if nr is None:
        raise Unsupported(f"bpf syscall number unknown on {platform.machine()}")
    progs, lic = raw_programs(path)
    libc = ctypes.CDLL(None, use_errno=True)
    libc.syscall.restype = ctypes.c_long
    license_buf = ctypes.create_string_buffer(lic)
    res = {"ok": True, "us": 0, "insns": 0, "peak": 0, "reason": ""}
    for name, ptype, insns in progs:
        ibuf = ctypes.create_string_buffer(insns, len(insns))
        log = ctypes.create_string_buffer(1 << 20)
        attr = ctypes.create_string_buffer(128)
        struct.pack_into("<IIQQIIQ", attr, 0, ptype, len(insns) // 8, ctypes.addressof(ibuf),
                         ctypes.addressof(license_buf), 4, len(log), ctypes.addressof(log))
        struct.pack_into("16s", attr, 48, name.encode()[:15])  # prog_name
        fd = libc.syscall(nr, 5, attr, ctypes.sizeof(attr))  # BPF_PROG_LOAD
        err = ctypes.get_errno()
        if fd >= 0:
            os.close(fd)
        elif err == 1:  # EPERM: no privilege to load BPF at all
            raise Unsupported("no permission to load BPF")
        text = log.value.decode(errors="replace")
        us, n, peak = parse_verifier_log(text)
        if us is None:
            raise Unsupported(f"no statistics in the log (errno {err})")
        res["us"] += us
        res["insns"] += n or 0
        res["peak"] = max(res["peak"], peak or 0)
        if fd < 0:
            res["ok"] = False
            msgs = [l for l in text.splitlines() if l.strip() and not re.match(
                r"(verification time|stack depth|processed \d+ insns)", l)]
            res["reason"] = res["reason"] or (msgs[0].strip() if msgs else os.strerror(err))
    return res


# ---------------------------------------------------------------- kernel


def kernel_available():
    if os.geteuid() != 0:
        return "not root"
    if not shutil.which("bpftool"):
        return "bpftool not installed"
    try:
        mounts = Path("/proc/mounts").read_text()
    except OSError:
        mounts = ""
    if not re.search(r"^\S+ /sys/fs/bpf bpf ", mounts, re.M):
        return "no bpffs at /sys/fs/bpf"
    return None


def crafted_packet():
    """98 bytes: Ethernet (14) + IPv4 without options (20) + UDP (8) + 56 bytes
    of payload, checksummed IPv4 header, 192.0.2.1:40000 -> 198.51.100.7:53."""
    payload = bytes(range(0x41, 0x41 + 56))
    udp = struct.pack("!HHHH", 40000, 53, 8 + len(payload), 0)
    ip = bytearray(struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp) + len(payload), 0x1234, 0x4000,
                               64, 17, 0, bytes([192, 0, 2, 1]), bytes([198, 51, 100, 7])))
    s = sum(struct.unpack("!10H", bytes(ip)))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    ip[10:12] = struct.pack("!H", ~s & 0xFFFF)
    eth = bytes.fromhex("020000000002" "020000000001" "0800")
    pkt = eth + bytes(ip) + udp + payload
    assert len(pkt) == 98
    return pkt


def bpftool_load(obj, pin, timeout):
    """bpftool -d prog loadall: (loaded, {pinned program name: path}, log)."""
    p = run(["bpftool", "-d", "prog", "loadall", obj, pin], timeout)
    progs = {}
    if p.rc == 0 and os.path.isdir(pin):
        progs = {e: os.path.join(pin, e) for e in sorted(os.listdir(pin))}
    return p.rc == 0, progs, p.out + p.err, p


def bpftool_reason(log):
    lines = log.splitlines()
    for k, l in enumerate(lines):
        if l.startswith("verification time"):
            for prev in reversed(lines[:k]):
                if prev.strip() and not prev.startswith("libbpf:"):
                    return prev.strip()
    fails = [l for l in lines if l.startswith("libbpf:") and ("fail" in l or "error" in l.lower())]
    return fails[0] if fails else (lines[-1].strip() if lines else "")


RUN_RE = re.compile(r"Return value:\s*(\d+),\s*duration \(average\):\s*(\d+)\s*ns")


def kernel_measure(objs, pkt_path, tag, args):
    """One run of the kernel side for {build: object}: verdict and figures for
    each build, and run time per packet when every build loads."""
    res = {}
    pins = {b: f"/sys/fs/bpf/vep_eval_{os.getpid()}_{tag}_{b}" for b in objs}
    try:
        for build, obj in objs.items():
            r = {}
            try:
                raw = raw_verify(obj)
            except Unsupported as e:
                raw, r["raw_note"] = None, str(e)
            except (OSError, ValueError, IndexError, struct.error) as e:
                raw, r["raw_note"] = None, f"unreadable ELF: {e}"
            shutil.rmtree(pins[build], ignore_errors=True)
            ok, progs, log, p = bpftool_load(obj, pins[build], args.timeout)
            r["ok"], r["progs"] = ok, progs
            if p.rc is None:
                r["error"] = p.why()
            if raw is not None and raw["ok"] == ok:
                r.update(us=raw["us"], insns=raw["insns"], peak=raw["peak"], source="stats-log")
                r["reason"] = raw["reason"] if not ok else ""
            else:
                us, n, peak = parse_verifier_log(log)
                r.update(us=us, insns=n, peak=peak, source="bpftool -d")
                r["reason"] = bpftool_reason(log) if not ok else ""
                if raw is not None:
                    r["raw_note"] = "direct load and bpftool disagree"
            res[build] = r
        untimed = untimed_reason(next(iter(objs.values())))
        if untimed:
            for build in objs:
                res[build]["untimed"] = untimed
        elif len(objs) == 2 and all(res[b]["ok"] and res[b]["progs"] for b in objs):
            common = sorted(set(res["vepcc"]["progs"]) & set(res["clang"]["progs"]))
            for build in objs:
                progs = res[build]["progs"]
                name = common[0] if common else next(iter(progs))
                p = run(["bpftool", "prog", "run", "pinned", progs[name], "data_in", pkt_path,
                         "repeat", args.repeat], args.timeout)
                m = RUN_RE.search(p.out + p.err)
                if m:
                    res[build]["ret"], res[build]["run_ns"] = int(m.group(1)), int(m.group(2))
                else:
                    res[build]["run_error"] = first_error_line(p.out + p.err) or p.why()
    finally:
        for pin in pins.values():
            shutil.rmtree(pin, ignore_errors=True)
    return res


# ---------------------------------------------------------------- tools


VEPC_RE = re.compile(r"^vep-c: (\S+): (verified|NOT verified)[^\n]*?(\d+) obligations?[^\n]*?, ([\d.]+) ms\s*$", re.M)
STATS_RE = re.compile(r"check time (\d+) us, peak arena (\d+) bytes, proof size (\d+) bytes")
PREVAIL_RE = re.compile(r"^\s*(0|1|true|false)\s*,\s*([0-9.eE+-]+)\s*,\s*(\d+)\s*$", re.M)


def count_insns(obj, timeout):
    objdump = shutil.which("llvm-objdump-14") or shutil.which("llvm-objdump")
    if not objdump:
        return None
    p = run([objdump, "-d", obj], timeout)
    if p.rc != 0:
        return None
    return sum(1 for l in p.out.splitlines() if re.match(r"^\s+\d+:", l))


def run_prevail(prevail, obj, timeout):
    """PREVAIL's `check` prints, as its last line, `<pass>,<seconds>,<peak RSS
    KiB>` (pass is 1/0 or true/false). We run it once per program section of the
    clang object (`check obj section`) and combine: accepts iff every section
    passes; time is the sum of its own reported seconds."""
    try:
        _, _, progs = program_sections(obj)
    except (Unsupported, OSError, ValueError, IndexError, struct.error):
        progs = []
    sections = [sec for _, sec, _, _ in progs] or [None]
    ok, total = True, 0.0
    for sec in sections:
        p = run([prevail, obj] + ([sec] if sec else []), timeout)
        m = None
        for m in PREVAIL_RE.finditer(p.out):
            pass
        if p.rc is None or m is None:
            return {"verdict": "error", "us": None,
                    "why": p.why() if p.rc is None else "no result line"}
        ok = ok and m.group(1) in ("1", "true")
        total += float(m.group(2))
    return {"verdict": "accepts" if ok else "rejects", "us": total * 1e6}


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def evaluate_program(info, idx, total, args, tmp, kernel_ok, pkt_path):
    name, src = info["name"], info["src"]
    bindir = args.bin
    r = dict(info)
    work = tmp / f"{idx:03d}_{name}"
    work.mkdir()
    vep_o, clang_o = work / f"{name}.o", work / f"{name}.clang.o"
    proof = vep_o.with_suffix(".proof")

    cc = run(["clang-14", "-O2", "-g", "-target", "bpf", f"-I/usr/include/{args.multiarch}", "-c", src,
              "-o", clang_o], args.timeout)
    r["clang_ok"] = cc.rc == 0
    r["clang_error"] = "" if cc.rc == 0 else (first_error_line(cc.err) or cc.why())

    runs = []
    for k in range(args.runs):
        x = {}
        rss_file = work / f"{name}.rss"
        p = run([args.peak_rss, rss_file, bindir / "vep-c", src], args.timeout)
        x["vepc_rc"], x["vepc_rss"] = p.rc, read_peak_rss(rss_file)
        ms = [(m.group(2), int(m.group(3)), float(m.group(4))) for m in VEPC_RE.finditer(p.out + p.err)]
        x["vepc_ms"] = sum(t for _, _, t in ms) if ms else None
        x["obligations"] = sum(o for _, o, _ in ms) if ms else None
        x["vepc_why"] = "" if p.rc in (0, 1) else p.failure()

        for f in (vep_o, proof):
            if f.exists():
                f.unlink()
        p = run([bindir / "vepcc", src, "-o", vep_o], args.timeout)
        x["vepcc_rc"], x["vepcc_ms"] = p.rc, p.wall_s * 1e3 if p.rc is not None else None
        x["vepcc_why"] = "" if p.rc == 0 else p.failure()
        have_vep = p.rc == 0 and vep_o.exists() and proof.exists()

        x["check_rc"] = None
        if have_vep:
            p = run([bindir / "vep-check", vep_o, proof, "--stats"], args.timeout)
            x["check_rc"] = p.rc
            x["check_why"] = "" if p.rc == 0 else p.failure()
            m = STATS_RE.search(p.out + p.err)
            if m:
                x["check_us"], x["arena"], _ = (int(g) for g in m.groups())
            x["proof_bytes"] = proof.stat().st_size
            if k == 0:
                r["insns_vep"] = count_insns(vep_o, args.timeout)

        if args.prevail and r["clang_ok"]:
            x["prevail"] = run_prevail(args.prevail, clang_o, args.timeout)

        if kernel_ok and r["clang_ok"]:
            objs = {"clang": clang_o}
            if have_vep:
                objs["vepcc"] = vep_o
            kr = kernel_measure(objs, pkt_path, f"{idx}_{k}", args)
            x["linux"] = kr.get("clang")
            x["linux_vep"] = kr.get("vepcc")
            lc, lv = x["linux"], x["linux_vep"] or {}
            if lc and lc["ok"] and x.get("check_us") is not None and lc.get("us"):
                x["ratio_check"] = x["check_us"] / lc["us"]
            if lc and lc.get("run_ns") and lv.get("run_ns"):
                x["ratio_run"] = lv["run_ns"] / lc["run_ns"]
        runs.append(x)

    # The C-level proof (vep-c --proof), once: its size and vep-c's time
    # while recording it (one more solver call per obligation).
    r["cproof_bytes"] = r["cproof_ms"] = None
    if not r["unsafe"]:
        cproof = work / f"{name}.cproof"
        p = run([bindir / "vep-c", src, "--proof", cproof], args.timeout)
        ms = [float(m.group(4)) for m in VEPC_RE.finditer(p.out + p.err)]
        if p.rc == 0 and cproof.exists() and ms:
            r["cproof_bytes"], r["cproof_ms"] = cproof.stat().st_size, sum(ms)
    if r["clang_ok"]:
        r["insns_clang"] = count_insns(clang_o, args.timeout)
    r.setdefault("insns_vep", None)
    r["runs"] = runs
    summarize(r, args)
    progress(r, idx, total)
    return r


def summarize(r, args):
    runs = r["runs"]

    def med(key, sub=None):
        if sub:
            return median([(x.get(sub) or {}).get(key) for x in runs])
        return median([x.get(key) for x in runs])

    r["vepc_ms"], r["vepc_rss"], r["obligations"] = med("vepc_ms"), med("vepc_rss"), med("obligations")
    r["vepcc_ms"], r["check_us"], r["arena"] = med("vepcc_ms"), med("check_us"), med("arena")
    r["proof_bytes"] = med("proof_bytes")
    r["ratio_check"], r["ratio_run"] = med("ratio_check"), med("ratio_run")
    for build, key in (("clang", "linux"), ("vepcc", "linux_vep")):
        got = [x.get(key) for x in runs if x.get(key)]
        if not got:
            r[key] = None
            continue
        oks = {g["ok"] for g in got}
        r[key] = {"verdict": ("accepts" if True in oks else "rejects") if len(oks) == 1 else "flaky",
                  "us": median([g.get("us") for g in got]),
                  "insns": median([g.get("insns") for g in got]),
                  "peak": median([g.get("peak") for g in got]),
                  "run_ns": median([g.get("run_ns") for g in got]),
                  "untimed": got[-1].get("untimed"),
                  "ret": got[-1].get("ret"),
                  "reason": next((g["reason"] for g in got if g.get("reason")), ""),
                  "source": got[-1].get("source", ""),
                  "note": next((g.get("raw_note") or g.get("run_error") or g.get("error")
                                for g in got if g.get("raw_note") or g.get("run_error") or g.get("error")), "")}
    pv = [x["prevail"] for x in runs if x.get("prevail")]
    if pv:
        verdicts = {p["verdict"] for p in pv}
        r["prevail"] = {"verdict": verdicts.pop() if len(verdicts) == 1 else "flaky",
                        "us": median([p["us"] for p in pv])}
    else:
        r["prevail"] = None

    # Verdicts: the worst run decides.
    vepc = [x["vepc_rc"] for x in runs]
    problems = []
    if r["unsafe"]:
        if any(rc == 0 for rc in vepc):
            problems.append("accepted by vep-c (exit 0)")
        elif any(rc != 1 for rc in vepc):
            bad = next(x for x in runs if x["vepc_rc"] != 1)
            problems.append(f"vep-c did not reject it as unsafe ({bad['vepc_why']})")
        if any(x["vepcc_rc"] == 0 for x in runs):
            problems.append("vepcc compiled it")
        r["vep"] = "rejected" if not problems else "ACCEPTED" if any(rc == 0 for rc in vepc) else "FAIL"
    else:
        for x in runs:
            if x["vepc_rc"] != 0:
                problems.append("vep-c " + ("exit 1: not verified" if x["vepc_rc"] == 1 else x["vepc_why"]))
            elif x["vepcc_rc"] != 0:
                problems.append(f"vepcc {x['vepcc_why']}")
            elif x["check_rc"] != 0:
                problems.append(f"vep-check {x.get('check_why') or 'did not run'}")
            if problems:
                break
        r["vep"] = "proved" if not problems else "FAIL"
    r["problems"] = problems


def progress(r, idx, total):
    def n(v, unit):
        return f"{fmt(v)} {unit}" if v is not None else "-"

    vepc_rc = r["runs"][-1]["vepc_rc"]
    vepc = {0: "ok", 1: "rejected"}.get(vepc_rc, "error")
    vepcc = "ok" if r["runs"][-1]["vepcc_rc"] == 0 else "refused" if r["runs"][-1]["vepcc_rc"] == 1 else "error"
    parts = [f"vep-c {vepc} {n(r['vepc_ms'], 'ms')}", f"vepcc {vepcc}"]
    if r["check_us"] is not None:
        parts.append(f"check {n(r['check_us'], 'us')}")
    if r["linux"]:
        parts.append(f"linux {r['linux']['verdict']} {n(r['linux']['us'], 'us')}")
        if r["linux"]["run_ns"] is not None and r["linux_vep"] and r["linux_vep"]["run_ns"] is not None:
            parts.append(f"run {fmt(r['linux_vep']['run_ns'])}/{fmt(r['linux']['run_ns'])} ns")
    if r["prevail"]:
        parts.append(f"prevail {r['prevail']['verdict']}")
    line = f"[{idx}/{total}] {r['name']}: " + ", ".join(parts)
    if r["problems"]:
        line += f"  <-- {r['problems'][0]}"
    print(line, file=sys.stderr, flush=True)


# ---------------------------------------------------------------- report


def fmt(v, digits=None):
    if v is None:
        return "-"
    if digits is not None:
        return f"{v:.{digits}f}"
    if isinstance(v, float) and not v.is_integer():
        return f"{v:.1f}" if abs(v) < 10 else f"{v:.0f}"
    return f"{int(v)}"


def sh(cmd):
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=30, cwd=ROOT)
        return p.stdout.strip() if p.returncode == 0 else ""
    except (OSError, subprocess.TimeoutExpired):
        return ""


def machine_info():
    cpu = ""
    try:
        m = re.search(r"^model name\s*:\s*(.*)$", Path("/proc/cpuinfo").read_text(), re.M)
        cpu = m.group(1).strip() if m else platform.processor()
    except OSError:
        cpu = platform.processor()
    mem = ""
    try:
        m = re.search(r"^MemTotal:\s*(\d+) kB", Path("/proc/meminfo").read_text(), re.M)
        mem = f"{int(m.group(1)) / 1024 / 1024:.1f} GiB" if m else ""
    except OSError:
        pass
    commit = sh(["git", "rev-parse", "--short", "HEAD"]) or "unknown"
    if sh(["git", "status", "--porcelain"]):
        commit += " (dirty)"
    return {"cpu": cpu or "unknown", "cores": os.cpu_count(), "mem": mem or "unknown",
            "kernel": platform.release(), "commit": commit,
            "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "clang": (sh(["clang-14", "--version"]).splitlines() or ["?"])[0],
            "bpftool": (sh(["bpftool", "version"]).splitlines() or ["?"])[0]}


GROUP_ORDER = [PACKET, LOOPS]


def grouped(results):
    groups = {}
    for r in results:
        groups.setdefault(r["group"], []).append(r)
    order = [g for g in GROUP_ORDER if g in groups]
    order += sorted(g for g in groups if g not in GROUP_ORDER and g != UNSAFE)
    order += [UNSAFE] if UNSAFE in groups else []
    return [(g, groups[g]) for g in order]


COLUMNS = """\
Every time is the median of the runs; every ratio is computed pair by pair
within one run, then its median is taken.

| column | meaning |
|---|---|
| VEP | `proved`: vep-c, vepcc and vep-check all accept; `rejected`: vep-c exits 1 (expected for `unsafe`); `FAIL`: not what the example expects |
| LoC | lines holding C code once comments are removed |
| annot. | lines inside `/*@ ... */` annotations |
| proof B | size of the `.proof` file vepcc writes |
| VEP-C ms | the time vep-c reports on its own `vep-c: <fn>: ...` line |
| compile ms | wall time of `vepcc prog.c -o prog.o` (verify, compile, write the proof, check) |
| check µs | `check time` from `vep-check --stats` |
| arena KiB | `peak arena` from `vep-check --stats` |
| insns vepcc / clang | instructions in `llvm-objdump-14 -d` of VEP's object / of `clang-14 -O2 -g -target bpf` (a 16-byte `ld_imm64` counts once) |
| Linux | the kernel verifier's verdict on the clang object, loaded with `bpftool prog loadall` |
| Linux µs | its `verification time` (on a rejected program: time until the rejection) |
| check/Linux | check µs / Linux µs, only where Linux accepts |
| run ns vepcc / clang | `bpftool prog run ... repeat R` average duration per packet (whole ns, as the kernel reports it) for each build, where both load; — for tracing, perf_event and sock_ops programs (kprobes, tracepoints, perf_event and sock_ops programs have no BPF_PROG_TEST_RUN, raw tracepoints no repeated, timed one) |
| run ratio | vepcc ns / clang ns |

The details table adds the Linux verifier's processed instructions and peak
states, its verdict on VEP's own object, the return values of both builds on
the test packet (they should agree), and vep-c's peak memory.
"""


def report(results, args, mach, failures, plots, kernel_note):
    L = []
    cmd = "python3 scripts/evaluate.py" + (f" --runs {args.runs}" if args.runs != 5 else "")
    L += ["# VEP evaluation", "",
          f"Generated by `{cmd}`; do not edit by hand, rerun it "
          "(`bash scripts/build.sh` first). The harness and its method are described "
          "in `scripts/evaluate.py`.", "",
          "## Setup", "",
          f"- machine: {mach['cpu']}, {mach['cores']} cores, {mach['mem']} memory",
          f"- kernel: Linux {mach['kernel']}" + (f" (kernel columns unavailable: {kernel_note})" if kernel_note else ""),
          f"- VEP commit: {mach['commit']}",
          f"- date: {mach['date']}",
          f"- runs: {args.runs} per program; BPF_PROG_TEST_RUN repeat {args.repeat} on a fixed 98-byte "
          "Ethernet + IPv4 + UDP packet (192.0.2.1:40000 → 198.51.100.7:53, 56 bytes of payload)",
          f"- clang: {mach['clang']}; bpftool: {mach['bpftool']}",
          f"- PREVAIL: {args.prevail or 'not given (--prevail PATH or PREVAIL_BIN)'}", "",
          "## Columns", "", COLUMNS]

    has_prevail = any(r["prevail"] for r in results)
    head = ["program", "VEP", "LoC", "annot.", "proof B", "VEP-C ms", "compile ms", "check µs",
            "arena KiB", "insns vepcc / clang", "Linux", "Linux µs", "check/Linux",
            "run ns vepcc / clang", "run ratio"]
    if has_prevail:
        head += ["PREVAIL", "PREVAIL µs"]
    L += ["## Results", ""]
    for group, rs in grouped(results):
        L += [f"### {group}", "", "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        for r in rs:
            lx, lv = r["linux"] or {}, r["linux_vep"] or {}
            mark = "†" if lx and lx.get("source") == "bpftool -d" else ""
            row = [r["name"], r["vep"], fmt(r["loc"]), fmt(r["annot"]), fmt(r["proof_bytes"]),
                   fmt(r["vepc_ms"]), fmt(r["vepcc_ms"]), fmt(r["check_us"]),
                   fmt(r["arena"] / 1024 if r["arena"] is not None else None),
                   f"{fmt(r['insns_vep'])} / {fmt(r['insns_clang'])}",
                   lx.get("verdict", "n/a" if kernel_note else "-"), fmt(lx.get("us")) + mark,
                   fmt(r["ratio_check"], 3) if r["ratio_check"] is not None else "-",
                   "—" if lx.get("untimed") else f"{fmt(lv.get('run_ns'))} / {fmt(lx.get('run_ns'))}",
                   fmt(r["ratio_run"], 2) if r["ratio_run"] is not None else "-"]
            if has_prevail:
                pv = r["prevail"] or {}
                row += [pv.get("verdict", "-"), fmt(pv.get("us"))]
            L.append("| " + " | ".join(row) + " |")
        L.append("")
    if any((r["linux"] or {}).get("source") == "bpftool -d" for r in results):
        L += ["† figure from `bpftool -d` (full verifier log, level 7, slower than the stats-only "
              "load used elsewhere): the direct loader could not take this object.", ""]

    # Summary.
    L += ["## Summary", ""]
    safe = [r for r in results if not r["unsafe"]]
    unsafe = [r for r in results if r["unsafe"]]
    proved = [r for r in safe if r["vep"] == "proved"]
    L.append(f"- VEP proves {len(proved)} of {len(safe)} safe examples (verified, compiled, checked); "
             f"vep-c rejects {sum(r['vep'] == 'rejected' for r in unsafe)} of {len(unsafe)} unsafe examples.")
    gap = [r for r in proved if r["linux"] and r["linux"]["verdict"] == "rejects"]
    if gap:
        L.append(f"- Linux rejects {len(gap)} program(s) that VEP proves safe: " + "; ".join(
            f"{r['name']} (Linux: \"{r['linux']['reason']}\"; VEP's own build: "
            f"Linux {(r['linux_vep'] or {}).get('verdict', 'n/a')})" for r in gap) + ".")
    elif not kernel_note:
        L.append("- Linux rejects no program that VEP proves safe.")
    claims = [r for r in results if r["kernel_claim"] and r["linux"]
              and r["linux"]["verdict"] != r["kernel_claim"]]
    for r in claims:
        L.append(f"- note: {r['name']}'s header says `kernel-verifier: {r['kernel_claim']}`, "
                 f"but this kernel {r['linux']['verdict']} it.")
    unsafe_linux = [r for r in unsafe if r["linux"]]
    if unsafe_linux:
        L.append(f"- Linux rejects {sum(r['linux']['verdict'] == 'rejects' for r in unsafe_linux)} "
                 f"of {len(unsafe_linux)} unsafe examples.")
    rc = [r["ratio_check"] for r in results if r["ratio_check"] is not None]
    rr = [r["ratio_run"] for r in results if r["ratio_run"] is not None]
    if rc:
        m = statistics.median(rc)
        L.append(f"- median check/Linux time ratio: {m:.3f} over {len(rc)} program(s) "
                 f"(vep-check is {1 / m:.1f}x faster than the Linux verifier)." if m > 0 else
                 f"- median check/Linux time ratio: {m:.3f} over {len(rc)} program(s).")
    if rr:
        L.append(f"- median run-time ratio vepcc/clang: {statistics.median(rr):.2f} over {len(rr)} program(s).")
    cp = [r for r in results if r.get("cproof_bytes") is not None]
    if cp:
        big = max(cp, key=lambda r: r["cproof_bytes"])
        slow = max(cp, key=lambda r: r["cproof_ms"])
        L.append(f"- C-level proof (`vep-c --proof`, docs/c-proof-format.md) over {len(cp)} program(s): "
                 f"median {statistics.median(r['cproof_bytes'] for r in cp) / 1024:.0f} KiB, "
                 f"max {big['cproof_bytes'] / 1024:.0f} KiB ({big['name']}); vep-c recording it: "
                 f"median {statistics.median(r['cproof_ms'] for r in cp):.0f} ms, "
                 f"max {slow['cproof_ms']:.0f} ms ({slow['name']}).")
    differ = [r for r in results if r["linux"] and r["linux_vep"] and r["linux"].get("ret") is not None
              and r["linux_vep"].get("ret") is not None and r["linux"]["ret"] != r["linux_vep"]["ret"]]
    for r in differ:
        L.append(f"- WARNING: {r['name']} returns {r['linux_vep']['ret']} built by vepcc but "
                 f"{r['linux']['ret']} built by clang on the test packet.")
    if failures:
        L.append("- FAILURES: " + "; ".join(failures) + ".")
    L.append("")

    # Details.
    dh = ["program", "group", "obligations", "vep-c peak RSS MiB", "Linux insns processed",
          "Linux peak states", "Linux on vepcc object", "return vepcc / clang", "notes"]
    L += ["## Details", "", "| " + " | ".join(dh) + " |", "|" + "---|" * len(dh)]
    for group, rs in grouped(results):
        for r in rs:
            lx, lv = r["linux"] or {}, r["linux_vep"] or {}
            notes = list(r["problems"])
            if r["kernel_claim"]:
                notes.append(f"header: kernel-verifier {r['kernel_claim']}")
            if lx.get("reason"):
                notes.append(f"Linux: {lx['reason']}")
            if lx.get("note"):
                notes.append(lx["note"])
            if not r["clang_ok"]:
                notes.append(f"clang: {r['clang_error']}")
            L.append("| " + " | ".join([
                r["name"], group, fmt(r["obligations"]),
                fmt(r["vepc_rss"] / 1024, 1) if r["vepc_rss"] is not None else "-",
                fmt(lx.get("insns")), fmt(lx.get("peak")),
                (lv.get("verdict", "-") + (f" ({fmt(lv.get('us'))} µs)" if lv.get("us") is not None else "")),
                f"{fmt(lv.get('ret'))} / {fmt(lx.get('ret'))}",
                "; ".join(n.replace("|", "\\|") for n in notes)]) + " |")
    L.append("")

    if plots:
        L += ["## Plots", ""]
        for path, title in plots:
            L += [f"![{title}]({path.name})", ""]

    L += ["## Method", "",
          "- Linux figures: the harness issues BPF_PROG_LOAD itself with log level 4 "
          "(BPF_LOG_STATS) and reads `verification time`, `processed N insns` and `peak_states` "
          "from that log; `bpftool -d` would request level 7, whose per-instruction log more than "
          "doubles the verifier's time. The verdict is bpftool's (`prog loadall`); bpftool also pins "
          "and runs the programs. Pins are removed after every run.",
          "- The clang build is `clang-14 -O2 -g -target bpf -I/usr/include/$(gcc -dumpmachine) -c`.",
          "- vep-c's peak RSS is its `ru_maxrss` from wait4, taken by `scripts/peak_rss.c`, a small launcher (a child of the Python harness would carry the harness's pages in its high-water mark).",
          "- PREVAIL (optional) runs as `PREVAIL clang.o SECTION` per program section; the harness "
          "assumes its last output line is `<pass>,<seconds>,<peak KiB>` (pass 1/0 or true/false), as "
          "PREVAIL's `check` prints, and shows `error` when it cannot run or prints no such line.",
          "- Groups: a `// group: <name>` comment in the source, else `examples/unsafe/` → unsafe, "
          "code with a loop keyword → loops, else packet programs.", ""]
    return "\n".join(L)


def gnuplot_quote(s):
    return s.replace("\\", "\\\\").replace('"', '\\"')


def make_plots(results, out, tmp):
    """Writes the two PNGs next to `out`; returns [(path, title)]."""
    if not shutil.which("gnuplot"):
        print("evaluate: gnuplot not installed (apt-get install gnuplot-nox): plots skipped",
              file=sys.stderr)
        return []
    stem = out.with_suffix("")
    p1 = Path(f"{stem}-check-vs-linux.png")
    p2 = Path(f"{stem}-proof-vs-size.png")
    made = []

    rows = [r for r in results if r["check_us"] is not None and r["linux"] and r["linux"]["us"] is not None]
    if rows:
        d1 = tmp / "check_vs_linux.dat"
        with d1.open("w") as f:
            for r in rows:
                label = r["name"] + ("\\n(Linux rejects)" if r["linux"]["verdict"] != "accepts" else "")
                f.write(f"\"{label}\" {r['check_us']} {r['linux']['us']}\n")
        script = f"""
set terminal pngcairo size 1000,560 font "Sans,11"
set output "{gnuplot_quote(str(p1))}"
set title "vep-check time vs Linux verifier time (clang build), median of runs"
set ylabel "time (µs, log scale)"
set logscale y
set yrange [1:*]
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set boxwidth 0.9
set grid ytics
set key top left
set xtics noenhanced
set bmargin 4
plot "{gnuplot_quote(str(d1))}" using 2:xtic(1) title "vep-check" lc rgb "#1b7837", \\
     "" using 3 title "Linux verifier" lc rgb "#762a83", \\
     "" using ($0-0.17):($2*1.15):(sprintf("%g",$2)) with labels notitle, \\
     "" using ($0+0.17):($3*1.15):(sprintf("%g",$3)) with labels notitle
"""
        if plot(script, tmp / "p1.gp"):
            made.append((p1, "check time vs Linux verification time"))

    rows = [r for r in results if r["proof_bytes"] is not None and r["insns_vep"] is not None]
    if rows:
        d2 = tmp / "proof_vs_size.dat"
        with d2.open("w") as f:
            for r in rows:
                f.write(f"{r['insns_vep']} {r['proof_bytes']} \"{r['name']}\"\n")
        script = f"""
set terminal pngcairo size 900,600 font "Sans,11"
set output "{gnuplot_quote(str(p2))}"
set title "proof size vs program size (VEP's build)"
set xlabel "instructions (vepcc object)"
set ylabel "proof size (bytes)"
set grid
set key off
set xrange [0:*]
set yrange [0:*]
set offsets graph 0.05, graph 0.15, graph 0.1, 0
plot "{gnuplot_quote(str(d2))}" using 1:2 with points pt 7 ps 1.5 lc rgb "#1b7837", \\
     "" using 1:2:3 with labels offset char 1,1 left noenhanced
"""
        if plot(script, tmp / "p2.gp"):
            made.append((p2, "proof bytes vs instruction count"))
    return made


def plot(script, path):
    path.write_text(script)
    p = run(["gnuplot", path], 60)
    if p.rc != 0:
        print(f"evaluate: gnuplot failed: {first_error_line(p.err) or p.why()}", file=sys.stderr)
        return False
    return True


# ---------------------------------------------------------------- main


def main():
    ap = argparse.ArgumentParser(description="VEP evaluation: VEP's figures beside the Linux verifier's.")
    ap.add_argument("examples", nargs="*", type=Path,
                    help="sources to evaluate (default: examples/*.c and examples/unsafe/*.c)")
    ap.add_argument("--runs", type=int, default=5, help="runs per program; medians are reported (default 5)")
    ap.add_argument("--prevail", default=os.environ.get("PREVAIL_BIN"),
                    help="PREVAIL's check binary (default: $PREVAIL_BIN)")
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "evaluation.md",
                    help="Markdown report; plots are written next to it (default docs/evaluation.md)")
    ap.add_argument("--repeat", type=int, default=100000, help="BPF_PROG_TEST_RUN repeat (default 100000)")
    ap.add_argument("--timeout", type=float, default=120, help="seconds allowed per subprocess (default 120)")
    ap.add_argument("--bin", type=Path, default=ROOT / "build" / "bin", help="VEP's tools (default build/bin)")
    args = ap.parse_args()
    if args.runs < 1 or args.repeat < 1:
        ap.error("--runs and --repeat must be at least 1")

    missing = [t for t in ("vep-c", "vepcc", "vep-check") if not os.access(args.bin / t, os.X_OK)]
    if missing:
        print(f"evaluate: {', '.join(missing)} not found in {args.bin}: run `bash scripts/build.sh` first",
              file=sys.stderr)
        return 2
    for tool in ("clang-14", "gcc"):
        if not shutil.which(tool):
            print(f"evaluate: {tool} not found: run `bash scripts/setup.sh` first", file=sys.stderr)
            return 2
    if args.prevail and not (os.path.isfile(args.prevail) or shutil.which(args.prevail)):
        print(f"evaluate: warning: PREVAIL binary {args.prevail} not found; its columns will say error",
              file=sys.stderr)

    sources = args.examples or (sorted((ROOT / "examples").glob("*.c"))
                                + sorted((ROOT / "examples" / "unsafe").glob("*.c")))
    sources = [s.resolve() for s in sources]
    for s in sources:
        if not s.is_file():
            print(f"evaluate: no such file: {s}", file=sys.stderr)
            return 2
    args.multiarch = run(["gcc", "-dumpmachine"], args.timeout).out.strip()
    infos = [source_info(s) for s in sources]
    # Safe programs first, in report order, then unsafe.
    order = {g: k for k, (g, _) in enumerate(grouped(infos))}
    infos.sort(key=lambda i: order[i["group"]])

    kernel_note = kernel_available()
    if kernel_note:
        print(f"evaluate: kernel columns skipped: {kernel_note}", file=sys.stderr)

    tmp = Path(tempfile.mkdtemp(prefix="vep-eval-"))
    args.peak_rss = build_peak_rss(tmp)
    if args.peak_rss is None:
        shutil.rmtree(tmp, ignore_errors=True)
        return 2
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        pkt_path = tmp / "packet.bin"
        pkt_path.write_bytes(crafted_packet())
        results = [evaluate_program(info, k + 1, len(infos), args, tmp, kernel_note is None, pkt_path)
                   for k, info in enumerate(infos)]
        failures = [f"{r['name']}: {r['problems'][0]}" for r in results if r["problems"]]
        args.out.parent.mkdir(parents=True, exist_ok=True)
        plots = make_plots(results, args.out, tmp)
        args.out.write_text(report(results, args, machine_info(), failures, plots, kernel_note))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    for line in report_summary_lines(args.out):
        print(line, file=sys.stderr)
    if failures:
        print(f"evaluate: FAIL: {'; '.join(failures)} (report written to {args.out})", file=sys.stderr)
        return 1
    print(f"evaluate: OK: {sum(not r['unsafe'] for r in results)} safe examples proved, "
          f"{sum(r['unsafe'] for r in results)} unsafe rejected; wrote {args.out}", file=sys.stderr)
    return 0


def report_summary_lines(out):
    text = out.read_text()
    m = re.search(r"^## Summary\n\n(.*?)\n\n", text, re.M | re.S)
    return m.group(1).splitlines() if m else []


if __name__ == "__main__":
    sys.exit(main())
