"""`innosim report`: Markdown, HTML and PNG figures from one result file, or two to compare."""
import html
import json
import os

import numpy as np

from .load import load
from .sensitivity import sensitivity_table
from .stats import costs, newcombe_difference, quantile_bands, target_table

BAND_VARIABLES = ("T1_all", "T1_recognised", "T5_mentors", "T6_entrepreneurs")


def _fmt(x, digits=2):
    if x is None or (isinstance(x, float) and not np.isfinite(x)):
        return "—"
    return f"{x:.{digits}f}" if isinstance(x, float) else str(x)


def _table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_fmt(c) if not isinstance(c, str) else c for c in row) + " |" for row in rows]
    return "\n".join(lines)


def _name(ds, path):
    return os.path.splitext(os.path.basename(path))[0]


def _plots(ds, label, out_dir, compare=None, compare_label=None):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figures = []
    fig, axes = plt.subplots(2, 2, figsize=(11, 7), sharex=True)
    for ax, var in zip(axes.flat, BAND_VARIABLES):
        for data, name, colour in ((ds, label, "tab:blue"), (compare, compare_label, "tab:orange")):
            if data is None:
                continue
            q = quantile_bands(data, var).values
            t = data["time"].values
            ax.fill_between(t, q[0], q[4], color=colour, alpha=0.15, linewidth=0)
            ax.fill_between(t, q[1], q[3], color=colour, alpha=0.3, linewidth=0)
            ax.plot(t, q[2], color=colour, label=f"{name} (median, 50 % and 90 % bands)")
        thr_index = {"T1_all": 1, "T1_recognised": 0, "T5_mentors": 8, "T6_entrepreneurs": 9}[var]
        ax.axhline(float(ds["target_threshold"].values[thr_index]), color="grey", linestyle="--", linewidth=1)
        ax.set_title(ds[var].attrs.get("long_name", var), fontsize=9)
        ax.set_ylabel(ds[var].attrs.get("units", ""))
    axes.flat[0].legend(fontsize=7, loc="upper left")
    fig.tight_layout()
    path = os.path.join(out_dir, "bands.png")
    fig.savefig(path, dpi=110)
    plt.close(fig)
    figures.append(("Quantile bands over time (dashed: the 2020 threshold)", "bands.png"))

    for var, dim, title, fname in (("spaces_by_city", "city", "Operating spaces by city at the end (median)", "cities.png"),
                                   ("teams_by_industry", "industry", "Resident teams by industry at the end (median)",
                                    "industries.png")):
        fig, ax = plt.subplots(figsize=(10, 4))
        names = [str(c) for c in ds[dim].values]
        x = np.arange(len(names))
        width = 0.4 if compare is not None else 0.8
        ax.bar(x - (width / 2 if compare is not None else 0), ds[var].isel(time=-1).median("replication").values,
               width, label=label)
        if compare is not None:
            ax.bar(x + width / 2, compare[var].isel(time=-1).median("replication").values, width, label=compare_label)
            ax.legend()
        ax.set_xticks(x, names, rotation=45, ha="right", fontsize=8)
        ax.set_title(title)
        fig.tight_layout()
        fig.savefig(os.path.join(out_dir, fname), dpi=110)
        plt.close(fig)
        figures.append((title, fname))
    return figures


def build_report(path, compare_path=None, out_dir="report", figures=True):
    """Writes report.md, report.html, report.json and PNG figures into out_dir; returns the Markdown."""
    os.makedirs(out_dir, exist_ok=True)
    ds = load(path)
    label = _name(ds, path)
    other = load(compare_path) if compare_path else None
    other_label = _name(other, compare_path) if other is not None else None
    md = [f"# innosim report: {label}", ""]
    md.append(f"File `{path}` — innosim {ds.attrs.get('innosim_version', '?')} ({ds.attrs.get('git_commit', '?')}), "
              f"status {ds.attrs.get('status', '?')}, {ds.sizes['replication']} finished replications, "
              f"scale {ds.attrs.get('scale', '?')}, seed {ds.attrs.get('seed', '?')}.")
    md.append("")
    md.append("Targets as POLICY §5a counts them: (a) recognised or filed spaces, (b) all operating spaces; "
              "probabilities with 95 % Wilson intervals.")
    md.append("")
    rows = target_table(ds)
    data = {"file": path, "targets": rows}
    md.append(_table(["target", "threshold", "met / n", "P(met)", "95 % interval", "median at end", "median date met"],
                     [[r["target"], f"{r['threshold']:.0f}",
                       f"{r['met']}/{r['replications']}" if r["met"] is not None else "no verdict",
                       r["probability"], f"{_fmt(r['ci_low'])} – {_fmt(r['ci_high'])}" if r["met"] is not None else "—",
                       f"{r['median_value']:.0f}", r["median_first_met"] or "—"] for r in rows]))
    md.append("")
    c = costs(ds)
    data["costs"] = c
    md.append("## Cost")
    md.append("")
    md.append(_table(["public money (M CNY)", "private money (M CNY)", "per space opened", "per team founded", "per job"],
                     [[c["public_money_total"], c["private_money_total"], c["per_space_opened"], c["per_team_founded"],
                       c["per_job"]]]))
    md.append("")
    if other is not None:
        md.append(f"## {label} vs {other_label}")
        md.append("")
        orows = target_table(other)
        diff_rows = []
        data["compare"] = {"file": compare_path, "targets": orows, "differences": []}
        for a, b in zip(rows, orows):
            med = a["median_value"] - b["median_value"]
            if a["met"] is not None and b["met"] is not None:
                d, lo, hi = newcombe_difference(a["met"], a["replications"], b["met"], b["replications"])
            else:
                d = lo = hi = None
            data["compare"]["differences"].append({"target": a["target"], "difference": d, "ci_low": lo, "ci_high": hi,
                                                    "median_difference": med})
            diff_rows.append([a["target"], a["probability"], b["probability"], d,
                              f"{_fmt(lo)} – {_fmt(hi)}" if d is not None else "—", f"{med:+.0f}"])
        md.append(_table(["target", f"P(met) {label}", f"P(met) {other_label}", "difference", "95 % interval (Newcombe)",
                          "difference of medians"], diff_rows))
        md.append("")
    method, sens = sensitivity_table(ds)
    data["sensitivity"] = {"method": method, "rows": sens}
    if sens:
        md.append(f"## Sensitivity of T1(a) at the end ({method} design)")
        md.append("")
        keys = [k for k in sens[0] if k != "parameter"]
        md.append(_table(["parameter"] + keys, [[r["parameter"]] + [r[k] for k in keys] for r in sens[:20]]))
        md.append("")
    if figures:
        figs = _plots(ds, label, out_dir, other, other_label)
        md.append("## Figures")
        md.append("")
        for title, fname in figs:
            md.append(f"![{title}]({fname})")
            md.append("")
    text = "\n".join(md)
    write_outputs(out_dir, text, data, label)
    return text


def write_outputs(out_dir, text, data, title):
    """report.md, report.json and report.html side by side."""
    with open(os.path.join(out_dir, "report.md"), "w") as f:
        f.write(text)
    with open(os.path.join(out_dir, "report.json"), "w") as f:
        json.dump(data, f, indent=1, default=float)
    with open(os.path.join(out_dir, "report.html"), "w") as f:
        f.write(_html(text, title))


def _html(markdown, title):
    """A small Markdown-to-HTML for the report's own constructs (headings, tables, images, paragraphs)."""
    out = [f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title>",
           "<style>body{font-family:sans-serif;max-width:1100px;margin:2em auto}table{border-collapse:collapse}"
           "td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}img{max-width:100%}</style></head><body>"]
    lines = markdown.split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("|"):
            out.append("<table>")
            header = [c.strip() for c in line.strip("|").split("|")]
            out.append("<tr>" + "".join(f"<th>{html.escape(c)}</th>" for c in header) + "</tr>")
            i += 2
            while i < len(lines) and lines[i].startswith("|"):
                cells = [c.strip() for c in lines[i].strip("|").split("|")]
                out.append("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in cells) + "</tr>")
                i += 1
            out.append("</table>")
            continue
        if line.startswith("## "):
            out.append(f"<h2>{html.escape(line[3:])}</h2>")
        elif line.startswith("# "):
            out.append(f"<h1>{html.escape(line[2:])}</h1>")
        elif line.startswith("!["):
            alt, src = line[2:].split("](")
            out.append(f"<p><img src='{html.escape(src.rstrip(')'))}' alt='{html.escape(alt)}'></p>")
        elif line.strip():
            out.append(f"<p>{html.escape(line)}</p>")
        i += 1
    out.append("</body></html>")
    return "\n".join(out)
