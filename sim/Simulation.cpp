#include "sim/Simulation.hpp"

#ifdef INNOSIM_STD_THREADS
#include "sim/BlockPool.hpp"
#else
#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>
#endif

#include <algorithm>
#include <atomic>
#include <bit>
#include <chrono>
#include <cmath>
#include <deque>
#include <exception>
#include <iterator>
#include <limits>
#include <sstream>

#include "sim/StateStream.hpp"

namespace innosim::sim {

namespace {
constexpr double kInf = std::numeric_limits<double>::infinity();
// 1024 agents a stripe: blocks seldom share a page of an agent array (first touches, cache lines), as with
// 256 they do; 4096 measured about the same for the Gansu model, with a coarser balance (DESIGN.md).
constexpr std::uint32_t kStripeShift = 10;

struct Block {
  EventQueue queue;
  std::vector<std::vector<Event>> out[2];
  std::vector<GraphEdit> edits;
  std::vector<Record> records;
  std::vector<std::int64_t> tallies;
  std::vector<Event> committed;
  detail::BlockPorts ports;
  std::uint64_t handled = 0;
  std::vector<std::uint64_t> by_type;
  double next_time = kInf;
  // The first failure of this block in this window, if any.
  bool failed = false;
  Event failed_event{};
  std::exception_ptr error;
};

/// Moves every block's `list` (each sorted by `less`) into `out`, merged into one sorted list. The first pass merges
/// the blocks' lists pairwise straight into `out`; later passes go through `spare`, a vector (std::inplace_merge's
/// temporary buffer ignores Event's 32-byte alignment: UBSan saw it). `less` is a function object, so that the
/// merges inline it (a function pointer was an indirect call per compare).
template <class T, class Less>
void gather(std::vector<Block>& blocks, std::vector<T> Block::*list, std::vector<T>& out, std::vector<T>& spare,
            Less less) {
  out.clear();
  std::vector<std::vector<T>*> lists;
  std::size_t total = 0;
  for (Block& B : blocks)
    if (!(B.*list).empty()) lists.push_back(&(B.*list)), total += (B.*list).size();
  if (lists.empty()) return;
  if (lists.size() == 1) {
    out.swap(*lists[0]);  // the block keeps out's old (cleared) buffer
    return;
  }
  out.reserve(total);
  std::vector<std::size_t> bounds{0};
  for (std::size_t i = 0; i < lists.size(); i += 2) {
    const std::vector<T>& a = *lists[i];
    if (i + 1 < lists.size()) {
      const std::vector<T>& b = *lists[i + 1];
      std::merge(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out), less);
    } else {
      out.insert(out.end(), a.begin(), a.end());
    }
    bounds.push_back(out.size());
  }
  for (std::vector<T>* l : lists) l->clear();
  // Pairwise merges of neighbouring runs, out -> spare, then swap: log2(blocks) - 1 passes.
  while (bounds.size() > 2) {
    spare.resize(out.size());
    std::vector<std::size_t> next{0};
    for (std::size_t i = 0; i + 1 < bounds.size(); i += 2) {
      const std::size_t first = bounds[i], mid = bounds[i + 1], last = i + 2 < bounds.size() ? bounds[i + 2] : mid;
      std::merge(out.begin() + static_cast<std::ptrdiff_t>(first), out.begin() + static_cast<std::ptrdiff_t>(mid),
                 out.begin() + static_cast<std::ptrdiff_t>(mid), out.begin() + static_cast<std::ptrdiff_t>(last),
                 spare.begin() + static_cast<std::ptrdiff_t>(first), less);
      next.push_back(last);
    }
    out.swap(spare);
    bounds.swap(next);
  }
}

/// The engine's total order on what handlers produce: the event's (time, tie), then the position within the event.
struct Ordered {
  template <class T>
  bool operator()(const T& a, const T& b) const {
    if (a.time != b.time) return a.time < b.time;
    if (a.tie != b.tie) return a.tie < b.tie;
    return a.index < b.index;
  }
};
}  // namespace

unsigned RunStats::threads_used() const {
  return static_cast<unsigned>(
      std::count_if(events_per_thread.begin(), events_per_thread.end(), [](std::uint64_t n) { return n > 0; }));
}

double busy_share(const RunStats& stats) {
  const double thread_time = stats.window_seconds * static_cast<double>(stats.events_per_thread.size());
  return thread_time > 0 ? stats.busy_seconds / thread_time : 0;
}
double imbalance_share(const RunStats& stats) {
  return stats.window_seconds > 0 ? stats.imbalance_seconds / stats.window_seconds : 0;
}

void Context::fail_schedule(AgentId target, double time, EventType type) const {
  std::ostringstream msg;
  msg.precision(17);
  if (target >= p_.agent_count)
    msg << "scheduled an event onto agent " << target << ", which does not exist (" << p_.agent_count << " agents)";
  else if (type >= p_.event_type_count)
    msg << "scheduled event type " << type << ", which is not registered";
  else if (!(time >= now_))
    msg << "scheduled an event at t=" << time << ", before the current time t=" << now_;
  else
    msg << "lookahead violation: scheduled event type " << type << " onto agent " << target << " at t=" << time
        << ", earlier than now + lookahead = " << now_ << " + " << p_.lookahead
        << " (effects on other agents must be at least one lookahead away)";
  throw SimulationError(msg.str());
}

void Context::fail_tally(TallyId id) const {
  throw SimulationError("added to tally " + std::to_string(id) + ", which is not registered (" +
                        std::to_string(p_.tally_count) + " tallies)");
}

void Context::fail_sequence() const {
  throw SimulationError("agent " + std::to_string(self_) +
                        " sent more than 2^32 events; its tie-break counter wrapped");
}

struct Simulation::Impl {
  SimulationConfig config;
  std::vector<AgentType> types;
  std::vector<std::string> type_names;
  std::vector<Handler> handlers;
  std::vector<std::string> event_names;
  std::vector<std::string> tally_names;
  std::vector<Observer*> observers;
  std::vector<double> ticks;
  std::vector<Event> setup_events;
  std::uint32_t setup_sequence = 0;
  std::deque<std::uint64_t> setup_counters;  // a deque: growing it moves no counter a stream points at
  AgentId agent_count = 0;
  AgentGraph graph;
  std::vector<detail::AgentCounters> counters;
  std::uint64_t key = 0;
  bool ran = false;
  Pauses pauses;
  std::vector<char> restored;  // a pause's engine state to continue from, or empty
  double resumed_at = 0;
#ifdef INNOSIM_STD_THREADS
  std::unique_ptr<BlockPool> pool;
  std::atomic<bool> pool_running{false};  // the pool cannot nest: see spread()
#else
  std::unique_ptr<oneapi::tbb::task_arena> arena;
#endif

  [[noreturn]] void rethrow(const Block& b) const;
  /// What must match between a paused run and the one that continues it.
  template <class Value>
  void describe(Value value) const;
  /// body(i, slot) for every i in [0, n), spread over the configured threads; on the caller with one thread.
  template <class Body>
  void spread(std::uint32_t n, const Body& body);
};

template <class Body>
void Simulation::Impl::spread(std::uint32_t n, const Body& body) {
  auto in_order = [&] {
    for (std::uint32_t i = 0; i < n; ++i) body(i, 0u);
  };
  if (config.threads == 1 || n <= 1) return in_order();
#ifdef INNOSIM_STD_THREADS
  // A spread() from inside one (an observer splitting its tick while the overlap path applies graph edits)
  // runs on its caller here; oneTBB nests, and its idle threads take the inner tasks.
  if (pool_running.load()) return in_order();
  if (!pool) pool = std::make_unique<BlockPool>(config.threads);
  pool_running.store(true);
  pool->run(n, body);
  pool_running.store(false);
#else
  if (!arena) arena = std::make_unique<oneapi::tbb::task_arena>(static_cast<int>(config.threads));
  arena->execute([&] {
    oneapi::tbb::parallel_for(
        oneapi::tbb::blocked_range<std::uint32_t>(0, n, 1),
        [&](const oneapi::tbb::blocked_range<std::uint32_t>& r) {
          const int slot = oneapi::tbb::this_task_arena::current_thread_index();
          for (std::uint32_t i = r.begin(); i != r.end(); ++i) body(i, static_cast<unsigned>(slot));
        },
        oneapi::tbb::simple_partitioner());
  });
#endif
}

Simulation::Simulation(const SimulationConfig& config) : impl_(std::make_unique<Impl>()) {
  if (!(config.lookahead > 0) || !std::isfinite(config.lookahead))
    throw SimulationError("lookahead must be a positive number of days");
  if (!(config.end >= config.start)) throw SimulationError("end must not be before start");
  if (config.threads == 0) throw SimulationError("threads must be at least 1");
  impl_->config = config;
  impl_->key = stream_key(config.seed, config.replication);
}
Simulation::~Simulation() = default;
Simulation::Simulation(Simulation&&) noexcept = default;
Simulation& Simulation::operator=(Simulation&&) noexcept = default;

AgentType Simulation::add_agents(const std::string& name, std::uint32_t count) {
  if (impl_->ran) throw SimulationError("add_agents after run");
  if (static_cast<std::uint64_t>(impl_->agent_count) + count >= kSetupSource)
    throw SimulationError("too many agents (at most 2^32 - 2)");
  AgentType t{static_cast<std::uint16_t>(impl_->types.size()), impl_->agent_count, count};
  impl_->types.push_back(t);
  impl_->type_names.push_back(name);
  impl_->agent_count += count;
  return t;
}

void Simulation::allocate_agents() {
  Impl& s = *impl_;
  if (s.counters.size() == s.agent_count) return;
  s.graph.resize(s.agent_count);
  s.counters.resize(s.agent_count);
}

void Simulation::concurrently(const std::vector<std::function<void()>>& tasks) {
  std::vector<std::exception_ptr> errors(tasks.size());
  impl_->spread(static_cast<std::uint32_t>(tasks.size()), [&](std::uint32_t i, unsigned) {
    try {
      tasks[i]();
    } catch (...) {
      errors[i] = std::current_exception();
    }
  });
  for (const auto& e : errors)
    if (e) std::rethrow_exception(e);
}

void Simulation::reserve_agents(std::uint32_t total) {
  impl_->graph.reserve(total);
  impl_->counters.reserve(total);
  impl_->setup_events.reserve(total);  // about one first event per agent is the common case
}

EventType Simulation::add_event(const std::string& name, Handler handler) {
  if (impl_->handlers.size() >= 0xFFFF) throw SimulationError("too many event types");
  impl_->handlers.push_back(std::move(handler));
  impl_->event_names.push_back(name);
  return static_cast<EventType>(impl_->handlers.size() - 1);
}

void Simulation::add_observer(Observer* observer) { impl_->observers.push_back(observer); }

TallyId Simulation::add_tally(const std::string& name) {
  if (impl_->ran) throw SimulationError("add_tally after run");
  if (impl_->tally_names.size() >= 0xFFFF) throw SimulationError("too many tallies");
  impl_->tally_names.push_back(name);
  return static_cast<TallyId>(impl_->tally_names.size() - 1);
}
const std::vector<std::string>& Simulation::tally_names() const { return impl_->tally_names; }

void Simulation::add_ticks(const std::vector<double>& times) {
  impl_->ticks.insert(impl_->ticks.end(), times.begin(), times.end());
  std::sort(impl_->ticks.begin(), impl_->ticks.end());
}

void Simulation::schedule(AgentId target, double time, EventType type, const Payload& payload) {
  if (target >= impl_->agent_count) throw SimulationError("setup event onto unknown agent " + std::to_string(target));
  if (type >= impl_->handlers.size()) throw SimulationError("setup event of unknown type " + std::to_string(type));
  if (!(time >= impl_->config.start))
    throw SimulationError("setup event at t=" + std::to_string(time) + ", before the start");
  const Event e{time, make_tie(kSetupSource, impl_->setup_sequence++), target, type, payload};
  if (time <= impl_->config.end) impl_->setup_events.push_back(e);  // later ones would never be handled
}

RandomStream Simulation::setup_stream(std::uint32_t id) {
  if (impl_->setup_counters.size() <= id) impl_->setup_counters.resize(id + 1u, 0);
  return RandomStream(impl_->key, id, StreamDomain::Setup, &impl_->setup_counters[id], impl_->config.generator);
}

AgentGraph& Simulation::graph() {
  allocate_agents();
  return impl_->graph;
}
const AgentGraph& Simulation::graph() const { return impl_->graph; }
const SimulationConfig& Simulation::config() const { return impl_->config; }
AgentId Simulation::agent_count() const { return impl_->agent_count; }
const std::vector<AgentType>& Simulation::agent_types() const { return impl_->types; }
const std::string& Simulation::agent_type_name(std::uint16_t type) const { return impl_->type_names.at(type); }
const std::string& Simulation::event_name(EventType type) const { return impl_->event_names.at(type); }

std::uint16_t Simulation::agent_type_of(AgentId agent) const {
  auto it = std::upper_bound(impl_->types.begin(), impl_->types.end(), agent,
                             [](AgentId a, const AgentType& t) { return a < t.first; });
  if (it == impl_->types.begin() || !(it - 1)->contains(agent))
    throw SimulationError("agent " + std::to_string(agent) + " does not exist");
  return (it - 1)->id;
}

namespace {
constexpr std::uint32_t kStateMagic = 0x53544E49;  // "INTS": innosim engine state
constexpr std::uint32_t kStateVersion = 1;
constexpr std::size_t kSavedEventBytes =
    sizeof(double) + sizeof(std::uint64_t) + sizeof(AgentId) + sizeof(EventType) + sizeof(Payload);
}  // namespace

template <class Value>
void Simulation::Impl::describe(Value value) const {
  value(config.seed, "seed");
  value(config.replication, "replication");
  value(config.start, "start");
  value(config.end, "end");
  value(config.lookahead, "lookahead");
  value(static_cast<std::uint8_t>(config.generator), "generator");
  value(static_cast<std::uint64_t>(agent_count), "agent count");
  value(static_cast<std::uint64_t>(types.size()), "agent type count");
  for (const AgentType& t : types) value(static_cast<std::uint64_t>(t.count), "agents of a type");
  value(static_cast<std::uint64_t>(handlers.size()), "event type count");
  value(static_cast<std::uint64_t>(tally_names.size()), "tally count");
  value(static_cast<std::uint64_t>(ticks.size()), "tick count");
}

void Simulation::set_pauses(Pauses pauses) {
  if (impl_->ran) throw SimulationError("set_pauses after run");
  std::sort(pauses.times.begin(), pauses.times.end());
  impl_->pauses = std::move(pauses);
}

void Simulation::restore(std::span<const char> engine_state) {
  Impl& s = *impl_;
  if (s.ran) throw SimulationError("restore after run");
  // Checked here, before run(): a state that does not fit is refused before anything is replaced.
  StateReader in(engine_state, "engine state");
  in.expect(in.get<std::uint32_t>() == kStateMagic, "is not an innosim engine state");
  in.expect(in.get<std::uint32_t>() == kStateVersion, "has another format version");
  s.describe([&in](auto expected, const char* what) {
    decltype(expected) saved{};
    in.pod(saved);
    in.expect(std::memcmp(&saved, &expected, sizeof saved) == 0,
              std::string("belongs to another simulation (its ") + what + " differs)");
  });
  s.restored.assign(engine_state.begin(), engine_state.end());
  s.resumed_at = in.get<double>();
}

double Simulation::resumed_at() const { return impl_->restored.empty() ? impl_->config.start : impl_->resumed_at; }

void Simulation::Impl::rethrow(const Block& b) const {
  try {
    std::rethrow_exception(b.error);
  } catch (const SimulationError& e) {
    const Event& ev = b.failed_event;
    std::ostringstream msg;
    msg.precision(17);
    const auto type = std::upper_bound(types.begin(), types.end(), ev.target,
                                       [](AgentId a, const AgentType& t) { return a < t.first; }) -
                      1;
    msg << "while handling event '" << event_names[ev.type] << "' on agent " << ev.target << " ('"
        << type_names[type->id] << "') at t=" << ev.time << ": " << e.what();
    throw SimulationError(msg.str());
  }
}

RunStats Simulation::run() {
  Impl& s = *impl_;
  if (s.ran) throw SimulationError("a Simulation runs once; build a new one for another run");
  s.ran = true;
  const SimulationConfig& cfg = s.config;
  RunStats stats;
  stats.events_per_thread.assign(cfg.threads, 0);
  stats.events_by_type.assign(s.handlers.size(), 0);
  if (s.agent_count == 0) return stats;
  allocate_agents();

  // Agents are dealt to the blocks in stripes of 2^stripe_shift ids, round robin, so that each block gets a
  // share of every agent type (a model adds its types one after the other, and they differ in load; the Gansu
  // model's 2-thread windows gained in most series, BENCHMARKS.md). Blocks are a power of two, so an agent's
  // block is a shift and a mask.
  std::uint32_t nblocks = std::bit_ceil(std::max(1u, cfg.blocks ? cfg.blocks : 2 * cfg.threads));
  nblocks = std::min(nblocks, std::bit_floor(s.agent_count));
  const auto contiguous_shift =
      static_cast<std::uint32_t>(std::bit_width(std::bit_ceil((s.agent_count + nblocks - 1) / nblocks)) - 1);
  const std::uint32_t stripe_shift = std::min(kStripeShift, contiguous_shift);
  auto block_of = [&](AgentId a) { return (a >> stripe_shift) & (nblocks - 1); };

  std::vector<Block> blocks(nblocks);
  const bool want_events =
      std::any_of(s.observers.begin(), s.observers.end(), [](const Observer* o) { return o->wants_events(); });
  const bool overlap_observers =
      std::none_of(s.observers.begin(), s.observers.end(), [](const Observer* o) { return o->reads_graph(); });
  for (std::uint32_t b = 0; b < nblocks; ++b) {
    Block& B = blocks[b];
    B.queue = EventQueue(cfg.lookahead, 64);
    B.by_type.assign(s.handlers.size(), 0);
    for (auto& o : B.out) o.resize(nblocks);
    auto& p = B.ports;
    p.queue = &B.queue;
    p.graph_edits = &B.edits;
    p.records = &B.records;
    B.tallies.assign(s.tally_names.size(), 0);
    p.tallies = B.tallies.data();
    p.tally_count = static_cast<TallyId>(s.tally_names.size());
    p.counters = s.counters.data();
    p.graph = &s.graph;
    p.block = b;
    p.stripe_shift = stripe_shift;
    p.block_mask = nblocks - 1;
    p.agent_count = s.agent_count;
    p.event_type_count = static_cast<std::uint16_t>(s.handlers.size());
    p.lookahead = cfg.lookahead;
    p.end = cfg.end;
    p.key = s.key;
    p.generator = cfg.generator;
  }
  std::size_t tick = 0, next_pause = 0;
  if (!s.restored.empty()) {
    // A paused run's state replaces the setup: pending events go to the blocks that own their agents now (the
    // block count may differ: the order is (time, tie) alone), the counters, graph and tallies as they were.
    StateReader in(s.restored, "engine state");
    in.get<std::uint32_t>(), in.get<std::uint32_t>();
    s.describe([&in](auto expected, const char*) { in.pod(expected); });
    s.resumed_at = in.get<double>();
    tick = static_cast<std::size_t>(in.get<std::uint64_t>());
    in.pod(stats.committed), in.pod(stats.windows);
    in.vec(stats.events_by_type);
    std::vector<detail::AgentCounters> counters;
    in.vec(counters);
    in.expect(counters.size() == s.counters.size() && stats.events_by_type.size() == s.handlers.size() &&
                  tick <= s.ticks.size(),
              "does not fit this simulation");
    s.counters.swap(counters);
    in.vec(s.setup_counters);
    in.pod(s.setup_sequence);
    s.graph.restore(in);
    in.expect(s.graph.vertex_count() == s.agent_count, "has a graph of another size");
    std::vector<Event> pending(static_cast<std::size_t>(in.get<std::uint64_t>()));
    in.expect(pending.size() <= in.left() / kSavedEventBytes,
              "is truncated or malformed (the event list runs past its end)");
    for (Event& e : pending) in.pod(e.time), in.pod(e.tie), in.pod(e.target), in.pod(e.type), in.pod(e.payload);
    in.finish();
    for (const Event& e : pending)
      in.expect(e.target < s.agent_count && e.type < s.handlers.size() && e.time >= s.resumed_at,
                "has a malformed pending event");
    s.spread(nblocks, [&](std::uint32_t b, unsigned) {
      for (const Event& e : pending)
        if (block_of(e.target) == b) blocks[b].queue.push(e);
    });
    for (std::size_t i = 0; i < nblocks; ++i) blocks[i].ports.counters = s.counters.data();
    while (next_pause < s.pauses.times.size() && s.pauses.times[next_pause] <= s.resumed_at) ++next_pause;
    s.restored.clear();
    s.restored.shrink_to_fit();
  } else {
    // Each block queues its own setup events, the blocks at once (each in setup order, as a serial pass would).
    s.spread(nblocks, [&](std::uint32_t b, unsigned) {
      for (const Event& e : s.setup_events)
        if (block_of(e.target) == b) blocks[b].queue.push(e);
    });
  }
  s.setup_events.clear();
  s.setup_events.shrink_to_fit();
  // The engine's state at a boundary: counters, graph and every pending event (queued, or in an outbox of the last
  // window), sorted so that the bytes do not depend on the blocks.
  auto save = [&](double at) {
    StateWriter out;
    out.pod(kStateMagic), out.pod(kStateVersion);
    s.describe([&out](auto value, const char*) { out.pod(value); });
    out.pod(at);
    out.pod(static_cast<std::uint64_t>(tick));
    // The counts so far: a restored run's own (stats) plus this run's blocks'.
    std::uint64_t committed = stats.committed;
    std::vector<std::uint64_t> by_type = stats.events_by_type;
    for (const Block& B : blocks) {
      committed += B.handled;
      for (std::size_t t = 0; t < B.by_type.size(); ++t) by_type[t] += B.by_type[t];
    }
    out.pod(committed), out.pod(stats.windows);
    out.vec(by_type);
    out.vec(s.counters);
    out.vec(s.setup_counters);
    out.pod(s.setup_sequence);
    s.graph.save(out);
    std::vector<Event> pending;
    for (const Block& B : blocks) {
      B.queue.collect(pending);
      for (const auto& parity : B.out)
        for (const auto& box : parity) pending.insert(pending.end(), box.begin(), box.end());
    }
    std::sort(pending.begin(), pending.end(), before);
    // Field by field: an Event's padding bytes are indeterminate, and the state's bytes must not depend on them.
    out.pod(static_cast<std::uint64_t>(pending.size()));
    for (const Event& e : pending)
      out.pod(e.time), out.pod(e.tie), out.pod(e.target), out.pod(e.type), out.pod(e.payload);
    return out.take();
  };

  using Clock = std::chrono::steady_clock;
  // Each thread's time in blocks this window, a cache line each (threads write their own while others run).
  struct alignas(64) SlotTime {
    double seconds = 0;
  };
  std::vector<SlotTime> slot_busy(cfg.threads);
  std::uint64_t window = 0;
  double limit = 0;
  auto process = [&](std::uint32_t b, unsigned slot) {
    Block& B = blocks[b];
    const unsigned prev = (window + 1) & 1, cur = window & 1;
    for (std::uint32_t src = 0; src < nblocks; ++src) {
      auto& inbox = blocks[src].out[prev][b];
      for (const Event& e : inbox) B.queue.push(e);
      inbox.clear();
    }
    B.queue.load_until(limit);
    B.ports.outboxes = B.out[cur].data();
    B.ports.min_sent = kInf;
    Context ctx(B.ports);
    std::uint64_t handled = 0;
    const Event* e = nullptr;
    // time < until  <=>  time < limit and time <= end
    const double until = std::min(limit, std::nextafter(cfg.end, kInf));
    try {
      while ((e = B.queue.next_before(until))) {
        // The next event's agent counters are fetched while this one is handled: in a large model they are a
        // cache miss per event (the Gansu model's send-counter load was 7 % of its run on one thread).
        if (const Event* next = B.queue.peek_run()) __builtin_prefetch(&s.counters[next->target], 1);
        ctx.begin(*e);
        s.handlers[e->type](ctx, *e);
        ++handled;
        ++B.by_type[e->type];
        if (want_events) B.committed.push_back(*e);
      }
    } catch (...) {
      B.failed = true;
      if (e) B.failed_event = *e;  // null only if the queue itself threw
      B.error = std::current_exception();
    }
    B.handled += handled;
    stats.events_per_thread[slot] += handled;
    B.next_time = B.queue.next_time();
  };

  auto earliest = [&] {
    double t = kInf;
    for (const Block& B : blocks) t = std::min({t, B.next_time, B.ports.min_sent});
    return t;
  };
  for (Block& B : blocks) {
    B.next_time = B.queue.next_time();
    B.ports.min_sent = kInf;
  }
  window = 1;  // so that window 1 drains parity 0 (empty) and writes parity 1

  auto fire_ticks = [&](double upto) {
    for (; tick < s.ticks.size() && s.ticks[tick] <= upto && s.ticks[tick] <= cfg.end; ++tick)
      for (Observer* o : s.observers) o->on_tick(s.ticks[tick]);
  };

  const bool serial = cfg.threads == 1;
  // The threads' time in blocks, measured around process(), whose hot loop it leaves as it was (a clock read is
  // 35 ns here: PHOLD A's 40k a run on one thread are 0.1 % of it).
  auto timed = [&](std::uint32_t b, unsigned slot) {
    const auto began = Clock::now();
    process(b, slot);
    slot_busy[slot].seconds += std::chrono::duration<double>(Clock::now() - began).count();
  };
  auto parallel_windows = [&] { s.spread(nblocks, timed); };

  std::vector<GraphEdit> edits, spare_edits;
  std::vector<Record> records, spare_records;
  std::vector<Event> committed, spare_committed;
  std::vector<std::int64_t> tallies(s.tally_names.size(), 0);
  auto mark = Clock::now();
  auto lap = [&mark](double& into) {
    const auto now = Clock::now();
    into += std::chrono::duration<double>(now - mark).count();
    mark = now;
  };
  for (;;) {
    const double t_min = earliest();
    fire_ticks(t_min);
    if (!(t_min <= cfg.end)) break;
    const bool stopping = s.pauses.stop_requested && s.pauses.stop_requested();
    if (stopping || (next_pause < s.pauses.times.size() && s.pauses.times[next_pause] <= t_min)) {
      while (next_pause < s.pauses.times.size() && s.pauses.times[next_pause] <= t_min) ++next_pause;
      if (s.pauses.on_pause && (stopping || !s.pauses.wanted || s.pauses.wanted()))
        s.pauses.on_pause(t_min, stopping, save(t_min));
      if (stopping) {
        stats.stopped = true;
        break;
      }
    }
    limit = t_min + cfg.lookahead;
    if (cfg.aligned_windows) {
      const double grid = (std::floor(t_min / cfg.lookahead) + 1) * cfg.lookahead;
      if (grid > t_min && grid < limit) limit = grid;  // rounding may put the grid point at t_min
    }
    if (tick < s.ticks.size()) limit = std::min(limit, s.ticks[tick]);

    lap(stats.between_seconds);
    if (serial) {
      for (std::uint32_t b = 0; b < nblocks; ++b) timed(b, 0);
    } else {
      parallel_windows();
    }
    lap(stats.window_seconds);
    ++stats.windows;
    double busiest = 0, busy = 0;
    for (SlotTime& t : slot_busy) busiest = std::max(busiest, t.seconds), busy += t.seconds, t.seconds = 0;
    stats.busy_seconds += busy;
    stats.imbalance_seconds += busiest - busy / static_cast<double>(slot_busy.size());
    ++window;

    // The first failure in event order wins, so the error is the same whatever the thread count.
    const Block* failed = nullptr;
    for (const Block& B : blocks)
      if (B.failed && (!failed || before(B.failed_event, failed->failed_event))) failed = &B;
    if (failed) s.rethrow(*failed);

    // Each block's lists are already in event order: merging them costs less than sorting.
    gather(blocks, &Block::edits, edits, spare_edits, Ordered{});
    gather(blocks, &Block::records, records, spare_records, Ordered{});
    gather(blocks, &Block::committed, committed, spare_committed,
           [](const Event& a, const Event& b) { return before(a, b); });
    bool tallied = false;
    for (std::size_t i = 0; i < tallies.size(); ++i) {
      std::int64_t sum = 0;
      for (Block& B : blocks) sum += B.tallies[i], B.tallies[i] = 0;
      tallies[i] = sum;
      tallied |= sum != 0;
    }
    // The observers get this window's records and events, then the ticks up to the next window's start (which
    // the edits cannot move). When none reads the graph and a tick is due, they run while the edits are applied.
    const double t_next = earliest();
    auto deliver = [&] {
      if (!records.empty()) {
        for (Observer* o : s.observers) o->on_records(records);
      }
      if (!committed.empty()) {
        for (Observer* o : s.observers)
          if (o->wants_events()) o->on_events(committed);
      }
      if (tallied) {
        for (Observer* o : s.observers) o->on_tallies(tallies);
      }
      fire_ticks(t_next);
    };
    const bool tick_due = tick < s.ticks.size() && s.ticks[tick] <= t_next && s.ticks[tick] <= cfg.end;
    if (!serial && overlap_observers && tick_due && !edits.empty()) {
      concurrently({[&] { s.graph.apply(edits); }, deliver});
    } else {
      if (!edits.empty()) s.graph.apply(edits);
      deliver();
    }
  }
  if (!stats.stopped) fire_ticks(cfg.end);
  lap(stats.between_seconds);
  stats.events_by_type.resize(s.handlers.size(), 0);  // a restored run's counts go on from the pause's
  for (const Block& B : blocks) {
    stats.committed += B.handled;
    stats.events_per_block.push_back(B.handled);
    for (std::size_t t = 0; t < B.by_type.size(); ++t) stats.events_by_type[t] += B.by_type[t];
  }
  return stats;
}

}  // namespace innosim::sim
