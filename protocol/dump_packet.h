// The packets a server sends a replica after COM_BINLOG_DUMP, and the pieces of an
// event the live reader needs before the Framer sees it: the ROTATE that names the
// next file and the CRC32 footer.
#pragma once

#include <cstdint>
#include <string_view>
#include <variant>

#include "protocol/byte_reader.h"
#include "protocol/events.h"
#include "protocol/format_description.h"
#include "protocol/result.h"

namespace twinlog::protocol {

struct DumpEvent {
  Bytes event;  // one whole event, header to checksum
};
struct DumpEnd {};  // a non-blocking dump has sent all there is
struct DumpError {
  uint16_t code = 0;  // the server's error number
  std::string_view message;
};
using DumpPacket = std::variant<DumpEvent, DumpEnd, DumpError>;

// One dump packet (the protocol's 4-byte framing already stripped):
//   0x00 | event                                      an event
//   0xFE | fewer than 8 more bytes                    EOF
//   0xFF | code u16 | ['#' sqlstate[5]] | message     an error, which ends the dump
// Anything else, or an event shorter than its header, is an error at `offset`.
Result<DumpPacket> parse_dump_packet(Bytes packet, uint64_t offset);

// A ROTATE event, given whole (header to checksum) with the format it was written
// in: the dump's own ROTATE, sent before any FORMAT_DESCRIPTION, is read with the
// default format and the checksum the connection negotiated.
Result<RotateEvent> decode_rotate_event(Bytes event, const FormatDescription& format,
                                        uint64_t offset);

// True when the last 4 bytes of `event` are the CRC32 of the bytes before them;
// false for an event too short to hold them.
bool checksum_matches(Bytes event);

}  // namespace twinlog::protocol
