// A binlog held in memory as an EventSource (fuzzers, tests, captured buffers).
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "protocol/framer.h"
#include "src/source/event_source.h"
#include "src/stream/event_stream.h"

namespace twinlog {

class MemoryEventSource final : public EventSource {
 public:
  // `bytes` must outlive the source. Throws SourceError when the magic is wrong.
  MemoryEventSource(std::string name, ByteSpan bytes) : name_(std::move(name)), splitter_(bytes) {
    auto magic = splitter_.check_magic();
    if (!magic) throw SourceError(name_, magic.error().offset, magic.error().message);
  }
  // Offset of the next event.
  uint64_t offset() const { return splitter_.offset(); }

  bool next(RawEvent& out) override {
    const uint64_t at = splitter_.offset();
    auto event = splitter_.next();
    if (!event) throw SourceError(name_, event.error().offset, event.error().message);
    if (event->empty()) return false;
    out.bytes = *event;
    out.file = name_;
    out.offset = at;
    return true;
  }

 private:
  std::string name_;
  protocol::BinlogSplitter splitter_;
};

// For EventStream: one binlog held in memory, then no more input. The magic is
// checked when the stream first asks (a SourceError from next()).
inline SourceOpener memory_binlog_opener(std::string name, ByteSpan bytes) {
  auto done = std::make_shared<bool>(false);
  return [name = std::move(name), bytes, done]() -> std::unique_ptr<EventSource> {
    if (*done) return nullptr;
    *done = true;
    return std::make_unique<MemoryEventSource>(name, bytes);
  };
}

}  // namespace twinlog
