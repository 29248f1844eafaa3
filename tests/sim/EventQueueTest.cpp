#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <random>

#include "sim/EventQueue.hpp"

using namespace innosim::sim;

namespace {
Event ev(double t, std::uint64_t tie) { return Event{t, tie, 0, 0, {}}; }
}  // namespace

TEST(EventQueue, PopsInTimeThenTieOrderAcrossBucketsLateAndFarEvents) {
  std::mt19937_64 gen(7);
  std::exponential_distribution<double> delay(0.5);
  EventQueue q(0.25, 16);  // a short ring, so many events go far
  std::vector<Event> reference;
  std::uint64_t tie = 0;
  for (int i = 0; i < 2000; ++i) {
    const Event e = ev(delay(gen), tie++);
    q.push(e);
    reference.push_back(e);
  }
  // Equal times must be ordered by tie.
  for (int i = 0; i < 50; ++i) {
    const Event e = ev(3.0, 100000 - static_cast<std::uint64_t>(i));
    q.push(e);
    reference.push_back(e);
  }
  double now = 0;
  std::vector<Event> popped;
  while (!q.empty()) {
    const double limit = q.next_time() + 0.25;
    q.load_until(limit);
    while (!q.loaded_empty() && q.top().time < limit) {
      const Event e = q.pop();
      ASSERT_GE(e.time, now);
      now = e.time;
      popped.push_back(e);
      // Sometimes schedule inside the loaded range (a "late" event) or far ahead.
      if (popped.size() % 7 == 0) {
        const Event late = ev(now + 0.01, tie++);
        q.push(late);
        reference.push_back(late);
      }
      if (popped.size() % 11 == 0 && popped.size() < 3000) {
        const Event far = ev(now + 40.0 + delay(gen), tie++);
        q.push(far);
        reference.push_back(far);
      }
    }
  }
  std::sort(reference.begin(), reference.end(), before);
  ASSERT_EQ(popped.size(), reference.size());
  for (std::size_t i = 0; i < popped.size(); ++i) {
    EXPECT_EQ(popped[i].time, reference[i].time) << i;
    EXPECT_EQ(popped[i].tie, reference[i].tie) << i;
  }
}

TEST(EventQueue, NextTimeSeesEveryPendingEvent) {
  EventQueue q(1.0, 4);
  EXPECT_EQ(q.next_time(), std::numeric_limits<double>::infinity());
  q.push(ev(100.0, 1));  // far
  EXPECT_EQ(q.next_time(), 100.0);
  q.push(ev(2.5, 2));  // ring
  EXPECT_EQ(q.next_time(), 2.5);
  q.load_until(3.0);
  EXPECT_EQ(q.top().time, 2.5);
  EXPECT_EQ(q.pop().tie, 2u);
  EXPECT_EQ(q.next_time(), 100.0);
  EXPECT_EQ(q.size(), 1u);
}

TEST(EventQueue, LoadsALimitBeyondTheRingsHorizonInOrder) {
  EventQueue q(1.0, 4);  // the ring spans 4 time units; the limit below is 10 ahead
  for (const double t : {9.5, 2.5, 20.0, 7.5, 0.5, 7.25, 10.0}) q.push(ev(t, static_cast<std::uint64_t>(t * 4)));
  q.load_until(10.0);
  std::vector<double> popped;
  Event e{};
  while (q.pop_before(10.0, e)) popped.push_back(e.time);
  EXPECT_EQ(popped, (std::vector<double>{0.5, 2.5, 7.25, 7.5, 9.5}));
  EXPECT_EQ(q.next_time(), 10.0);
  q.push(ev(10.5, 99));
  q.load_until(30.0);
  popped.clear();
  while (q.pop_before(30.0, e)) popped.push_back(e.time);
  EXPECT_EQ(popped, (std::vector<double>{10.0, 10.5, 20.0}));
  EXPECT_TRUE(q.empty());
}

TEST(EventQueue, ManyEventsAtOneTimeComeOutInTieOrder) {
  EventQueue q(1.0, 8);
  std::mt19937_64 gen(3);
  std::vector<std::uint64_t> ties(5000);
  for (std::size_t i = 0; i < ties.size(); ++i) ties[i] = i;
  std::shuffle(ties.begin(), ties.end(), gen);
  for (const std::uint64_t t : ties) q.push(ev(30.0, t));  // a monthly step: one time, scrambled ties
  q.push(ev(29.5, 7));
  q.load_until(31.0);
  Event e{};
  ASSERT_TRUE(q.pop_before(31.0, e));
  EXPECT_EQ(e.time, 29.5);
  for (std::uint64_t i = 0; i < ties.size(); ++i) {
    ASSERT_TRUE(q.pop_before(31.0, e));
    ASSERT_EQ(e.tie, i);
  }
  EXPECT_FALSE(q.pop_before(31.0, e));
}

TEST(EventQueue, EventsLeftUnpoppedMergeWithTheNextLoad) {
  EventQueue q(1.0, 8);
  for (const double t : {0.5, 1.5, 2.5, 3.5, 4.5, 5.5}) q.push(ev(t, static_cast<std::uint64_t>(t * 2)));
  q.load_until(4.0);
  Event e{};
  ASSERT_TRUE(q.pop_before(4.0, e));  // 0.5; 1.5, 2.5 and 3.5 stay loaded
  EXPECT_EQ(e.time, 0.5);
  q.push(ev(4.25, 100));
  q.load_until(6.0);  // the loaded rest merges with 4.25, 4.5 and 5.5
  std::vector<double> popped;
  while (q.pop_before(6.0, e)) popped.push_back(e.time);
  EXPECT_EQ(popped, (std::vector<double>{1.5, 2.5, 3.5, 4.25, 4.5, 5.5}));
}

TEST(Event, MadeInHalvesHoldsEveryFieldAsBuiltFieldByField) {
  // make_event writes the event as two 16-byte words (its fast path on little-endian machines): each field must
  // land where the struct puts it, at the extremes of every field's range too.
  const double times[] = {0.0, 1.0 / 3.0, -2.5, 1e300, std::numeric_limits<double>::infinity()};
  const std::uint64_t ties[] = {0, make_tie(7, 9), make_tie(0xFFFFFFFEu, 0xFFFFFFFFu)};
  const AgentId targets[] = {0, 12345, 0xFFFFFFFEu};
  const EventType types[] = {0, 3, 0xFFFF};
  const Payload payloads[] = {{0, 0}, {1, 2}, {0xFFFFFFFFu, 0x80000000u}};
  for (double t : times)
    for (std::uint64_t tie : ties)
      for (AgentId target : targets)
        for (EventType type : types)
          for (const Payload& p : payloads) {
            const Event e = make_event(t, tie, target, type, p);
            EXPECT_EQ(e.time, t);
            EXPECT_EQ(e.tie, tie);
            EXPECT_EQ(e.target, target);
            EXPECT_EQ(e.type, type);
            EXPECT_EQ(e.payload, p);
          }
}
