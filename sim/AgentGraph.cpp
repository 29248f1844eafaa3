#include "sim/AgentGraph.hpp"

#include <boost/graph/adjacency_list.hpp>
#include <optional>
#include <stdexcept>
#include <string>

namespace innosim::sim {

namespace {
struct EdgeProperties {
  EdgeType type;
  double start;
};
// vecS edge lists iterate in insertion order, which keeps neighbour visits deterministic. Bidirectional,
// because models ask "which spaces are in this city" (in-edges) as often as "where is this space".
using Graph =
    boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS, boost::no_property, EdgeProperties>;
using Vertex = boost::graph_traits<Graph>::vertex_descriptor;
}  // namespace

struct AgentGraph::Impl {
  // Boost vertices only for the agents that ever had an edge: in an agent-based model most agents (the
  // Gansu model's 120 k makers and team slots) have none, and a bidirectional vertex costs 56 bytes.
  Graph graph;
  std::vector<std::uint32_t> vertex_of;  // agent -> Boost vertex + 1; 0 while it has none
  std::vector<AgentId> agent_of;         // Boost vertex -> agent
  std::vector<EdgeRecord> removed;
  std::vector<std::size_t> count_by_type, created_by_type;

  void check(AgentId id) const {
    if (id >= vertex_of.size())
      throw std::out_of_range("agent graph: vertex " + std::to_string(id) + " does not exist");
  }
  /// The agent's Boost vertex, or none (an agent without a vertex has no edges).
  std::optional<Vertex> find(AgentId id) const {
    check(id);
    if (vertex_of[id] == 0) return std::nullopt;
    return static_cast<Vertex>(vertex_of[id] - 1);
  }
  Vertex vertex(AgentId id) {
    check(id);
    if (vertex_of[id] == 0) {
      vertex_of[id] = static_cast<std::uint32_t>(boost::add_vertex(graph)) + 1;
      agent_of.push_back(id);
    }
    return static_cast<Vertex>(vertex_of[id] - 1);
  }
};

AgentGraph::AgentGraph(std::size_t vertices) : impl_(std::make_unique<Impl>()) { resize(vertices); }
AgentGraph::~AgentGraph() = default;
AgentGraph::AgentGraph(AgentGraph&&) noexcept = default;
AgentGraph& AgentGraph::operator=(AgentGraph&&) noexcept = default;

void AgentGraph::resize(std::size_t vertices) {
  if (vertices > impl_->vertex_of.size()) impl_->vertex_of.resize(vertices, 0);
}
void AgentGraph::reserve(std::size_t vertices) { impl_->vertex_of.reserve(vertices); }
std::size_t AgentGraph::vertex_count() const { return impl_->vertex_of.size(); }
std::size_t AgentGraph::edge_count() const { return boost::num_edges(impl_->graph); }
std::size_t AgentGraph::edge_count(EdgeType type) const {
  return type < impl_->count_by_type.size() ? impl_->count_by_type[type] : 0;
}
std::size_t AgentGraph::created_count(EdgeType type) const {
  return type < impl_->created_by_type.size() ? impl_->created_by_type[type] : 0;
}

void AgentGraph::add_edge(AgentId source, AgentId target, EdgeType type, double time) {
  impl_->check(source);
  impl_->check(target);
  const Vertex s = impl_->vertex(source), t = impl_->vertex(target);
  boost::add_edge(s, t, EdgeProperties{type, time}, impl_->graph);
  if (impl_->count_by_type.size() <= type) {
    impl_->count_by_type.resize(type + 1u, 0);
    impl_->created_by_type.resize(type + 1u, 0);
  }
  ++impl_->count_by_type[type];
  ++impl_->created_by_type[type];
}

bool AgentGraph::remove_edge(AgentId source, AgentId target, EdgeType type, double time) {
  const auto s = impl_->find(source);
  if (!s) return false;
  auto& g = impl_->graph;
  auto [it, end] = boost::out_edges(*s, g);
  for (; it != end; ++it) {
    if (impl_->agent_of[boost::target(*it, g)] == target && g[*it].type == type) {
      if (keep_history_) impl_->removed.push_back({source, target, type, g[*it].start, time});
      boost::remove_edge(*it, g);
      --impl_->count_by_type[type];
      return true;
    }
  }
  return false;
}

void AgentGraph::apply(std::span<const GraphEdit> edits) {
  for (const GraphEdit& e : edits) {
    if (e.add)
      add_edge(e.source, e.target, e.type, e.time);
    else
      remove_edge(e.source, e.target, e.type, e.time);
  }
}

bool AgentGraph::has_edge(AgentId source, AgentId target, EdgeType type) const {
  const auto s = impl_->find(source);
  if (!s) return false;
  const auto& g = impl_->graph;
  for (auto [it, end] = boost::out_edges(*s, g); it != end; ++it)
    if (impl_->agent_of[boost::target(*it, g)] == target && g[*it].type == type) return true;
  return false;
}

std::size_t AgentGraph::out_degree(AgentId source, EdgeType type) const {
  const auto s = impl_->find(source);
  if (!s) return 0;
  const auto& g = impl_->graph;
  std::size_t n = 0;
  for (auto [it, end] = boost::out_edges(*s, g); it != end; ++it) n += g[*it].type == type;
  return n;
}

void AgentGraph::for_each_out(AgentId source, EdgeType type, const std::function<void(AgentId, double)>& visit) const {
  const auto s = impl_->find(source);
  if (!s) return;
  const auto& g = impl_->graph;
  for (auto [it, end] = boost::out_edges(*s, g); it != end; ++it)
    if (g[*it].type == type) visit(impl_->agent_of[boost::target(*it, g)], g[*it].start);
}

std::size_t AgentGraph::in_degree(AgentId target, EdgeType type) const {
  const auto t = impl_->find(target);
  if (!t) return 0;
  const auto& g = impl_->graph;
  std::size_t n = 0;
  for (auto [it, end] = boost::in_edges(*t, g); it != end; ++it) n += g[*it].type == type;
  return n;
}

std::size_t AgentGraph::in_degree(AgentId target) const {
  const auto t = impl_->find(target);
  return t ? boost::in_degree(*t, impl_->graph) : 0;
}

EdgeRecord AgentGraph::in_edge(AgentId target, std::size_t i) const {
  const auto t = impl_->find(target);
  const auto& g = impl_->graph;
  if (!t || i >= boost::in_degree(*t, g)) throw std::out_of_range("agent graph: in-edge index out of range");
  const auto e = *(boost::in_edges(*t, g).first + static_cast<std::ptrdiff_t>(i));
  return {impl_->agent_of[boost::source(e, g)], target, g[e].type, g[e].start};
}

void AgentGraph::for_each_in(AgentId target, EdgeType type, const std::function<void(AgentId, double)>& visit) const {
  const auto t = impl_->find(target);
  if (!t) return;
  const auto& g = impl_->graph;
  for (auto [it, end] = boost::in_edges(*t, g); it != end; ++it)
    if (g[*it].type == type) visit(impl_->agent_of[boost::source(*it, g)], g[*it].start);
}

std::vector<EdgeRecord> AgentGraph::edges() const {
  const auto& g = impl_->graph;
  std::vector<EdgeRecord> out(impl_->removed);
  out.reserve(out.size() + boost::num_edges(g));
  for (auto [it, end] = boost::edges(g); it != end; ++it)
    out.push_back(
        {impl_->agent_of[boost::source(*it, g)], impl_->agent_of[boost::target(*it, g)], g[*it].type, g[*it].start});
  return out;
}

}  // namespace innosim::sim
