// DumpPacketReader over a socketpair: packets come out whole however the bytes are
// split, an event over 16 MiB is joined from its packets, and a closed peer, a
// packet out of order, a silence past the timeout and a stop request each end the
// read as they should.
#include "src/source/dump_packet_reader.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "src/server/connection.h"

namespace twinlog {
namespace {

class SocketPair {
 public:
  SocketPair() { EXPECT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, fds_), 0); }
  ~SocketPair() {
    close_server();
    ::close(fds_[0]);
  }
  int client() const { return fds_[0]; }
  void send(const std::string& bytes) const {
    std::size_t done = 0;
    while (done < bytes.size()) {
      ssize_t n = ::write(fds_[1], bytes.data() + done, bytes.size() - done);
      ASSERT_GT(n, 0);
      done += static_cast<std::size_t>(n);
    }
  }
  void close_server() {
    if (fds_[1] >= 0) ::close(fds_[1]);
    fds_[1] = -1;
  }

 private:
  int fds_[2] = {-1, -1};
};

std::string packet(const std::string& payload, uint8_t sequence) {
  std::string out;
  out += static_cast<char>(payload.size() & 0xff);
  out += static_cast<char>((payload.size() >> 8) & 0xff);
  out += static_cast<char>((payload.size() >> 16) & 0xff);
  out += static_cast<char>(sequence);
  return out + payload;
}

std::string text(std::span<const std::byte> bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

TEST(DumpPacketReader, PacketsComeOutWholeHoweverTheBytesArrive) {
  SocketPair s;
  std::string stream =
      packet("one", 1) + packet(std::string(300000, 'x'), 2) + packet("", 3) + packet("four", 4);
  std::thread writer([&] {
    // Torn everywhere: inside headers and inside payloads.
    for (std::size_t at = 0; at < stream.size(); at += 7777) s.send(stream.substr(at, 7777));
  });
  DumpPacketReader reader(s.client(), 10);
  std::span<const std::byte> p;
  ASSERT_EQ(reader.next(p), DumpPacketReader::Result::kPacket);
  EXPECT_EQ(text(p), "one");
  ASSERT_EQ(reader.next(p), DumpPacketReader::Result::kPacket);
  EXPECT_EQ(text(p), std::string(300000, 'x'));
  ASSERT_EQ(reader.next(p), DumpPacketReader::Result::kPacket);
  EXPECT_TRUE(p.empty());
  ASSERT_EQ(reader.next(p), DumpPacketReader::Result::kPacket);
  EXPECT_EQ(text(p), "four");
  writer.join();
  EXPECT_EQ(reader.buffered(), 0u);
}

TEST(DumpPacketReader, AnEventOver16MiBIsJoinedFromItsPackets) {
  SocketPair s;
  // The largest payload one packet carries: a full packet is what makes the next one join it.
  std::string first(0xFFFFFF, 'a');  // NOLINT(bugprone-string-constructor)
  std::string rest(1000, 'b');
  std::thread writer([&] { s.send(packet(first, 1) + packet(rest, 2) + packet("next", 3)); });
  DumpPacketReader reader(s.client(), 10);
  std::span<const std::byte> p;
  ASSERT_EQ(reader.next(p), DumpPacketReader::Result::kPacket);
  EXPECT_EQ(p.size(), first.size() + rest.size());
  EXPECT_TRUE(text(p) == first + rest);
  ASSERT_EQ(reader.next(p), DumpPacketReader::Result::kPacket);
  EXPECT_EQ(text(p), "next");
  writer.join();
}

// The ConnectionError the reader's next call throws; empty if it throws none.
std::optional<ConnectionError> next_error(DumpPacketReader& reader) {
  std::span<const std::byte> p;
  try {
    reader.next(p);
  } catch (const ConnectionError& e) {
    return e;
  }
  return std::nullopt;
}

TEST(DumpPacketReader, AClosedConnectionIsLost) {
  SocketPair s;
  s.send(packet("whole", 1) + packet("torn", 2).substr(0, 6));
  s.close_server();
  DumpPacketReader reader(s.client(), 10);
  std::span<const std::byte> p;
  ASSERT_EQ(reader.next(p), DumpPacketReader::Result::kPacket);
  const auto e = next_error(reader);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->kind(), FailureKind::kLost);
  EXPECT_NE(std::string(e->what()).find("closed"), std::string::npos) << e->what();
}

TEST(DumpPacketReader, APacketOutOfOrderIsAnError) {
  SocketPair s;
  s.send(packet("a", 1) + packet("c", 3));
  DumpPacketReader reader(s.client(), 10);
  std::span<const std::byte> p;
  ASSERT_EQ(reader.next(p), DumpPacketReader::Result::kPacket);
  const auto e = next_error(reader);
  ASSERT_TRUE(e);
  EXPECT_NE(std::string(e->what()).find("sequence 3 where 2"), std::string::npos) << e->what();
}

TEST(DumpPacketReader, SilencePastTheTimeoutIsLostAndIdleIsCalled) {
  SocketPair s;
  int idle = 0;
  DumpPacketReader reader(s.client(), 1, {}, [&] { ++idle; });
  std::span<const std::byte> p;
  EXPECT_THROW(reader.next(p), ConnectionError);
  EXPECT_GE(idle, 3);  // 200 ms slices of a 1 s wait
}

TEST(DumpPacketReader, AStopRequestEndsAWait) {
  SocketPair s;
  std::atomic<bool> stop = false;
  DumpPacketReader reader(s.client(), 0, [&] { return stop.load(); });
  std::thread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    stop = true;
  });
  std::span<const std::byte> p;
  EXPECT_EQ(reader.next(p), DumpPacketReader::Result::kStopped);
  stopper.join();
}

}  // namespace
}  // namespace twinlog
