// MySQL TRANSACTION_PAYLOAD (40): the header fields only. The framer inflates
// the payload and delivers the events inside it.
#include <string>

#include "protocol/events.h"

namespace twinlog::protocol {

// TRANSACTION_PAYLOAD:
//   fields, each: type (packed) | length (packed) | value[length]; type 0 (no length)
//   ends them: 1 payload size, 2 compression type (0 zstd, 255 none),
//   3 uncompressed size, each value a packed integer; unknown types are skipped
//   payload (to the end), payload size bytes long
Result<Event> decode_payload_event(const EventView& view, const FormatDescription&) {
  ByteReader r(view.body, view.body_offset());
  TransactionPayloadEvent e;
  bool has_size = false;
  while (!r.failed()) {
    const uint64_t type = r.packed_int("payload field type");
    if (r.failed() || type == 0) break;
    const uint64_t length = r.packed_int("payload field length");
    const uint64_t value_at = r.absolute();
    Bytes value = r.bytes(length, "payload field value");
    if (r.failed()) break;
    if (type > 3) continue;  // a newer server's field
    ByteReader v(value, value_at);
    const uint64_t n = v.packed_int("payload field value");
    if (v.failed()) return v.error();
    if (!v.at_end()) {
      return DecodeError{v.absolute(),
                         "payload field " + std::to_string(type) + " longer than its value"};
    }
    if (type == 1) {
      e.payload_size = n;
      has_size = true;
    } else if (type == 2) {
      e.compression_type = n;
    } else {
      e.uncompressed_size = n;
    }
  }
  if (r.failed()) return r.error();
  e.payload = r.rest();
  if (has_size && e.payload_size != e.payload.size()) {
    return DecodeError{r.absolute(), "payload size " + std::to_string(e.payload_size) + " but " +
                                         std::to_string(e.payload.size()) + " bytes follow"};
  }
  return Event{e};
}

}  // namespace twinlog::protocol
