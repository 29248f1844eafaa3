#include "sim/AgentGraph.hpp"

#include <boost/graph/adjacency_list.hpp>
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
}  // namespace

struct AgentGraph::Impl {
  Graph graph;
  std::vector<EdgeRecord> removed;
  std::vector<std::size_t> count_by_type, created_by_type;

  void check(AgentId id) const {
    if (id >= boost::num_vertices(graph))
      throw std::out_of_range("agent graph: vertex " + std::to_string(id) + " does not exist");
  }
};

AgentGraph::AgentGraph(std::size_t vertices) : impl_(std::make_unique<Impl>()) { resize(vertices); }
AgentGraph::~AgentGraph() = default;
AgentGraph::AgentGraph(AgentGraph&&) noexcept = default;
AgentGraph& AgentGraph::operator=(AgentGraph&&) noexcept = default;

// With vecS vertex storage a vertex is an element of the public m_vertices vector (what add_vertex
// grows by one), so whole ranges are made at once.
void AgentGraph::resize(std::size_t vertices) {
  if (vertices > impl_->graph.m_vertices.size()) impl_->graph.m_vertices.resize(vertices);
}
void AgentGraph::reserve(std::size_t vertices) { impl_->graph.m_vertices.reserve(vertices); }
std::size_t AgentGraph::vertex_count() const { return boost::num_vertices(impl_->graph); }
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
  boost::add_edge(source, target, EdgeProperties{type, time}, impl_->graph);
  if (impl_->count_by_type.size() <= type) {
    impl_->count_by_type.resize(type + 1u, 0);
    impl_->created_by_type.resize(type + 1u, 0);
  }
  ++impl_->count_by_type[type];
  ++impl_->created_by_type[type];
}

bool AgentGraph::remove_edge(AgentId source, AgentId target, EdgeType type, double time) {
  impl_->check(source);
  auto& g = impl_->graph;
  auto [it, end] = boost::out_edges(source, g);
  for (; it != end; ++it) {
    if (boost::target(*it, g) == target && g[*it].type == type) {
      if (keep_history_) impl_->removed.push_back({source, target, type, g[*it].start, time});
      boost::remove_edge(*it, g);
      --impl_->count_by_type[type];
      return true;
    }
  }
  return false;
}

bool AgentGraph::has_edge(AgentId source, AgentId target, EdgeType type) const {
  impl_->check(source);
  const auto& g = impl_->graph;
  for (auto [it, end] = boost::out_edges(source, g); it != end; ++it)
    if (boost::target(*it, g) == target && g[*it].type == type) return true;
  return false;
}

std::size_t AgentGraph::out_degree(AgentId source, EdgeType type) const {
  impl_->check(source);
  const auto& g = impl_->graph;
  std::size_t n = 0;
  for (auto [it, end] = boost::out_edges(source, g); it != end; ++it) n += g[*it].type == type;
  return n;
}

void AgentGraph::for_each_out(AgentId source, EdgeType type, const std::function<void(AgentId, double)>& visit) const {
  impl_->check(source);
  const auto& g = impl_->graph;
  for (auto [it, end] = boost::out_edges(source, g); it != end; ++it)
    if (g[*it].type == type) visit(static_cast<AgentId>(boost::target(*it, g)), g[*it].start);
}

std::size_t AgentGraph::in_degree(AgentId target, EdgeType type) const {
  impl_->check(target);
  const auto& g = impl_->graph;
  std::size_t n = 0;
  for (auto [it, end] = boost::in_edges(target, g); it != end; ++it) n += g[*it].type == type;
  return n;
}

std::size_t AgentGraph::in_degree(AgentId target) const {
  impl_->check(target);
  return boost::in_degree(target, impl_->graph);
}

EdgeRecord AgentGraph::in_edge(AgentId target, std::size_t i) const {
  impl_->check(target);
  const auto& g = impl_->graph;
  auto [it, end] = boost::in_edges(target, g);
  if (i >= static_cast<std::size_t>(end - it)) throw std::out_of_range("agent graph: in-edge index out of range");
  const auto e = *(it + static_cast<std::ptrdiff_t>(i));
  return {static_cast<AgentId>(boost::source(e, g)), target, g[e].type, g[e].start};
}

void AgentGraph::for_each_in(AgentId target, EdgeType type, const std::function<void(AgentId, double)>& visit) const {
  impl_->check(target);
  const auto& g = impl_->graph;
  for (auto [it, end] = boost::in_edges(target, g); it != end; ++it)
    if (g[*it].type == type) visit(static_cast<AgentId>(boost::source(*it, g)), g[*it].start);
}

std::vector<EdgeRecord> AgentGraph::edges() const {
  const auto& g = impl_->graph;
  std::vector<EdgeRecord> out(impl_->removed);
  out.reserve(out.size() + boost::num_edges(g));
  for (auto [it, end] = boost::edges(g); it != end; ++it)
    out.push_back({static_cast<AgentId>(boost::source(*it, g)), static_cast<AgentId>(boost::target(*it, g)),
                   g[*it].type, g[*it].start});
  return out;
}

}  // namespace innosim::sim
