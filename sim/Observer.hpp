// Observers: recorders that receive committed events, committed state changes and ticks, in a reproducible order.
#pragma once

#include <cstdint>
#include <span>

#include "sim/Event.hpp"

namespace innosim::sim {

/// A committed state change a handler reported (`Context::record`); `kind` and `value` mean what the model says.
struct Record {
  double time = 0;
  std::uint64_t tie = 0;    // the tie of the event that made it
  std::uint32_t index = 0;  // its position among that event's records
  AgentId agent = 0;
  std::uint16_t kind = 0;
  double value = 0;
};

/// A model's running count (Simulation::add_tally) that handlers add to (Context::tally).
using TallyId = std::uint16_t;

/// Called between windows, never concurrently with handlers or with one another, on the thread that runs the
/// simulation — or, when no observer reads the graph, on one of the run's threads while the engine applies the
/// window's graph edits. Batches arrive in the engine's total order (time, tie), whatever the thread count.
class Observer {
 public:
  virtual ~Observer() = default;
  /// Whether on_events, on_records or on_tick read the simulation's graph (then they wait for the window's
  /// graph edits; otherwise they run while the edits are applied).
  virtual bool reads_graph() const { return true; }
  /// Whether to collect committed events for on_events (costs a copy and a sort per window).
  virtual bool wants_events() const { return false; }
  virtual void on_events(std::span<const Event> /*committed*/) {}
  virtual void on_records(std::span<const Record> /*committed*/) {}
  /// The window's sums of Context::tally() by tally id, after its records and before its ticks, when any is not 0.
  /// Integer sums do not depend on the order of their terms: the same whatever the thread count.
  virtual void on_tallies(std::span<const std::int64_t> /*window_sums*/) {}
  /// Every event before `time` is committed and none at or after it: model state may be read now.
  virtual void on_tick(double /*time*/) {}
};

}  // namespace innosim::sim
