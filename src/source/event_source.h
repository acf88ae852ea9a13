// The one pull interface for every origin of events: binlog files (plain, .zst,
// stdin) and a live server. Each call yields one whole event's bytes (header to
// checksum) and where it is. The Framer (protocol/framer.h) does the rest.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

namespace twinlog {

using ByteSpan = std::span<const std::byte>;

struct RawEvent {
  ByteSpan bytes;       // one whole event; valid until the next call to next()
  std::string file;     // binlog file name the event belongs to
  uint64_t offset = 0;  // offset of the event in that file
};

// An input problem that ends the read: names the input, the offset and what was
// expected. Events delivered before it stay delivered.
class SourceError : public std::runtime_error {
 public:
  SourceError(std::string file, uint64_t offset, const std::string& what)
      : std::runtime_error(file + ": at offset " + std::to_string(offset) + ": " + what),
        file_(std::move(file)),
        offset_(offset) {}
  const std::string& file() const { return file_; }
  uint64_t offset() const { return offset_; }

 private:
  std::string file_;
  uint64_t offset_;
};

class EventSource {
 public:
  virtual ~EventSource() = default;
  // The next event, or false at the end of the input. Throws SourceError.
  virtual bool next(RawEvent& out) = 0;
  // Whether an event delivered can be read again from its file by path at its
  // offset: a plain binlog file, not stdin, not one read through zstd (whose
  // offsets are in the decompressed bytes), not a live server.
  virtual bool rereadable_by_offset() const { return false; }
};

}  // namespace twinlog
