// A binlog held in memory as an EventSource (fuzzers, tests, captured buffers).
#pragma once

#include <optional>
#include <string>

#include "protocol/framer.h"
#include "src/event_source.h"

namespace twinlog {

class MemoryEventSource final : public EventSource {
 public:
  // `bytes` must outlive the source. Throws SourceError when the magic is wrong.
  MemoryEventSource(std::string name, ByteSpan bytes) : name_(std::move(name)), splitter_(bytes) {
    auto magic = splitter_.check_magic();
    if (!magic) throw SourceError(name_, magic.error().offset, magic.error().message);
  }
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

}  // namespace twinlog
