"""The calibration page of `innosim report`: observations beside the model before and after, parameter ranges."""
import os

import numpy as np

from .report import _table, write_outputs


def is_calibration_record(path):
    import h5py

    try:
        with h5py.File(path, "r") as f:
            return str(f.attrs.get("kind", "")).startswith("innosim calibration")
    except OSError:
        return False


def load_record(path):
    import h5py

    with h5py.File(path, "r") as f:
        rec = {"parameter": [p.decode() if isinstance(p, bytes) else p for p in f["parameter"][...]],
               "statistic": [s.decode() if isinstance(s, bytes) else s for s in f["statistic"][...]],
               "observed": f["observed"][...], "observed_sd": f["observed_sd"][...], "cutoff": float(f.attrs["cutoff"]),
               "waves": []}
        for name in sorted(k for k in f if k.startswith("wave_")):
            g = f[name]
            rec["waves"].append({k: g[k][...] for k in g} | {"fallback": bool(g.attrs["fallback"])})
    return rec


def build_calibration_report(path, out_dir, figures=True):
    os.makedirs(out_dir, exist_ok=True)
    rec = load_record(path)
    first, last = rec["waves"][0], rec["waves"][-1]
    md = [f"# innosim calibration: {os.path.basename(path)}", "",
          f"History matching in {len(rec['waves'])} waves (implausibility cut-off {rec['cutoff']}); "
          f"accepted points per wave: {', '.join(str(int(w['accepted'].sum())) + '/' + str(len(w['X'])) for w in rec['waves'])}.",
          "", "## Observations and the model before (wave 1, all points) and after (last wave, accepted points)", ""]
    rows, data = [], {"statistics": [], "parameters": []}
    after_idx = last["accepted"] if last["accepted"].any() else np.argsort(last["Imax"])[:5]
    for j, name in enumerate(rec["statistic"]):
        before = first["Y"][:, :, j].ravel()
        after = last["Y"][after_idx][:, :, j].ravel()
        b5, b50, b95 = np.percentile(before, [5, 50, 95])
        a5, a50, a95 = np.percentile(after, [5, 50, 95])
        obs = float(rec["observed"][j])
        rows.append([name, f"{obs:.0f}", f"{b50:.0f} [{b5:.0f}, {b95:.0f}]", f"{a50:.0f} [{a5:.0f}, {a95:.0f}]",
                     "yes" if a5 <= obs <= a95 else "no"])
        data["statistics"].append({"statistic": name, "observed": obs, "before": [b5, b50, b95], "after": [a5, a50, a95]})
    md.append(_table(["statistic", "observed", "before: median [5 %, 95 %]", "after: median [5 %, 95 %]",
                      "after covers it"], rows))
    md += ["", "## Parameters: plausible ranges", ""]
    prow = []
    for i, p in enumerate(rec["parameter"]):
        lo0, hi0 = first["lo"][i], first["hi"][i]
        lo1, hi1 = last["next_lo"][i], last["next_hi"][i]
        ratio = (hi1 - lo1) / (hi0 - lo0) if hi0 > lo0 else 1.0
        verdict = "constrained" if ratio < 0.5 else "partly constrained" if ratio < 0.85 else "left open"
        prow.append([p, f"{lo0:.4g} – {hi0:.4g}", f"{lo1:.4g} – {hi1:.4g}", f"{ratio:.2f}", verdict])
        data["parameters"].append({"parameter": p, "prior": [lo0, hi0], "plausible": [lo1, hi1], "width_ratio": ratio,
                                   "verdict": verdict})
    md.append(_table(["parameter", "prior range", "plausible range", "width ratio", "the data"], prow))
    md.append("")
    if figures:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        k = len(rec["statistic"])
        fig, axes = plt.subplots(1, k, figsize=(3.2 * k, 3))
        for j, ax in enumerate(np.atleast_1d(axes)):
            before = first["Y"][:, :, j].ravel()
            after = last["Y"][after_idx][:, :, j].ravel()
            bins = np.linspace(min(before.min(), after.min()), max(before.max(), after.max()), 25)
            ax.hist(before, bins=bins, alpha=0.5, label="before")
            ax.hist(after, bins=bins, alpha=0.6, label="after")
            ax.axvline(rec["observed"][j], color="black", linestyle="--", label="observed")
            ax.set_title(rec["statistic"][j].replace("_", " "), fontsize=7)
        np.atleast_1d(axes)[0].legend(fontsize=7)
        fig.tight_layout()
        fig.savefig(os.path.join(out_dir, "calibration.png"), dpi=100)
        plt.close(fig)
        md += ["![observed statistics against the model before and after calibration](calibration.png)", ""]
    text = "\n".join(md)
    write_outputs(out_dir, text, data, os.path.basename(path))
    return text
