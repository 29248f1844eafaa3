// The Gansu maker-space model on the innosim engine: population, agents' behaviour as events, and recording.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "models/gansu/AgentState.hpp"
#include "models/gansu/Outcome.hpp"
#include "models/gansu/Parameters.hpp"

namespace innosim::gansu {

/// Agents of each kind at the parameters' scale (docs/POPULATION.md gives the scale-1 table and sources).
struct PopulationCounts {
  std::uint32_t cities = kCityCount, zones = 0, universities = 0, institutes = 0, leading = 0, smes = 0, operators = 0,
                outside = 0, makers = 0, angels = 0, vc_funds = 0, guidance_funds = 3, zone_angel_funds = 2, banks = 0,
                guarantee_firms = 0, mentors = 0, commissioner_mentors = 0, spaces = 0, initial_recognised = 61,
                initial_unrecognised = 0, initial_enterprise = 0, initial_university = 0, initial_zone = 0,
                initial_market = 0;
  std::uint32_t enterprises() const { return leading + smes + operators + outside; }
  std::uint32_t investors() const {
    return angels + vc_funds + guidance_funds + zone_angel_funds + banks + guarantee_firms;
  }
  std::uint64_t total() const;
};
PopulationCounts population_counts(const Parameters& p);
/// Names of the model's edge types (relations of MODEL.md), indexed by edge type.
std::vector<std::string> edge_type_names();

/// Where a replication pauses to save its whole state (a checkpoint), and whether it stops there. Pauses fall
/// between the engine's windows, so they change no result.
struct Checkpoints {
  std::vector<double> times;  // simulated days: a pause at the first window boundary at or after each
  /// Polled at every window boundary: true makes the replication save its state there and stop (run() returns
  /// early, stopped() is true).
  std::function<bool()> stop_requested;
  /// Polled at a pause that does not stop: false skips it without building the state. Unset: every pause saves.
  std::function<bool()> wanted;
  /// The replication's whole state at `time` (engine, agents, graph, queue, streams, recorder so far), for resume().
  std::function<void(double time, bool stopping, std::vector<char> state)> on_save;
};

/// One replication: build the population from (seed, replication), run, and return its outcome.
/// The result depends only on the parameters, the seed and the replication index, never on `threads`.
class GansuModel {
 public:
  GansuModel(const Parameters& params, std::uint32_t replication, unsigned threads);
  ~GansuModel();
  /// Before run(): pause and save there (Checkpoints).
  void set_checkpoints(Checkpoints checkpoints);
  /// Before run(): continue from a saved state of this replication (same parameters, seed and build), at any
  /// thread count; the outcome is bit-identical to the uninterrupted run's. Throws sim::StateError when the state
  /// is damaged or belongs to another replication or parameters.
  void resume(std::vector<char> state);
  /// Runs to the end, or to a checkpoint's stop: then stopped() is true and the outcome is incomplete.
  Outcome run();
  bool stopped() const;

  // Read-only views for tests and snapshots (valid after construction; final after run()).
  const Spaces& spaces() const;
  const Teams& teams() const;
  const Makers& makers() const;
  const Mentors& mentors() const;
  const Investors& investors() const;
  const Government& government() const;
  const Cities& cities() const;
  /// Index into spaces() of a maker-space agent id.
  std::uint32_t space_index(sim::AgentId space) const;
  /// Budget granted to, and spent by, each lever over the run (million CNY).
  std::vector<std::pair<double, double>> budget_use() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace innosim::gansu
