// Pending events of one block of agents: a calendar of lookahead-wide buckets, each sorted once when reached.
#pragma once

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include "sim/Event.hpp"
#include "sim/EventHeap.hpp"

namespace innosim::sim {

/// Events are bucketed by floor(time / width) into a ring of buckets (unsorted, O(1) push). When a window
/// reaches a bucket it is sorted in place in linear expected time (a counting pass on the time's position
/// inside the bucket, then an insertion pass) and popped in order. Events pushed into an already-sorted
/// bucket go to a small heap merged on pop; those beyond the ring's horizon wait in a heap. With width =
/// lookahead a window touches one or two buckets: cheaper and more cache-friendly than one heap over all
/// pending events (bench/EventQueueBench.cpp compares them).
class EventQueue {
 public:
  /// `buckets` is rounded up to a power of two.
  explicit EventQueue(double width = 1.0, std::size_t buckets = 256)
      : inv_width_(1.0 / width),
        ring_(std::bit_ceil(std::max<std::size_t>(buckets, 2))),
        ring_min_(ring_.size(), kNone),
        mask_(ring_.size() - 1) {}

  bool empty() const { return size_ == 0; }
  std::size_t size() const { return size_; }

  void push(const Event& e) {
    ++size_;
    place(e, bucket_of(e.time));
  }

  /// Makes every event with time < limit reachable by top()/pop().
  void load_until(double limit) {
    const std::int64_t target = bucket_of(limit);
    if (target <= loaded_) return;
    if (ring_count_ == 0 && late_.empty() && head_ > loaded_) head_ = std::max(head_, loaded_ + 1);
    const std::int64_t horizon = head_ + ring_size();
    for (std::int64_t b = loaded_ + 1; b <= target && b < horizon; ++b) sort_bucket(b);
    loaded_ = target;
    // Far events that the jump brought into range are later than every ring event: merge them via the heap.
    while (!far_.empty() && bucket_of(far_.top().time) <= loaded_) late_.push(far_.pop());
    settle();
  }

  /// Earliest loaded event (call load_until first); undefined when none is loaded.
  const Event& top() const {
    if (head_ <= loaded_ && (late_.empty() || before(current(), late_.top()))) return current();
    return late_.top();
  }
  bool loaded_empty() const { return head_ > loaded_ && late_.empty(); }

  Event pop() {
    --size_;
    if (head_ <= loaded_ && (late_.empty() || before(current(), late_.top()))) {
      const Event e = current();
      ++pos_;
      --ring_count_;
      settle();
      return e;
    }
    return late_.pop();
  }

  /// Time of the earliest pending event, loaded or not; +inf when empty.
  double next_time() const {
    if (head_ <= loaded_) return late_.empty() ? current().time : std::min(current().time, late_.top().time);
    if (!late_.empty()) return late_.top().time;  // late events precede every unloaded bucket
    if (ring_count_ > 0)
      for (std::int64_t b = head_; b < head_ + ring_size(); ++b)
        if (ring_min_[slot(b)] != kNone) return ring_min_[slot(b)];
    return far_.empty() ? kNone : far_.top().time;
  }

 private:
  static constexpr double kNone = std::numeric_limits<double>::infinity();
  std::int64_t ring_size() const { return static_cast<std::int64_t>(ring_.size()); }
  std::size_t slot(std::int64_t b) const { return static_cast<std::size_t>(b) & mask_; }  // b mod 2^k, b < 0 too
  std::int64_t bucket_of(double t) const {
    const double b = std::floor(t * inv_width_);
    return b < 4.0e18 ? static_cast<std::int64_t>(b) : std::numeric_limits<std::int64_t>::max() / 4;
  }
  const Event& current() const { return ring_[slot(head_)][pos_]; }

  void place(const Event& e, std::int64_t b) {
    if (b <= loaded_) {
      late_.push(e);
    } else if (b < head_ + ring_size()) {
      const std::size_t s = slot(b);
      ring_[s].push_back(e);
      ring_min_[s] = std::min(ring_min_[s], e.time);
      ++ring_count_;
    } else {
      far_.push(e);
    }
  }

  /// Skips consumed buckets; as the ring's start moves, far events that come into range join it.
  void settle() {
    const std::int64_t before_head = head_;
    while (head_ <= loaded_ && pos_ >= ring_[slot(head_)].size()) {
      const std::size_t s = slot(head_);
      ring_[s].clear();
      ring_min_[s] = kNone;
      pos_ = 0;
      ++head_;
      if (ring_count_ == 0) head_ = std::max(head_, loaded_ + 1);
    }
    if (head_ != before_head)
      while (!far_.empty() && bucket_of(far_.top().time) < head_ + ring_size()) {
        const Event e = far_.pop();
        place(e, bucket_of(e.time));
      }
  }

  /// Sorts bucket b by (time, tie): counting pass on the position inside the bucket, then insertion.
  void sort_bucket(std::int64_t b) {
    auto& v = ring_[slot(b)];
    const std::size_t n = v.size();
    if (n < 2) return;
    std::size_t sub = 1;
    while (sub < n) sub <<= 1;
    counts_.assign(sub + 1, 0);
    scratch_.resize(n);
    const double base = static_cast<double>(b), scale = static_cast<double>(sub);
    auto index = [&](const Event& e) {
      const double f = (e.time * inv_width_ - base) * scale;
      return std::min(sub - 1, static_cast<std::size_t>(std::max(0.0, f)));
    };
    for (const Event& e : v) ++counts_[index(e) + 1];
    for (std::size_t i = 1; i <= sub; ++i) counts_[i] += counts_[i - 1];
    for (const Event& e : v) scratch_[counts_[index(e)]++] = e;
    // Nearly sorted now: insertion sort finishes in about one pass.
    for (std::size_t i = 1; i < n; ++i) {
      const Event x = scratch_[i];
      std::size_t j = i;
      while (j > 0 && before(x, scratch_[j - 1])) {
        scratch_[j] = scratch_[j - 1];
        --j;
      }
      scratch_[j] = x;
    }
    v.swap(scratch_);
  }

  double inv_width_;
  std::vector<std::vector<Event>> ring_;  // buckets [head_, head_ + ring size); [head_, loaded_] are sorted
  std::vector<double> ring_min_;
  std::size_t mask_;
  std::int64_t head_ = std::numeric_limits<std::int64_t>::min() / 4;
  std::int64_t loaded_ = std::numeric_limits<std::int64_t>::min() / 4 - 1;
  std::size_t pos_ = 0;         // read position in bucket head_
  std::size_t ring_count_ = 0;  // unpopped events in ring buckets
  EventHeap late_;
  EventHeap far_;
  std::size_t size_ = 0;
  std::vector<Event> scratch_;
  std::vector<std::size_t> counts_;
};

}  // namespace innosim::sim
