#include <fmt/core.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <thread>

#include "cli/Commands.hpp"
#include "config/ConfigValues.hpp"
#include "models/gansu/Ensemble.hpp"
#include "models/gansu/Parameters.hpp"
#include "models/gansu/TargetReport.hpp"
#include "results/ResultsFile.hpp"

namespace innosim::cli {

namespace {
struct RunOptions {
  std::string scenario;
  std::string output;
  std::optional<std::uint32_t> replications;
  unsigned threads = 0;
  std::optional<std::uint64_t> seed;
  std::optional<double> scale;
  std::vector<std::string> sets;
  bool no_output = false;
  bool quiet = false;
};

/// Applies the command-line shorthands as overrides, after any --set, so they win.
std::vector<std::string> overrides(const RunOptions& o) {
  std::vector<std::string> v = o.sets;
  if (o.replications) v.push_back("run.replications=" + std::to_string(*o.replications));
  if (o.seed) v.push_back("run.seed=" + std::to_string(*o.seed));
  if (o.scale) v.push_back(fmt::format("run.scale={}", *o.scale));
  return v;
}

void add_scenario_options(CLI::App* cmd, RunOptions& o) {
  cmd->add_option("scenario", o.scenario, "scenario file (YAML), e.g. scenarios/baseline.yaml")->required();
  cmd->add_option("--set", o.sets, "override any scenario key: --set policy.angel_investment.scale=2 (repeatable)");
  cmd->add_option("--replications", o.replications, "Monte Carlo replications (run.replications)");
  cmd->add_option("--seed", o.seed, "random seed (run.seed)");
  cmd->add_option("--scale", o.scale, "population scale (run.scale): 0.1 for tests, 1 for the province");
}
}  // namespace

Action add_run_command(CLI::App& app, const std::string& command_line) {
  auto o = std::make_shared<RunOptions>();
  CLI::App* cmd = app.add_subcommand("run", "Run a scenario: replications of 2016-04 to 2020-12, a summary of T1-T6, and an HDF5 file");
  add_scenario_options(cmd, *o);
  cmd->add_option("-o,--output", o->output, "HDF5 result file (default: the scenario's name + .h5)");
  cmd->add_option("--threads", o->threads, "worker threads (default: all cores)");
  cmd->add_flag("--no-output", o->no_output, "write no HDF5 file (for timing)");
  cmd->add_flag("-q,--quiet", o->quiet, "no progress bar");
  return [cmd, o, command_line]() -> int {
    if (!cmd->parsed()) return -1;
    const auto values = config::load_config(gansu::scenario_schema(), o->scenario, overrides(*o));
    const gansu::Parameters params = gansu::read_parameters(values);
    const unsigned threads = o->threads ? o->threads : std::max(1u, std::thread::hardware_concurrency());
    std::string output = o->output;
    if (output.empty()) {
      output = std::filesystem::path(o->scenario).stem().string() + ".h5";
    }
    std::unique_ptr<results::ResultsFile> file;
    if (!o->no_output) file = std::make_unique<results::ResultsFile>(output, params, values.to_yaml(), command_line);
    const bool bar = !o->quiet && isatty(STDERR_FILENO);
    std::uint32_t finished = 0;
    const auto t0 = std::chrono::steady_clock::now();
    auto done = [&](const gansu::Outcome& outcome) {
      if (file) file->write(outcome);
      ++finished;
      if (bar) {
        const int width = 40, filled = static_cast<int>(width * finished / params.replications);
        fmt::print(stderr, "\r[{:<{}}] {}/{} replications", std::string(static_cast<std::size_t>(filled), '#'), width,
                   finished, params.replications);
        if (finished == params.replications) fmt::print(stderr, "\n");
      }
    };
    const auto outcomes = gansu::run_ensemble(params, {0, params.replications, threads}, done);
    if (file) file->finish();
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    fmt::print("{}", gansu::format_target_table(params, outcomes));
    std::uint64_t events = 0;
    for (const auto& oc : outcomes) events += oc.events;
    fmt::print("{} replication(s), {} events, {:.2f} s on {} thread(s){}\n", outcomes.size(), events, seconds, threads,
               file ? ", results in " + output : "");
    return 0;
  };
}

Action add_validate_command(CLI::App& app) {
  auto o = std::make_shared<RunOptions>();
  auto keys = std::make_shared<bool>(false);
  CLI::App* cmd = app.add_subcommand("validate", "Check a scenario file (and overrides) without running it; print the resolved scenario");
  add_scenario_options(cmd, *o);
  return [cmd, o]() -> int {
    if (!cmd->parsed()) return -1;
    const auto values = config::load_config(gansu::scenario_schema(), o->scenario, overrides(*o));
    (void)gansu::read_parameters(values);
    fmt::print("# {}: valid\n{}\n", o->scenario, values.to_yaml());
    return 0;
  };
}

Action add_keys_command(CLI::App& app) {
  CLI::App* cmd = app.add_subcommand("keys", "List every scenario key with its type, default, range and meaning");
  return [cmd]() -> int {
    if (!cmd->parsed()) return -1;
    for (const auto& k : gansu::scenario_schema().keys()) {
      fmt::print("{}: {}{}  # {}\n", k.key, k.default_text,
                 k.ranged ? fmt::format("  range [{}, {}]", k.range_lo, k.range_hi) : std::string(), k.doc);
    }
    return 0;
  };
}

}  // namespace innosim::cli
