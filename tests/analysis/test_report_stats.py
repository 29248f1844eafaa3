"""`innosim report` against a hand computation: probabilities, Wilson intervals, medians, comparisons."""
import json
import math
import subprocess
import sys
import tempfile

import h5py
import numpy as np

innosim, src = sys.argv[1], sys.argv[2]


def wilson_by_hand(k, n):
    z = 1.959963984540054
    p = k / n
    c = (p + z * z / (2 * n)) / (1 + z * z / n)
    h = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return p, c - h, c + h


# Textbook values: Wilson interval for 0/10, 5/10, 9/10 and 10/10 (Newcombe 1998, table I style).
for k, n, lo, hi in ((0, 10, 0.0, 0.2775), (5, 10, 0.2366, 0.7634), (9, 10, 0.5958, 0.9821), (10, 10, 0.7225, 1.0)):
    _, l, h = wilson_by_hand(k, n)
    assert abs(l - lo) < 5e-4 and abs(h - hi) < 5e-4, (k, n, l, h)

with tempfile.TemporaryDirectory() as d:
    runs = {}
    for name, extra in (("plan", []), ("none", [])):
        scenario = "baseline.yaml" if name == "plan" else "no-plan.yaml"
        path = f"{d}/{name}.h5"
        # targets.scale=0.1 gives verdicts at the test scale, against thresholds set for it.
        subprocess.run([innosim, "run", f"{src}/scenarios/{scenario}", "--scale", "0.1", "--replications", "12", "-q",
                        "--set", "targets.scale=0.1", "--set", "targets.T1.threshold=150",
                        "--set", "targets.T6.threshold=1000", "-o", path] + extra, check=True, stdout=subprocess.DEVNULL)
        runs[name] = path
    out = f"{d}/report"
    proc = subprocess.run([innosim, "report", runs["plan"], "--compare", runs["none"], "-o", out], check=True,
                          capture_output=True, text=True)
    assert "95 % Wilson" in proc.stdout, proc.stdout
    report = json.load(open(f"{out}/report.json"))
    for name, rows in (("plan", report["targets"]), ("none", report["compare"]["targets"])):
        with h5py.File(runs[name], "r") as f:
            met = f["target_met"][...]
            value = f["target_value"][...]
            threshold = f["target_threshold"][...]
            names = [t.decode() if isinstance(t, bytes) else t for t in f["target"][...]]
        assert met.shape[0] == 12
        for j, row in enumerate(rows):
            assert row["target"] == names[j]
            strict = names[j] in ("T5", "T6")
            met_by_hand = int(((value[:, j] > threshold[j]) if strict else (value[:, j] >= threshold[j])).sum())
            assert met_by_hand == int((met[:, j] == 1).sum())
            p, lo, hi = wilson_by_hand(met_by_hand, 12)
            assert row["met"] == met_by_hand, (name, row)
            assert abs(row["probability"] - p) < 1e-12 and abs(row["ci_low"] - lo) < 1e-12 and abs(row["ci_high"] - hi) < 1e-12
            assert abs(row["median_value"] - float(np.median(value[:, j]))) < 1e-12
    for j, diff in enumerate(report["compare"]["differences"]):
        a, b = report["targets"][j], report["compare"]["targets"][j]
        assert abs(diff["difference"] - (a["probability"] - b["probability"])) < 1e-12
        assert diff["ci_low"] <= diff["difference"] <= diff["ci_high"]
    # T1(b) at scale 0.1 with a threshold of 150: the plan meets it more often than no plan.
    assert report["targets"][1]["probability"] > report["compare"]["targets"][1]["probability"], report["targets"][1]
    for png in ("bands.png", "cities.png", "industries.png"):
        with open(f"{out}/{png}", "rb") as f:
            assert f.read(8) == b"\x89PNG\r\n\x1a\n", png
    html = open(f"{out}/report.html").read()
    # One self-contained file: every figure embedded, nothing linked beside it.
    assert "<table>" in html and html.count("src='data:image/png;base64,") == 3, html[:500]
    assert "src='bands.png'" not in html
    # The comparison a planner acts on: paired (same seed), a verdict per target, the cost difference.
    cmp = report["compare"]
    assert cmp["paired"] and cmp["pairing"].startswith("Paired (common random numbers)"), cmp["pairing"]
    assert len(cmp["verdicts"]) == 11 and cmp["verdicts"][1].startswith("T1b: "), cmp["verdicts"]
    assert any(v.endswith("significant at 95 %") or v.endswith("not significant") for v in cmp["verdicts"])
    cost = cmp["cost"]["public_money_total"]
    with h5py.File(runs["plan"]) as a, h5py.File(runs["none"]) as b:
        by_hand = float(np.median(a["public_money"][:, -1]) - np.median(b["public_money"][:, -1]))
        assert isinstance(a.attrs["seed"], np.integer) and isinstance(a.attrs["replications"], np.integer)
    assert abs(cost["difference"] - by_hand) < 1e-9 and cost["ci_low"] <= cost["difference"] <= cost["ci_high"], cost
    assert "Cost verdict: plan spends " in proc.stdout and "public money" in proc.stdout, proc.stdout
    for diff in cmp["differences"]:
        assert diff["median_ci_low"] <= diff["median_difference"] <= diff["median_ci_high"], diff
    # Another seed: the same report says the runs are unpaired.
    other = f"{d}/other-seed.h5"
    subprocess.run([innosim, "run", f"{src}/scenarios/no-plan.yaml", "--scale", "0.1", "--replications", "12", "-q",
                    "--seed", "7", "-o", other], check=True, stdout=subprocess.DEVNULL)
    unpaired = subprocess.run([innosim, "report", runs["plan"], "--compare", other, "-o", f"{d}/rep2", "--no-figures"],
                              check=True, capture_output=True, text=True).stdout
    assert "Unpaired: the seeds differ (2016 and 7)" in unpaired, unpaired

# Paired differences of proportions (Newcombe 1998, method 10): inside [-1, 1], around the difference, and
# narrower than the unpaired interval when the pairs agree.
sys.path.insert(0, f"{src}/analysis")
from innosim_analysis.stats import newcombe_difference, newcombe_paired_difference  # noqa: E402

rng = np.random.default_rng(5)
for _ in range(200):
    n = int(rng.integers(1, 40))
    a = rng.random(n) < rng.random()
    b = np.where(rng.random(n) < 0.8, a, rng.random(n) < 0.5)  # mostly the same outcome: positively correlated
    d, lo, hi = newcombe_paired_difference(a, b)
    assert -1 <= lo <= d + 1e-12 and d - 1e-12 <= hi <= 1, (a, b, d, lo, hi)
    assert abs(d - (a.mean() - b.mean())) < 1e-12
    _, ulo, uhi = newcombe_difference(int(a.sum()), n, int(b.sum()), n)
    if np.array_equal(a, b) and 0 < a.sum() < n:
        assert hi - lo < uhi - ulo, (a, b)
print("report statistics ok")
