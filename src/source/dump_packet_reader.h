// Reads the packets of a binlog dump straight from the connection's socket.
//
// Why not the connector's mysql_net_read_packet: it reads the socket through a
// 16 KiB read-ahead cache, so a dump streaming at 1 GB/s costs one recv() (and
// often a poll()) per 12 KiB, and then copies each packet into its own buffer.
// Here one recv() takes whatever the kernel holds, up to the buffer's free space
// (1 MiB and more), and packets are handed out in place.
//
// Only for a plain TCP or Unix socket without protocol compression: with TLS or
// compression the bytes on the socket are not the packets, and LiveSource reads
// through the connector. It starts right after COM_BINLOG_DUMP is sent, when
// nothing of the dump has been read yet (the server sends nothing unasked before
// the command, so the connector has nothing of it buffered).
//
// Wire layout of a packet: length u24 | sequence u8 | payload. A payload of
// 0xFFFFFF bytes continues in the next packet (an event over 16 MiB).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <vector>

namespace twinlog {

class DumpPacketReader {
 public:
  // `timeout_seconds` (0: none): a silence that long is a lost connection.
  // While it waits for the server it asks `should_stop` (when set) every 200 ms and
  // after a signal, and calls `on_idle` (when set) after every 200 ms of silence.
  DumpPacketReader(int fd, unsigned timeout_seconds, std::function<bool()> should_stop = {},
                   std::function<void()> on_idle = {});

  enum class Result { kPacket, kStopped };
  // The next packet's payload in `out`, valid until the next call. kStopped when
  // should_stop() said so while waiting. Throws ConnectionError (kLost) when the
  // server closes the connection, the socket fails or the timeout passes.
  Result next(std::span<const std::byte>& out);
  // Bytes received and not yet handed out.
  std::size_t buffered() const { return end_ - begin_; }

 private:
  // Makes at least `n` bytes available from begin_ on. false: stopped.
  bool fill(std::size_t n);

  int fd_;
  int timeout_ms_;
  std::function<bool()> should_stop_;
  std::function<void()> on_idle_;
  std::unique_ptr<std::byte[]> buf_;
  std::size_t capacity_;
  std::size_t begin_ = 0;          // first byte not handed out
  std::size_t end_ = 0;            // end of the bytes received
  uint8_t sequence_ = 1;           // COM_BINLOG_DUMP was packet 0
  std::vector<std::byte> joined_;  // an event spanning several packets
};

}  // namespace twinlog
