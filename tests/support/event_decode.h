// Test helpers around decode_event: frame one built event into an EventView,
// decode it, check every truncation of its body, and walk real binlog files.
#pragma once

#include <gtest/gtest.h>

#include <fstream>
#include <functional>
#include <iterator>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "protocol/events.h"
#include "tests/support/event_builder.h"

namespace twinlog::testing {

// The format a server of `server_version` describes (decoded from make_fde).
inline protocol::FormatDescription format_of(std::string_view server_version, uint8_t alg = 1) {
  const ByteVec fde = make_fde(server_version, alg);
  auto f = protocol::decode_format_description(span(fde).subspan(protocol::kHeaderLength),
                                               protocol::kHeaderLength);
  EXPECT_TRUE(f.ok()) << f.error().message;
  return f.ok() ? f.value() : protocol::FormatDescription{};
}
inline protocol::FormatDescription mysql80() {
  return format_of("8.0.36");
}
inline protocol::FormatDescription mariadb1011() {
  return format_of("10.11.6-MariaDB-log");
}

// An EventView over a framed event (from make_event) at file offset `offset`.
inline protocol::EventView view_of(const ByteVec& event, const protocol::FormatDescription& format,
                                   uint64_t offset = 1000) {
  protocol::EventView v;
  auto h = protocol::parse_header(span(event), offset);
  EXPECT_TRUE(h.ok());
  if (h.ok()) v.header = h.value();
  v.raw = span(event);
  v.offset = offset;
  const std::size_t footer =
      v.header.type_code == static_cast<uint8_t>(EventType::kFormatDescription)
          ? 0
          : std::min(format.footer_length(), event.size() - protocol::kHeaderLength);
  v.body = v.raw.subspan(protocol::kHeaderLength, event.size() - protocol::kHeaderLength - footer);
  return v;
}

// Builds `type` with `body` (CRC32 footer when the format says so) and decodes it.
inline protocol::Result<protocol::Event> decode_built(TypeCode type, const ByteVec& body,
                                                      const protocol::FormatDescription& format,
                                                      ByteVec* keep = nullptr) {
  static thread_local ByteVec storage;
  ByteVec& ev = keep ? *keep : storage;
  ev = make_event(type, body, {}, format.checksum == protocol::ChecksumAlg::kCrc32);
  return protocol::decode_event(view_of(ev, format), format);
}

// The event as T, failing the test when decoding failed or gave another type.
template <class T>
const T& as(const protocol::Result<protocol::Event>& r) {
  static const T empty{};
  EXPECT_TRUE(r.ok()) << (r.ok() ? ""
                                 : r.error().message + " at " + std::to_string(r.error().offset));
  if (!r.ok()) return empty;
  EXPECT_TRUE(std::holds_alternative<T>(r.value())) << "variant index " << r.value().index();
  return std::holds_alternative<T>(r.value()) ? std::get<T>(r.value()) : empty;
}

// Decodes every proper prefix of `body` as the body of a `type` event at offset 1000.
// Each must either fail with an offset inside the event, or (when `may_succeed`
// says that prefix length is a valid shorter event) decode. Returns how many failed.
inline std::size_t check_truncations(
    TypeCode type, const ByteVec& body, const protocol::FormatDescription& format,
    const std::function<bool(std::size_t)>& may_succeed = nullptr) {
  std::size_t failures = 0;
  for (std::size_t n = 0; n < body.size(); ++n) {
    ByteVec cut(body.begin(), body.begin() + static_cast<std::ptrdiff_t>(n));
    ByteVec ev = make_event(type, cut, {}, format.checksum == protocol::ChecksumAlg::kCrc32);
    auto r = protocol::decode_event(view_of(ev, format, 1000), format);
    if (r.ok()) {
      EXPECT_TRUE(may_succeed && may_succeed(n)) << "type " << int(type.code) << ": a body of " << n
                                                 << " of " << body.size() << " bytes decoded";
    } else {
      ++failures;
      EXPECT_GE(r.error().offset, 1000u) << r.error().message;
      EXPECT_LE(r.error().offset, 1000u + ev.size()) << r.error().message;
      EXPECT_FALSE(r.error().message.empty());
    }
  }
  return failures;
}

// One event of a real binlog file, decoded with the format in force there.
struct FileEvent {
  uint64_t offset = 0;
  uint8_t type = 0;
  protocol::Result<protocol::Event> event = protocol::DecodeError{};
};

// The bytes of a corpus file (absolute path).
inline ByteVec read_file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot open " << path;
  std::vector<char> chars((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ByteVec out(chars.size());
  for (std::size_t i = 0; i < chars.size(); ++i) out[i] = static_cast<std::byte>(chars[i]);
  return out;
}

// Walks the v4 framing of a whole binlog file by event_size and decodes every event.
// `bytes` must outlive the result (events view into it).
inline std::vector<FileEvent> decode_file(const ByteVec& bytes) {
  std::vector<FileEvent> out;
  protocol::FormatDescription format = protocol::default_format();
  std::size_t pos = 4;
  while (pos + protocol::kHeaderLength <= bytes.size()) {
    auto h = protocol::parse_header(span(bytes).subspan(pos), pos);
    if (!h.ok() || h->event_size < protocol::kHeaderLength || pos + h->event_size > bytes.size())
      break;
    protocol::EventView v;
    v.header = h.value();
    v.raw = span(bytes).subspan(pos, h->event_size);
    v.offset = pos;
    const std::size_t footer = h->type_code == static_cast<uint8_t>(EventType::kFormatDescription)
                                   ? 0
                                   : format.footer_length();
    v.body =
        v.raw.subspan(protocol::kHeaderLength, h->event_size - protocol::kHeaderLength - footer);
    FileEvent fe{pos, h->type_code, protocol::decode_event(v, format)};
    if (fe.event.ok()) {
      if (auto* fde = std::get_if<protocol::FormatDescriptionEvent>(&fe.event.value()))
        format = fde->format;
    }
    out.push_back(std::move(fe));
    pos += h->event_size;
  }
  return out;
}

inline const std::string kCorpus = "/work/shared/corpus/files/";

// The events of type T in a decoded file, failing the test for any event that did
// not decode.
template <class T>
std::vector<const T*> events_of(const std::vector<FileEvent>& events) {
  std::vector<const T*> out;
  for (const auto& e : events) {
    EXPECT_TRUE(e.event.ok()) << "type " << int(e.type) << " at " << e.offset << ": "
                              << (e.event.ok() ? ""
                                               : e.event.error().message + " at " +
                                                     std::to_string(e.event.error().offset));
    if (e.event.ok()) {
      if (auto* p = std::get_if<T>(&e.event.value())) out.push_back(p);
    }
  }
  return out;
}

// The events view into the vector: it must outlive the pointers.
template <class T>
std::vector<const T*> events_of(std::vector<FileEvent>&&) = delete;

}  // namespace twinlog::testing
