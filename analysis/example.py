"""A first look at innosim results, for a new analyst. Run from the repository root:

    build/release/cli/innosim run scenarios/baseline.yaml -o baseline.h5
    build/release/cli/innosim run scenarios/no-plan.yaml -o no-plan.h5
    PYTHONPATH=analysis /usr/bin/python3 analysis/example.py baseline.h5 no-plan.h5
"""
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

import innosim_analysis as ia  # noqa: E402

plan = ia.load(sys.argv[1] if len(sys.argv) > 1 else "baseline.h5")
print(plan)  # named dimensions: replication, time, city, host_type, industry, instrument, target, ...

# Probability of each target with its 95 % interval.
for row in ia.target_table(plan):
    print(f"{row['target']:4} P(met) = {row['probability']}  [{row['ci_low']}, {row['ci_high']}]")

# pandas, long form: spaces by city at the end of the run.
frame = ia.to_frame(plan.isel(time=-1), "spaces_by_city")
print(frame.groupby("city")["spaces_by_city"].median().sort_values(ascending=False))

# A plot: median and 90 % band of operating spaces over time.
bands = ia.quantile_bands(plan, "T1_all", (0.05, 0.5, 0.95))
fig, ax = plt.subplots()
ax.fill_between(plan["time"].values, bands.values[0], bands.values[2], alpha=0.3)
ax.plot(plan["time"].values, bands.values[1], label="plan")
if len(sys.argv) > 2:
    none = ia.load(sys.argv[2])
    b2 = ia.quantile_bands(none, "T1_all", (0.05, 0.5, 0.95))
    ax.fill_between(none["time"].values, b2.values[0], b2.values[2], alpha=0.3)
    ax.plot(none["time"].values, b2.values[1], label="no plan")
ax.axhline(300, linestyle="--", color="grey")
ax.set_ylabel("operating maker spaces")
ax.legend()
fig.savefig("spaces.png", dpi=100)
print("wrote spaces.png")
