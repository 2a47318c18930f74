#!/usr/bin/env python3
"""Convert interrupt activity recorded in a real arm64 Linux guest into an IrqBench trace CSV.

The output is the format of docs/trace-format.md (time_ns,cpu,kind,source,target,id), which
`irqbench run --workload trace --set file=TRACE.csv --vcpus N` replays.

Two sources are understood:

1. perf tracepoints (exact times, IPI senders known). In the guest, as root:

       perf record -a -e irq:irq_handler_entry -e ipi:ipi_raise -- hackbench -g 10   # or: sleep 10
       perf script > perf.txt
       scripts/trace-from-perf.py perf perf.txt > trace.csv

   ipi:ipi_raise (arm64's smp_cross_call, with the reason) is used when present; otherwise
   ipi:ipi_send_cpu / ipi:ipi_send_cpumask (Linux >= 6.6): a NULL callback is a reschedule,
   an irq_work callsite is irq_work, anything else a function call. irq:irq_handler_entry gives
   the timer (name=arch_timer) and device interrupts (any other name, used as the device id);
   IPI handler entries are skipped because the ipi events already describe them.

2. Two /proc/interrupts snapshots (counts only; times and IPI senders are synthesised):

       cat /proc/interrupts > before.txt; sleep 10; cat /proc/interrupts > after.txt
       scripts/trace-from-perf.py proc before.txt after.txt --seconds 10 > trace.csv

   Each CPU's count increase of a row is spread evenly over the interval. IPI0 (Rescheduling),
   IPI1 (Function call) and IPI5 (IRQ work) become IPIs whose sender is another CPU chosen
   round-robin (/proc/interrupts does not say who sent them); arch_timer rows become timer
   interrupts; every other numbered row becomes a device whose id is its name.

Deterministic: the same input gives the same output. Exit status 2 with a message naming the
file and line on malformed input.
"""

import argparse
import re
import sys

HEADER = "time_ns,cpu,kind,source,target,id"

# perf script's default line: comm pid [cpu] secs.usecs: event: fields
PERF_LINE = re.compile(r"^\s*(?P<comm>.+?)\s+(?P<pid>-?\d+)\s+\[(?P<cpu>\d+)\]\s+(?:\S+\s+)?(?P<ts>\d+\.\d+):\s+(?P<event>[\w-]+:[\w-]+):\s*(?P<fields>.*)$")

RAISE_REASONS = {
    "Rescheduling interrupts": "resched",
    "Function call interrupts": "call",
    "Single function call interrupts": "call",
    "IRQ work interrupts": "irq_work",
}

PROC_IPIS = {"IPI0": "resched", "IPI1": "call", "IPI5": "irq_work"}


def fail(path, line, problem):
    sys.stderr.write(f"trace-from-perf: {path} line {line}: {problem}\n")
    sys.exit(2)


def parse_mask(text):
    """A trace bitmask: hex 32-bit words separated by commas, most significant first ('00000000,00000104')."""
    value = int(text.replace(",", ""), 16)
    return [bit for bit in range(value.bit_length()) if value >> bit & 1]


def parse_cpulist(text):
    """A cpulist ('0-3,8'), as some perf versions print cpumask fields."""
    cpus = []
    for part in text.split(","):
        if "-" in part:
            a, b = part.split("-", 1)
            cpus.extend(range(int(a), int(b) + 1))
        elif part:
            cpus.append(int(part))
    return cpus


def from_perf(path):
    raises, sends, irqs = [], [], []
    with open(path, encoding="utf-8", errors="replace") as f:
        for n, line in enumerate(f, 1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            m = PERF_LINE.match(line)
            if not m:
                continue  # perf prints other records (lost events, headers); they carry no interrupt
            cpu = int(m["cpu"])
            t_ns = round(float(m["ts"]) * 1e9)
            event, fields = m["event"], m["fields"]
            if event == "ipi:ipi_raise":
                mm = re.search(r"target_mask=([0-9a-fA-F,]+)\s+\((.*)\)", fields)
                if not mm:
                    fail(path, n, f"ipi_raise without target_mask and reason: {fields.strip()}")
                kind = RAISE_REASONS.get(mm[2])
                if kind:
                    for target in parse_mask(mm[1]):
                        raises.append((t_ns, cpu, "ipi", cpu, target, kind))
            elif event in ("ipi:ipi_send_cpu", "ipi:ipi_send_cpumask"):
                mm = re.search(r"(?:cpu|cpumask)=(\S+)\s+callsite=(\S+)\s+callback=(\S+)", fields)
                if not mm:
                    fail(path, n, f"{event} without cpu/cpumask, callsite and callback: {fields.strip()}")
                callback, callsite = mm[3], mm[2]
                if callback in ("0", "0x0", "(nil)", "0000000000000000"):
                    kind = "resched"
                elif "irq_work" in callsite or "irq_work" in callback:
                    kind = "irq_work"
                else:
                    kind = "call"
                if event == "ipi:ipi_send_cpu":
                    targets = [int(mm[1])]
                elif "-" in mm[1] or re.fullmatch(r"\d{1,3}", mm[1]):
                    targets = parse_cpulist(mm[1])
                else:
                    targets = parse_mask(mm[1])
                for target in targets:
                    sends.append((t_ns, cpu, "ipi", cpu, target, kind))
            elif event == "irq:irq_handler_entry":
                mm = re.search(r"irq=(\d+)\s+name=(\S+)", fields)
                if not mm:
                    fail(path, n, f"irq_handler_entry without irq and name: {fields.strip()}")
                name = mm[2]
                if name.startswith("IPI"):
                    continue
                if name == "arch_timer":
                    irqs.append((t_ns, cpu, "timer", "", cpu, ""))
                else:
                    irqs.append((t_ns, cpu, "device", "", cpu, name.replace(",", "_")))
    ipis = raises if raises else sends
    rows = [r for r in ipis + irqs if not (r[2] == "ipi" and r[3] == r[4])]
    if not rows:
        fail(path, 0, "no irq:irq_handler_entry, ipi:ipi_raise or ipi:ipi_send_* events found (was perf record given those -e events?)")
    return rows


def read_proc(path):
    """/proc/interrupts: the CPU header line, then 'NAME: count count ... description'."""
    with open(path, encoding="utf-8", errors="replace") as f:
        lines = f.read().splitlines()
    if not lines or not lines[0].split() or not lines[0].split()[0].startswith("CPU"):
        fail(path, 1, "not a /proc/interrupts snapshot (the first line should list CPU0 CPU1 ...)")
    ncpu = len(lines[0].split())
    table = {}
    for n, line in enumerate(lines[1:], 2):
        parts = line.split()
        if not parts or not parts[0].endswith(":"):
            continue
        key = parts[0][:-1]
        counts = []
        for p in parts[1:1 + ncpu]:
            if not p.isdigit():
                break
            counts.append(int(p))
        if len(counts) != ncpu:
            continue  # ERR:, MIS: and similar rows have a single total
        desc = parts[1 + ncpu:]
        name = desc[-1] if desc else key
        if key.startswith("IPI"):
            name = key
        elif "arch_timer" in desc:
            name = "arch_timer"
        table[key] = (name, counts)
    return ncpu, table


def from_proc(before, after, seconds):
    ncpu, a = read_proc(before)
    ncpu2, b = read_proc(after)
    if ncpu != ncpu2:
        fail(after, 1, f"{ncpu2} CPUs, but {before} has {ncpu}")
    span = round(seconds * 1e9)
    rows = []
    rr = 0
    for key in sorted(b, key=lambda k: (not k.isdigit(), int(k) if k.isdigit() else 0, k)):
        name, counts = b[key]
        old = a.get(key, (name, [0] * ncpu))[1]
        for cpu in range(ncpu):
            delta = counts[cpu] - old[cpu]
            if delta < 0:
                fail(after, 0, f"the count of {key} on CPU{cpu} went down ({old[cpu]} -> {counts[cpu]}): are the files in order?")
            for i in range(delta):
                t = (2 * i + 1) * span // (2 * delta)
                if key in PROC_IPIS:
                    if ncpu < 2:
                        continue
                    rr += 1
                    src = (cpu + 1 + rr % (ncpu - 1)) % ncpu
                    rows.append((t, src, "ipi", src, cpu, PROC_IPIS[key]))
                elif key.startswith("IPI"):
                    continue
                elif name == "arch_timer":
                    rows.append((t, cpu, "timer", "", cpu, ""))
                elif key.isdigit():
                    rows.append((t, cpu, "device", "", cpu, name.replace(",", "_")))
    if not rows:
        fail(after, 0, "no interrupt counts changed between the two snapshots")
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="source", required=True)
    p = sub.add_parser("perf", help="perf script output with irq:* and ipi:* tracepoints")
    p.add_argument("file")
    q = sub.add_parser("proc", help="two /proc/interrupts snapshots")
    q.add_argument("before")
    q.add_argument("after")
    q.add_argument("--seconds", type=float, required=True, help="time between the two snapshots")
    args = ap.parse_args()
    try:
        rows = from_perf(args.file) if args.source == "perf" else from_proc(args.before, args.after, args.seconds)
    except OSError as e:
        sys.stderr.write(f"trace-from-perf: {e.filename}: {e.strerror}\n")
        sys.exit(2)
    rows.sort(key=lambda r: (r[0], r[1], r[2], str(r[4])))
    t0 = rows[0][0]
    out = sys.stdout
    out.write(f"# IrqBench trace v1, converted by scripts/trace-from-perf.py ({args.source})\n")
    out.write(HEADER + "\n")
    for t, cpu, kind, src, dst, ident in rows:
        out.write(f"{t - t0},{cpu},{kind},{src},{dst},{ident}\n")


if __name__ == "__main__":
    main()
