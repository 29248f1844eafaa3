#include <fmt/core.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
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
#if INNOSIM_MPI
#include "cluster/WorkQueue.hpp"
#include "models/gansu/OutcomeCodec.hpp"
#endif

namespace innosim::cli {

double peak_rss_mib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // Linux reports KiB
}

namespace {
// The one piece of process-wide state: a signal handler can reach nothing else.
std::atomic<int> g_interrupted{0};
extern "C" void on_interrupt(int sig) { g_interrupted.store(sig); }

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
  bool snapshots = false;
};

/// Applies the command-line shorthands as overrides, after any --set, so they win.
std::vector<std::string> overrides(const RunOptions& o) {
  std::vector<std::string> v = o.sets;
  if (o.replications) v.push_back("run.replications=" + std::to_string(*o.replications));
  if (o.seed) v.push_back("run.seed=" + std::to_string(*o.seed));
  if (o.scale) v.push_back(fmt::format("run.scale={}", *o.scale));
  return v;
}

/// Advisories and pinned calibrated keys: what the console prints before a run and the result file keeps.
struct ScenarioNotes {
  std::vector<std::string> advisories, pinned;

  explicit ScenarioNotes(const config::ConfigValues& values) : advisories(gansu::scenario_advisories(values)) {
    for (const std::string& key : gansu::pinned_calibrated_keys(values)) {
      const config::Entry& e = values.entry(key);
      pinned.push_back(
          fmt::format("{} = {} pinned by {}: replications keep this value instead of drawing it from its "
                      "calibrated range [{}, {}]",
                      key, e.text, e.origin.describe(), e.range_lo, e.range_hi));
    }
  }
  void print() const {
    for (const auto& a : advisories) fmt::print(stderr, "innosim: warning: {}\n", a);
    for (const auto& p : pinned) fmt::print(stderr, "innosim: note: {}\n", p);  // stdout stays the YAML or summary
  }
  static std::string joined(const std::vector<std::string>& lines) {
    std::string out;
    for (const auto& l : lines) out += (out.empty() ? "" : "\n") + l;
    return out;
  }
  std::vector<std::pair<std::string, std::string>> attributes() const {
    return {{"advisories", joined(advisories)}, {"pinned", joined(pinned)}};
  }
};

/// Where a key's effective value comes from: its origin, and whether the design draws it or a scenario pins it.
class ValueSources {
 public:
  ValueSources(const config::ConfigValues& values, const config::ExperimentDesign& design)
      : design_(design), calibrated_(gansu::listed_keys(values, "calibration.parameters")) {}

  std::string operator()(const std::string& key, const config::Entry& e) const {
    std::string note = e.origin.describe();
    for (const auto& f : design_.factors)
      if (f.key == key)
        return note + (design_.method == "calibrated"
                           ? fmt::format("; each replication draws it from its calibrated range [{}, {}]", f.lo, f.hi)
                           : fmt::format("; the {} design varies it over [{}, {}]", design_.method, f.lo, f.hi));
    // Pinned matters only where a design would have drawn the key: a calibrated key, or any under a design.
    const bool drawable = design_.method == "calibrated"
                              ? std::find(calibrated_.begin(), calibrated_.end(), key) != calibrated_.end()
                              : design_.method != "none";
    if (e.pinned() && drawable)
      note += fmt::format("; pinned (replications keep it; its range [{}, {}] is not drawn)", e.range_lo, e.range_hi);
    return note;
  }

 private:
  const config::ExperimentDesign& design_;
  std::vector<std::string> calibrated_;
};

void add_scenario_options(CLI::App* cmd, RunOptions& o) {
  cmd->add_option("scenario", o.scenario, "scenario file (YAML), e.g. scenarios/baseline.yaml")->required();
  cmd->add_option("--set", o.sets, "override any scenario key: --set policy.angel_investment.scale=2 (repeatable)");
  cmd->add_option("--replications", o.replications,
                  "Monte Carlo replications (run.replications; ignored with an uncertainty design)");
  cmd->add_option("--seed", o.seed, "random seed (run.seed)");
  cmd->add_option("--scale", o.scale, "population scale (run.scale): 0.1 for tests, 1 for the province");
}
}  // namespace

Action add_run_command(CLI::App& app, const std::string& command_line) {
  auto o = std::make_shared<RunOptions>();
  CLI::App* cmd = app.add_subcommand("run",
                                     "Run a scenario: replications of 2016-04 to 2020-12 (or its uncertainty design), "
                                     "a summary of T1-T6, and an HDF5 file");
  add_scenario_options(cmd, *o);
  cmd->add_option("-o,--output", o->output, "HDF5 result file (default: the scenario's name + .h5)");
  cmd->add_option("--threads", o->threads, "worker threads (default: all cores)");
  cmd->add_flag("--no-output", o->no_output, "write no HDF5 file (for timing)");
  cmd->add_flag("--snapshots", o->snapshots,
                "also write agents' states at each year end and the final graph as an edge list");
  cmd->add_flag("-q,--quiet", o->quiet, "no progress bar");
  return [cmd, o, command_line]() -> int {
    if (!cmd->parsed()) return -1;
    const auto values = config::load_config(gansu::scenario_schema(), o->scenario, overrides(*o));
    gansu::Parameters params = gansu::read_parameters(values);
    params.snapshots = o->snapshots;
#if INNOSIM_MPI
    // MPI for this command only: report, calibrate and optimise exec Python, which may launch mpirun itself.
    const cluster::MpiSession mpi;
    const int ranks = cluster::size();
    const bool coordinator = cluster::rank() == 0;
#else
    const int ranks = 1;
#endif
    const config::ExperimentDesign design = gansu::scenario_design(values);
    const std::uint32_t per_point = gansu::replications_per_point(params, design);
    const std::uint32_t total =
        design.method == "none" ? params.replications : static_cast<std::uint32_t>(design.points.size()) * per_point;
    const unsigned threads = o->threads ? o->threads : std::max(1u, std::thread::hardware_concurrency());
    std::string output = o->output.empty() ? std::filesystem::path(o->scenario).stem().string() + ".h5" : o->output;
    const ScenarioNotes notes(values);
    auto params_of = [&](std::uint32_t r) {
      if (design.method == "none") return params;
      gansu::Parameters point = gansu::parameters_at(values, design, r / per_point);
      point.snapshots = params.snapshots;
      return point;
    };
    std::signal(SIGINT, on_interrupt);
    std::signal(SIGTERM, on_interrupt);
#if INNOSIM_MPI
    if (!coordinator) {  // a worker rank: runs the chunks rank 0 hands out, sends each finished replication back
      cluster::work(threads, [&](std::uint32_t first, std::uint32_t count, const cluster::SendResult& send) {
        gansu::run_ensemble(
            params_of, {first, count, threads},
            [&](const gansu::Outcome& oc) { send(oc.replication, gansu::encode(oc)); },
            [] { return g_interrupted.load() != 0; });
      });
      return g_interrupted.load() != 0 ? 130 : 0;
    }
#endif
    notes.print();
    auto attributes = notes.attributes();
    if (ranks > 1) attributes.push_back({"mpi_ranks", std::to_string(ranks)});
    std::unique_ptr<results::ResultsFile> file;
    if (!o->no_output)
      file = std::make_unique<results::ResultsFile>(output, params, values.to_yaml(), command_line, design, per_point,
                                                    attributes);
    if (ranks > 1)
      fmt::print("MPI: {} ranks (rank 0 hands out replications, {} run them with {} thread(s) each)\n", ranks,
                 ranks - 1, threads);
    if (design.method == "calibrated")
      fmt::print("calibrated scenario: each replication draws {} fitted parameters from their plausible ranges\n",
                 design.factors.size());
    else if (design.method != "none")
      fmt::print("{} design: {} points x {} replication(s) over {} parameters\n", design.method, design.points.size(),
                 per_point, design.factors.size());
    const bool bar = !o->quiet && isatty(STDERR_FILENO);
    std::uint32_t finished = 0;
    auto done = [&](const gansu::Outcome& outcome) {
      if (file) file->write(outcome);
      ++finished;
      if (bar) {
        const int width = 40, filled = static_cast<int>(width * finished / total);
        fmt::print(stderr, "\r[{:<{}}] {}/{} replications", std::string(static_cast<std::size_t>(filled), '#'), width,
                   finished, total);
        if (finished == total) fmt::print(stderr, "\n");
      }
    };
    const auto t0 = std::chrono::steady_clock::now();
    std::vector<gansu::Outcome> outcomes;
    if (ranks == 1) {
      outcomes = gansu::run_ensemble(params_of, {0, total, threads}, done, [] { return g_interrupted.load() != 0; });
    } else {
#if INNOSIM_MPI
      cluster::coordinate(
          total,
          [&](std::uint32_t, std::span<const char> bytes) {
            outcomes.push_back(gansu::decode(bytes));
            done(outcomes.back());
          },
          [] { return g_interrupted.load() != 0; },
          [&] {
            if (file) file->interrupt();
          });
      std::sort(outcomes.begin(), outcomes.end(),
                [](const gansu::Outcome& a, const gansu::Outcome& b) { return a.replication < b.replication; });
#endif
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    // The handler stays until the file is final: a Ctrl-C after the last replication must not leave it partial.
    // Such a late interrupt has nothing left to stop, so the run ends as finished.
    if (g_interrupted.load() != 0 && outcomes.size() < total) {
      if (bar) fmt::print(stderr, "\n");
      if (file) file->interrupt();
      fmt::print(stderr, "innosim: interrupted after {} of {} replications{}\n", outcomes.size(), total,
                 file ? "; they are in " + output + ".partial" : "");
      return 130;
    }
    if (file) file->finish();
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
    if (!outcomes.empty()) fmt::print("{}", gansu::format_target_table(params, outcomes));
    std::uint64_t events = 0;
    for (const auto& oc : outcomes) events += oc.events;
    fmt::print("{} replication(s), {} events, {:.2f} s on {} thread(s), {:.0f} events/s, peak memory {:.0f} MiB{}\n",
               outcomes.size(), events, seconds, threads, static_cast<double>(events) / seconds, peak_rss_mib(),
               file ? ", results in " + output : "");
    return 0;
  };
}

Action add_validate_command(CLI::App& app) {
  auto o = std::make_shared<RunOptions>();
  CLI::App* cmd = app.add_subcommand(
      "validate", "Check a scenario file (and overrides) without running it; print the resolved scenario");
  add_scenario_options(cmd, *o);
  return [cmd, o]() -> int {
    if (!cmd->parsed()) return -1;
    const auto values = config::load_config(gansu::scenario_schema(), o->scenario, overrides(*o));
    (void)gansu::read_parameters(values);
    const auto design = gansu::scenario_design(values);
    const ScenarioNotes notes(values);
    notes.print();
    fmt::print(
        "# {}: valid{}\n# Each value with where it comes from (file:line, --set, default, or a design's draw).\n"
        "{}\n",
        o->scenario,
        design.method == "none" ? "" : fmt::format(" ({} design, {} points)", design.method, design.points.size()),
        values.to_yaml(ValueSources(values, design)));
    return 0;
  };
}

Action add_keys_command(CLI::App& app) {
  CLI::App* cmd = app.add_subcommand("keys", "List every scenario key with its type, default, range and meaning");
  auto scenario = std::make_shared<std::string>();
  auto sets = std::make_shared<std::vector<std::string>>();
  cmd->add_option("--scenario", *scenario,
                  "show the values this scenario actually uses, and where each comes from, instead of the defaults");
  cmd->add_option("--set", *sets, "overrides, as for run (with --scenario)");
  cmd->footer(
      "A lever's scale and annual_budget take a value or a schedule by date from run.start, e.g.\n"
      "  policy.zone_angel_funds.annual_budget: {2016-04-01: 20, 2017-01-01: 40}\n"
      "Assumptions take a value or {value: v, range: [lo, hi]}; chances and shares lie in [0, 1].");
  return [cmd, scenario, sets]() -> int {
    if (!cmd->parsed()) return -1;
    if (scenario->empty()) {
      if (!sets->empty()) throw config::ConfigError("innosim keys: --set needs --scenario");
      for (const auto& k : gansu::scenario_schema().keys()) {
        fmt::print("{}: {}{}{}  # {}\n", k.key, k.default_text,
                   k.ranged ? fmt::format("  range [{}, {}]", k.range_lo, k.range_hi) : std::string(),
                   k.schedulable ? "  (or a schedule by date)" : "", k.doc);
      }
      return 0;
    }
    const auto values = config::load_config(gansu::scenario_schema(), *scenario, *sets);
    (void)gansu::read_parameters(values);
    const auto design = gansu::scenario_design(values);
    const ValueSources source(values, design);
    for (const auto& [key, e] : values.entries())
      fmt::print("{}: {}{}  # {}; {}\n", key, e.text,
                 e.spec->ranged ? fmt::format("  range [{}, {}]", e.range_lo, e.range_hi) : std::string(),
                 source(key, e), e.spec->doc);
    return 0;
  };
}

}  // namespace innosim::cli
