#include "protocol/framer.h"

#include <zlib.h>
#include <zstd.h>

#include <algorithm>

#include "protocol/crc32.h"

namespace twinlog::protocol {

uint32_t crc32_of(Bytes bytes) {
  return crc32_update(0, bytes);
}

namespace {

constexpr uint8_t kFde = static_cast<uint8_t>(EventType::kFormatDescription);
constexpr uint8_t kStartV3 = static_cast<uint8_t>(EventType::kStartV3);
constexpr std::size_t kStartV1Size = 13 + 2 + 50 + 4;  // 3.23: 13-byte header

std::string hex32(uint32_t v) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string s = "0x00000000";
  for (int i = 9; i >= 2; --i, v >>= 4) s[i] = kDigits[v & 0xf];
  return s;
}

// The FDE's checksum is computed with LOG_EVENT_BINLOG_IN_USE_F cleared: a file
// the server still has open carries the flag, but its checksum was taken without.
uint32_t fde_crc(Bytes event) {
  std::array<std::byte, kHeaderLength> header;
  std::copy_n(event.begin(), kHeaderLength, header.begin());
  header[17] &= std::byte{0xfe};
  const uint32_t crc = crc32_update(0, header);
  return crc32_update(crc,
                      event.subspan(kHeaderLength, event.size() - kHeaderLength - kChecksumLength));
}

bool is_mariadb_compressed(uint8_t code) {
  return code >= 165 && code <= 171;
}

// The uncompressed type of a MariaDB compressed event.
uint8_t uncompressed_type(uint8_t code) {
  switch (code) {
    case 165:
      return static_cast<uint8_t>(EventType::kQuery);
    case 166:
      return static_cast<uint8_t>(EventType::kWriteRowsV1);
    case 167:
      return static_cast<uint8_t>(EventType::kUpdateRowsV1);
    case 168:
      return static_cast<uint8_t>(EventType::kDeleteRowsV1);
    case 169:
      return static_cast<uint8_t>(EventType::kWriteRows);
    case 170:
      return static_cast<uint8_t>(EventType::kUpdateRows);
    default:
      return static_cast<uint8_t>(EventType::kDeleteRows);
  }
}

}  // namespace

Result<std::span<const EventView>> Framer::frame(Bytes event, uint64_t offset) {
  views_.clear();
  last_verified_ = false;
  auto header = parse_header(event, offset);
  if (!header) return header.error();
  const EventHeader& h = *header;
  if (h.event_size != event.size()) {
    return DecodeError{offset + 9, "event size field says " + std::to_string(h.event_size) +
                                       " bytes, the event has " + std::to_string(event.size())};
  }
  if (h.type_code == kStartV3 && event.size() == kStartV1Size) {
    return DecodeError{offset, "binlog version 1 (MySQL 3.23) is not supported"};
  }

  EventView view;
  view.header = h;
  view.raw = event;
  view.offset = offset;
  std::size_t footer = format_.footer_length();

  if (h.type_code == kFde) {
    auto format = decode_format_description(event.subspan(kHeaderLength), offset + kHeaderLength);
    if (!format) return format.error();
    footer = format->has_checksum_footer ? kChecksumLength : 0;
    if (format->checksum == ChecksumAlg::kCrc32 && options_.verify_checksum) {
      const uint32_t stored = load_le32(event.data() + event.size() - kChecksumLength);
      const uint32_t computed = fde_crc(event);
      if (stored != computed) {
        return DecodeError{offset, "CRC32 mismatch in FORMAT_DESCRIPTION_EVENT: stored " +
                                       hex32(stored) + ", computed " + hex32(computed)};
      }
      last_verified_ = true;
    }
    format_ = std::move(*format);
  } else {
    if (event.size() < kHeaderLength + footer) {
      return DecodeError{offset, "event of " + std::to_string(event.size()) +
                                     " bytes is shorter than its header and checksum"};
    }
    if (footer && options_.verify_checksum) {
      // The stored CRC is read after the pass over the event has brought its last
      // bytes into the cache: read first, it waited on memory for every event.
      const uint32_t computed = crc32_of(event.first(event.size() - kChecksumLength));
      const uint32_t stored = load_le32(event.data() + event.size() - kChecksumLength);
      if (stored != computed) {
        std::string name(event_type_constant(h.type_code));
        if (name.empty()) name = "event type " + std::to_string(h.type_code);
        return DecodeError{offset, "CRC32 mismatch in " + name + ": stored " + hex32(stored) +
                                       ", computed " + hex32(computed)};
      }
      last_verified_ = true;
    }
  }
  // The FDE and START_V3 are read with the 19-byte header; the events after an FDE
  // use the header length it declares.
  const std::size_t header_length =
      h.type_code == kFde || h.type_code == kStartV3 ? kHeaderLength : format_.header_length;
  if (event.size() < header_length + footer) {
    return DecodeError{offset, "event of " + std::to_string(event.size()) +
                                   " bytes is shorter than its " + std::to_string(header_length) +
                                   "-byte header and checksum"};
  }
  view.header_length = static_cast<uint8_t>(header_length);
  view.body = event.subspan(header_length, event.size() - header_length - footer);

  if (h.type_code == kStartV3) {
    // A v3 file (MySQL 4.x) has no FDE: the START event decides the format.
    ByteReader r(view.body, view.body_offset());
    const uint16_t version = r.u16("binlog version");
    std::string_view server = r.chars(50, "server version");
    if (r.failed()) return r.error();
    // Version 2 (MySQL 4.0.0 and 4.0.1) has version 3's 19-byte header: mariadb-binlog
    // 10.11 reads such a file with version 3's format (mariadb-test-data's
    // master-bin.000001: its start and stop events, end_log_pos as in v3), and so
    // does twinlog.
    if (version != 2 && version != 3) {
      return DecodeError{offset + kHeaderLength,
                         "START_EVENT_V3 says binlog version " + std::to_string(version) +
                             ", which is not supported; twinlog reads binlog versions 2 and 3 "
                             "(MySQL 4.0-4.1) and 4"};
    }
    format_ = format_for_start_v3(server.substr(0, server.find('\0')));
  }

  if (is_mariadb_compressed(h.type_code)) return inflate_mariadb(view);
  views_.push_back(view);
  if (h.type_code == static_cast<uint8_t>(EventType::kTransactionPayload))
    return unpack_payload(view);
  return std::span<const EventView>(views_);
}

// MariaDB compressed events (log_bin_compress): only the tail is compressed.
//   QUERY_COMPRESSED: post-header | status vars | db NUL | [compressed query]
//   rows compressed:  post-header | [v2 extra] | width | bitmap(s) | [compressed rows]
//   [compressed] = header byte (0x80 | n) | uncompressed length, n bytes big-endian | zlib
Result<std::span<const EventView>> Framer::inflate_mariadb(const EventView& outer) {
  const uint8_t code = outer.header.type_code;
  ByteReader r(outer.body, outer.body_offset());
  const uint8_t post_header = format_.post_header_length(code);
  if (code == static_cast<uint8_t>(EventType::kMariaQueryCompressed)) {
    Bytes ph = r.bytes(post_header, "QUERY_COMPRESSED post-header");
    if (r.failed()) return r.error();
    if (post_header < 13)
      return DecodeError{outer.body_offset(), "QUERY_COMPRESSED post-header shorter than 13"};
    const std::size_t db_len = std::to_integer<uint8_t>(ph[8]);
    const std::size_t status_len = load_le16(ph.data() + 11);
    r.skip(status_len + db_len + 1, "status variables and database name");
  } else {
    r.skip(post_header, "rows event post-header");
    if (code >= 169) {
      const uint16_t extra = r.u16("extra data length");
      if (extra < 2) r.fail("extra data length below 2");
      r.skip(extra >= 2 ? extra - 2 : 0, "extra data");
    }
    const uint64_t width = r.packed_int("column count");
    const std::size_t bitmap = static_cast<std::size_t>((width + 7) / 8);
    const bool update = code == 167 || code == 170;
    if (width > (1u << 16)) r.fail("column count " + std::to_string(width) + " is implausible");
    r.skip(update ? 2 * bitmap : bitmap, "column bitmaps");
  }
  if (r.failed()) return r.error();
  const std::size_t prefix = r.position();
  const uint64_t comp_offset = r.absolute();
  const uint8_t head = r.u8("compression header");
  const std::size_t lenlen = head & 0x07;
  if (!r.failed() && (lenlen == 0 || lenlen > 4)) {
    return DecodeError{comp_offset, "compressed event header byte " + std::to_string(head) +
                                        " gives a length of " + std::to_string(lenlen) + " bytes"};
  }
  Bytes len_bytes = r.bytes(lenlen, "uncompressed length");
  if (r.failed()) return r.error();
  const uint64_t length = load_be_n(len_bytes.data(), lenlen);
  if (length > kMaxEventSize) {
    return DecodeError{comp_offset, "compressed event claims " + std::to_string(length) +
                                        " uncompressed bytes, above the 1 GiB event limit"};
  }
  Bytes packed = r.rest();

  buffer_.assign(outer.body.begin(), outer.body.begin() + static_cast<std::ptrdiff_t>(prefix));
  buffer_.resize(prefix + length);
  uLongf out_len = static_cast<uLongf>(length);
  const int rc =
      uncompress(reinterpret_cast<Bytef*>(buffer_.data() + prefix), &out_len,
                 reinterpret_cast<const Bytef*>(packed.data()), static_cast<uLong>(packed.size()));
  if (rc != Z_OK || out_len != length) {
    return DecodeError{comp_offset, "zlib could not inflate the compressed " +
                                        std::string(event_type_constant(code)) + " (" +
                                        (rc == Z_OK ? "length differs" : zError(rc)) + ")"};
  }
  EventView view = outer;
  view.original_type_code = code;
  view.header.type_code = uncompressed_type(code);
  view.body = Bytes(buffer_.data(), buffer_.size());
  views_.push_back(view);
  return std::span<const EventView>(views_);
}

// TRANSACTION_PAYLOAD: the events inside follow the payload event, back to back,
// each with a common header and no checksum.
Result<std::span<const EventView>> Framer::unpack_payload(const EventView& outer) {
  auto decoded = decode_event(outer, format_);
  if (!decoded) return decoded.error();
  const auto* payload = std::get_if<TransactionPayloadEvent>(&*decoded);
  if (!payload) return DecodeError{outer.offset, "TRANSACTION_PAYLOAD did not decode as one"};
  const uint64_t payload_offset =
      outer.body_offset() + (outer.body.size() - payload->payload.size());
  if (payload->compression_type == 255) {
    buffer_.assign(payload->payload.begin(), payload->payload.end());
  } else if (payload->compression_type == 0) {
    if (payload->uncompressed_size > kMaxEventSize) {
      return DecodeError{payload_offset, "TRANSACTION_PAYLOAD claims " +
                                             std::to_string(payload->uncompressed_size) +
                                             " uncompressed bytes, above the 1 GiB limit"};
    }
    buffer_.resize(static_cast<std::size_t>(payload->uncompressed_size));
    ZSTD_DCtx* ctx = ZSTD_createDCtx();
    ZSTD_inBuffer in{payload->payload.data(), payload->payload.size(), 0};
    ZSTD_outBuffer out{buffer_.data(), buffer_.size(), 0};
    std::size_t rc = 1;
    while (rc != 0) {
      rc = ZSTD_decompressStream(ctx, &out, &in);
      if (ZSTD_isError(rc)) break;
      if (rc != 0 && (in.pos == in.size || out.pos == out.size)) break;  // truncated or too large
    }
    ZSTD_freeDCtx(ctx);
    if (ZSTD_isError(rc)) {
      return DecodeError{payload_offset, std::string("zstd could not decompress the payload: ") +
                                             ZSTD_getErrorName(rc)};
    }
    if (rc != 0 || out.pos != buffer_.size()) {
      return DecodeError{payload_offset, "zstd payload does not decompress to the " +
                                             std::to_string(buffer_.size()) + " bytes it declares"};
    }
  } else {
    return DecodeError{payload_offset, "unknown TRANSACTION_PAYLOAD compression type " +
                                           std::to_string(payload->compression_type)};
  }

  Bytes inner(buffer_.data(), buffer_.size());
  uint32_t index = 0;
  std::size_t pos = 0;
  while (pos < inner.size()) {
    ++index;
    auto h = parse_header(inner.subspan(pos), payload_offset);
    if (!h) {
      return DecodeError{payload_offset, "inner event " + std::to_string(index) +
                                             " of TRANSACTION_PAYLOAD: truncated header"};
    }
    if (h->event_size < kHeaderLength || h->event_size > inner.size() - pos) {
      return DecodeError{payload_offset, "inner event " + std::to_string(index) +
                                             " of TRANSACTION_PAYLOAD claims " +
                                             std::to_string(h->event_size) + " bytes, " +
                                             std::to_string(inner.size() - pos) + " left"};
    }
    EventView view;
    view.header = *h;
    view.raw = inner.subspan(pos, h->event_size);
    view.body = view.raw.subspan(kHeaderLength);
    view.offset = outer.offset;
    view.inner_index = index;
    views_.push_back(view);
    pos += h->event_size;
  }
  return std::span<const EventView>(views_);
}

Result<bool> BinlogSplitter::check_magic() {
  if (file_.size() < kBinlogMagic.size()) {
    return DecodeError{0, "file of " + std::to_string(file_.size()) +
                              " bytes is too short for the binlog magic (fe 62 69 6e)"};
  }
  if (!std::equal(kBinlogMagic.begin(), kBinlogMagic.end(), file_.begin())) {
    return DecodeError{0, "not a binlog file: expected magic bytes fe 62 69 6e"};
  }
  pos_ = kBinlogMagic.size();
  return true;
}

Result<Bytes> BinlogSplitter::next() {
  if (pos_ == file_.size()) return Bytes{};
  const std::size_t left = file_.size() - pos_;
  if (left < kHeaderLength) {
    return DecodeError{pos_, "truncated event: " + std::to_string(left) +
                                 " bytes left, shorter than an event header (19)"};
  }
  const uint32_t size = load_le32(file_.data() + pos_ + 9);
  // A 3.23 START event has a 13-byte header and is the only event that may be this short.
  const std::size_t minimum =
      std::to_integer<uint8_t>(file_[pos_ + 4]) == kStartV3 ? 13 : kHeaderLength;
  if (size < minimum) {
    return DecodeError{pos_, "event size " + std::to_string(size) + " is below the 19-byte header"};
  }
  if (size > kMaxEventSize) {
    return DecodeError{pos_, "event size " + std::to_string(size) + " is above the 1 GiB limit"};
  }
  if (size > left) {
    return DecodeError{pos_, "truncated event: header says " + std::to_string(size) +
                                 " bytes, the file has " + std::to_string(left) + " left"};
  }
  Bytes event = file_.subspan(pos_, size);
  pos_ += size;
  return event;
}

}  // namespace twinlog::protocol
