#include "checkpoint/CheckpointFile.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <boost/crc.hpp>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>

#include "sim/StateStream.hpp"

namespace innosim::checkpoint {

namespace {

constexpr std::array<char, 8> kMagic{'I', 'N', 'N', 'O', 'C', 'K', 'P', 'T'};
// magic, format version, contents' length, CRC-32 of the contents
constexpr std::size_t kHeaderBytes =
    kMagic.size() + sizeof(std::uint32_t) + sizeof(std::uint64_t) + sizeof(std::uint32_t);

std::uint32_t crc32(const char* data, std::size_t n) {
  boost::crc_32_type crc;
  crc.process_bytes(data, n);
  return crc.checksum();
}

/// The contents' fields, for both directions.
template <class Codec, class C>
void fields(Codec& s, C& c) {
  s.str(c.build), s.str(c.scenario_path), s.vec(c.overrides), s.pod(c.scenario_hash), s.str(c.output);
  s.str(c.every), s.pod(c.snapshots), s.pod(c.units), s.pod(c.ranks);
}

[[noreturn]] void fail(const std::string& path, const std::string& what) {
  throw CheckpointError("checkpoint " + path + " " + what);
}

}  // namespace

std::uint64_t text_hash(const std::string& text) {
  std::uint64_t h = 14695981039346656037ull;
  for (const unsigned char ch : text) h = (h ^ ch) * 1099511628211ull;
  return h;
}

std::uint64_t write_checkpoint(const std::string& path, const RunCheckpoint& c) {
  sim::StateWriter body;
  fields(body, c);
  body.pod(static_cast<std::uint64_t>(c.finished.size()));
  for (const auto& [replication, outcome] : c.finished) body.pod(replication), body.bytes(outcome);
  body.pod(static_cast<std::uint64_t>(c.running.size()));
  for (const auto& [replication, r] : c.running) body.pod(replication), body.pod(r.time), body.bytes(r.state);
  const std::vector<char>& contents = body.data();

  sim::StateWriter header;
  for (const char ch : kMagic) header.pod(ch);
  header.pod(kFormatVersion);
  header.pod(static_cast<std::uint64_t>(contents.size()));
  header.pod(crc32(contents.data(), contents.size()));

  const std::string tmp = path + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) fail(path, "cannot be written: " + std::string(std::strerror(errno)));
  auto put = [&](const std::vector<char>& bytes) {
    for (std::size_t at = 0; at < bytes.size();) {
      const ssize_t n = ::write(fd, bytes.data() + at, bytes.size() - at);
      if (n < 0 && errno == EINTR) continue;  // a signal (the Ctrl-C that asked for this checkpoint) interrupted it
      if (n <= 0) {
        const std::string why = std::strerror(errno);
        ::close(fd);
        std::remove(tmp.c_str());
        fail(path, "cannot be written: " + why);
      }
      at += static_cast<std::size_t>(n);
    }
  };
  put(header.data());
  put(contents);
  if (::fsync(fd) != 0 || ::close(fd) != 0 || std::rename(tmp.c_str(), path.c_str()) != 0)
    fail(path, "cannot be written: " + std::string(std::strerror(errno)));
  return header.data().size() + contents.size();
}

RunCheckpoint read_checkpoint(const std::string& path, const std::string& this_build) {
  std::ifstream file(path, std::ios::binary);
  if (!file) fail(path, "cannot be read: " + std::string(std::strerror(errno)));
  const std::vector<char> bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  const std::size_t head = std::min(bytes.size(), kMagic.size());
  if (head == 0 || !std::equal(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(head), kMagic.begin()))
    fail(path, "is not an innosim checkpoint (it does not start with the checkpoint header)");
  if (bytes.size() < kHeaderBytes)
    fail(path, "is truncated: " + std::to_string(bytes.size()) + " bytes, less than its header");
  sim::StateReader header(std::span<const char>(bytes).first(kHeaderBytes), "checkpoint " + path);
  for (std::size_t i = 0; i < kMagic.size(); ++i) (void)header.get<char>();
  const auto version = header.get<std::uint32_t>();
  if (version != kFormatVersion)
    fail(path, "has format version " + std::to_string(version) + "; this innosim reads version " +
                   std::to_string(kFormatVersion));
  const auto length = header.get<std::uint64_t>();
  const auto crc = header.get<std::uint32_t>();
  const std::size_t have = bytes.size() - kHeaderBytes;
  if (length > have)
    fail(path,
         "is truncated: " + std::to_string(bytes.size()) + " of " + std::to_string(kHeaderBytes + length) + " bytes");
  if (length < have) fail(path, "has " + std::to_string(have - length) + " bytes after its end");
  if (crc32(bytes.data() + kHeaderBytes, have) != crc)
    fail(path, "is damaged: its contents do not match their CRC-32 checksum");

  RunCheckpoint c;
  try {
    sim::StateReader in(std::span<const char>(bytes).subspan(kHeaderBytes), "contents");
    fields(in, c);
    if (c.build != this_build)
      fail(path, "was written by innosim " + c.build + "; this is innosim " + this_build +
                     ": a checkpoint resumes only with the build that wrote it");
    for (auto n = in.get<std::uint64_t>(); n > 0; --n) {
      const auto replication = in.get<std::uint32_t>();
      const auto outcome = in.bytes();
      c.finished[replication].assign(outcome.begin(), outcome.end());
    }
    for (auto n = in.get<std::uint64_t>(); n > 0; --n) {
      const auto replication = in.get<std::uint32_t>();
      RunCheckpoint::Running& r = c.running[replication];
      r.time = in.get<double>();
      const auto state = in.bytes();
      r.state.assign(state.begin(), state.end());
    }
    in.finish();
  } catch (const sim::StateError& e) {
    fail(path, std::string("is malformed: ") + e.what());
  }
  for (const auto& [replication, r] : c.running)
    if (replication >= c.units || c.finished.count(replication))
      fail(path, "is malformed: replication " + std::to_string(replication) + " is listed twice or out of range");
  for (const auto& [replication, o] : c.finished)
    if (replication >= c.units)
      fail(path, "is malformed: replication " + std::to_string(replication) + " is out of range");
  return c;
}

}  // namespace innosim::checkpoint
