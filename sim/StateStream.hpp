// Bytes of a simulation's state, bit for bit: the checkpoint and message format of engine and models.
#pragma once

#include <cstdint>
#include <cstring>
#include <deque>
#include <span>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace innosim::sim {

/// Thrown when state bytes are truncated, malformed or do not fit what reads them.
class StateError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Appends values as raw bytes (this machine's layout: a checkpoint is read back by the same build).
/// Fields are written and read by one function template for both directions, so the two cannot drift:
///   template <class S, class T> void fields(S& s, T& t) { s.pod(t.a), s.vec(t.b); }
/// Padding is written as it lies: a struct with padding gives the same values back, not always the same bytes.
class StateWriter {
 public:
  template <class T>
  void pod(const T& v) {
    static_assert(std::is_trivially_copyable_v<T>);
    const auto* p = reinterpret_cast<const char*>(&v);
    out_.insert(out_.end(), p, p + sizeof(T));
  }
  template <class T>
  void vec(const std::vector<T>& v) {
    pod(static_cast<std::uint64_t>(v.size()));
    if constexpr (std::is_trivially_copyable_v<T>) {
      const auto* p = reinterpret_cast<const char*>(v.data());
      out_.insert(out_.end(), p, p + v.size() * sizeof(T));
    } else {
      for (const auto& x : v) item(x);
    }
  }
  template <class T>
  void vec(const std::deque<T>& v) {
    pod(static_cast<std::uint64_t>(v.size()));
    for (const auto& x : v) pod(x);
  }
  void str(const std::string& s) {
    pod(static_cast<std::uint64_t>(s.size()));
    out_.insert(out_.end(), s.begin(), s.end());
  }
  void bytes(std::span<const char> b) {
    pod(static_cast<std::uint64_t>(b.size()));
    out_.insert(out_.end(), b.begin(), b.end());
  }
  std::vector<char>& data() { return out_; }
  std::vector<char> take() { return std::move(out_); }

  // Elements of vectors that are not trivially copyable: strings, vectors, pairs, and a model's own types through
  // a `state_fields(codec, value)` that argument-dependent lookup finds (one field list for both directions).
  template <class T>
  void item(const T& v) {
    state_fields(*this, v);
  }
  void item(const std::string& s) { str(s); }
  template <class T>
  void item(const std::vector<T>& v) {
    vec(v);
  }
  template <class A, class B>
  void item(const std::pair<A, B>& p) {
    pod(p.first), pod(p.second);
  }

 private:
  std::vector<char> out_;
};

/// Reads what a StateWriter wrote, checking every length against the bytes left: truncated or damaged
/// input throws StateError (naming `what`), never reads past the end or allocates more than it holds.
class StateReader {
 public:
  explicit StateReader(std::span<const char> in, std::string what = "state") : in_(in), what_(std::move(what)) {}

  template <class T>
  void pod(T& v) {
    static_assert(std::is_trivially_copyable_v<T>);
    take(&v, sizeof(T));
  }
  template <class T>
  T get() {
    T v{};
    pod(v);
    return v;
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
  template <class T>
  void vec(std::deque<T>& v) {
    v.resize(count(sizeof(T)));
    for (auto& x : v) pod(x);
  }
  void str(std::string& s) {
    s.resize(count(1));
    take(s.data(), s.size());
  }
  std::span<const char> bytes() {
    const std::size_t n = count(1);
    const std::span<const char> b = in_.subspan(at_, n);
    at_ += n;
    return b;
  }
  template <class T>
  void item(T& v) {
    state_fields(*this, v);
  }
  void item(std::string& s) { str(s); }
  template <class T>
  void item(std::vector<T>& v) {
    vec(v);
  }
  template <class A, class B>
  void item(std::pair<A, B>& p) {
    pod(p.first), pod(p.second);
  }

  std::size_t left() const { return in_.size() - at_; }
  bool done() const { return at_ == in_.size(); }
  /// Throws unless every byte was read.
  void finish() const {
    if (!done()) fail("has " + std::to_string(left()) + " bytes of trailing data");
  }
  /// Throws StateError unless `ok`, saying what does not match.
  void expect(bool ok, const std::string& what) const {
    if (!ok) fail(what);
  }
  [[noreturn]] void fail(const std::string& what) const { throw StateError(what_ + " " + what); }

 private:
  void take(void* dst, std::size_t n) {
    if (n == 0) return;  // an empty vector's data() may be null, which memcpy must not get
    if (n > left()) fail("is truncated");
    std::memcpy(dst, in_.data() + at_, n);
    at_ += n;
  }
  std::size_t count(std::size_t each) {
    const auto n = get<std::uint64_t>();
    if (n > left() / (each ? each : 1)) fail("is truncated or malformed (a length runs past its end)");
    return static_cast<std::size_t>(n);
  }

  std::span<const char> in_;
  std::size_t at_ = 0;
  std::string what_;
};

}  // namespace innosim::sim
