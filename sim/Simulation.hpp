// A simulation: agents, event handlers and observers run by conservative parallel windows on oneTBB.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "sim/AgentGraph.hpp"
#include "sim/Context.hpp"
#include "sim/Event.hpp"
#include "sim/Observer.hpp"
#include "sim/RandomStream.hpp"

namespace innosim::sim {

struct SimulationConfig {
  double start = 0;      // window origin; events may not be scheduled before it
  double end = 1;        // events with time <= end are committed
  double lookahead = 1;  // minimum delay of an effect on another agent (days)
  unsigned threads = 1;  // oneTBB worker threads (1 = run on the calling thread)
  unsigned blocks = 0;   // agent blocks; 0 = 2 per thread. Results never depend on it.
  std::uint64_t seed = 1;
  std::uint64_t replication = 0;
  Generator generator = Generator::Philox4x32_10;  // of every agent and setup stream
  // Windows end on multiples of the lookahead (and never later than the earliest event + lookahead), so
  // that each window loads whole calendar buckets: faster. Graph reads see the graph as of the window's
  // start, so a model that reads the graph gets other (equally valid) results; event order, and so any
  // result of a model that does not, is the same either way.
  bool aligned_windows = false;
};

struct AgentType {
  std::uint16_t id = 0;
  AgentId first = 0;
  std::uint32_t count = 0;
  AgentId operator[](std::uint32_t i) const { return first + i; }
  bool contains(AgentId a) const { return a >= first && a - first < count; }
};

struct RunStats {
  std::uint64_t committed = 0;  // events handled (time <= end)
  std::uint64_t windows = 0;
  std::vector<std::uint64_t> events_per_thread;  // by oneTBB thread slot
  std::vector<std::uint64_t> events_by_type;     // by EventType
  std::vector<std::uint64_t> events_per_block;   // the load balance: agents are dealt to blocks in stripes
  // Wall time inside windows (handlers, in parallel) and between them (graph edits, records, observers'
  // ticks: serial), so that a user sees what bounds the speed-up with threads.
  double window_seconds = 0;
  double between_seconds = 0;
  // Inside windows: the threads' time in blocks, summed, and per window the busiest thread's excess over the
  // threads' mean, summed: the load imbalance, which (with the serial time between windows) bounds the speed-up.
  // busy / (threads x window_seconds) is how much of the windows the threads worked.
  double busy_seconds = 0;
  double imbalance_seconds = 0;
  bool stopped = false;  // a pause's stop_requested ended the run early (Pauses)
  unsigned threads_used() const;
};
/// Of the windows' thread time (threads x window_seconds), the share the threads spent in blocks; 0 if none.
double busy_share(const RunStats& stats);
/// Of the windows' wall time, the share lost to load imbalance (the busiest thread's excess); 0 if none.
double imbalance_share(const RunStats& stats);

using Handler = std::function<void(Context&, const Event&)>;

/// Where a run may be saved (checkpoints) and stopped: between windows, when every event before `time` is committed,
/// none at or after it, and the observers have had every record and tick before it. Each pause hands the engine's
/// state; a model saves its own beside it. A new Simulation built the same way, given both (restore()), runs on to
/// exactly the results of the uninterrupted run, whatever its thread count.
struct Pauses {
  /// A pause at the first window boundary at or after each time (a boundary is at every tick, so a tick time pauses
  /// there exactly); windows are not cut for them, so pausing changes no result.
  std::vector<double> times;
  /// Polled at every boundary: when it returns true the run pauses there and stops (RunStats::stopped).
  std::function<bool()> stop_requested;
  /// Polled at a pause that does not stop: false skips it, and no state is built (a caller that writes its
  /// checkpoints less often than it pauses). Unset: every pause is wanted.
  std::function<bool()> wanted;
  /// `time`: the next window's start; `engine_state`: for restore().
  std::function<void(double time, bool stopping, std::vector<char> engine_state)> on_pause;
};

/// An ordinary value: construct, describe (agents, events), seed events, run. No global state, so a
/// process may hold many (an ensemble). Handlers of one agent touch only that agent's state; effects on
/// others go through schedule(), which the window protocol makes race-free and thread-count independent.
class Simulation {
 public:
  explicit Simulation(const SimulationConfig& config);
  ~Simulation();
  Simulation(Simulation&&) noexcept;
  Simulation& operator=(Simulation&&) noexcept;

  // Description (before run).
  /// Ids for `count` agents of a new type. Their storage (graph vertices, counters) is made by allocate_agents(),
  /// which graph() and run() call, so that a build can make it in one concurrently() task while another draws.
  AgentType add_agents(const std::string& name, std::uint32_t count);
  /// Optional: room for this many agents in all, and as many setup events, before the add_agents() calls.
  void reserve_agents(std::uint32_t total);
  /// Makes the storage of every agent added so far (idempotent).
  void allocate_agents();
  /// Runs the tasks at once on the run's threads (in order, on one thread) and returns when all are done;
  /// rethrows the exception of the first task, in task order, that threw. For build, teardown and an
  /// observer's tick (between windows) on disjoint data: the tasks must not depend on which runs first, nor
  /// call this Simulation (except a task may call allocate_agents() while no other touches the graph). It may be
  /// called from inside such a task, or from a tick while the engine applies graph edits beside the observers:
  /// the tasks then share the threads (in the tsan preset's std::thread pool, they run in order on the caller).
  void concurrently(const std::vector<std::function<void()>>& tasks);
  EventType add_event(const std::string& name, Handler handler);
  void add_observer(Observer* observer);
  /// A running count for handlers to add to (Context::tally); ids are 0, 1, ... in call order.
  TallyId add_tally(const std::string& name);
  const std::vector<std::string>& tally_names() const;
  /// Ticks at these times (sorted or not): observers see state with all earlier events committed.
  void add_ticks(const std::vector<double>& times);

  /// An event before the run (source kSetupSource); ordered among equal times by call order.
  void schedule(AgentId target, double time, EventType type, const Payload& payload = {});
  /// A setup stream (domain Setup) for building the population; same draws for the same id. Its counter
  /// stays where it is while other setup streams are made, so streams may be held side by side.
  RandomStream setup_stream(std::uint32_t id);
  /// The graph, with a vertex per agent (allocate_agents() first).
  AgentGraph& graph();
  /// The graph as allocated so far: every agent's vertex once graph() or run() was called.
  const AgentGraph& graph() const;

  const SimulationConfig& config() const;
  AgentId agent_count() const;
  const std::vector<AgentType>& agent_types() const;
  const std::string& agent_type_name(std::uint16_t type) const;
  const std::string& event_name(EventType type) const;
  std::uint16_t agent_type_of(AgentId agent) const;

  /// Pauses for the next run() (before it).
  void set_pauses(Pauses pauses);
  /// Before run(), after the same description (agents, events, tallies, ticks, setup) as the paused run's: continues
  /// from a pause's engine_state instead of the setup events. Throws StateError if the state is damaged or belongs to
  /// another description, seed or replication.
  void restore(std::span<const char> engine_state);
  /// The time a restored run continues from (the pause's time); config().start if not restored.
  double resumed_at() const;

  /// Runs to config().end (or to a pause that stops). Throws SimulationError (first offence in event order) on a broken
  /// contract.
  RunStats run();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace innosim::sim
