// Counter-based random streams (Philox 4x32-10, or SplitMix64): one per agent from (seed, replication, agent id).
#pragma once

#include <cstdint>
#include <limits>

namespace innosim::sim {

/// Which family a stream belongs to, so agent streams and engine/setup streams never overlap.
enum class StreamDomain : std::uint32_t { Agent = 0, Engine = 1, Setup = 2 };

/// The function that turns a stream's counter into random bits.
/// Philox4x32_10 (Random123) is the default: a cryptographically inspired bijection, Crush-resistant with
/// margin. SplitMix64 (Steele, Lea and Flood 2014; Java's SplittableRandom) costs a fraction as much and
/// passes BigCrush; it suits workloads where drawing dominates, such as PHOLD, whose yardstick loop uses
/// it too. A simulation uses one generator throughout; changing it changes every draw.
enum class Generator : std::uint8_t { Philox4x32_10 = 0, SplitMix64 = 1 };

/// Derives the 64-bit stream key of a (seed, replication) pair.
std::uint64_t stream_key(std::uint64_t seed, std::uint64_t replication);

namespace detail {
inline constexpr std::uint64_t kGolden = 0x9e3779b97f4a7c15ULL;  // SplitMix64's increment
/// SplitMix64's output function (Stafford's variant 13 of the MurmurHash3 finaliser): a bijection.
constexpr std::uint64_t mix64(std::uint64_t x) {
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}
}  // namespace detail

/// A uniform random bit generator usable with Boost.Random distributions. Its only persistent state is
/// a 64-bit counter owned elsewhere (8 bytes per agent), so millions of agents stay cheap.
/// - Philox4x32_10: block k of stream (key, id, domain) is Philox(counter = {k_lo, k_hi, id, domain}, key),
///   four 32-bit words; the counter counts blocks, and a stream rebound to another agent drops the rest of
///   its block.
/// - SplitMix64: draw k is mix64(seed + (k + 1) * golden), the SplitMix64 sequence of
///   seed = mix64(key ^ (id << 32 | domain)); the counter counts 64-bit draws and nothing is buffered.
///   operator() returns a draw's high 32 bits.
class RandomStream {
 public:
  using result_type = std::uint32_t;
  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return std::numeric_limits<result_type>::max(); }

  RandomStream(std::uint64_t key, std::uint32_t id, StreamDomain domain, std::uint64_t* counter,
               Generator generator = Generator::Philox4x32_10)
      : key_(key), id_(id), domain_(static_cast<std::uint32_t>(domain)), generator_(generator), counter_(counter) {
    if (generator_ == Generator::SplitMix64) seed_ = split_seed();
  }

  Generator generator() const { return generator_; }

  /// Points the stream at another id's counter (same key and domain); discards buffered draws.
  void rebind(std::uint32_t id, std::uint64_t* counter) {
    id_ = id;
    counter_ = counter;
    pos_ = 4;
    if (generator_ == Generator::SplitMix64) seed_ = split_seed();
  }

  result_type operator()() {
    if (generator_ == Generator::SplitMix64) return static_cast<result_type>(next64() >> 32);
    if (pos_ == 4) refill();
    return buffer_[pos_++];
  }
  /// Uniform on [0, 1) with 53 random bits.
  double uniform() { return static_cast<double>(bits53()) * 0x1.0p-53; }
  /// Exponential waiting time with the given mean (inverse transform of uniform()). Out of line on purpose:
  /// inlined, the compiler may fuse the product into the caller's sum (an FMA), and event times would then
  /// depend on the call site and the compiler's choices.
  double exponential(double mean);
  /// True with probability p.
  bool bernoulli(double p) { return uniform() < p; }
  /// Uniform integer in [0, n).
  std::uint32_t below(std::uint32_t n) { return static_cast<std::uint32_t>(uniform() * n); }

  /// Moves on as if uniform() (or exponential(), bernoulli(), below(): one uniform each) were drawn n times.
  void skip(std::uint64_t n);
  /// A stream that stands where this one will after n more uniform draws, keeping its state in `counter`
  /// (which it sets). Lets a loop whose iterations each draw a known number of uniforms run in parallel
  /// chunks with exactly the draws of the serial loop.
  RandomStream ahead(std::uint64_t n, std::uint64_t* counter) const;

 private:
  void refill();
  /// Philox: the index of the next 32-bit word of the stream; and standing at a given one.
  std::uint64_t word() const { return pos_ == 4 ? *counter_ * 4 : (*counter_ - 1) * 4 + static_cast<unsigned>(pos_); }
  void stand_at_word(std::uint64_t w);
  std::uint64_t split_seed() const { return detail::mix64(key_ ^ (static_cast<std::uint64_t>(id_) << 32 | domain_)); }
  std::uint64_t next64() { return detail::mix64(seed_ + ++*counter_ * detail::kGolden); }
  std::uint64_t bits53() {
    if (generator_ == Generator::SplitMix64) return next64() >> 11;
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
    return (hi << 32 | lo) >> 11;
  }

  std::uint64_t key_;
  std::uint32_t id_;
  std::uint32_t domain_;
  Generator generator_;
  std::uint64_t* counter_;
  std::uint64_t seed_ = 0;  // SplitMix64's per-stream seed
  std::uint32_t buffer_[4] = {};
  int pos_ = 4;
};

}  // namespace innosim::sim
