// PLACEHOLDER: replaced by the real decoder.
#include "protocol/events.h"
namespace twinlog::protocol {
Result<Event> decode_gtid_event(const EventView& view, const FormatDescription&) {
  return DecodeError{view.offset, "not implemented"};
}
}  // namespace twinlog::protocol
