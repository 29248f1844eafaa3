#include "models/gansu/OutcomeCodec.hpp"

#include <cstring>
#include <stdexcept>
#include <string>
#include <type_traits>

namespace innosim::gansu {

namespace {

struct Writer {
  std::vector<char> out;
  template <class T>
  void pod(const T& v) {
    static_assert(std::is_trivially_copyable_v<T>);
    const auto* p = reinterpret_cast<const char*>(&v);
    out.insert(out.end(), p, p + sizeof(T));
  }
  template <class T>
  void vec(const std::vector<T>& v) {
    pod(static_cast<std::uint64_t>(v.size()));
    if constexpr (std::is_trivially_copyable_v<T>) {
      const auto* p = reinterpret_cast<const char*>(v.data());
      out.insert(out.end(), p, p + v.size() * sizeof(T));
    } else {
      for (const auto& x : v) item(x);
    }
  }
  void item(const std::string& s) {
    pod(static_cast<std::uint64_t>(s.size()));
    out.insert(out.end(), s.begin(), s.end());
  }
  void item(const Snapshot& s);
};

struct Reader {
  std::span<const char> in;
  std::size_t at = 0;
  void take(void* dst, std::size_t n) {
    if (n == 0) return;  // an empty vector's data() may be null, which memcpy must not get
    if (n > in.size() - at) throw std::runtime_error("outcome bytes are truncated");
    std::memcpy(dst, in.data() + at, n);
    at += n;
  }
  template <class T>
  void pod(T& v) {
    take(&v, sizeof(T));
  }
  std::size_t count(std::size_t each) {
    std::uint64_t n = 0;
    pod(n);
    if (each > 0 && n > (in.size() - at) / each) throw std::runtime_error("outcome bytes are malformed");
    return static_cast<std::size_t>(n);
  }
  template <class T>
  void vec(std::vector<T>& v) {
    if constexpr (std::is_trivially_copyable_v<T>) {
      v.resize(count(sizeof(T)));
      take(v.data(), v.size() * sizeof(T));
    } else {
      v.resize(count(sizeof(std::uint64_t)));
      for (auto& x : v) item(x);
    }
  }
  void item(std::string& s) {
    s.resize(count(1));
    take(s.data(), s.size());
  }
  void item(Snapshot& s);
};

/// The fields of a snapshot, for both directions.
template <class Codec, class S>
void snapshot_fields(Codec& c, S& s) {
  c.pod(s.time);
  c.vec(s.space_status), c.vec(s.space_recognised), c.vec(s.space_filed), c.vec(s.space_grade);
  c.vec(s.space_residents), c.vec(s.space_mentors), c.vec(s.space_cash), c.vec(s.team_stage), c.vec(s.team_jobs);
  c.vec(s.maker_state);
}

void Writer::item(const Snapshot& s) { snapshot_fields(*this, s); }
void Reader::item(Snapshot& s) { snapshot_fields(*this, s); }

/// One list of the fields, for both directions: adding a field to Outcome is one line here.
template <class Codec, class O>
void fields(Codec& c, O& o) {
  c.pod(o.replication);
  c.vec(o.time), c.vec(o.series), c.vec(o.spaces_by_city), c.vec(o.recognised_by_city), c.vec(o.teams_by_city);
  c.vec(o.spaces_by_host), c.vec(o.recognised_by_host), c.vec(o.opened_by_host), c.vec(o.spaces_by_industry);
  c.vec(o.teams_by_industry);
  c.pod(o.money);
  c.vec(o.first_met), c.vec(o.events_by_type), c.vec(o.event_names), c.vec(o.edges_by_type);
  c.vec(o.agents_by_type), c.vec(o.agent_type_names);
  c.pod(o.events), c.pod(o.live_edges), c.pod(o.seconds), c.pod(o.window_seconds), c.pod(o.between_seconds);
  c.pod(o.busy_share), c.pod(o.imbalance_share), c.pod(o.windows), c.pod(o.threads_used);
  c.vec(o.snapshots), c.vec(o.edges);
}

}  // namespace

std::vector<char> encode(const Outcome& outcome) {
  Writer w;
  fields(w, outcome);
  return std::move(w.out);
}

Outcome decode(std::span<const char> bytes) {
  Reader r{bytes};
  Outcome o;
  fields(r, o);
  if (r.at != bytes.size()) throw std::runtime_error("outcome bytes have trailing data");
  return o;
}

}  // namespace innosim::gansu
