// The event stream: sources of raw events in sequence (several files, or a live
// server), framed and decoded, one event at a time. It keeps the state the
// decoding needs across events (format description, table maps) and turns every
// problem into a SourceError naming the input and the offset.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "protocol/events.h"
#include "protocol/framer.h"
#include "src/source/event_source.h"
#include "src/stream/table_maps.h"

namespace twinlog {

struct StreamOptions {
  bool verify_checksum = true;
  // An event type twinlog does not know is an error instead of a warning.
  bool strict = false;
};

// One decoded event and where it is. Everything here is valid until the next call.
struct StreamEvent {
  const protocol::EventView* view = nullptr;
  const protocol::Event* event = nullptr;
  const protocol::FormatDescription* format = nullptr;
  const std::string* file = nullptr;
  bool checksum_verified = false;  // the top-level event's CRC32 was checked
  // The event's bytes can be read again from `*file` at view->offset: its source
  // is a plain binlog file (EventSource::rereadable_by_offset) and the event is a
  // top-level one (not inside a TRANSACTION_PAYLOAD, not compressed).
  bool rereadable = false;
  // For a rows event: its table map (nullptr if none was seen, which the reader reports).
  const protocol::TableMapEvent* table = nullptr;
  // cell_layout() of each of `table`'s columns, computed once per table map: give
  // it to protocol::RowReader.
  std::span<const protocol::CellLayout> table_layouts;
};

// A non-fatal problem (an unknown event type, an unknown status variable).
struct StreamWarning {
  std::string file;
  uint64_t offset = 0;
  std::string message;
};

// Opens an EventSource for the next input; returns nullptr when there are no more.
using SourceOpener = std::function<std::unique_ptr<EventSource>()>;

// Binlog files in the given order ("-" is stdin, .zst streams through zstd).
SourceOpener binlog_files_opener(std::vector<std::string> paths);

class EventStream {
 public:
  EventStream(SourceOpener opener, StreamOptions options);
  // Binlog files in sequence ("-" is stdin, .zst streams through zstd).
  static EventStream from_files(std::vector<std::string> paths, StreamOptions options);

  // The next event, or false when every input is done. Throws SourceError.
  bool next(StreamEvent& out);

  void on_warning(std::function<void(const StreamWarning&)> callback) {
    on_warning_ = std::move(callback);
  }
  const protocol::FormatDescription& format() const { return framer_.format(); }

 private:
  bool advance_raw();
  void warn(uint64_t offset, std::string message);

  SourceOpener opener_;
  StreamOptions options_;
  std::unique_ptr<EventSource> source_;
  protocol::Framer framer_;
  TableMaps table_maps_;
  RawEvent raw_;
  std::string file_;
  std::span<const protocol::EventView> views_;
  std::size_t view_index_ = 0;
  protocol::Event event_;
  std::function<void(const StreamWarning&)> on_warning_;
  struct Encryption {
    uint64_t offset;
    uint32_t key_version;
  };
  std::optional<Encryption> encryption_;
};

}  // namespace twinlog
