#include "models/gansu/OutcomeCodec.hpp"

#include <concepts>
#include <type_traits>

#include "sim/StateStream.hpp"

namespace innosim::gansu {

/// The fields of a snapshot, for both directions (found by StateWriter/StateReader for vectors of snapshots).
template <class Codec, class S>
requires std::same_as<std::remove_const_t<S>, Snapshot>
void state_fields(Codec& c, S& s) {
  c.pod(s.time);
  c.vec(s.space_status), c.vec(s.space_recognised), c.vec(s.space_filed), c.vec(s.space_grade);
  c.vec(s.space_residents), c.vec(s.space_mentors), c.vec(s.space_cash), c.vec(s.team_stage), c.vec(s.team_jobs);
  c.vec(s.maker_state);
}

namespace {

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
  sim::StateWriter w;
  fields(w, outcome);
  return w.take();
}

Outcome decode(std::span<const char> bytes) {
  sim::StateReader r(bytes, "outcome bytes");
  Outcome o;
  fields(r, o);
  r.finish();
  return o;
}

}  // namespace innosim::gansu
