// A Gansu replication stopped at a checkpoint and resumed gives the uninterrupted outcome, at any thread count.
#include <gtest/gtest.h>

#include <cstring>

#include "TestScenario.hpp"
#include "models/gansu/GansuModel.hpp"
#include "models/gansu/OutcomeCodec.hpp"
#include "sim/StateStream.hpp"

using namespace innosim;

namespace {

gansu::Parameters params() {
  gansu::Parameters p = test::scenario("baseline.yaml", {"run.scale=0.05"});
  p.snapshots = true;  // year-end snapshots and the edge list are part of what must come back
  return p;
}

/// The outcome's bytes without what measures the machine (wall times, busy shares, threads used).
std::vector<char> results_of(gansu::Outcome o) {
  o.seconds = o.window_seconds = o.between_seconds = o.busy_share = o.imbalance_share = 0;
  o.threads_used = 0;
  for (sim::EdgeRecord& e : o.edges) {  // its padding bytes are indeterminate
    sim::EdgeRecord clean;
    std::memset(static_cast<void*>(&clean), 0, sizeof clean);
    clean.source = e.source, clean.target = e.target, clean.type = e.type, clean.start = e.start, clean.end = e.end;
    std::memcpy(static_cast<void*>(&e), &clean, sizeof e);
  }
  return gansu::encode(o);
}

/// Which parts differ, for the failure message.
std::string differences(const gansu::Outcome& a, const gansu::Outcome& b) {
  std::string out;
  auto check = [&out](bool same, const char* what) {
    if (!same) out += std::string(out.empty() ? "" : ", ") + what;
  };
  check(a.time == b.time, "time"), check(a.series == b.series, "series");
  check(a.spaces_by_city == b.spaces_by_city, "spaces_by_city"), check(a.money == b.money, "money");
  check(a.events_by_type == b.events_by_type, "events_by_type"), check(a.events == b.events, "events");
  check(a.windows == b.windows, "windows"), check(a.edges_by_type == b.edges_by_type, "edges_by_type");
  check(a.live_edges == b.live_edges, "live_edges"), check(a.snapshots.size() == b.snapshots.size(), "snapshots");
  check(a.edges.size() == b.edges.size(), "edges"), check(a.first_met.size() == b.first_met.size(), "first_met");
  return out;
}

struct Saved {
  double time = 0;
  std::vector<char> state;
  int saves = 0;
};

/// Runs replication `rep` until the boundary after `at`, where it saves and stops.
Saved stop_after(const gansu::Parameters& p, std::uint32_t rep, double at, unsigned threads,
                 std::vector<char> from = {}) {
  gansu::GansuModel m(p, rep, threads);
  Saved saved;
  gansu::Checkpoints c;
  c.times = {at};
  c.stop_requested = [&saved] { return saved.saves > 0; };
  c.on_save = [&saved](double t, bool, std::vector<char> state) {
    saved.time = t;
    saved.state = std::move(state);
    ++saved.saves;
  };
  m.set_checkpoints(c);
  if (!from.empty()) m.resume(std::move(from));
  (void)m.run();
  EXPECT_TRUE(m.stopped());
  EXPECT_EQ(saved.saves, 2);  // at the pause, then at the stop one boundary later
  return saved;
}

gansu::Outcome resumed(const gansu::Parameters& p, std::uint32_t rep, std::vector<char> state, unsigned threads) {
  gansu::GansuModel m(p, rep, threads);
  m.resume(std::move(state));
  gansu::Outcome o = m.run();
  EXPECT_FALSE(m.stopped());
  return o;
}

}  // namespace

TEST(ModelCheckpoint, ResumedReplicationIsIdenticalWhateverTheThreads) {
  const auto p = params();
  const double mid = p.start + 600;
  const auto reference = results_of(gansu::GansuModel(p, 2, 1).run());
  for (unsigned saved_on : {1u, 2u}) {
    const Saved s = stop_after(p, 2, mid, saved_on);
    EXPECT_GE(s.time, mid);
    EXPECT_LT(s.time, p.end);
    for (unsigned threads : {1u, 2u}) {
      const auto r = resumed(p, 2, s.state, threads);
      EXPECT_EQ(results_of(r), reference) << "saved on " << saved_on << " thread(s), resumed on " << threads
                                          << "; differ: " << differences(r, gansu::decode(reference));
    }
  }
}

TEST(ModelCheckpoint, PausesThatSaveChangeNothingAndChainedResumesAgree) {
  const auto p = params();
  const auto reference = results_of(gansu::GansuModel(p, 5, 2).run());
  {
    gansu::GansuModel m(p, 5, 2);
    gansu::Checkpoints c;
    for (int month = 1; month < 57; month += 6) c.times.push_back(p.start + 30.4 * month);
    int saves = 0;
    c.on_save = [&saves](double, bool, std::vector<char>) { ++saves; };
    m.set_checkpoints(c);
    EXPECT_EQ(results_of(m.run()), reference);
    EXPECT_GE(saves, 9);
  }
  const Saved first = stop_after(p, 5, p.start + 200, 2);
  const Saved second = stop_after(p, 5, p.start + 900, 1, first.state);
  EXPECT_GT(second.time, first.time);
  EXPECT_EQ(results_of(resumed(p, 5, second.state, 2)), reference);
}

TEST(ModelCheckpoint, DamagedOrForeignStatesAreRefused) {
  const auto p = params();
  const Saved s = stop_after(p, 2, p.start + 300, 1);
  auto refused = [&](std::vector<char> state, std::uint32_t rep, const gansu::Parameters& q, const char* says) {
    gansu::GansuModel m(q, rep, 1);
    m.resume(std::move(state));
    try {
      (void)m.run();
      ADD_FAILURE() << "accepted: expected '" << says << "'";
    } catch (const sim::StateError& e) {
      EXPECT_NE(std::string(e.what()).find(says), std::string::npos) << e.what();
    }
  };
  refused(s.state, 3, p, "another replication");
  gansu::Parameters other_seed = p;
  other_seed.seed += 1;
  refused(s.state, 2, other_seed, "its seed differs");
  refused(std::vector<char>(s.state.begin(), s.state.begin() + static_cast<std::ptrdiff_t>(s.state.size() / 2)), 2, p,
          "truncated");
  refused(std::vector<char>(s.state.begin(), s.state.end() - 3), 2, p, "state");
  refused(std::vector<char>(100, 'x'), 2, p, "is not an innosim replication state");
}
