"""`innosim report`: Markdown, one self-contained HTML file and PNG figures from one result file, or two to compare."""
import base64
import html
import json
import os
import textwrap

import numpy as np

from .load import FIGURES, ResultFileError, load
from .sensitivity import sensitivity_table
from .stats import (bootstrap_median_difference, costs, newcombe_difference, newcombe_paired_difference, pairing,
                    quantile_bands, target_table)

# The indicator over time behind each target (a: recognised or filed, b: all operating), docs/OUTPUT.md.
TARGET_SERIES = {"T1a": "T1_recognised", "T1b": "T1_all", "T2a": "T2_recognised", "T2b": "T2_all",
                 "T3a": "T3_recognised", "T3b": "T3_all", "T4a": "T4_recognised", "T4b": "T4_all",
                 "T5": "T5_mentors", "T6": "T6_entrepreneurs"}
TARGET_TITLES = {"T1": "T1 maker spaces", "T2": "T2 leading-enterprise spaces", "T3": "T3 university/institute spaces",
                 "T4": "T4 development-zone spaces", "T5": "T5 mentors and service professionals",
                 "T6": "T6 entrepreneurs drawn in (cumulative)"}
# Scenario A plain bands, scenario B hatched in another colour: the two stay apart where they overlap.
STYLES = ({"colour": "tab:blue", "hatch": None}, {"colour": "tab:orange", "hatch": "////"})


def _fmt(x, digits=2):
    if x is None or (isinstance(x, float) and not np.isfinite(x)):
        return "—"
    return f"{x:.{digits}f}" if isinstance(x, float) else str(x)


def _rounded(x, digits):
    return round(float(x), digits) + 0.0  # + 0.0: a value that rounds to zero shows as 0, not −0


def _signed(x, digits=2):
    return "—" if x is None or not np.isfinite(x) else f"{_rounded(x, digits):+.{digits}f}".replace("-", "−")


def _interval(lo, hi, digits=2):
    if lo is None or not (np.isfinite(lo) and np.isfinite(hi)):
        return "—"
    return f"[{_rounded(lo, digits):.{digits}f}, {_rounded(hi, digits):.{digits}f}]".replace("-", "−")


def _table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_fmt(c) if not isinstance(c, str) else c for c in row) + " |" for row in rows]
    return "\n".join(lines)


def _name(path):
    return os.path.splitext(os.path.basename(path))[0]


def _attr_lines(ds, name):
    text = str(ds.attrs.get(name, "")).strip()
    return [line for line in text.split("\n") if line.strip()]


def _dates(ds):
    """Snapshot dates (xarray decodes the CF time units; a file without them holds days since 2016-01-01)."""
    t = ds["time"].values
    if np.issubdtype(t.dtype, np.datetime64):
        return t
    return np.datetime64("2016-01-01") + np.round(t).astype("timedelta64[D]")


def _band(ax, data, var, style, label):
    q = quantile_bands(data, var).values
    t = _dates(data)
    c, hatch = style["colour"], style["hatch"]
    if hatch:
        ax.fill_between(t, q[0], q[4], facecolor="none", edgecolor=c, hatch=hatch, alpha=0.45, linewidth=0)
        ax.fill_between(t, q[1], q[3], facecolor="none", edgecolor=c, hatch="xx", alpha=0.7, linewidth=0)
        ax.plot(t, q[2], color=c, linestyle="--", linewidth=1.6, label=label)
    else:
        ax.fill_between(t, q[0], q[4], color=c, alpha=0.15, linewidth=0)
        ax.fill_between(t, q[1], q[3], color=c, alpha=0.35, linewidth=0)
        ax.plot(t, q[2], color=c, linewidth=1.6, label=label)


def _plots(runs, out_dir):
    """Figures for one run or two; returns [(title, file name)]. Every panel has a title, axis labels and units."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    ds = runs[0][1]
    for label, data in runs:
        missing = [v for v in FIGURES if v not in data.variables]
        if missing:
            raise ResultFileError(f"{label}: lacks {', '.join(missing[:3])} for the figures (use --no-figures)")
    figures = []
    targets = [str(t) for t in ds["target"].values]
    thresholds = ds["target_threshold"].values
    fig, axes = plt.subplots(5, 2, figsize=(11, 15), sharex=True, layout="constrained")
    for ax, (j, target) in zip(axes.flat, enumerate(targets)):
        for (label, data), style in zip(runs, STYLES):
            _band(ax, data, TARGET_SERIES[target], style, label)
        ax.axhline(float(thresholds[j]), color="black", linestyle=":", linewidth=1)
        reading = {"a": " (a) recognised or filed", "b": " (b) all operating"}.get(target[-1], "")
        ax.set_title("\n".join(textwrap.wrap(TARGET_TITLES[target[:2]] + reading, 56)), fontsize=9)
        ax.set_ylabel(ds[TARGET_SERIES[target]].attrs.get("units", "count"), fontsize=8)
        ax.tick_params(labelsize=8)
        ax.xaxis.set_major_locator(mdates.YearLocator())
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    for ax in axes[-1]:
        ax.set_xlabel("date (monthly snapshots)", fontsize=8)
    handles = []
    for (label, _), style in zip(runs, STYLES):
        handles.append(Patch(facecolor=style["colour"] if not style["hatch"] else "none", edgecolor=style["colour"],
                             hatch=style["hatch"], alpha=0.6, label=f"{label}: median, 50 % and 90 % bands"))
    handles.append(matplotlib.lines.Line2D([], [], color="black", linestyle=":", label="the 2020 threshold"))
    fig.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=len(handles), fontsize=8)
    fig.savefig(os.path.join(out_dir, "bands.png"), dpi=100, bbox_inches="tight")
    plt.close(fig)
    figures.append(("Every target over time: quantile bands over replications (dotted: the 2020 threshold)",
                    "bands.png"))

    for var, dim, title, unit, fname in (
            ("spaces_by_city", "city", "Operating spaces by city at the end (median)", "spaces", "cities.png"),
            ("teams_by_industry", "industry", "Resident teams by industry at the end (median)", "teams",
             "industries.png")):
        fig, ax = plt.subplots(figsize=(10, 4.5), layout="constrained")
        names = [str(c) for c in ds[dim].values]
        x = np.arange(len(names))
        width = 0.8 / len(runs)
        for i, ((label, data), style) in enumerate(zip(runs, STYLES)):
            ax.bar(x + (i - (len(runs) - 1) / 2) * width, data[var].isel(time=-1).median("replication").values,
                   width, label=label, color=style["colour"] if not style["hatch"] else "white",
                   edgecolor=style["colour"], hatch=style["hatch"])
        ax.legend(fontsize=8)
        ax.set_xticks(x, names, rotation=45, ha="right", fontsize=8)
        ax.set_xlabel(dim.replace("_", " "))
        ax.set_ylabel(unit)
        ax.set_title(title)
        fig.savefig(os.path.join(out_dir, fname), dpi=100, bbox_inches="tight")
        plt.close(fig)
        figures.append((title, fname))
    return figures


def _comparison(ds, label, other, other_label, rows, orows, c, oc):
    """The Markdown of the comparison section and its JSON: verdicts per target, cost and median differences."""
    paired, pairing_sentence = pairing(ds, other)
    md = [f"## {label} vs {other_label}", "", pairing_sentence, ""]
    data = {"file": None, "paired": paired, "pairing": pairing_sentence, "targets": orows, "differences": [],
            "verdicts": []}
    table, verdicts, changed = [], [], []
    for j, (a, b) in enumerate(zip(rows, orows)):
        va, vb = ds["target_value"].values[:, j], other["target_value"].values[:, j]
        med, mlo, mhi = bootstrap_median_difference(va, vb, paired, seed=j)
        if a["met"] is not None and b["met"] is not None:
            if paired:
                d, lo, hi = newcombe_paired_difference(ds["target_met"].values[:, j] == 1,
                                                       other["target_met"].values[:, j] == 1)
            else:
                d, lo, hi = newcombe_difference(a["met"], a["replications"], b["met"], b["replications"])
            significant = lo > 0 or hi < 0
            verdict = (f"{a['target']}: {_signed(d)} {_interval(lo, hi)}, "
                       + ("significant at 95 %" if significant else "not significant"))
            if significant:
                changed.append(f"{a['target']} ({_signed(d)})")
        else:
            d = lo = hi = None
            significant = False
            verdict = (f"{a['target']}: no verdict at this scale (targets.scale); difference of medians "
                       f"{_signed(med, 0)} {_interval(mlo, mhi, 0)}")
        verdicts.append(verdict)
        data["differences"].append({"target": a["target"], "difference": d, "ci_low": lo, "ci_high": hi,
                                    "significant": significant, "median_difference": med,
                                    "median_ci_low": mlo, "median_ci_high": mhi})
        table.append([a["target"], a["probability"], b["probability"], _signed(d) if d is not None else "—",
                      _interval(lo, hi), _signed(med, 0), _interval(mlo, mhi, 0)])
    md.append(_table(["target", f"P(met) {label}", f"P(met) {other_label}", "difference",
                      "95 % interval (Newcombe" + (", paired)" if paired else ")"), "difference of medians",
                      "95 % bootstrap interval"], table))
    md.append("")
    md.append("Verdicts (differences of P(met), 95 % intervals):")
    md.append("")
    md += [f"- {v}" for v in verdicts]
    md.append("")
    overall = ("No target changed significantly at 95 %." if not changed else
               f"Changed significantly at 95 %: {', '.join(changed)}.")
    md.append(overall)
    md.append("")
    data["verdicts"] = verdicts + [overall]
    cost_rows, cost_data = [], {}
    for key, var, title in (("public_money_total", "public_money", "public money 2016–2020 (M CNY)"),
                            ("private_money_total", "private_money", "private money (M CNY)")):
        a_end, b_end = ds[var].isel(time=-1).values, other[var].isel(time=-1).values
        d, lo, hi = bootstrap_median_difference(a_end, b_end, paired, seed=100 + len(cost_rows))
        cost_rows.append([title, c[key], oc[key], _signed(d, 1), _interval(lo, hi, 1)])
        cost_data[key] = {"difference": d, "ci_low": lo, "ci_high": hi}
    md.append(f"Cost: {label} minus {other_label} (differences of medians, 95 % bootstrap intervals"
              + (", paired):" if paired else "):"))
    md.append("")
    md.append(_table(["", label, other_label, "difference", "95 % interval"], cost_rows))
    md.append("")
    pub = cost_data["public_money_total"]
    md.append(f"Cost verdict: {label} spends {_signed(pub['difference'], 1)} M CNY of public money "
              f"{_interval(pub['ci_low'], pub['ci_high'], 1)} against {other_label}, "
              + ("a significant difference at 95 %." if pub["ci_low"] > 0 or pub["ci_high"] < 0
                 else "not significantly different at 95 %."))
    md.append("")
    data["cost"] = cost_data
    return md, data


def build_report(path, compare_path=None, out_dir="report", figures=True):
    """Writes report.md, report.html (self-contained), report.json and PNG figures into out_dir; returns the
    Markdown. Raises ResultFileError on a damaged or foreign file."""
    ds = load(path)
    label = _name(path)
    other = load(compare_path) if compare_path else None
    other_label = _name(compare_path) if compare_path else None
    if other_label == label:
        other_label += " (compared)"
    if ds.sizes["replication"] == 0:
        raise ResultFileError(f"{path}: holds no finished replication")
    if other is not None and other.sizes["replication"] == 0:
        raise ResultFileError(f"{compare_path}: holds no finished replication")
    os.makedirs(out_dir, exist_ok=True)
    seed = ds.attrs.get("seed", "?")
    md = [f"# innosim report: {label}", ""]
    md.append(f"File `{path}` — innosim {ds.attrs.get('innosim_version', '?')} ({ds.attrs.get('git_commit', '?')}), "
              f"status {ds.attrs.get('status', '?')}, {ds.sizes['replication']} finished replications, "
              f"scale {ds.attrs.get('scale', '?')}, seed {int(seed) if np.ndim(seed) == 0 and seed != '?' else seed}.")
    md.append("")
    for name, run in ((label, ds), (other_label, other)):
        if run is None:
            continue
        for line in _attr_lines(run, "pinned"):
            md.append(f"- {name}: {line}")
        for line in _attr_lines(run, "advisories"):
            md.append(f"- {name}: warning: {line}")
    if md[-1] != "":
        md.append("")
    md.append("Targets as POLICY §5a counts them: (a) recognised or filed spaces, (b) all operating spaces; "
              "probabilities with 95 % Wilson intervals.")
    md.append("")
    rows = target_table(ds)
    data = {"file": path, "targets": rows}
    if all(r["met"] is None for r in rows):
        md.append(f"No verdicts: the thresholds apply at targets.scale, and this run is at scale "
                  f"{ds.attrs.get('scale', '?')}; the table gives the indicators' values.")
        md.append("")
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
        orows = target_table(other)
        section, data["compare"] = _comparison(ds, label, other, other_label, rows, orows, c, costs(other))
        data["compare"]["file"] = compare_path
        md += section
    method, sens = sensitivity_table(ds)
    data["sensitivity"] = {"method": method, "rows": sens}
    if sens:
        md.append(f"## Sensitivity of T1(a) at the end ({method} design)")
        md.append("")
        keys = [k for k in sens[0] if k != "parameter"]
        md.append(_table(["parameter"] + keys, [[r["parameter"]] + [r[k] for k in keys] for r in sens[:20]]))
        md.append("")
    if figures:
        runs = [(label, ds)] + ([(other_label, other)] if other is not None else [])
        figs = _plots(runs, out_dir)
        md.append("## Figures")
        md.append("")
        for title, fname in figs:
            md.append(f"![{title}]({fname})")
            md.append("")
    text = "\n".join(md)
    write_outputs(out_dir, text, data, label)
    return text


def write_outputs(out_dir, text, data, title):
    """report.md, report.json and report.html side by side (the HTML embeds its figures)."""
    with open(os.path.join(out_dir, "report.md"), "w") as f:
        f.write(text)
    with open(os.path.join(out_dir, "report.json"), "w") as f:
        json.dump(data, f, indent=1, default=float)
    with open(os.path.join(out_dir, "report.html"), "w") as f:
        f.write(_html(text, title, out_dir))


def _inline(line):
    """Escapes a line of text, turning `code` spans into <code>."""
    parts = line.split("`")
    return "".join(f"<code>{html.escape(p)}</code>" if i % 2 else html.escape(p) for i, p in enumerate(parts))


def _html(markdown, title, out_dir):
    """A small Markdown-to-HTML for the report's own constructs (headings, tables, lists, images, paragraphs);
    images are embedded as data URIs, so the one file is the whole report."""
    out = [f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{html.escape(title)}</title>",
           "<meta name='viewport' content='width=device-width, initial-scale=1'>",
           "<style>body{font-family:sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;line-height:1.4}"
           "table{border-collapse:collapse;margin:0.5em 0;max-width:100%}"
           "td,th{border:1px solid #ccc;padding:3px 8px;text-align:right;overflow-wrap:break-word}"
           "td:first-child,th:first-child{text-align:left}"
           "p,li,h1,h2{overflow-wrap:anywhere}code{overflow-wrap:anywhere}"
           "figure{margin:1em 0}figcaption{font-size:0.9em;color:#333}img{max-width:100%;height:auto}</style>"
           "</head><body>"]
    lines = markdown.split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("|"):
            out.append("<table>")
            header = [c.strip() for c in line.strip("|").split("|")]
            out.append("<tr>" + "".join(f"<th>{_inline(c)}</th>" for c in header) + "</tr>")
            i += 2
            while i < len(lines) and lines[i].startswith("|"):
                cells = [c.strip() for c in lines[i].strip("|").split("|")]
                out.append("<tr>" + "".join(f"<td>{_inline(c)}</td>" for c in cells) + "</tr>")
                i += 1
            out.append("</table>")
            continue
        if line.startswith("- "):
            out.append("<ul>")
            while i < len(lines) and lines[i].startswith("- "):
                out.append(f"<li>{_inline(lines[i][2:])}</li>")
                i += 1
            out.append("</ul>")
            continue
        if line.startswith("## "):
            out.append(f"<h2>{_inline(line[3:])}</h2>")
        elif line.startswith("# "):
            out.append(f"<h1>{_inline(line[2:])}</h1>")
        elif line.startswith("!["):
            alt, src = line[2:].split("](")
            src = src.rstrip(")")
            with open(os.path.join(out_dir, src), "rb") as f:
                uri = "data:image/png;base64," + base64.b64encode(f.read()).decode()
            out.append(f"<figure><img src='{uri}' alt='{html.escape(alt)}'><figcaption>{html.escape(alt)}"
                       "</figcaption></figure>")
        elif line.strip():
            out.append(f"<p>{_inline(line)}</p>")
        i += 1
    out.append("</body></html>")
    return "\n".join(out)
