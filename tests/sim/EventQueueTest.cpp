#include <gtest/gtest.h>

#include <algorithm>
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
