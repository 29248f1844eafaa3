// Pending events of one block of agents: a calendar of lookahead-wide buckets feeding one sorted window.
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

/// Events wait unsorted in a ring of buckets keyed by floor(time / width) (O(1) push). load_until(limit)
/// moves exactly the events with time < limit into one sorted run (a counting pass on the time, then an
/// insertion pass: linear expected time) that pop_before() walks as an array. Since a window's limit is
/// also the earliest time a handler may schedule for another agent, new events land in buckets, never
/// in the sorted run; the rare event scheduled before the limit (an agent's own zero-delay follow-up)
/// waits in a small heap merged on pop. Events beyond the ring's horizon wait in a heap. With width =
/// lookahead a window reads one or two buckets: cheaper and more cache-friendly than one heap over all
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
    if (!started_) {  // before the first load: held unsorted, so that the ring can be sized to them
      unplaced_.push_back(e);
      return;
    }
    if (e.time < limit_) {
      late_.push(e);
      return;
    }
    place(e, bucket_of(e.time));
  }
  /// Makes every pending event with time < limit reachable by pop_before()/top()/pop().
  void load_until(double limit) {
    if (!(limit > limit_)) return;
    if (!started_) start();
    limit_ = limit;
    if (pos_ > 0) {
      std::copy(run_.begin() + static_cast<std::ptrdiff_t>(pos_), run_.begin() + static_cast<std::ptrdiff_t>(run_size_),
                run_.begin());
      run_size_ -= pos_;
      pos_ = 0;
    }
    const std::size_t fresh = run_size_;
    if (placed_ >= kReview) review_ring();
    const std::int64_t last = bucket_of(limit);
    // Skip empty buckets up to the first one holding events (or to the limit's bucket).
    for (;;) {
      if (ring_count_ == 0) {
        skip_empty_ring(last);
        if (ring_count_ == 0) return;
      }
      if (head_ >= last || !ring_[slot(head_)].empty()) break;
      ++head_;
      pull_far();
    }
    if (head_ > last) return;
    if (last - head_ >= ring_size()) {  // the limit lies beyond the ring's horizon: copy bucket by bucket
      load_wide(limit, last, fresh);
      return;
    }
    // Buckets [head_, last] hold every event before the limit (far events all lie beyond the horizon).
    // One pass computes each event's counting-sort slot, a second scatters it straight into the run.
    // The limit's bucket joins only if it holds an event before the limit (with windows on the buckets'
    // grid it never does, and its events are then not read twice).
    const std::int64_t stop = ring_min_[slot(last)] < limit ? last : last - 1;
    std::size_t total = 0;
    double lowest = kNone;
    for (std::int64_t b = head_; b <= stop; ++b) {
      total += ring_[slot(b)].size();
      lowest = std::min(lowest, ring_min_[slot(b)]);
    }
    if (!(lowest < limit)) return;
    // About an event a slot: fewer compares in the insertion below than with two (PHOLD on one thread: A +6 %,
    // B +19 %, medians of interleaved runs).
    const std::size_t sub = std::bit_ceil(std::max<std::size_t>(total, 1));
    const double scale = static_cast<double>(sub) / (limit - lowest);
    counts_.assign(sub + 1, 0);
    index_.resize(total);
    auto slot_of = [&](const Event& e) {
      const double f = (e.time - lowest) * scale;
      return static_cast<std::uint32_t>(std::min(sub - 1, static_cast<std::size_t>(std::max(0.0, f))));
    };
    // Buckets before the limit's one hold only events before the limit (bucket_of is monotone).
    std::size_t k = 0;
    for (std::int64_t b = head_; b <= stop; ++b)
      for (const Event& e : ring_[slot(b)]) {
        std::uint32_t i = kStays;
        if (b < last || e.time < limit) {
          i = slot_of(e);
          ++counts_[i + 1];
        }
        index_[k++] = i;
      }
    for (std::size_t i = 1; i <= sub; ++i) counts_[i] += counts_[i - 1];
    starts_.assign(counts_.begin(), counts_.end());
    const std::size_t n = counts_[sub];
    grow_run(fresh + n);
    run_size_ = fresh + n;
    Event* out = run_.data() + fresh;
    // Each event goes to the end of its slot's filled part and is inserted among that slot's events (about
    // two): events of different slots are already in order. If many events share one time (a model's
    // monthly step, say) in scrambled tie order, past a budget of moves the run is sorted outright.
    std::size_t moves = 0;
    const std::size_t budget = 8 * n + 64;
    auto insert = [&](const Event& e, std::uint32_t i) {
      std::size_t d = counts_[i]++;
      const std::size_t first = starts_[i];
      if (d > first && before(e, out[d - 1]) && moves <= budget) {
        const std::size_t from = d;
        do {
          out[d] = out[d - 1];
          --d;
        } while (d > first && before(e, out[d - 1]));
        moves += from - d;
      }
      out[d] = e;
    };
    k = 0;
    for (std::int64_t b = head_; b <= stop; ++b) {
      const std::size_t s = slot(b);
      auto& bucket = ring_[s];
      if (b < last) {  // taken whole
        for (const Event& e : bucket) insert(e, index_[k++]);
        ring_count_ -= bucket.size();
        bucket.clear();
        ring_min_[s] = kNone;
      } else {
        drain(s, [&](const Event& e) {
          const std::uint32_t i = index_[k++];
          if (i == kStays) return false;
          insert(e, i);
          return true;
        });
      }
      if (bucket.empty() && bucket.capacity() > 0 && spare_.size() < kSpares) {
        spare_.emplace_back();
        spare_.back().swap(bucket);
      }
    }
    if (head_ < last) {  // buckets before the limit's one are empty now
      head_ = last;
      pull_far();
    }
    if (moves > budget) std::sort(out, out + n, before);
    merge_fresh(fresh);
  }

  /// Pops the earliest loaded event if its time is before `limit`, else returns null: the engine's
  /// per-event path, a pointer into the sorted run in the common case (no copy). The event stays valid
  /// until the next pop or load; pushes meanwhile never move it.
  const Event* next_before(double limit) {
    if (late_.empty()) {
      if (pos_ == run_size_ || !(run_[pos_].time < limit)) return nullptr;
      --size_;
      return &run_[pos_++];
    }
    if (loaded_empty() || !(top().time < limit)) return nullptr;
    popped_ = pop();
    return &popped_;
  }
  /// next_before() into a copy.
  bool pop_before(double limit, Event& out) {
    const Event* e = next_before(limit);
    if (e) out = *e;
    return e != nullptr;
  }

  /// The next event of the sorted run, or null: a hint (the late heap may hold an earlier one) for fetching
  /// what its handler will need while the current event is handled.
  const Event* peek_run() const { return pos_ < run_size_ ? &run_[pos_] : nullptr; }

  /// Earliest loaded event (call load_until first); undefined when none is loaded.
  const Event& top() const { return run_first() ? run_[pos_] : late_.top(); }
  bool loaded_empty() const { return pos_ == run_size_ && late_.empty(); }

  Event pop() {
    --size_;
    if (run_first()) return run_[pos_++];
    return late_.pop();
  }

  /// Appends every pending event, in no particular order (a checkpoint: pushing them into a fresh queue
  /// restores the same pops, since the order is (time, tie) alone).
  void collect(std::vector<Event>& out) const {
    out.insert(out.end(), unplaced_.begin(), unplaced_.end());
    out.insert(out.end(), run_.begin() + static_cast<std::ptrdiff_t>(pos_),
               run_.begin() + static_cast<std::ptrdiff_t>(run_size_));
    out.insert(out.end(), late_.items().begin(), late_.items().end());
    for (const auto& bucket : ring_) out.insert(out.end(), bucket.begin(), bucket.end());
    out.insert(out.end(), far_.items().begin(), far_.items().end());
  }

  /// Time of the earliest pending event, loaded or not; +inf when empty.
  double next_time() const {
    if (!started_) {
      double t = kNone;
      for (const Event& e : unplaced_) t = std::min(t, e.time);
      return t;
    }
    // Loaded events all precede the limit, and every bucket event follows it.
    if (!loaded_empty()) return top().time;
    if (ring_count_ > 0)
      for (std::int64_t b = head_; b < head_ + ring_size(); ++b)
        if (ring_min_[slot(b)] != kNone) return ring_min_[slot(b)];
    return far_.empty() ? kNone : far_.top().time;
  }

 private:
  static constexpr double kNone = std::numeric_limits<double>::infinity();
  static constexpr std::size_t kReview = 1u << 14;  // placements between reviews of the ring's length
  static constexpr std::size_t kMaxRing = 1u << 12;
  // A new bucket's first storage: 16 events (512 bytes) instead of growing 1, 2, 4, 8, 16, each growth an aligned
  // allocation (Event is 32-byte aligned: glibc's memalign path). The Gansu model made 4.8k aligned allocations a
  // scale-1 replication on 1 thread and 8.6k on 2, now 2.8k and 4.7k; its windows on 2 threads took 3.5 % less
  // (minima of 32 runs; medians 5 %), on 1 thread 1.6 % (medians 3.5 %). PHOLD's buckets are large: unchanged.
  static constexpr std::size_t kFirstCapacity = 16;
  static constexpr std::size_t kSpares = 64;            // drained buckets' storage kept for buckets that fill next
  static constexpr std::uint32_t kStays = 0xFFFFFFFFu;  // a bucket event at or after the limit
  /// The earliest loaded event is in the run, not in the late heap.
  bool run_first() const { return pos_ < run_size_ && (late_.empty() || before(run_[pos_], late_.top())); }
  std::int64_t ring_size() const { return static_cast<std::int64_t>(mask_ + 1); }  // not ring_.size(): a division
  std::size_t slot(std::int64_t b) const { return static_cast<std::size_t>(b) & mask_; }  // b mod 2^k, b < 0 too
  std::int64_t bucket_of(double t) const {
    const double b = std::floor(t * inv_width_);
    return b < 4.0e18 ? static_cast<std::int64_t>(b) : std::numeric_limits<std::int64_t>::max() / 4;
  }

  void place(const Event& e, std::int64_t b) {
    ++placed_;
    if (b < head_ + ring_size()) {
      const std::size_t s = slot(b);
      auto& bucket = bucket_for(s);
      bucket.push_back(e);
      // A ring has tens of buckets filling at once, each a write stream too sparse for the hardware prefetcher:
      // fetching the line four events (two lines) past the bucket's end hides the later stores' misses. PHOLD A
      // on one thread: 9.0 -> 12.3 M events/s (medians of 10 interleaved runs), and steadier while the shared
      // host is busy. The address is formed as an integer: it may lie past the vector's storage.
      const auto end = reinterpret_cast<std::uintptr_t>(bucket.data() + bucket.size());
      __builtin_prefetch(reinterpret_cast<const void*>(end + 4 * sizeof(Event)), 1);
      ring_min_[s] = std::min(ring_min_[s], e.time);
      ++ring_count_;
    } else {
      ++placed_far_;
      far_.push(e);
    }
  }

  /// Bucket s, given a drained bucket's storage (warm in cache) if it has none, or else room for kFirstCapacity.
  std::vector<Event>& bucket_for(std::size_t s) {
    auto& bucket = ring_[s];
    if (bucket.capacity() == 0) [[unlikely]]
      give_storage(bucket);
    return bucket;
  }
  /// Out of line, so that the push path stays as small as it was (it is inlined into every handler that sends).
  [[gnu::noinline]] void give_storage(std::vector<Event>& bucket) {
    if (!spare_.empty()) {
      bucket.swap(spare_.back());
      spare_.pop_back();
    } else {
      bucket.reserve(kFirstCapacity);
    }
  }

  /// Places the events pushed before the first load, with the ring long enough to hold 9 in 10 of them.
  void start() {
    started_ = true;
    if (unplaced_.empty()) return;
    double first = kNone;
    for (const Event& e : unplaced_) first = std::min(first, e.time);
    head_ = bucket_of(first);
    resize_ring(ring_length_for(unplaced_));
    for (const Event& e : unplaced_) place(e, bucket_of(e.time));
    unplaced_.clear();
    unplaced_.shrink_to_fit();
  }

  /// A ring length (a power of two, at most kMaxRing) whose horizon covers 9 in 10 of `events`.
  std::size_t ring_length_for(const std::vector<Event>& events) {
    buckets_.clear();
    for (const Event& e : events) buckets_.push_back(bucket_of(e.time) - head_ + 1);
    const auto q = buckets_.begin() + static_cast<std::ptrdiff_t>(buckets_.size() * 9 / 10);
    std::nth_element(buckets_.begin(), q, buckets_.end());
    return std::bit_ceil(static_cast<std::size_t>(std::clamp<std::int64_t>(*q, 1, kMaxRing)));
  }

  /// Lengthens the ring (never shortens it) and re-places its events.
  void resize_ring(std::size_t length) {
    length = std::min(length, kMaxRing);
    if (length <= ring_.size()) return;
    std::vector<Event> held;
    held.reserve(ring_count_);
    for (auto& bucket : ring_) {
      held.insert(held.end(), bucket.begin(), bucket.end());
      bucket.clear();
    }
    ring_.resize(length);
    ring_min_.assign(ring_.size(), kNone);
    mask_ = ring_.size() - 1;
    ring_count_ = 0;
    for (const Event& e : held) place(e, bucket_of(e.time));
    pull_far();
  }

  /// Lengthens the ring when more than 1 in 16 placed events went beyond its horizon: a model whose delays
  /// span many lookaheads gets a long ring, and a short-delay model keeps a short one whose buckets stay
  /// in cache. The order of events never depends on the ring's length.
  void review_ring() {
    if (placed_far_ * 16 > placed_ && ring_.size() < kMaxRing && !far_.empty())
      resize_ring(std::max(ring_.size() * 2, ring_length_for(far_.items())));
    placed_ = placed_far_ = 0;
  }

  /// With the ring empty, moves its start to the next far event (or to `last`, the limit's bucket, if that
  /// comes first) and lets the far events it now covers in.
  void skip_empty_ring(std::int64_t last) {
    head_ = std::max(head_, far_.empty() ? last : std::min(last, bucket_of(far_.top().time)));
    pull_far();
  }

  /// Far events that the ring's horizon now covers join their buckets.
  void pull_far() {
    while (!far_.empty() && bucket_of(far_.top().time) < head_ + ring_size()) {
      const Event e = far_.pop();
      place(e, bucket_of(e.time));
    }
  }

  /// Hands each event of bucket s to `take`; those it declines stay, in their order.
  template <class Take>
  void drain(std::size_t s, Take&& take) {
    auto& bucket = ring_[s];
    std::size_t keep = 0;
    double kept_min = kNone;
    for (const Event& e : bucket) {
      if (take(e)) continue;
      bucket[keep++] = e;
      kept_min = std::min(kept_min, e.time);
    }
    ring_count_ -= bucket.size() - keep;
    bucket.resize(keep);
    ring_min_[s] = kept_min;
  }

  /// load_until() for a limit more than a ring ahead: moves whole buckets one by one, as far events join.
  void load_wide(double limit, std::int64_t last, std::size_t fresh) {
    while (ring_count_ > 0 || !far_.empty()) {
      if (ring_count_ == 0) skip_empty_ring(last);
      if (head_ > last) break;
      drain(slot(head_), [&](const Event& e) {
        if (!(e.time < limit)) return false;
        grow_run(run_size_ + 1);
        run_[run_size_++] = e;
        return true;
      });
      if (head_ == last) break;
      ++head_;
      pull_far();
    }
    std::sort(run_.begin() + static_cast<std::ptrdiff_t>(fresh), run_.begin() + static_cast<std::ptrdiff_t>(run_size_),
              before);
    merge_fresh(fresh);
  }

  /// Merges the sorted run_[fresh, end) after run_[0, fresh), loaded events left over from the last load.
  void merge_fresh(std::size_t fresh) {
    if (fresh == 0 || fresh == run_size_) return;
    // Through a vector: std::inplace_merge's buffer ignores Event's alignment.
    if (merged_.size() < run_.size()) merged_.resize(run_.size());
    const auto mid = run_.begin() + static_cast<std::ptrdiff_t>(fresh);
    std::merge(run_.begin(), mid, mid, run_.begin() + static_cast<std::ptrdiff_t>(run_size_), merged_.begin(), before);
    run_.swap(merged_);
  }

  /// Makes room for `n` events in run_, keeping run_[0, run_size_). Storage only grows and is never
  /// cleared: resizing a vector of events would zero them first, for nothing.
  void grow_run(std::size_t n) {
    if (run_.size() < n) run_.resize(std::max(n, 2 * run_.size()));
  }

  double inv_width_;
  std::vector<std::vector<Event>> ring_;  // unsorted buckets [head_, head_ + ring size); events >= limit_
  std::vector<double> ring_min_;
  std::size_t mask_;
  std::int64_t head_ = std::numeric_limits<std::int64_t>::min() / 4;
  double limit_ = -kNone;   // every event before it is loaded (in run_ or late_)
  std::vector<Event> run_;  // loaded events, sorted, in [0, run_size_); [pos_, run_size_) not yet popped
  std::size_t run_size_ = 0;
  std::vector<Event> merged_;  // merge_fresh()'s scratch
  Event popped_;               // next_before()'s event when it came from the late heap
  std::size_t pos_ = 0;
  std::size_t ring_count_ = 0;  // events in ring buckets
  EventHeap late_;              // events pushed with time < limit_
  EventHeap far_;               // events beyond the ring's horizon
  std::size_t size_ = 0;
  std::size_t placed_ = 0;  // events placed since the last review, and of those beyond the horizon
  std::size_t placed_far_ = 0;
  std::vector<std::uint32_t> counts_;  // load_until()'s counting sort: slot ends as they fill, and starts
  std::vector<std::uint32_t> starts_;
  std::vector<std::int64_t> buckets_;      // ring_length_for()'s scratch
  std::vector<std::vector<Event>> spare_;  // empty vectors with capacity
  bool started_ = false;
  std::vector<Event> unplaced_;       // events pushed before the first load
  std::vector<std::uint32_t> index_;  // each bucket event's counting-sort slot, or kStays
};

}  // namespace innosim::sim
