#include "src/print/binlog_statement.h"

#include <cinttypes>
#include <cstdio>

#include "protocol/crc32.h"
#include "src/print/base64_output.h"

namespace twinlog {

using namespace protocol;

// 16 bytes a line, mariadb-binlog's layout.
void append_hexdump(Bytes event, uint64_t offset, std::size_t header_length, std::string& out) {
  auto byte = [&](std::size_t i) { return std::to_integer<unsigned>(event[i]); };
  char buf[160];
  out += "\n# Position\n";
  out += "#           |Timestamp   |Type |Master ID   |Size        |Master Pos  |Flags\n";
  std::snprintf(buf, sizeof buf,
                "# %8" PRIx64
                "  |%02x %02x %02x %02x |%02x   |%02x %02x %02x %02x |%02x %02x %02x %02x "
                "|%02x %02x %02x %02x |%02x %02x\n#\n",
                offset, byte(0), byte(1), byte(2), byte(3), byte(4), byte(5), byte(6), byte(7),
                byte(8), byte(9), byte(10), byte(11), byte(12), byte(13), byte(14), byte(15),
                byte(16), byte(17), byte(18));
  out += buf;
  const std::size_t size = event.size();
  // The body from the file's common header length on: the bytes a longer header
  // has after the 19 shown above are not dumped (mariadb-binlog's print_header).
  if (size > header_length) {
    for (std::size_t line = header_length; line < size; line += 16) {
      std::snprintf(buf, sizeof buf, "# %8" PRIx64 "  ", offset + line);
      out += buf;
      std::string hex, text;
      for (std::size_t j = 0; j < 16 && line + j < size; ++j) {
        const unsigned b = byte(line + j);
        std::snprintf(buf, sizeof buf, "%02x ", b);
        hex += buf;
        if (j == 7) hex += ' ';
        text += (b >= 0x20 && b < 0x7f) ? static_cast<char>(b) : '.';
      }
      hex.resize(49, ' ');
      out.append(hex).append(" |").append(text).append("|\n");
    }
    out += "#\n";
  }
  out += "# Event: ";
}

// The event as mariadb-binlog holds it to print its base64 or hexdump: a
// compressed rows event inflated, under the type code of its uncompressed kind,
// with its new length and a new CRC32 when the file has checksums
// (row_log_event_uncompress); any other event as the file holds it.
Bytes mariadb_event_bytes(const StreamEvent& se, std::vector<std::byte>& scratch) {
  const EventView& v = *se.view;
  if (!v.compressed() || v.raw.size() < kHeaderLength ||
      !std::holds_alternative<RowsEvent>(*se.event))
    return v.raw;
  const bool crc = se.format->checksum == ChecksumAlg::kCrc32;
  scratch.assign(v.raw.begin(), v.raw.begin() + kHeaderLength);
  scratch.insert(scratch.end(), v.body.begin(), v.body.end());
  const uint32_t size = static_cast<uint32_t>(scratch.size() + (crc ? 4 : 0));
  scratch[4] = std::byte{v.header.type_code};
  for (int i = 0; i < 4; ++i) scratch[9 + i] = std::byte(static_cast<uint8_t>(size >> (8 * i)));
  if (crc) {
    const uint32_t sum = crc32_update(0, Bytes(scratch.data(), scratch.size()));
    for (int i = 0; i < 4; ++i) scratch.push_back(std::byte(static_cast<uint8_t>(sum >> (8 * i))));
  }
  return Bytes(scratch.data(), scratch.size());
}

void append_event_base64(const StreamEvent& se, std::string& out) {
  std::vector<std::byte> scratch;
  append_base64_lines(out, mariadb_event_bytes(se, scratch));
}

void append_binlog_statement(std::string_view base64, std::string& out, std::size_t max) {
  // The sizes mariadb-binlog adds: sizeof "\nBINLOG '\n" and "'%s\n", and 4.
  if (4 + 11 + base64.size() + 5 <= max) {
    out.append("\nBINLOG '\n").append(base64).append("'").append(kDelimiter) += '\n';
    return;
  }
  const std::size_t half = base64.size() / 2 + 1;
  out.append("\nSET @binlog_fragment_0 ='\n").append(base64.substr(0, half));
  out.append("\n'").append(kDelimiter);
  out.append("\nSET @binlog_fragment_1 ='\n").append(base64.substr(half));
  out.append("'").append(kDelimiter) += '\n';
  out.append("BINLOG @binlog_fragment_0, @binlog_fragment_1").append(kDelimiter) += '\n';
}

}  // namespace twinlog
