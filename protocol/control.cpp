// Control events: the ones that describe the stream rather than change data
// (start, format, rotate, stop, heartbeats, incidents) and the small session
// events that travel with a statement (INTVAR, RAND, USER_VAR, XID).
#include <string>

#include "protocol/events.h"

namespace twinlog::protocol {
namespace {

// Skips what a newer server may append to a post-header we know the start of.
void skip_post_header_rest(ByteReader& r, std::size_t post_header_len, std::size_t known) {
  if (post_header_len > known) r.skip(post_header_len - known, "rest of post-header");
}

std::string_view until_nul(std::string_view s) {
  return s.substr(0, s.find('\0'));
}

// START_EVENT_V3 (MySQL 4.x):
//   +0 binlog_version u16 | +2 server_version char[50] (NUL padded) | +52 created u32
Result<Event> decode_start_v3(ByteReader& r) {
  StartV3Event e;
  e.binlog_version = r.u16("binlog version");
  e.server_version = until_nul(r.chars(50, "server version"));
  e.created = r.u32("create timestamp");
  if (r.failed()) return r.error();
  return Event{e};
}

// ROTATE:
//   +0 position u64 (post-header, absent before binlog v3) | next file name (to the end)
Result<Event> decode_rotate(ByteReader& r, const FormatDescription& format) {
  RotateEvent e;
  const std::size_t ph = format.post_header_length(static_cast<uint8_t>(EventType::kRotate));
  if (ph >= 8) {
    e.position = r.u64("rotate position");
    skip_post_header_rest(r, ph, 8);
  } else {
    e.position = 4;  // what the servers assume when the post-header is missing
  }
  e.next_file = as_chars(r.rest());
  if (r.failed()) return r.error();
  return Event{e};
}

// INTVAR: type u8 (1 LAST_INSERT_ID, 2 INSERT_ID) | value u64
Result<Event> decode_intvar(ByteReader& r) {
  IntvarEvent e;
  e.kind = r.u8("intvar type");
  e.value = r.u64("intvar value");
  if (r.failed()) return r.error();
  if (e.kind != IntvarEvent::kLastInsertId && e.kind != IntvarEvent::kInsertId) {
    return DecodeError{r.absolute() - 9, "unknown INTVAR type " + std::to_string(e.kind)};
  }
  return Event{e};
}

// RAND: seed1 u64 | seed2 u64
Result<Event> decode_rand(ByteReader& r) {
  RandEvent e;
  e.seed1 = r.u64("rand seed1");
  e.seed2 = r.u64("rand seed2");
  if (r.failed()) return r.error();
  return Event{e};
}

// USER_VAR:
//   name_len u32 | name | is_null u8
//   not null: type u8 | charset u32 | value_len u32 | value | [flags u8 (5.6+)]
Result<Event> decode_user_var(ByteReader& r) {
  UserVarEvent e;
  const uint32_t name_len = r.u32("user variable name length");
  e.name = r.chars(name_len, "user variable name");
  e.is_null = r.u8("user variable is_null") != 0;
  uint64_t type_at = 0;
  if (!e.is_null) {
    type_at = r.absolute();
    e.value_type = r.u8("user variable type");
    e.charset = r.u32("user variable charset");
    const uint32_t value_len = r.u32("user variable value length");
    e.value = r.bytes(value_len, "user variable value");
    if (!r.failed() && !r.at_end()) e.flags = r.u8("user variable flags");
  }
  if (r.failed()) return r.error();
  if (e.value_type > 4) {
    return DecodeError{type_at, "unknown user variable type " + std::to_string(e.value_type)};
  }
  return Event{e};
}

// XID: xid u64
Result<Event> decode_xid(ByteReader& r) {
  XidEvent e;
  e.xid = r.u64("xid");
  if (r.failed()) return r.error();
  return Event{e};
}

// INCIDENT: +0 incident u16 (post-header) | message lstring8 (optional)
Result<Event> decode_incident(ByteReader& r, const FormatDescription& format) {
  IncidentEvent e;
  e.incident = r.u16("incident type");
  const std::size_t ph = format.post_header_length(static_cast<uint8_t>(EventType::kIncident));
  skip_post_header_rest(r, ph, 2);
  if (!r.failed() && !r.at_end()) e.message = r.lstring8("incident message");
  if (r.failed()) return r.error();
  return Event{e};
}

// HEARTBEAT_V2: type-length-value fields, each as packed integers:
//   type | length | value ...; type 0 ends; 1 log file name (length bytes),
//   2 log position (a packed integer filling length bytes); others skipped.
Result<Event> decode_heartbeat_v2(ByteReader& r) {
  HeartbeatEvent e;
  while (!r.failed() && !r.at_end()) {
    const uint64_t type = r.packed_int("heartbeat field type");
    if (r.failed() || type == 0) break;
    const uint64_t length = r.packed_int("heartbeat field length");
    const uint64_t field_at = r.absolute();
    Bytes value = r.bytes(length, "heartbeat field value");
    if (r.failed()) break;
    if (type == 1) {
      e.log_file = as_chars(value);
    } else if (type == 2) {
      ByteReader v(value, field_at);
      e.position = v.packed_int("heartbeat log position");
      if (v.failed()) return v.error();
      if (!v.at_end())
        return DecodeError{v.absolute(), "heartbeat log position longer than its value"};
    }
  }
  if (r.failed()) return r.error();
  return Event{e};
}

// BINLOG_CHECKPOINT (MariaDB): file_len u32 | file name
Result<Event> decode_binlog_checkpoint(ByteReader& r) {
  BinlogCheckpointEvent e;
  const uint32_t len = r.u32("checkpoint file name length");
  e.file = r.chars(len, "checkpoint file name");
  if (r.failed()) return r.error();
  return Event{e};
}

// START_ENCRYPTION (MariaDB): scheme u8 | key_version u32 | nonce[12]
Result<Event> decode_start_encryption(ByteReader& r) {
  StartEncryptionEvent e;
  e.scheme = r.u8("encryption scheme");
  e.key_version = r.u32("encryption key version");
  e.nonce = r.bytes(12, "encryption nonce");
  if (r.failed()) return r.error();
  return Event{e};
}

}  // namespace

Result<Event> decode_control_event(const EventView& view, const FormatDescription& format) {
  ByteReader r(view.body, view.body_offset());
  switch (static_cast<EventType>(view.header.type_code)) {
    case EventType::kStartV3:
      return decode_start_v3(r);
    case EventType::kFormatDescription: {
      // The FDE is decoded with its footer: the alg byte sits before the CRC.
      if (view.raw.size() < kHeaderLength) {
        return DecodeError{view.offset, "format description shorter than the event header"};
      }
      auto f = decode_format_description(view.raw.subspan(kHeaderLength), view.body_offset());
      if (!f) return f.error();
      return Event{FormatDescriptionEvent{std::move(f).value()}};
    }
    case EventType::kStop:
      return Event{StopEvent{}};
    case EventType::kRotate:
      return decode_rotate(r, format);
    case EventType::kIntvar:
      return decode_intvar(r);
    case EventType::kRand:
      return decode_rand(r);
    case EventType::kUserVar:
      return decode_user_var(r);
    case EventType::kXid:
      return decode_xid(r);
    case EventType::kIncident:
      return decode_incident(r, format);
    case EventType::kHeartbeat:
      // HEARTBEAT: the log file name is the whole body.
      return Event{HeartbeatEvent{as_chars(view.body), std::nullopt}};
    case EventType::kHeartbeatV2:
      return decode_heartbeat_v2(r);
    case EventType::kIgnorable:
      return Event{IgnorableEvent{view.body}};
    case EventType::kMariaBinlogCheckpoint:
      return decode_binlog_checkpoint(r);
    case EventType::kMariaStartEncryption:
      return decode_start_encryption(r);
    default:
      return DecodeError{view.offset,
                         "not a control event: type " + std::to_string(view.header.type_code)};
  }
}

}  // namespace twinlog::protocol
