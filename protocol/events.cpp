#include "protocol/events.h"

namespace twinlog::protocol {

std::optional<RowsKind> rows_kind_of(uint8_t code) {
  switch (static_cast<EventType>(code)) {
    case EventType::kPreGaWriteRows:
    case EventType::kWriteRowsV1:
    case EventType::kWriteRows:
    case EventType::kMariaWriteRowsCompressedV1:
    case EventType::kMariaWriteRowsCompressed:
      return RowsKind::kWrite;
    case EventType::kPreGaUpdateRows:
    case EventType::kUpdateRowsV1:
    case EventType::kUpdateRows:
    case EventType::kMariaUpdateRowsCompressedV1:
    case EventType::kMariaUpdateRowsCompressed:
      return RowsKind::kUpdate;
    case EventType::kPreGaDeleteRows:
    case EventType::kDeleteRowsV1:
    case EventType::kDeleteRows:
    case EventType::kMariaDeleteRowsCompressedV1:
    case EventType::kMariaDeleteRowsCompressed:
      return RowsKind::kDelete;
    case EventType::kPartialUpdateRows:
      return RowsKind::kPartialUpdate;
    default:
      return std::nullopt;
  }
}

Result<Event> decode_event(const EventView& view, const FormatDescription& format) {
  switch (static_cast<EventType>(view.header.type_code)) {
    case EventType::kStartV3:
    case EventType::kFormatDescription:
    case EventType::kStop:
    case EventType::kRotate:
    case EventType::kIntvar:
    case EventType::kRand:
    case EventType::kUserVar:
    case EventType::kXid:
    case EventType::kIncident:
    case EventType::kHeartbeat:
    case EventType::kHeartbeatV2:
    case EventType::kIgnorable:
    case EventType::kMariaBinlogCheckpoint:
    case EventType::kMariaStartEncryption:
      return decode_control_event(view, format);
    case EventType::kQuery:
    case EventType::kRowsQuery:
    case EventType::kMariaAnnotateRows:
    case EventType::kMariaQueryCompressed:
      return decode_statement_event(view, format);
    case EventType::kLoad:
    case EventType::kSlave:
    case EventType::kCreateFile:
    case EventType::kAppendBlock:
    case EventType::kExecLoad:
    case EventType::kDeleteFile:
    case EventType::kNewLoad:
    case EventType::kBeginLoadQuery:
    case EventType::kExecuteLoadQuery:
      return decode_load_event(view, format);
    case EventType::kGtid:
    case EventType::kAnonymousGtid:
    case EventType::kGtidTagged:
    case EventType::kPreviousGtids:
    case EventType::kTransactionContext:
    case EventType::kViewChange:
    case EventType::kXaPrepare:
    case EventType::kMariaGtid:
    case EventType::kMariaGtidList:
      return decode_gtid_event(view, format);
    case EventType::kTransactionPayload:
      return decode_payload_event(view, format);
    default:
      break;
  }
  if (view.header.type_code == static_cast<uint8_t>(EventType::kTableMap) ||
      rows_kind_of(view.header.type_code)) {
    return decode_rows_family_event(view, format);
  }
  return Event{UnknownEvent{view.header.type_code, view.body}};
}

}  // namespace twinlog::protocol
