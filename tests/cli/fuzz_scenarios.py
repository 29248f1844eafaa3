"""Mutation fuzzing of scenario files: a seeded corpus of mutants of the shipped scenarios (lines deleted,
duplicated, swapped, re-indented; values, keys and dates replaced; bytes truncated or inserted; YAML bombs).
Every mutant must end within 10 s with exit 0 or 2, never a crash; a refused one names a file and says why;
an accepted one must also run (validate and run agree). Bounded to about a minute."""
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

innosim, src = sys.argv[1], sys.argv[2]
cases = int(sys.argv[3]) if len(sys.argv) > 3 else 300
rng = random.Random(2016)
TOKENS = ["-1", "1e400", "nan", ".inf", "-.inf", "", "[]", "{}", "[1, 2", "2016-02-30", "2020-13-01", "0x10", "true",
          "1.7", "yes", "~", "'a'", "&a 1", "*a", "!!binary AAAA", "9" * 40, "{2016-04-01: 1, 2015-01-01: 2}",
          "{2016-04-01: 1, 2017-01-01: 2}", "{value: 2}", "{range: [5, 1]}", "{value: 1, range: [0, 1], x: 2}",
          "0.5", "100000", "1e-320", "\"\\u0000\"", "é", "[2016-04-01]", "{2016-04-01: [1]}", "-0", "+5", "1_000"]
KEYS = ["scale", "start", "enabled", "annual_budget", "value", "range", "extends", "run", "policy", "seed", "zzz", "T1"]
BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 9) + "]\n" for i in range(8))


def mutate(text):
    lines = text.split("\n")
    i = rng.randrange(len(lines))
    kind = rng.randrange(12)
    if kind == 0:
        del lines[i]
    elif kind == 1:
        lines.insert(i, lines[i])
    elif kind == 2:
        j = rng.randrange(len(lines))
        lines[i], lines[j] = lines[j], lines[i]
    elif kind == 3:
        lines[i] = rng.choice(["  ", "\t", " "]) + lines[i] if rng.random() < 0.7 else lines[i].lstrip()
    elif kind in (4, 5, 6):
        if ": " in lines[i]:
            key, _, _ = lines[i].partition(": ")
            lines[i] = f"{key}: {rng.choice(TOKENS)}"
        else:
            lines[i] += f" {rng.choice(TOKENS)}"
    elif kind == 7:
        if ":" in lines[i]:
            key, sep, rest = lines[i].partition(":")
            indent = key[:len(key) - len(key.lstrip())]
            lines[i] = indent + rng.choice(KEYS) + sep + rest
    elif kind == 8:
        return text[:rng.randrange(len(text) + 1)]
    elif kind == 9:
        pos = rng.randrange(len(text) + 1)
        junk = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 8))).decode("latin-1")
        return text[:pos] + junk + text[pos:]
    elif kind == 10:
        lines.insert(i, rng.choice([BOMB, "[" * 5000 + "]" * 5000, "x: " + "{a: " * 3000 + "1" + "}" * 3000,
                                    "policy: *undefined", "<<: {run: {seed: 1}}", "? [a, b]\n: c", "run: !!set {a}"]))
    else:
        lines[i] = lines[i].replace("2016", rng.choice(["2015", "2021", "20x6", "2016-02-30", ""]))
    return "\n".join(lines)


def run(args, timeout=10):
    t0 = time.monotonic()
    try:
        proc = subprocess.run([innosim] + args, capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, "", f"no answer within {timeout} s", timeout
    return proc.returncode, proc.stdout.decode(errors="replace"), proc.stderr.decode(errors="replace"), \
        time.monotonic() - t0


failures, refused, accepted, slowest = [], 0, 0, 0.0
with tempfile.TemporaryDirectory() as d:
    corpus = f"{d}/scenarios"
    shutil.copytree(f"{src}/scenarios", corpus)
    names = sorted(n for n in os.listdir(corpus) if n.endswith(".yaml"))
    originals = {n: open(f"{corpus}/{n}", encoding="utf-8").read() for n in names}
    t_start = time.monotonic()
    for case in range(cases):
        name = rng.choice(names)
        text = originals[name]
        for _ in range(rng.choice([1, 1, 1, 2, 3])):
            text = mutate(text)
        path = f"{corpus}/{name}"
        with open(path, "w", encoding="latin-1", errors="replace") as f:
            f.write(text)
        rc, out, err, seconds = run(["validate", path])
        slowest = max(slowest, seconds)
        label = f"case {case} ({name})"
        if rc == 2:
            refused += 1
            if not err.startswith("innosim: error: ") or (d not in err and "--set" not in err):
                failures.append(f"{label}: refused without naming a file: {err[:300]!r}")
        elif rc == 0:
            accepted += 1
            rc2, _, err2, seconds2 = run(["run", path, "--scale", "0.02", "--replications", "1", "--no-output", "-q"])
            slowest = max(slowest, seconds2)
            if rc2 != 0:
                failures.append(f"{label}: validate accepted it, run exited {rc2}: {err2[:300]!r}")
        else:
            failures.append(f"{label}: exit {rc}: {err[:300]!r}")
        if failures and failures[-1].startswith(label):
            with open(f"{d}/failed-{case}.yaml", "w", encoding="latin-1", errors="replace") as f:
                f.write(text)
            print(failures[-1], "\n--- mutant ---\n", text[:2000], "\n---")
        with open(path, "w", encoding="utf-8") as f:
            f.write(originals[name])
    elapsed = time.monotonic() - t_start
print(f"{cases} mutants: {refused} refused with a message, {accepted} accepted and run; slowest {slowest:.2f} s; "
      f"{elapsed:.1f} s in all")
if failures:
    print(f"{len(failures)} failures")
    sys.exit(1)
