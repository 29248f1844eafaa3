"""The optimisation page of `innosim report`: the cost-probability frontier, its mixes, and which levers the
cheap solutions always or never use."""
import os

import numpy as np

from .report import _table, write_outputs


def _text(v):
    return v.decode() if isinstance(v, bytes) else str(v)


def load_record(path):
    import h5py

    with h5py.File(path, "r") as f:
        rec = {k: f[k][...] for k in f}
        rec["attrs"] = {k: (_text(v) if isinstance(v, (bytes, str)) else v) for k, v in f.attrs.items()}
    for k in ("variable", "variable_kind", "target", "stage"):
        rec[k] = [_text(v) for v in rec[k]]
    return rec


def _show(kind, x):
    if kind == "switch":
        return "on" if x >= 0.5 else "off"
    if kind == "date":
        return str(np.datetime64("1970-01-01") + np.timedelta64(int(x), "D"))
    return f"{x:.4g}"


def _change(kind, x, base):
    if kind == "date":
        return f"{int(x - base):+d} days" if x != base else "as input"
    if kind == "switch":
        return "as input" if (x >= 0.5) == (base >= 0.5) else ("switched on" if x >= 0.5 else "switched off")
    if x == base:
        return "as input"
    return f"{x - base:+.4g}".replace("-", "−") + (f", ×{x / base:.2f}" if base > 0 else "")


def lever_use(rec, cheap):
    """Per variable: 'always turned up' if every cheap solution sets it more than a tenth of its range above its
    lower bound, 'never turned up' if none sets it more than a twentieth above, else 'a little or in some' (with
    the range of values they use)."""
    rows = []
    for j, name in enumerate(rec["variable"]):
        lo, hi, kind = rec["variable_lo"][j], rec["variable_hi"][j], rec["variable_kind"][j]
        pos = (rec["value"][cheap, j] - lo) / (hi - lo) if hi > lo else np.zeros(len(cheap))
        use = ("always turned up" if (pos > 0.1).all() else "never turned up" if (pos <= 0.05).all()
               else "a little or in some")
        values = rec["value"][cheap, j]
        rows.append({"variable": name, "use": use, "from": _show(kind, values.min()), "to": _show(kind, values.max()),
                     "input": _show(kind, rec["input_value"][j])})
    return rows


def build_optimisation_report(path, out_dir, figures=True):
    rec = load_record(path)
    a = rec["attrs"]
    os.makedirs(out_dir, exist_ok=True)
    n = len(rec["cost"])
    chosen = int(a.get("chosen", -1))
    front = [int(i) for i in rec["frontier"]]
    names, kinds = rec["variable"], rec["variable_kind"]
    md = [f"# innosim optimisation: {os.path.basename(str(a.get('scenario', path)))}", ""]
    md.append(f"Record `{path}`: scenario `{a.get('scenario', '?')}`, constraint {a.get('constraint', '?')} judged on "
              f"the lower end of the 95 % Wilson interval; objective: expected public cost 2016–2020 (M CNY). "
              f"Method: {a.get('method', '?')}; seed {a.get('seed', '?')}.")
    md.append("")
    md.append(f"{n} evaluations, {a.get('model_runs', '?')} model runs, {a.get('replications_total', '?')} "
              f"replications, {float(a.get('runtime_seconds', float('nan'))):.0f} s.")
    md.append("")
    md.append(f"Answer: {a.get('answer', '(the run did not finish: no answer yet)')}")
    md.append("")
    md.append("## Frontier")
    md.append("")
    md.append("No other evaluated mix is both cheaper and surer (by the lower Wilson bound) to meet the targets. "
              "Each mix is a scenario beside the record (`frontier-NN.yaml`) that extends the input and sets exactly "
              "these levers.")
    md.append("")
    base = rec["input_value"]
    targets = rec["target"]
    rows = []
    for rank, i in enumerate(front, 1):
        moved = "; ".join(f"`{nm}` {_show(k, rec['value'][i, j])} ({_change(k, rec['value'][i, j], base[j])})"
                          for j, (nm, k) in enumerate(zip(names, kinds)))
        per_target = ", ".join(f"{t} {rec['target_met'][i, j] / rec['replications'][i]:.2f}"
                               for j, t in enumerate(targets))
        rows.append([f"frontier-{rank:02d}" + (" (recommended)" if i == chosen else "")
                     + (" (input)" if rec["stage"][i] == "input" else ""),
                     f"{rec['cost'][i]:.1f}", f"{rec['p'][i]:.2f} [{rec['p_lo'][i]:.2f}, {rec['p_hi'][i]:.2f}]",
                     str(int(rec["replications"][i])), "yes" if rec["feasible"][i] else "no", moved, per_target])
    md.append(_table(["mix", "cost (M CNY)", "P(met) [95 % Wilson]", "replications", "meets", "levers",
                      "P(each target met)"], rows))
    md.append("")
    feasible = [i for i in range(n) if rec["feasible"][i]]
    if feasible:
        costs = rec["cost"][feasible]
        cheap = [i for i in feasible if rec["cost"][i] <= np.quantile(costs, 0.25)] or feasible
        md.append(f"## Levers of the cheap solutions ({len(cheap)} feasible mixes in the cheapest quarter)")
        md.append("")
        md.append(_table(["lever", "used", "values used", "input"],
                         [[f"`{r['variable']}`", r["use"], f"{r['from']} – {r['to']}", r["input"]]
                          for r in lever_use(rec, cheap)]))
        md.append("")
    else:
        md.append("No evaluated mix meets the constraint, so no lever is used by a cheap solution.")
        md.append("")
    data = {"file": path, "attrs": {k: (v if isinstance(v, str) else float(v)) for k, v in a.items()},
            "frontier": front, "chosen": chosen,
            "evaluations": [{"value": rec["value"][i].tolist(), "cost": float(rec["cost"][i]),
                             "p": float(rec["p"][i]), "p_lo": float(rec["p_lo"][i]), "p_hi": float(rec["p_hi"][i]),
                             "replications": int(rec["replications"][i]), "feasible": bool(rec["feasible"][i]),
                             "stage": rec["stage"][i]} for i in range(n)]}
    if figures:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(figsize=(9, 5.5), layout="constrained")
        p, lo, hi, cost = rec["p"], rec["p_lo"], rec["p_hi"], rec["cost"]
        ok = rec["feasible"] == 1
        for mask, colour, label in ((~ok, "grey", "evaluated, below the constraint"),
                                    (ok, "tab:green", "evaluated, meets the constraint")):
            ax.errorbar(cost[mask], p[mask], yerr=[np.clip(p[mask] - lo[mask], 0, 1), np.clip(hi[mask] - p[mask], 0, 1)], fmt="o", color=colour,
                        alpha=0.6, markersize=4, capsize=2, label=label)
        ax.step(cost[front], lo[front], where="post", color="tab:blue", label="frontier (lower Wilson bounds)")
        inp = [i for i in range(n) if rec["stage"][i] == "input"]
        ax.plot(cost[inp], p[inp], marker="*", markersize=16, color="black", linestyle="none", label="input scenario")
        if chosen >= 0:
            ax.plot(cost[chosen], p[chosen], marker="o", markersize=14, markerfacecolor="none", color="tab:red",
                    linestyle="none", label="recommended")
        ax.axhline(float(a.get("confidence", 0.9)), color="tab:red", linestyle=":", label="required confidence")
        ax.set_xlabel("expected public cost 2016–2020 (million CNY)")
        ax.set_ylabel(f"{str(a.get('constraint', 'P(met)')).split(' >=')[0]} (95 % Wilson)")
        ax.set_ylim(-0.02, 1.02)
        ax.set_title("Cost against the probability of meeting the targets")
        ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=3)
        fig.savefig(os.path.join(out_dir, "frontier.png"), dpi=100, bbox_inches="tight")
        plt.close(fig)
        md.append("## Figures")
        md.append("")
        md.append("![Cost against the probability of meeting the targets, every evaluation](frontier.png)")
        md.append("")
    text = "\n".join(md)
    write_outputs(out_dir, text, data, "innosim optimisation")
    return text
