"""The scaling driver an HPC user runs: its quick mode writes Google-Benchmark JSON with every case at every thread
count, sane figures, and the PNG plot."""
import json
import math
import os
import subprocess
import sys
import tempfile

innosim, src = sys.argv[1], sys.argv[2]
with tempfile.TemporaryDirectory() as out:
    subprocess.run(["/usr/bin/python3", f"{src}/bench/scaling.py", "--innosim", innosim, "--quick", "--repeat", "1",
                    "--threads", "1,2", "--out", out], check=True, capture_output=True, text=True)
    with open(os.path.join(out, "scaling.json")) as f:
        doc = json.load(f)
    assert doc["context"]["threads"] == [1, 2], doc["context"]
    rows = {b["name"]: b for b in doc["benchmarks"]}
    cases = {b["run_name"] for b in doc["benchmarks"]}
    assert {"strong/phold_A", "strong/phold_B", "ceiling/phold_A_side_by_side", "strong/gansu_scale10",
            "strong/gansu_ensemble", "weak/phold_4096_lps_per_thread", "weak/gansu_scale2_per_thread"} <= cases, cases
    for case in cases:
        one, two = rows[f"{case}/threads:1"], rows[f"{case}/threads:2"]
        assert one["speedup"] == 1.0 and one["efficiency"] == 1.0, one
        for b in (one, two):
            for key in ("real_time", "items_per_second", "speedup", "efficiency"):
                assert math.isfinite(b[key]) and b[key] > 0, (b["name"], key, b[key])
        assert two["threads"] == 2 and two["time_unit"] == "s", two
    # Side by side, two runs process about twice the events of one: a summed rate, not one run's.
    side = rows["ceiling/phold_A_side_by_side/threads:2"]
    assert side["speedup"] > 1.2, side
    assert os.path.getsize(os.path.join(out, "scaling.png")) > 1000
print("ok")
