// The Framer owns the format description and turns one whole event's bytes into
// EventViews: it checks the header against the bytes, verifies CRC32, follows
// FORMAT_DESCRIPTION and START_EVENT_V3, and unpacks compression so that nothing
// downstream knows about it:
//   - MySQL TRANSACTION_PAYLOAD (zstd): the payload event itself, then each inner
//     event, as if they had been written uncompressed;
//   - MariaDB QUERY_COMPRESSED and compressed rows events (zlib): one view with the
//     inflated body and the uncompressed type code (original kept in the view).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "protocol/byte_reader.h"
#include "protocol/events.h"
#include "protocol/format_description.h"
#include "protocol/result.h"

namespace twinlog::protocol {

struct FramerOptions {
  bool verify_checksum = true;
};

class Framer {
 public:
  explicit Framer(FramerOptions options = {}) : options_(options) {}

  // `event` is exactly one event as stored (event_size bytes), read at `offset`.
  // The returned views point into `event` or into buffers owned by the Framer;
  // they stay valid until the next call. A bad checksum, a size that disagrees
  // with the header, or undecodable compression is an error with the offset.
  Result<std::span<const EventView>> frame(Bytes event, uint64_t offset);

  const FormatDescription& format() const { return format_; }
  // Reads the events after this with `format`, for a reader that met the
  // FORMAT_DESCRIPTION elsewhere (the live source, where the dump re-sends it).
  void use_format(const FormatDescription& format) { format_ = format; }
  // Forget the format (a new binlog file begins).
  void reset() { format_ = default_format(); }
  // The checksum result of the last top-level event: true if verified, false if
  // the format has no checksum or verification is off.
  bool last_checksum_verified() const { return last_verified_; }

 private:
  Result<std::span<const EventView>> unpack_payload(const EventView& outer);
  Result<std::span<const EventView>> inflate_mariadb(const EventView& outer);

  FramerOptions options_;
  FormatDescription format_ = default_format();
  std::vector<EventView> views_;
  std::vector<std::byte> buffer_;  // decompressed bytes of the current event
  bool last_verified_ = false;
};

// Splits an in-memory binlog (magic + events) into whole events: the piece both
// the file source and the fuzzers use. next() gives false at a clean end and an
// error for a header that does not fit (truncated event, size < 19, size > 1 GiB).
class BinlogSplitter {
 public:
  explicit BinlogSplitter(Bytes file) : file_(file) {}
  // Checks the magic; call first.
  Result<bool> check_magic();
  // The next event's bytes and offset; an empty span at the end.
  Result<Bytes> next();
  uint64_t offset() const { return pos_; }

 private:
  Bytes file_;
  uint64_t pos_ = 0;
};

uint32_t crc32_of(Bytes bytes);

}  // namespace twinlog::protocol
