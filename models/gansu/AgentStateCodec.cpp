#include "models/gansu/AgentStateCodec.hpp"

namespace innosim::gansu {

namespace {

// One field list per agent kind, for both directions: a field added to AgentState.hpp is one entry here
// (ModelCheckpointTest fails on a run that resumes without it).
template <class C>
void fields(C& c, Government& g) {
  c.vec(g.budget_left), c.vec(g.paid), c.vec(g.applicants), c.vec(g.reports), c.vec(g.recognised);
  c.vec(g.excellent);
  c.pod(g.recognitions), c.pod(g.delistings), c.pod(g.filings), c.pod(g.evaluations), c.pod(g.awards);
}
template <class C>
void fields(C& c, Cities& x) {
  c.vec(x.population), c.vec(x.subsidy_paid);
}
template <class C>
void fields(C& c, Zones& x) {
  c.vec(x.city), c.vec(x.national), c.vec(x.lanbai), c.vec(x.pilot), c.vec(x.space);
}
template <class C>
void fields(C& c, Universities& x) {
  c.vec(x.city), c.vec(x.institute), c.vec(x.lanbai), c.vec(x.research_staff), c.vec(x.results);
  c.vec(x.transfers), c.vec(x.space), c.vec(x.partners);
}
template <class C>
void fields(C& c, Enterprises& x) {
  c.vec(x.kind), c.vec(x.city), c.vec(x.industry), c.vec(x.soe), c.vec(x.idle_plant), c.vec(x.rd_intensity);
  c.vec(x.digitalisation), c.vec(x.adopted), c.vec(x.commissions), c.vec(x.space), c.vec(x.commissioned);
  c.vec(x.chain);
}
template <class C>
void fields(C& c, Makers& x) {
  c.vec(x.origin), c.vec(x.city), c.vec(x.state), c.vec(x.skill), c.vec(x.employer), c.vec(x.employment_end);
  c.vec(x.returned_to_post);
}
template <class C>
void fields(C& c, Investors& x) {
  c.vec(x.kind), c.vec(x.city), c.vec(x.capital), c.vec(x.invested), c.vec(x.losses), c.vec(x.compensated);
  c.vec(x.deals), c.vec(x.stakes);
}
template <class C>
void fields(C& c, Mentors& x) {
  c.vec(x.kind), c.vec(x.commissioner), c.vec(x.city), c.vec(x.space), c.vec(x.stints);
}
template <class C>
void fields(C& c, Spaces& x) {
  c.vec(x.host), c.vec(x.host_type), c.vec(x.city), c.vec(x.industry), c.vec(x.status), c.vec(x.recognised);
  c.vec(x.filed), c.vec(x.grade), c.vec(x.report_due), c.vec(x.applied), c.vec(x.idle_plant), c.vec(x.initial);
  c.vec(x.desks), c.vec(x.cash), c.vec(x.opened_at), c.vec(x.closed_at), c.vec(x.income), c.vec(x.costs);
  c.vec(x.host_money), c.vec(x.commission_money), c.vec(x.tax_relief), c.vec(x.residents), c.vec(x.mentors);
  c.vec(x.admitted), c.vec(x.graduated), c.vec(x.commissions), c.vec(x.zone);
}
template <class C>
void fields(C& c, Teams& x) {
  c.vec(x.stage), c.vec(x.city), c.vec(x.industry), c.vec(x.origin), c.vec(x.legacy), c.vec(x.guaranteed);
  c.vec(x.mentored), c.vec(x.quality), c.vec(x.space), c.vec(x.guarantor), c.vec(x.members_new), c.vec(x.size);
  c.vec(x.jobs), c.vec(x.founded_at), c.vec(x.ended_at), c.vec(x.public_money), c.vec(x.private_money);
  c.vec(x.loan), c.vec(x.market_money), c.vec(x.joiners), c.vec(x.home), c.vec(x.left_at);
}

template <class C>
void all(C& c, const AgentArrays& a) {
  fields(c, a.gov), fields(c, a.cities), fields(c, a.zones), fields(c, a.univs), fields(c, a.ents);
  fields(c, a.makers), fields(c, a.invs), fields(c, a.mentors), fields(c, a.spaces), fields(c, a.teams);
}

}  // namespace

void save_agents(sim::StateWriter& out, const AgentArrays& a) { all(out, a); }
void restore_agents(sim::StateReader& in, const AgentArrays& a) { all(in, a); }

}  // namespace innosim::gansu
