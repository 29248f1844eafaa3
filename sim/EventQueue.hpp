// Pending events of one block of agents: a calendar of lookahead-wide buckets feeding a sorted run.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include "sim/Event.hpp"
#include "sim/EventHeap.hpp"

namespace innosim::sim {

/// Events are bucketed by floor(time / width) into a ring of buckets (unsorted, O(1) push); buckets that
/// reach the current window are sorted once and appended to a sorted run that pops in O(1). Events that
/// arrive in an already loaded bucket go to a small heap merged on pop, and those beyond the ring's
/// horizon wait in a heap. With width = lookahead, a window touches one or two buckets: cheaper and more
/// cache-friendly than one heap over all pending events (see bench/EventQueueBench.cpp).
class EventQueue {
 public:
  explicit EventQueue(double width = 1.0, std::size_t buckets = 256)
      : inv_width_(1.0 / width), ring_(buckets), ring_min_(buckets, kNone) {}

  bool empty() const { return size_ == 0; }
  std::size_t size() const { return size_; }

  void push(const Event& e) {
    ++size_;
    const std::int64_t b = bucket_of(e.time);
    if (b <= loaded_) {
      late_.push(e);
    } else if (b < loaded_ + static_cast<std::int64_t>(ring_.size())) {
      const std::size_t slot = static_cast<std::size_t>(b) % ring_.size();
      ring_[slot].push_back(e);
      ring_min_[slot] = std::min(ring_min_[slot], e.time);
    } else {
      far_.push(e);
    }
  }

  /// Makes every event with time < limit reachable by top()/pop().
  void load_until(double limit) {
    const std::int64_t target = bucket_of(limit);
    if (target <= loaded_) return;
    const auto r = static_cast<std::int64_t>(ring_.size());
    auto by_order = [](const Event& a, const Event& b) { return sim::before(a, b); };
    // Buckets load in time order and everything in them is later than the unread run: sorting each
    // bucket on its own keeps the run sorted, and small sorts are cheap.
    for (std::int64_t b = loaded_ + 1; b <= target && b < loaded_ + 1 + r; ++b) {
      const std::size_t slot = static_cast<std::size_t>(b) % ring_.size();
      auto& bucket = ring_[slot];
      if (bucket.empty()) continue;
      std::sort(bucket.begin(), bucket.end(), by_order);
      run_.insert(run_.end(), bucket.begin(), bucket.end());
      bucket.clear();
      ring_min_[slot] = kNone;
    }
    loaded_ = target;
    const std::size_t tail = run_.size();
    while (!far_.empty() && bucket_of(far_.top().time) <= loaded_) run_.push_back(far_.pop());
    // Far events popped in order are later than every ring event only if the ring was skipped whole.
    if (run_.size() != tail) std::sort(run_.begin() + static_cast<std::ptrdiff_t>(head_), run_.end(), by_order);
    while (!far_.empty() && bucket_of(far_.top().time) < loaded_ + r) {
      const Event e = far_.pop();
      --size_;
      push(e);
    }
  }

  /// Earliest loaded event (call load_until first); undefined when none is loaded.
  const Event& top() const {
    if (head_ < run_.size() && (late_.empty() || before(run_[head_], late_.top()))) return run_[head_];
    return late_.top();
  }
  bool loaded_empty() const { return head_ == run_.size() && late_.empty(); }

  Event pop() {
    --size_;
    if (head_ < run_.size() && (late_.empty() || before(run_[head_], late_.top()))) {
      const Event e = run_[head_++];
      if (head_ == run_.size()) {
        run_.clear();
        head_ = 0;
      }
      return e;
    }
    return late_.pop();
  }

  /// Time of the earliest pending event, loaded or not; +inf when empty.
  double next_time() const {
    double t = kNone;
    if (head_ < run_.size()) t = run_[head_].time;
    if (!late_.empty()) t = std::min(t, late_.top().time);
    if (t != kNone) return t;  // loaded events precede every bucketed one
    for (std::size_t i = 1; i <= ring_.size(); ++i) {
      const std::size_t slot = static_cast<std::size_t>(loaded_ + static_cast<std::int64_t>(i)) % ring_.size();
      if (ring_min_[slot] != kNone) return ring_min_[slot];
    }
    return far_.empty() ? kNone : far_.top().time;
  }

 private:
  static constexpr double kNone = std::numeric_limits<double>::infinity();
  std::int64_t bucket_of(double t) const {
    const double b = std::floor(t * inv_width_);
    return b < 9.0e18 ? static_cast<std::int64_t>(b) : std::numeric_limits<std::int64_t>::max() / 2;
  }

  double inv_width_;
  std::int64_t loaded_ = std::numeric_limits<std::int64_t>::min() / 2;
  std::vector<std::vector<Event>> ring_;
  std::vector<double> ring_min_;
  std::vector<Event> run_;  // sorted; [head_, end) unread
  std::size_t head_ = 0;
  EventHeap late_;
  EventHeap far_;
  std::size_t size_ = 0;
};

}  // namespace innosim::sim
