// An event: a typed message to one agent at one simulated time, totally ordered by (time, tie).
#pragma once

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>

namespace innosim::sim {

using AgentId = std::uint32_t;
using EventType = std::uint16_t;

/// Source id of events scheduled before the run (by the model's setup, not by an agent).
inline constexpr AgentId kSetupSource = 0xFFFFFFFFu;

/// 8 bytes of event data (an id and a float, say); models store a small trivially copyable struct in it.
/// Kept small on purpose: a 32-byte event sorts and copies at half the cost of a 64-byte one.
using Payload = std::array<std::uint32_t, 2>;

template <class T>
Payload make_payload(const T& value) {
  static_assert(std::is_trivially_copyable_v<T> && sizeof(T) <= sizeof(Payload), "payload must fit 8 bytes");
  Payload p{};
  std::memcpy(p.data(), &value, sizeof(T));
  return p;
}

template <class T>
T payload_as(const Payload& p) {
  static_assert(std::is_trivially_copyable_v<T> && sizeof(T) <= sizeof(Payload), "payload must fit 8 bytes");
  T value;
  std::memcpy(&value, p.data(), sizeof(T));
  return value;
}

/// The tie-break key: source agent in the high 32 bits, that source's send counter in the low 32.
/// It depends only on what agents did, never on threads or memory, so the order is reproducible.
inline constexpr std::uint64_t make_tie(AgentId source, std::uint32_t sequence) {
  return (static_cast<std::uint64_t>(source) << 32) | sequence;
}

struct alignas(32) Event {
  double time = 0;
  std::uint64_t tie = 0;
  AgentId target = 0;
  EventType type = 0;
  Payload payload{};

  AgentId source() const { return static_cast<AgentId>(tie >> 32); }
};

/// An event built in two 16-byte halves. Built field by field, its copy into a queue reads each half with one
/// wide load that spans several narrow stores, which the CPU cannot forward from its store buffer (a stall per
/// scheduled event; PHOLD on one thread gained 1-2 %). Little-endian layout; elsewhere, field by field.
inline Event make_event(double time, std::uint64_t tie, AgentId target, EventType type, const Payload& payload) {
#if defined(__GNUC__)
  if constexpr (std::endian::native == std::endian::little) {
    using Half = std::uint64_t __attribute__((vector_size(16)));
    static_assert(offsetof(Event, tie) == 8 && offsetof(Event, target) == 16 && offsetof(Event, type) == 20 &&
                  offsetof(Event, payload) == 24);
    const Half lo = {std::bit_cast<std::uint64_t>(time), tie};
    const Half hi = {target | std::uint64_t{type} << 32, std::bit_cast<std::uint64_t>(payload)};
    Event e;
    std::memcpy(static_cast<void*>(&e), &lo, sizeof lo);
    std::memcpy(reinterpret_cast<char*>(&e) + sizeof lo, &hi, sizeof hi);
    return e;
  }
#endif
  return Event{time, tie, target, type, payload};
}

/// Strict total order of events: by time, then by tie (unique per event).
inline bool before(const Event& a, const Event& b) { return a.time < b.time || (a.time == b.time && a.tie < b.tie); }

}  // namespace innosim::sim
