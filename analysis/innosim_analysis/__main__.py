"""python3 -m innosim_analysis report FILE [--compare FILE2] [-o DIR]  (what `innosim report` runs)."""
import argparse
import os
import sys

from .report import build_report


def main(argv=None):
    parser = argparse.ArgumentParser(prog="innosim", description="innosim's analysis: report, calibrate, optimise")
    sub = parser.add_subparsers(dest="command", required=True)
    rep = sub.add_parser("report", help="targets, intervals, costs, comparison, sensitivity, figures")
    rep.add_argument("file")
    rep.add_argument("--compare", help="a second result file (e.g. the no-plan counterfactual)")
    rep.add_argument("-o", "--output", default=None, help="output folder (default: FILE's name + '-report')")
    rep.add_argument("--no-figures", action="store_true")
    cal = sub.add_parser("calibrate", help="history matching of uncertain parameters to observed statistics")
    cal.add_argument("scenario")
    cal.add_argument("--observed", required=True, help="CSV of observations (data/gansu_calibration.csv)")
    cal.add_argument("-o", "--output", default=None, help="calibrated scenario YAML (default: SCENARIO-calibrated.yaml)")
    cal.add_argument("--record", default=None, help="HDF5 record of every wave (default: OUTPUT without .yaml + .h5)")
    cal.add_argument("--parameters", default=None, help="comma-separated ranged keys (default: a documented set)")
    cal.add_argument("--waves", type=int, default=3)
    cal.add_argument("--points", type=int, default=30, help="LHS points per wave")
    cal.add_argument("--replications", type=int, default=2, help="replications per point")
    cal.add_argument("--threads", type=int, default=os.cpu_count() or 2,
                     help="threads in all (default: all cores); points run side by side when they outnumber "
                          "one point's replications; the result does not depend on it")
    cal.add_argument("--seed", type=int, default=2016)
    cal.add_argument("--cutoff", type=float, default=3.0, help="implausibility cut-off")
    opt = sub.add_parser("optimise", help="the cheapest lever mix that meets the targets with confidence")
    opt.add_argument("scenario")
    opt.add_argument("-o", "--output", default=None, help="output folder (default: SCENARIO's name + '-optimised')")
    opt.add_argument("--set", action="append", default=[], help="override a scenario key (repeatable), as for run")
    opt.add_argument("--threads", type=int, default=os.cpu_count() or 2,
                     help="threads of each candidate's run (default: all cores); the result does not depend on it")
    args = parser.parse_args(argv)
    if args.command == "calibrate":
        return run_calibrate(args)
    if args.command == "optimise":
        return run_optimise_command(args)
    out = args.output or args.file.rsplit(".", 1)[0] + "-report"
    from .load import ResultFileError, check_file

    try:
        kind = check_file(args.file)
        if kind == "optimisation":
            from .optimisation_report import build_optimisation_report

            text = build_optimisation_report(args.file, out, figures=not args.no_figures)
        elif kind == "calibration":
            from .calibration_report import build_calibration_report

            text = build_calibration_report(args.file, out, figures=not args.no_figures)
        else:
            text = build_report(args.file, args.compare, out, figures=not args.no_figures)
    except (ResultFileError, OSError) as e:
        print(f"innosim report: error: {e}", file=sys.stderr)
        return 2
    except Exception as e:  # noqa: B902 - a damaged file must end in a message, never a traceback
        print(f"innosim report: error: {args.file}: cannot be reported on ({type(e).__name__}: {e})", file=sys.stderr)
        return 2
    print(text)
    print(f"\n(report written to {out}/report.md, report.html (self-contained), report.json and PNG figures)")
    return 0


def run_optimise_command(args):
    from .optimise import OptimiseError, run_optimise

    innosim = os.environ.get("INNOSIM_BIN", "innosim")
    out = args.output or os.path.splitext(os.path.basename(args.scenario))[0] + "-optimised"
    try:
        print(run_optimise(innosim, args.scenario, out, args.set, args.threads))
    except (OptimiseError, OSError) as e:
        print(f"innosim optimise: error: {e}", file=sys.stderr)
        return 2
    return 0


def run_calibrate(args):
    import os

    from .calibrate import calibrate

    innosim = os.environ.get("INNOSIM_BIN", "innosim")
    out = args.output or args.scenario.rsplit(".", 1)[0] + "-calibrated.yaml"
    record_path = args.record or out.rsplit(".", 1)[0] + ".h5"
    params = [p.strip() for p in args.parameters.split(",")] if args.parameters else None
    try:
        record, observed, skipped = calibrate(innosim, args.scenario, args.observed, out, record_path, params,
                                              args.waves, args.points, args.replications, args.threads, args.seed,
                                              args.cutoff)
    except (OSError, KeyError, ValueError) as e:
        print(f"innosim calibrate: error: {e}", file=sys.stderr)
        return 2
    for w in record:
        print(f"wave {w['wave'] + 1}: {int(w['accepted'].sum())}/{len(w['X'])} points not implausible"
              + (" (none: kept the least implausible)" if w["fallback"] else ""))
    print("observations used:", ", ".join(o["indicator"] for o in observed))
    if skipped:
        print("not produced by the model (left out):", ", ".join(skipped))
    print(f"calibrated scenario: {out}\nrecord of every wave: {record_path} (innosim report {record_path})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
