// Small models used by the engine's tests: a money-exchange model that uses every engine feature.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/Simulation.hpp"
#include "sim/StateStream.hpp"

namespace innosim::test {

/// Hashes everything observers see, in the order they see it.
class DigestObserver : public sim::Observer {
 public:
  bool wants_events() const override { return true; }
  void on_events(std::span<const sim::Event> events) override {
    for (const auto& e : events) {
      mix(std::bit_cast<std::uint64_t>(e.time));
      mix(e.tie);
      mix(e.target);
      mix(e.type);
      mix(e.payload[0]);
      mix(e.payload[1]);
      ++events_seen;
    }
  }
  void on_records(std::span<const sim::Record> records) override {
    for (const auto& r : records) {
      mix(std::bit_cast<std::uint64_t>(r.time));
      mix(r.agent);
      mix(std::bit_cast<std::uint64_t>(r.value));
      ++records_seen;
    }
  }
  void on_tick(double t) override {
    mix(std::bit_cast<std::uint64_t>(t));
    ticks.push_back(t);
  }
  void mix(std::uint64_t v) {
    digest ^= v + 0x9e3779b97f4a7c15ULL + (digest << 6) + (digest >> 2);
    digest *= 0xff51afd7ed558ccdULL;
  }
  std::uint64_t digest = 1469598103934665603ULL;
  std::uint64_t events_seen = 0;
  std::uint64_t records_seen = 0;
  std::vector<double> ticks;
};

struct ExchangeResult {
  std::uint64_t digest = 0;
  std::int64_t total_money = 0;
  sim::RunStats stats;
  std::size_t edges = 0;
};

/// A checkpoint of the exchange model: the engine's state and the model's (balances, desks, the digest so far).
struct ExchangeCheckpoint {
  double time = 0;
  std::vector<char> engine, model;
};
/// How to run it: pause at these times (keeping the last pause's checkpoint), stop at the first pause, or continue
/// from a checkpoint.
struct ExchangeRun {
  std::vector<double> pause_times;
  bool stop_at_first_pause = false;
  const ExchangeCheckpoint* resume = nullptr;
  ExchangeCheckpoint* saved = nullptr;
};

/// N traders pass coins to random others (cross-agent messages), link to whom they paid (graph edits),
/// record their balance (records) and "request a desk" at a shared broker, which grants one per day
/// in event order (a shared resource with conflicting requests).
ExchangeResult run_exchange(unsigned threads, std::uint64_t seed, std::uint32_t traders = 600, double end = 60,
                            sim::Generator generator = sim::Generator::Philox4x32_10, bool aligned_windows = false,
                            const ExchangeRun& how = {});

}  // namespace innosim::test
