// innosim report and innosim calibrate: thin doors into the Python analysis module, where the statistics live once.
#include <fmt/core.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "cli/Commands.hpp"

namespace innosim::cli {

namespace {
/// Replaces this process by `/usr/bin/python3 -m innosim_analysis SUBCOMMAND ARGS...`: the statistics live once,
/// in the Python module (analysis/innosim_analysis, or INNOSIM_ANALYSIS_DIR). Returns only on failure.
int exec_analysis(const std::string& subcommand, const std::vector<std::string>& rest) {
  const char* dir = std::getenv("INNOSIM_ANALYSIS_DIR");
  const std::string analysis = dir ? dir : INNOSIM_ANALYSIS_DIR;
  const std::string python = "/usr/bin/python3";
  if (access(python.c_str(), X_OK) != 0) {
    fmt::print(stderr,
               "innosim {}: error: {} not found (install python3, python3-xarray, python3-h5netcdf, "
               "python3-matplotlib: scripts/install-deps.sh)\n",
               subcommand, python);
    return 2;
  }
  const auto self = std::filesystem::read_symlink("/proc/self/exe").string();
  setenv("INNOSIM_BIN", self.c_str(), 1);  // calibrate runs this very binary for each design point
  const char* old = std::getenv("PYTHONPATH");
  const std::string path = analysis + (old ? ":" + std::string(old) : "");
  setenv("PYTHONPATH", path.c_str(), 1);
  std::vector<std::string> args{python, "-m", "innosim_analysis", subcommand};
  args.insert(args.end(), rest.begin(), rest.end());
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::fflush(stdout);
  execv(python.c_str(), argv.data());
  fmt::print(stderr, "innosim {}: error: could not run {}\n", subcommand, python);
  return 2;
}
}  // namespace

Action add_report_command(CLI::App& app) {
  auto file = std::make_shared<std::string>();
  auto compare = std::make_shared<std::string>();
  auto out = std::make_shared<std::string>();
  auto no_figures = std::make_shared<bool>(false);
  CLI::App* cmd = app.add_subcommand(
      "report",
      "Report on a result file: target probabilities with 95% Wilson intervals, dates, bands, costs, "
      "comparison (--compare), sensitivity; writes Markdown, HTML, JSON and PNG figures");
  cmd->add_option("file", *file, "HDF5 result file of innosim run")->required();
  cmd->add_option("--compare", *compare, "a second result file, e.g. the no-plan counterfactual");
  cmd->add_option("-o,--output", *out, "output folder (default: FILE without .h5 + -report)");
  cmd->add_flag("--no-figures", *no_figures, "tables only");
  return [cmd, file, compare, out, no_figures]() -> int {
    if (!cmd->parsed()) return -1;
    std::vector<std::string> args{*file};
    if (!compare->empty()) args.insert(args.end(), {"--compare", *compare});
    if (!out->empty()) args.insert(args.end(), {"-o", *out});
    if (*no_figures) args.push_back("--no-figures");
    return exec_analysis("report", args);
  };
}

Action add_calibrate_command(CLI::App& app) {
  CLI::App* cmd = app.add_subcommand(
      "calibrate",
      "Fit a scenario's uncertain parameters to observed statistics by history matching (waves of LHS "
      "ensembles, implausibility cut-off); writes a calibrated scenario and an HDF5 record of every wave");
  cmd->allow_extras();
  cmd->footer(
      "Options: SCENARIO --observed FILE [-o calibrated.yaml] [--record calibration.h5] [--parameters K1,K2] "
      "[--waves 3] [--points 30] [--replications 2] [--threads N (all cores)] [--seed 2016] [--cutoff 3]");
  return [cmd]() -> int {
    if (!cmd->parsed()) return -1;
    return exec_analysis("calibrate", cmd->remaining());
  };
}

Action add_optimise_command(CLI::App& app) {
  CLI::App* cmd = app.add_subcommand(
      "optimise",
      "Find the cheapest mix of levers (the scenario's optimise: block) that meets the chosen targets with the "
      "chosen confidence; writes a record of every evaluation, the cost-probability frontier and a scenario per "
      "frontier mix");
  cmd->allow_extras();
  cmd->footer(
      "Options: SCENARIO [-o OUT (folder)] [--set KEY=VALUE ...] [--threads N (all cores)]. The scenario's optimise: "
      "block names the decision variables and bounds, the targets, the confidence and the evaluation budget "
      "(innosim keys lists optimise.*).");
  return [cmd]() -> int {
    if (!cmd->parsed()) return -1;
    return exec_analysis("optimise", cmd->remaining());
  };
}

}  // namespace innosim::cli
