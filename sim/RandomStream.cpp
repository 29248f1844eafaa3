#include "sim/RandomStream.hpp"

#include <Random123/philox.h>

#include <cmath>

namespace innosim::sim {

namespace {
std::uint64_t splitmix64(std::uint64_t x) { return detail::mix64(x + detail::kGolden); }
}  // namespace

std::uint64_t stream_key(std::uint64_t seed, std::uint64_t replication) {
  return splitmix64(splitmix64(seed) ^ (replication * 0xd1b54a32d192ed03ULL + 0x8cb92ba72f3d8dd7ULL));
}

double RandomStream::exponential(double mean) { return -std::log(1.0 - uniform()) * mean; }

void RandomStream::stand_at_word(std::uint64_t w) {
  *counter_ = w / 4;
  pos_ = 4;
  if (w % 4 != 0) {
    refill();
    pos_ = static_cast<int>(w % 4);
  }
}

// A uniform is 53 bits: two 32-bit words of a Philox stream (the words run on across blocks), one step of a
// SplitMix64 stream.
void RandomStream::skip(std::uint64_t n) {
  if (generator_ == Generator::SplitMix64)
    *counter_ += n;
  else
    stand_at_word(word() + 2 * n);
}

RandomStream RandomStream::ahead(std::uint64_t n, std::uint64_t* counter) const {
  RandomStream r(*this);  // same buffer and position; its own counter, from where this one stands
  *counter = *counter_;
  r.counter_ = counter;
  r.skip(n);
  return r;
}

void RandomStream::refill() {
  using Philox = r123::Philox4x32;
  const std::uint64_t block = (*counter_)++;
  const Philox::ctr_type ctr = {
      {static_cast<std::uint32_t>(block), static_cast<std::uint32_t>(block >> 32), id_, domain_}};
  const Philox::key_type key = {{static_cast<std::uint32_t>(key_), static_cast<std::uint32_t>(key_ >> 32)}};
  const Philox::ctr_type out = Philox()(ctr, key);
  for (int i = 0; i < 4; ++i) buffer_[i] = out.v[i];
  pos_ = 0;
}

}  // namespace innosim::sim
