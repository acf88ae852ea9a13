#include "src/stream/event_stream.h"

#include <utility>

#include "src/source/file_source.h"

namespace twinlog {

EventStream::EventStream(SourceOpener opener, StreamOptions options)
    : opener_(std::move(opener)),
      options_(options),
      framer_(protocol::FramerOptions{options.verify_checksum}) {}

SourceOpener binlog_files_opener(std::vector<std::string> paths) {
  auto list = std::make_shared<std::vector<std::string>>(std::move(paths));
  auto next = std::make_shared<std::size_t>(0);
  return [list, next]() -> std::unique_ptr<EventSource> {
    if (*next >= list->size()) return nullptr;
    return open_binlog_file((*list)[(*next)++]);
  };
}

EventStream EventStream::from_files(std::vector<std::string> paths, StreamOptions options) {
  return EventStream(binlog_files_opener(std::move(paths)), options);
}

void EventStream::warn(uint64_t offset, std::string message) {
  if (on_warning_) on_warning_(StreamWarning{file_, offset, std::move(message)});
}

// Frames the next raw event, opening the next input when one ends.
bool EventStream::advance_raw() {
  for (;;) {
    if (!source_) {
      source_ = opener_();
      if (!source_) return false;
      framer_.reset();
      table_maps_.clear();
      encryption_ = std::nullopt;
    }
    if (source_->next(raw_)) break;
    source_.reset();
  }
  file_ = raw_.file;
  if (encryption_) {
    // MariaDB encrypt_binlog: every event after START_ENCRYPTION is encrypted.
    throw SourceError(file_, raw_.offset,
                      "the binlog is encrypted from here on (START_ENCRYPTION at offset " +
                          std::to_string(encryption_->offset) + ", key version " +
                          std::to_string(encryption_->key_version) +
                          "); twinlog cannot read encrypted events: read them through the server");
  }
  auto framed = framer_.frame(raw_.bytes, raw_.offset);
  if (!framed) throw SourceError(file_, framed.error().offset, framed.error().message);
  views_ = *framed;
  view_index_ = 0;
  return true;
}

bool EventStream::next(StreamEvent& out) {
  while (view_index_ >= views_.size()) {
    if (!advance_raw()) return false;
  }
  const protocol::EventView& view = views_[view_index_++];
  const protocol::FormatDescription& format = framer_.format();
  const auto fail = [&](const protocol::DecodeError& error) {
    std::string where = view.inner_index ? " (event " + std::to_string(view.inner_index) +
                                               " inside TRANSACTION_PAYLOAD)"
                                         : "";
    throw SourceError(file_, error.offset, error.message + where);
  };
  out = StreamEvent{};
  out.event = &event_;
  if (view.header.type_code == static_cast<uint8_t>(protocol::EventType::kTableMap)) {
    // The kept map is the event: decoded once, into the kept entry's buffers, its
    // views moved onto the kept copy.
    auto kept = table_maps_.decode(view, format);
    if (!kept) fail(kept.error());
    out.event = *kept;
    out.table = std::get_if<protocol::TableMapEvent>(out.event);
  } else {
    auto decoded = protocol::decode_event(view, format);
    if (!decoded) fail(decoded.error());
    event_ = std::move(*decoded);
  }

  if (auto* unknown = std::get_if<protocol::UnknownEvent>(out.event)) {
    const bool ignorable = view.header.flags & protocol::kFlagIgnorable;
    std::string message = "unknown event type " + std::to_string(unknown->type_code) + " (" +
                          std::to_string(view.header.event_size) + " bytes" +
                          (ignorable ? ", flagged ignorable" : "") + ")";
    if (options_.strict)
      throw SourceError(file_, view.offset, message + " (refused: strict reading)");
    warn(view.offset, message);
  } else if (auto* query = std::get_if<protocol::QueryEvent>(out.event)) {
    if (query->status.unknown_code) {
      warn(view.offset, "QUERY event has unknown status variable code " +
                            std::to_string(*query->status.unknown_code) +
                            "; the status variables after it were not read");
    }
  } else if (auto* rows = std::get_if<protocol::RowsEvent>(out.event)) {
    const TableMaps::Found found = table_maps_.find_with_layouts(rows->table_id);
    out.table = found.map;
    out.table_layouts = found.layouts;
    if (out.table && !out.table->has_column_metadata) {
      warn(view.offset,
           "rows event for table `" + std::string(out.table->database) + "`.`" +
               std::string(out.table->table) +
               "`, whose TABLE_MAP has no column metadata (MySQL 5.1.15-5.1.17): its rows "
               "cannot be decoded");
      out.table = nullptr;
      out.table_layouts = {};
    } else if (!out.table) {
      // Reading from the middle of a transaction gives this; the rows stay undecoded.
      warn(view.offset, "rows event for table id " + std::to_string(rows->table_id) +
                            " has no preceding TABLE_MAP; its rows cannot be decoded");
    }
  } else if (std::holds_alternative<protocol::FormatDescriptionEvent>(*out.event)) {
    table_maps_.clear();
  } else if (auto* start = std::get_if<protocol::StartEncryptionEvent>(out.event)) {
    encryption_ = Encryption{view.offset, start->key_version};
  }
  out.view = &view;
  out.format = &format;
  out.file = &file_;
  out.checksum_verified = view.inner_index == 0 && framer_.last_checksum_verified();
  out.rereadable = view.inner_index == 0 && !view.compressed() && source_->rereadable_by_offset();
  return true;
}

}  // namespace twinlog
