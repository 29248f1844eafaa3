// What an event handler may do: read the time, draw from its agent's stream, schedule, edit the graph, record.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/AgentGraph.hpp"
#include "sim/Event.hpp"
#include "sim/EventQueue.hpp"
#include "sim/Observer.hpp"
#include "sim/RandomStream.hpp"

namespace innosim::sim {

/// Thrown for a broken engine contract (lookahead, scheduling in the past, unknown agent or event type).
class SimulationError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

namespace detail {
/// An agent's engine counters, side by side: a handler that draws and sends waits for one cache line, not two
/// (16 bytes an agent against 12 in two arrays). With the prefetch of the next event's counters, the Gansu
/// windows took 12–17 % less time on one thread and on two.
struct AgentCounters {
  std::uint64_t rng = 0;   // its stream's position
  std::uint32_t sent = 0;  // events it has sent (the tie-break's second key)
  std::uint32_t unused = 0;
};

/// One block's slice of the engine, exposed to Context only so that schedule() inlines.
struct BlockPorts {
  EventQueue* queue = nullptr;
  std::vector<Event>* outboxes = nullptr;  // one per destination block, this window's parity
  std::vector<GraphEdit>* graph_edits = nullptr;
  std::vector<Record>* records = nullptr;
  std::int64_t* tallies = nullptr;  // this block's sums this window, one per tally
  TallyId tally_count = 0;
  AgentCounters* counters = nullptr;  // per agent
  const AgentGraph* graph = nullptr;
  std::uint32_t block = 0;
  // Agent a is in block (a >> stripe_shift) & block_mask: a shift and a mask, not a division, per send.
  std::uint32_t stripe_shift = 0;
  std::uint32_t block_mask = 0;
  AgentId agent_count = 0;
  std::uint16_t event_type_count = 0;
  double lookahead = 0;
  double end = 0;  // events after it are never handled, so schedule() drops them
  double min_sent = 0;
  std::uint64_t key = 0;
  Generator generator = Generator::Philox4x32_10;
};
}  // namespace detail

class Context {
 public:
  explicit Context(detail::BlockPorts& ports)
      : p_(ports), rng_(ports.key, 0, StreamDomain::Agent, nullptr, ports.generator) {}

  double now() const { return now_; }
  AgentId self() const { return self_; }
  const Event& event() const { return *event_; }
  double lookahead() const { return p_.lookahead; }

  /// The stream of this agent: the same draws whatever thread or block handles it.
  RandomStream& rng() { return rng_; }

  /// Schedules `type` on `target` at `time`. Another agent may only be reached at now + lookahead or later.
  /// An event after the run's end is checked, then dropped: it would never be handled.
  void schedule(AgentId target, double time, EventType type, const Payload& payload = {}) {
    if (!(time >= now_) || target >= p_.agent_count || type >= p_.event_type_count ||
        (target != self_ && time < now_ + p_.lookahead))
      fail_schedule(target, time, type);
    std::uint32_t& seq = p_.counters[self_].sent;
    const Event e = make_event(time, make_tie(self_, seq), target, type, payload);
    if (++seq == 0) fail_sequence();
    if (time > p_.end) return;  // after the counter, so ties stay as they were
    const std::uint32_t block = (target >> p_.stripe_shift) & p_.block_mask;
    if (block == p_.block) {
      p_.queue->push(e);
    } else {
      p_.outboxes[block].push_back(e);
      if (time < p_.min_sent) p_.min_sent = time;
    }
  }

  /// Graph reads see the graph as it was at the window's start; edits land at its end, in event order.
  const AgentGraph& graph() const { return *p_.graph; }
  void add_edge(AgentId source, AgentId target, EdgeType type) {
    p_.graph_edits->push_back({now_, event_->tie, edit_index_++, true, source, target, type});
  }
  void remove_edge(AgentId source, AgentId target, EdgeType type) {
    p_.graph_edits->push_back({now_, event_->tie, edit_index_++, false, source, target, type});
  }

  /// Reports a committed state change to the observers.
  void record(std::uint16_t kind, double value) {
    p_.records->push_back({now_, event_->tie, record_index_++, self_, kind, value});
  }
  /// Adds `delta` to a tally (Simulation::add_tally); observers get each window's sums (Observer::on_tallies). For
  /// counts, cheaper than record(): a sum needs no event order, so nothing is stored, merged or sorted.
  void tally(TallyId id, std::int64_t delta) {
    if (id >= p_.tally_count) fail_tally(id);
    p_.tallies[id] += delta;
  }

  // Engine side: set before each handler call.
  void begin(const Event& e) {
    event_ = &e;
    now_ = e.time;
    self_ = e.target;
    edit_index_ = 0;
    record_index_ = 0;
    rng_.rebind(self_, &p_.counters[self_].rng);  // in place: a fresh copy per event stalls store forwarding
  }

 private:
  [[noreturn]] void fail_schedule(AgentId target, double time, EventType type) const;
  [[noreturn]] void fail_sequence() const;
  [[noreturn]] void fail_tally(TallyId id) const;

  detail::BlockPorts& p_;
  const Event* event_ = nullptr;
  double now_ = 0;
  AgentId self_ = 0;
  std::uint32_t edit_index_ = 0;
  std::uint32_t record_index_ = 0;
  RandomStream rng_;
};

}  // namespace innosim::sim
