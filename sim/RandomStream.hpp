// Counter-based random streams (Philox 4x32-10): one per agent from (seed, replication, agent id), plus engine streams.
#pragma once

#include <cstdint>
#include <limits>

namespace innosim::sim {

/// Which family a stream belongs to, so agent streams and engine/setup streams never overlap.
enum class StreamDomain : std::uint32_t { Agent = 0, Engine = 1, Setup = 2 };

/// Derives the 64-bit Philox key of a (seed, replication) pair.
std::uint64_t stream_key(std::uint64_t seed, std::uint64_t replication);

/// A uniform random bit generator usable with Boost.Random distributions. Its only persistent state is
/// a 64-bit block counter owned elsewhere (8 bytes per agent), so millions of agents stay cheap.
/// Block k of stream (key, id, domain) is Philox(counter = {k_lo, k_hi, id, domain}, key).
class RandomStream {
 public:
  using result_type = std::uint32_t;
  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return std::numeric_limits<result_type>::max(); }

  RandomStream(std::uint64_t key, std::uint32_t id, StreamDomain domain, std::uint64_t* counter)
      : key_(key), id_(id), domain_(static_cast<std::uint32_t>(domain)), counter_(counter) {}

  /// Points the stream at another id's counter (same key and domain); discards buffered draws.
  void rebind(std::uint32_t id, std::uint64_t* counter) {
    id_ = id;
    counter_ = counter;
    pos_ = 4;
  }

  result_type operator()() {
    if (pos_ == 4) refill();
    return buffer_[pos_++];
  }
  /// Uniform on [0, 1) with 53 random bits.
  double uniform() {
    if (pos_ == 4) refill();
    std::uint64_t hi, lo;
    if (pos_ <= 2) {  // both words from this block: the common case, two loads and no branch per word
      hi = buffer_[pos_];
      lo = buffer_[pos_ + 1];
      pos_ += 2;
    } else {
      hi = (*this)();
      lo = (*this)();
    }
    return static_cast<double>((hi << 32 | lo) >> 11) * 0x1.0p-53;
  }
  /// Exponential waiting time with the given mean (inverse transform of uniform()). Out of line on purpose:
  /// inlined, the compiler may fuse the product into the caller's sum (an FMA), and event times would then
  /// depend on the call site and the compiler's choices.
  double exponential(double mean);
  /// True with probability p.
  bool bernoulli(double p) { return uniform() < p; }
  /// Uniform integer in [0, n).
  std::uint32_t below(std::uint32_t n) { return static_cast<std::uint32_t>(uniform() * n); }

 private:
  void refill();

  std::uint64_t key_;
  std::uint32_t id_;
  std::uint32_t domain_;
  std::uint64_t* counter_;
  std::uint32_t buffer_[4] = {};
  int pos_ = 4;
};

}  // namespace innosim::sim
