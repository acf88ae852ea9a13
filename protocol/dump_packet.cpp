#include "protocol/dump_packet.h"

#include <string>

#include "protocol/crc32.h"
#include "protocol/endian.h"

namespace twinlog::protocol {
namespace {

constexpr uint8_t kOk = 0x00;
constexpr uint8_t kEof = 0xFE;
constexpr uint8_t kErr = 0xFF;
constexpr std::size_t kMaxEofSize = 9;  // 0xFE | warnings u16 | status u16 (and 4.1's more)

DumpError parse_error(Bytes packet) {
  ByteReader r(packet);
  r.u8("error marker");
  DumpError e;
  e.code = r.u16("error code");
  if (r.remaining() >= 6 && std::to_integer<char>(r.rest()[0]) == '#') r.skip(6, "sqlstate");
  e.message = as_chars(r.rest());
  if (e.message.empty()) e.message = "error packet";
  return e;
}

}  // namespace

Result<DumpPacket> parse_dump_packet(Bytes packet, uint64_t offset) {
  const uint8_t marker = packet.empty() ? kOk : std::to_integer<uint8_t>(packet[0]);
  if (marker == kEof && packet.size() < kMaxEofSize) return DumpPacket{DumpEnd{}};
  if (marker == kErr) return DumpPacket{parse_error(packet)};
  if (packet.size() < 1 + kHeaderLength || marker != kOk)
    return DecodeError{
        offset, "malformed replication packet of " + std::to_string(packet.size()) + " bytes"};
  return DumpPacket{DumpEvent{packet.subspan(1)}};
}

Result<RotateEvent> decode_rotate_event(Bytes event, const FormatDescription& format,
                                        uint64_t offset) {
  const std::size_t around = format.header_length + format.footer_length();
  if (event.size() < around)
    return DecodeError{offset, "ROTATE event of " + std::to_string(event.size()) +
                                   " bytes is shorter than its header and checksum"};
  EventView view;
  view.raw = event;
  view.offset = offset;
  view.header_length = format.header_length;
  view.header.type_code = static_cast<uint8_t>(EventType::kRotate);
  view.body = event.subspan(format.header_length, event.size() - around);
  auto decoded = decode_control_event(view, format);
  if (!decoded) return decoded.error();
  return std::get<RotateEvent>(*decoded);
}

bool checksum_matches(Bytes event) {
  if (event.size() < kChecksumLength) return false;
  const uint32_t computed = crc32_update(0, event.first(event.size() - kChecksumLength));
  return computed == load_le32(event.data() + event.size() - kChecksumLength);
}

}  // namespace twinlog::protocol
