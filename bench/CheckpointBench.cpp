// The cost of one checkpoint of a Gansu replication mid-run (2018-07-01) at scale 1 and 10: saving its whole
// state (engine and model), writing it as a checkpoint file, and resuming from it; bytes and wall time.
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "checkpoint/CheckpointFile.hpp"
#include "config/ConfigValues.hpp"
#include "models/gansu/GansuModel.hpp"

using namespace innosim;

namespace {
using Clock = std::chrono::steady_clock;

gansu::Parameters baseline(double scale) {
  const auto values =
      config::load_config(gansu::scenario_schema(), std::string(INNOSIM_SOURCE_DIR) + "/scenarios/baseline.yaml",
                          {"run.scale=" + std::to_string(scale)});
  return gansu::read_parameters(values);
}

constexpr double kMidRun = 912;  // 2018-07-01, days since 2016-01-01

/// Runs replication 0 to the first window boundary after kMidRun and saves there; returns the state and the seconds
/// from the engine's stop to the model's state in hand (engine and model serialisation).
std::vector<char> save_mid_run(const gansu::Parameters& p, unsigned threads, double& seconds) {
  gansu::GansuModel model(p, 0, threads);
  Clock::time_point asked{};
  std::vector<char> saved;
  bool paused = false;
  // The pause at kMidRun marks the spot; the stop polled at the next boundary is timed from the poll to the state.
  gansu::Checkpoints c;
  c.times = {kMidRun};
  c.stop_requested = [&] {
    if (!paused) return false;
    asked = Clock::now();
    return true;
  };
  c.on_save = [&](double, bool stopping, std::vector<char> state) {
    if (!stopping) {
      paused = true;
      return;
    }
    seconds = std::chrono::duration<double>(Clock::now() - asked).count();
    saved = std::move(state);
  };
  model.set_checkpoints(c);
  (void)model.run();
  return saved;
}
}  // namespace

static void BM_CheckpointSave(benchmark::State& state) {
  const double scale = static_cast<double>(state.range(0));
  const auto p = baseline(scale);
  const std::string path = "checkpoint_bench.ckpt";
  double save = 0, write = 0, resume = 0, bytes = 0, file_bytes = 0;
  for (auto _ : state) {
    double seconds = 0;
    std::vector<char> s = save_mid_run(p, 1, seconds);
    save += seconds;
    bytes = static_cast<double>(s.size());
    checkpoint::RunCheckpoint c;
    c.build = "bench";
    c.units = 1;
    c.running[0] = {kMidRun, s};
    const auto w0 = Clock::now();
    file_bytes = static_cast<double>(checkpoint::write_checkpoint(path, c));
    const auto w1 = Clock::now();
    write += std::chrono::duration<double>(w1 - w0).count();
    // Resume: read and check the file, rebuild the replication, restore the state (the run itself is not timed).
    const auto r0 = Clock::now();
    const checkpoint::RunCheckpoint back = checkpoint::read_checkpoint(path, "bench");
    gansu::GansuModel model(p, 0, 1);
    model.resume(back.running.at(0).state);
    gansu::Checkpoints stop_at_once;
    stop_at_once.stop_requested = [] { return true; };
    model.set_checkpoints(stop_at_once);
    (void)model.run();  // restores, then stops at the first boundary
    resume += std::chrono::duration<double>(Clock::now() - r0).count();
  }
  std::remove(path.c_str());
  const auto n = static_cast<double>(state.iterations());
  state.counters["state_MiB"] = bytes / (1024.0 * 1024.0);
  state.counters["file_MiB"] = file_bytes / (1024.0 * 1024.0);
  state.counters["save_ms"] = 1e3 * save / n;
  state.counters["write_ms"] = 1e3 * write / n;
  state.counters["resume_ms"] = 1e3 * resume / n;
}
BENCHMARK(BM_CheckpointSave)->ArgName("scale")->Arg(1)->Arg(10)->Unit(benchmark::kMillisecond)->Iterations(3);
