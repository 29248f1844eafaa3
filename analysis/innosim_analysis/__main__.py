"""python3 -m innosim_analysis report FILE [--compare FILE2] [-o DIR]  (what `innosim report` runs)."""
import argparse
import sys

from .report import build_report


def main(argv=None):
    parser = argparse.ArgumentParser(prog="innosim report", description="Report on innosim result files")
    sub = parser.add_subparsers(dest="command", required=True)
    rep = sub.add_parser("report", help="targets, intervals, costs, comparison, sensitivity, figures")
    rep.add_argument("file")
    rep.add_argument("--compare", help="a second result file (e.g. the no-plan counterfactual)")
    rep.add_argument("-o", "--output", default=None, help="output folder (default: FILE's name + '-report')")
    rep.add_argument("--no-figures", action="store_true")
    args = parser.parse_args(argv)
    out = args.output or args.file.rsplit(".", 1)[0] + "-report"
    try:
        text = build_report(args.file, args.compare, out, figures=not args.no_figures)
    except (OSError, KeyError, ValueError) as e:
        print(f"innosim report: error: {e}", file=sys.stderr)
        return 2
    print(text)
    print(f"\n(report written to {out}/report.md, report.html, report.json and PNG figures)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
