#include <fmt/core.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "checkpoint/CheckpointFile.hpp"
#include "cli/Commands.hpp"
#include "config/ConfigValues.hpp"
#include "models/gansu/Ensemble.hpp"
#include "models/gansu/OutcomeCodec.hpp"
#include "models/gansu/Parameters.hpp"
#include "models/gansu/TargetReport.hpp"
#include "results/ResultsFile.hpp"
#include "sim/Calendar.hpp"
#include "sim/StateStream.hpp"
#if INNOSIM_MPI
#include "cluster/WorkQueue.hpp"
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

namespace {

/// A run, from `run` or from `resume` (which restores it from a checkpoint).
struct Job {
  std::string scenario;  // as given (absolute when resumed)
  std::vector<std::string> overrides;
  std::string output;  // "" with no output
  std::string checkpoint_path, every;
  unsigned threads = 0;
  bool quiet = false, snapshots = false;
  std::string command_line;
  const checkpoint::RunCheckpoint* resume = nullptr;
};

/// Tests stop a run at a checkpoint: INNOSIM_TEST_SIGTERM_AFTER_SAVES=N makes this process send itself SIGTERM at
/// the N-th checkpoint time its replications reach (the signal then takes the path a scheduler's would).
class TestStop {
 public:
  TestStop() {
    const char* n = std::getenv("INNOSIM_TEST_SIGTERM_AFTER_SAVES");
    limit_ = n ? std::atol(n) : -1;
  }
  void paused() {
    if (++seen_ == limit_) std::raise(SIGTERM);
  }

 private:
  long limit_ = -1;
  std::atomic<long> seen_{0};
};

std::string this_build() { return fmt::format("{} (commit {})", INNOSIM_VERSION, INNOSIM_GIT_COMMIT); }

/// The scenario's identity for a checkpoint: its resolved values and which calibrated keys it pins.
std::uint64_t scenario_hash(const config::ConfigValues& values) {
  std::string text = values.to_yaml() + "\n# pinned:";
  for (const std::string& key : gansu::pinned_calibrated_keys(values)) text += " " + key;
  return checkpoint::text_hash(text);
}

/// The simulated days at which each replication saves its state: every `every` ("6m", "1y", "90d", "2w") from the
/// run's start, by the calendar (months and years keep the day of the month, or the month's last day).
std::vector<double> checkpoint_times(const std::string& every, const gansu::Parameters& p) {
  if (every.empty()) return {};
  std::size_t used = 0;
  long amount = 0;
  try {
    amount = std::stol(every, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  const std::string unit = used > 0 ? every.substr(used) : "";
  if (used == 0 || amount <= 0 || (unit != "d" && unit != "w" && unit != "m" && unit != "y"))
    throw config::ConfigError(
        "--checkpoint-every: expected a positive duration of simulated time such as 6m, 1y, "
        "90d or 2w (days, weeks, months, years), got '" +
        every + "'");
  const sim::Calendar calendar{std::chrono::year(2016) / 1 / 1};  // the model's time origin
  const sim::Date start = calendar.to_date(p.start);
  std::vector<double> times;
  for (long k = 1;; ++k) {
    double t = 0;
    if (unit == "d" || unit == "w") {
      t = p.start + static_cast<double>(k * amount * (unit == "w" ? 7 : 1));
    } else {
      const auto months = std::chrono::months(k * amount * (unit == "y" ? 12 : 1));
      const auto ym = std::chrono::year_month(start.year(), start.month()) + months;
      sim::Date d = ym / start.day();
      if (!d.ok()) d = ym / std::chrono::last;
      t = calendar.to_time(d);
    }
    if (t >= p.end) break;
    times.push_back(t);
  }
  return times;
}

int execute(const Job& job) {
  const auto values = config::load_config(gansu::scenario_schema(), job.scenario, job.overrides);
  gansu::Parameters params = gansu::read_parameters(values);
  params.snapshots = job.snapshots;
  const std::uint64_t hash = scenario_hash(values);
  if (job.resume && job.resume->scenario_hash != hash)
    throw checkpoint::CheckpointError(
        "the scenario " + job.scenario +
        " (with the checkpoint's overrides) has changed since the checkpoint was written: its resolved values differ, "
        "so the saved replications cannot continue under it");
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
  if (job.resume && job.resume->units != total)
    throw checkpoint::CheckpointError("checkpoint " + job.checkpoint_path + " holds " +
                                      std::to_string(job.resume->units) + " replications; its scenario now gives " +
                                      std::to_string(total));
  const unsigned threads = job.threads ? job.threads : std::max(1u, std::thread::hardware_concurrency());
  const ScenarioNotes notes(values);
  auto params_of = [&](std::uint32_t r) {
    if (design.method == "none") return params;
    gansu::Parameters point = gansu::parameters_at(values, design, r / per_point);
    point.snapshots = params.snapshots;
    return point;
  };
  // The replications still to run (all but a resumed run's finished ones), and where the unfinished ones resume.
  std::vector<std::uint32_t> remaining;
  for (std::uint32_t r = 0; r < total; ++r)
    if (!job.resume || !job.resume->finished.count(r)) remaining.push_back(r);
  const bool checkpointing = !job.checkpoint_path.empty();
  gansu::EnsembleCheckpoints saves;
  saves.times = checkpoint_times(job.every, params);
  if (job.resume)
    saves.resume_from = [&job](std::uint32_t r) {
      const auto it = job.resume->running.find(r);
      return it == job.resume->running.end() ? std::vector<char>{} : it->second.state;
    };
  auto stop = [] { return g_interrupted.load() != 0; };
  TestStop test_stop;
  std::signal(SIGINT, on_interrupt);
  std::signal(SIGTERM, on_interrupt);
#if INNOSIM_MPI
  if (!coordinator) {  // a worker rank: runs the chunks rank 0 hands out, sends each finished replication back
    cluster::work(
        threads,
        [&](std::uint32_t first, std::uint32_t count, const cluster::SendResult& send,
            const cluster::SendResult& send_state) {
          gansu::EnsembleOptions options(0, 0, threads);
          options.units.assign(remaining.begin() + first, remaining.begin() + first + count);
          gansu::EnsembleCheckpoints mine = saves;
          if (checkpointing)
            mine.on_save = [&send_state, &test_stop](std::uint32_t r, double t, bool stopping,
                                                     std::vector<char> state) {
              if (!stopping) test_stop.paused();
              sim::StateWriter w;
              w.pod(t), w.pod(static_cast<std::uint8_t>(stopping)), w.bytes(state);
              send_state(r, w.take());
            };
          gansu::run_ensemble(
              params_of, options, [&](const gansu::Outcome& oc) { send(oc.replication, gansu::encode(oc)); }, stop,
              &mine);
        },
        stop);
    return g_interrupted.load() != 0 ? 130 : 0;
  }
#endif
  notes.print();
  auto attributes = notes.attributes();
  if (ranks > 1) attributes.push_back({"mpi_ranks", std::to_string(ranks)});
  std::unique_ptr<results::ResultsFile> file;
  if (!job.output.empty())
    file = std::make_unique<results::ResultsFile>(job.output, params, values.to_yaml(), job.command_line, design,
                                                  per_point, attributes);
  if (ranks > 1)
    fmt::print("MPI: {} ranks (rank 0 hands out replications, {} run them with {} thread(s) each)\n", ranks, ranks - 1,
               threads);
  if (design.method == "calibrated")
    fmt::print("calibrated scenario: each replication draws {} fitted parameters from their plausible ranges\n",
               design.factors.size());
  else if (design.method != "none")
    fmt::print("{} design: {} points x {} replication(s) over {} parameters\n", design.method, design.points.size(),
               per_point, design.factors.size());

  // The checkpoint: finished outcomes and each unfinished replication's latest state, rewritten as they save.
  checkpoint::RunCheckpoint ckpt;
  if (job.resume) ckpt = *job.resume;
  ckpt.build = this_build();
  ckpt.scenario_path = std::filesystem::absolute(job.scenario).string();
  ckpt.overrides = job.overrides;
  ckpt.scenario_hash = hash;
  ckpt.output = job.output;
  ckpt.every = job.every;
  ckpt.snapshots = job.snapshots;
  ckpt.units = total;
  ckpt.ranks = static_cast<std::uint32_t>(ranks);
  std::mutex ckpt_mutex;
  // Periodic rewrites take at most about a tenth of the run: one is skipped while less than nine times the last
  // write's duration has passed since it (the next save writes, and a stop always does).
  auto last_write = std::chrono::steady_clock::time_point{};
  double write_seconds = 0;
  std::uint64_t writes = 0, last_bytes = 0;
  auto write_due = [&] {  // under ckpt_mutex
    return writes == 0 ||
           std::chrono::duration<double>(std::chrono::steady_clock::now() - last_write).count() >= 9 * write_seconds;
  };
  auto write_ckpt = [&](bool always) {  // under ckpt_mutex
    const auto now = std::chrono::steady_clock::now();
    if (!always && !write_due()) return;
    last_bytes = checkpoint::write_checkpoint(job.checkpoint_path, ckpt);
    last_write = std::chrono::steady_clock::now();
    write_seconds = std::chrono::duration<double>(last_write - now).count();
    ++writes;
  };
  auto on_save = [&](std::uint32_t r, double t, bool stopping, std::vector<char> state) {
    const std::lock_guard lock(ckpt_mutex);
    if (ckpt.finished.count(r)) return;
    ckpt.running[r] = {t, std::move(state)};
    if (!stopping) write_ckpt(false);
  };
  if (checkpointing) {
    saves.on_save = on_save;
    // A replication builds its state only when the file is due to be rewritten (its previous state stays valid).
    saves.wanted = [&] {
      test_stop.paused();
      const std::lock_guard lock(ckpt_mutex);
      return write_due();
    };
  }

  const bool bar = !job.quiet && isatty(STDERR_FILENO);
  std::uint32_t finished = 0;
  // `bytes`: the outcome already encoded (as it came from a rank), so that the checkpoint need not encode it again.
  auto done = [&](const gansu::Outcome& outcome, std::span<const char> bytes = {}) {
    if (file) file->write(outcome);
    if (checkpointing) {
      const std::lock_guard lock(ckpt_mutex);
      ckpt.running.erase(outcome.replication);
      if (!ckpt.finished.count(outcome.replication))
        ckpt.finished[outcome.replication] =
            bytes.empty() ? gansu::encode(outcome) : std::vector<char>(bytes.begin(), bytes.end());
    }
    ++finished;
    if (bar) {
      const int width = 40, filled = static_cast<int>(width * finished / total);
      fmt::print(stderr, "\r[{:<{}}] {}/{} replications", std::string(static_cast<std::size_t>(filled), '#'), width,
                 finished, total);
      if (finished == total) fmt::print(stderr, "\n");
    }
  };
  std::vector<gansu::Outcome> outcomes;
  if (job.resume) {
    for (const auto& [r, bytes] : job.resume->finished) {
      outcomes.push_back(gansu::decode(bytes));
      done(outcomes.back());
    }
    fmt::print("resuming from {}: {} of {} replications finished, {} continue from their saved state\n",
               job.checkpoint_path, job.resume->finished.size(), total, job.resume->running.size());
  }
  const auto t0 = std::chrono::steady_clock::now();
  if (ranks == 1) {
    gansu::EnsembleOptions options(0, 0, threads);
    options.units = remaining;
    auto more = gansu::run_ensemble(params_of, options, done, stop, &saves);
    for (auto& oc : more) outcomes.push_back(std::move(oc));
  } else {
#if INNOSIM_MPI
    (void)cluster::coordinate(
        static_cast<std::uint32_t>(remaining.size()),
        [&](std::uint32_t, std::span<const char> bytes) {
          outcomes.push_back(gansu::decode(bytes));
          done(outcomes.back(), bytes);
        },
        stop,
        [&] {
          if (file) file->interrupt();
        },
        [&](std::uint32_t r, std::span<const char> bytes) {
          sim::StateReader in(bytes, "a rank's replication state");
          const auto t = in.get<double>();
          const bool stopping = in.get<std::uint8_t>() != 0;
          const auto state = in.bytes();
          in.finish();
          if (checkpointing) on_save(r, t, stopping, std::vector<char>(state.begin(), state.end()));
        });
#endif
  }
  std::sort(outcomes.begin(), outcomes.end(),
            [](const gansu::Outcome& a, const gansu::Outcome& b) { return a.replication < b.replication; });
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  // The handler stays until the file is final: a Ctrl-C after the last replication must not leave it partial.
  // Such a late interrupt has nothing left to stop, so the run ends as finished. A run is unfinished when this
  // process was signalled, or (under MPI) a worker rank was and stopped.
  if (outcomes.size() < total) {
    if (bar) fmt::print(stderr, "\n");
    if (file) file->interrupt();
    std::string saved;
    if (checkpointing) {
      const std::lock_guard lock(ckpt_mutex);
      write_ckpt(true);
      saved = fmt::format(
          "; the checkpoint {} holds them and the saved state of {} unfinished one(s): "
          "innosim resume {} continues",
          job.checkpoint_path, ckpt.running.size(), job.checkpoint_path);
    }
    fmt::print(stderr, "innosim: interrupted after {} of {} replications{}{}\n", outcomes.size(), total,
               file ? "; they are in " + job.output + ".partial" : "", saved);
    return 130;
  }
  if (file) file->finish();
  if (checkpointing) std::remove(job.checkpoint_path.c_str());  // the run is complete: nothing to resume
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
  if (!outcomes.empty()) fmt::print("{}", gansu::format_target_table(params, outcomes));
  std::uint64_t events = 0;
  for (const auto& oc : outcomes) events += oc.events;
  fmt::print("{} replication(s), {} events, {:.2f} s on {} thread(s), {:.0f} events/s, peak memory {:.0f} MiB{}\n",
             outcomes.size(), events, seconds, threads, static_cast<double>(events) / seconds, peak_rss_mib(),
             file ? ", results in " + job.output : "");
  if (checkpointing && writes > 0)
    fmt::print("checkpoints: {} written, the last {:.1f} MiB in {:.3f} s\n", writes,
               static_cast<double>(last_bytes) / (1024.0 * 1024.0), write_seconds);
  return 0;
}

void add_checkpoint_options(CLI::App* cmd, std::string& path, std::string& every) {
  cmd->add_option("--checkpoint", path,
                  "checkpoint file (default: the output + .ckpt): written on Ctrl-C/SIGTERM and with "
                  "--checkpoint-every; removed when the run completes");
  cmd->add_option("--checkpoint-every", every,
                  "also save every unfinished replication's state every so much simulated time: 6m, 1y, 90d, 2w");
}

}  // namespace

Action add_run_command(CLI::App& app, const std::string& command_line) {
  auto o = std::make_shared<RunOptions>();
  auto ckpt = std::make_shared<std::pair<std::string, std::string>>();
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
  add_checkpoint_options(cmd, ckpt->first, ckpt->second);
  return [cmd, o, ckpt, command_line]() -> int {
    if (!cmd->parsed()) return -1;
    Job job;
    job.scenario = o->scenario;
    job.overrides = overrides(*o);
    if (!o->no_output)
      job.output = o->output.empty() ? std::filesystem::path(o->scenario).stem().string() + ".h5" : o->output;
    job.checkpoint_path = ckpt->first;
    if (job.checkpoint_path.empty() && !job.output.empty()) job.checkpoint_path = job.output + ".ckpt";
    job.every = ckpt->second;
    if (!job.every.empty() && job.checkpoint_path.empty())
      throw config::ConfigError("--checkpoint-every with --no-output needs --checkpoint FILE");
    job.threads = o->threads;
    job.quiet = o->quiet;
    job.snapshots = o->snapshots;
    job.command_line = command_line;
    return execute(job);
  };
}

Action add_resume_command(CLI::App& app, const std::string& command_line) {
  struct ResumeOptions {
    std::string checkpoint, output, every;
    unsigned threads = 0;
    bool quiet = false;
  };
  auto o = std::make_shared<ResumeOptions>();
  CLI::App* cmd = app.add_subcommand(
      "resume",
      "Continue an interrupted run from its checkpoint: the results are bit-identical to an uninterrupted run's, at "
      "any thread count (and, in the MPI build, any rank count)");
  cmd->add_option("checkpoint", o->checkpoint, "the checkpoint file (e.g. baseline.h5.ckpt)")->required();
  cmd->add_option("-o,--output", o->output, "HDF5 result file (default: the interrupted run's)");
  cmd->add_option("--threads", o->threads, "worker threads (default: all cores)");
  cmd->add_option("--checkpoint-every", o->every, "save states this often (default: as the interrupted run did)");
  cmd->add_flag("-q,--quiet", o->quiet, "no progress bar");
  return [cmd, o, command_line]() -> int {
    if (!cmd->parsed()) return -1;
    const checkpoint::RunCheckpoint saved = checkpoint::read_checkpoint(o->checkpoint, this_build());
    Job job;
    job.scenario = saved.scenario_path;
    job.overrides = saved.overrides;
    job.output = o->output.empty() ? saved.output : o->output;
    job.checkpoint_path = o->checkpoint;
    job.every = o->every.empty() ? saved.every : o->every;
    job.threads = o->threads;
    job.quiet = o->quiet;
    job.snapshots = saved.snapshots;
    job.command_line = command_line;
    job.resume = &saved;
    return execute(job);
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
