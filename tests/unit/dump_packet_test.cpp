// The dump packets (event, EOF, error), the ROTATE read from raw bytes and the
// CRC32 footer check the live reader asks protocol/ for.
#include "protocol/dump_packet.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "protocol/event_type.h"
#include "tests/support/event_builder.h"

namespace twinlog::protocol {
namespace {

using twinlog::testing::BodyBuilder;
using twinlog::testing::ByteVec;
using twinlog::testing::make_event;
using twinlog::testing::span;

constexpr uint8_t kRotate = static_cast<uint8_t>(EventType::kRotate);

ByteVec packet(uint8_t marker, const ByteVec& rest) {
  ByteVec p(1 + rest.size());
  p[0] = std::byte{marker};
  std::copy(rest.begin(), rest.end(), p.begin() + 1);
  return p;
}

TEST(DumpPacket, EventPacketHandsOutTheEventInPlace) {
  ByteVec ev = make_event(kRotate, BodyBuilder().u64(4).str("b.000002"));
  ByteVec p = packet(0x00, ev);
  auto parsed = parse_dump_packet(span(p), 100);
  ASSERT_TRUE(parsed.ok());
  const auto* event = std::get_if<DumpEvent>(&*parsed);
  ASSERT_NE(event, nullptr);
  EXPECT_EQ(event->event.data(), p.data() + 1);
  EXPECT_EQ(event->event.size(), ev.size());
}

TEST(DumpPacket, EofEndsTheDump) {
  ByteVec eof = packet(0xFE, BodyBuilder().u16(0).u16(2));
  auto parsed = parse_dump_packet(span(eof), 0);
  ASSERT_TRUE(parsed.ok());
  EXPECT_TRUE(std::holds_alternative<DumpEnd>(*parsed));
}

TEST(DumpPacket, ErrorPacketGivesCodeAndMessage) {
  ByteVec err = packet(0xFF, BodyBuilder().u16(1236).str("#HY000").str("Could not find first log"));
  auto parsed = parse_dump_packet(span(err), 0);
  ASSERT_TRUE(parsed.ok());
  const auto* e = std::get_if<DumpError>(&*parsed);
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->code, 1236u);
  EXPECT_EQ(e->message, "Could not find first log");
  // Without a sqlstate the message follows the code; with nothing, it is said so.
  ByteVec bare = packet(0xFF, BodyBuilder().u16(1927).str("killed"));
  EXPECT_EQ(std::get<DumpError>(*parse_dump_packet(span(bare), 0)).message, "killed");
  ByteVec cut = packet(0xFF, BodyBuilder().u8(7));
  auto cut_parsed = parse_dump_packet(span(cut), 0);
  ASSERT_TRUE(cut_parsed.ok());
  const auto& short_error = std::get<DumpError>(*cut_parsed);
  EXPECT_EQ(short_error.code, 0u);
  EXPECT_EQ(short_error.message, "error packet");
}

TEST(DumpPacket, ShortOrUnknownPacketsAreErrorsWithTheOffset) {
  ByteVec empty;
  auto none = parse_dump_packet(span(empty), 77);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().offset, 77u);
  ByteVec tiny = packet(0x00, BodyBuilder().u32(1));
  EXPECT_FALSE(parse_dump_packet(span(tiny), 0).ok());
  ByteVec odd = packet(0x42, ByteVec(30));
  auto unknown = parse_dump_packet(span(odd), 5);
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error().message.find("malformed replication packet of 31 bytes"),
            std::string::npos);
}

TEST(RotateFromBytes, WithAndWithoutChecksum) {
  FormatDescription plain = default_format();
  ByteVec no_crc = make_event(kRotate, BodyBuilder().u64(4).str("mysql-bin.000007"), {}, false);
  auto a = decode_rotate_event(span(no_crc), plain, 0);
  ASSERT_TRUE(a.ok()) << a.error().message;
  EXPECT_EQ(a->position, 4u);
  EXPECT_EQ(a->next_file, "mysql-bin.000007");

  FormatDescription crc = default_format();
  crc.checksum = ChecksumAlg::kCrc32;
  ByteVec with_crc = make_event(kRotate, BodyBuilder().u64(1234).str("mysql-bin.000008"));
  auto b = decode_rotate_event(span(with_crc), crc, 0);
  ASSERT_TRUE(b.ok()) << b.error().message;
  EXPECT_EQ(b->position, 1234u);
  EXPECT_EQ(b->next_file, "mysql-bin.000008");
}

TEST(RotateFromBytes, ShortRotateIsAnError) {
  FormatDescription crc = default_format();
  crc.checksum = ChecksumAlg::kCrc32;
  ByteVec ev = make_event(kRotate, BodyBuilder().u32(4));
  EXPECT_FALSE(decode_rotate_event(span(ev), crc, 0).ok());
  ByteVec header_only(10);
  EXPECT_FALSE(decode_rotate_event(span(header_only), crc, 0).ok());
}

TEST(EventChecksum, MatchesOnlyTheBytesItWasTakenOver) {
  ByteVec ev = make_event(kRotate, BodyBuilder().u64(4).str("b.000001"));
  EXPECT_TRUE(checksum_matches(span(ev)));
  ev[25] ^= std::byte{1};
  EXPECT_FALSE(checksum_matches(span(ev)));
  ByteVec tiny(3);
  EXPECT_FALSE(checksum_matches(span(tiny)));
}

}  // namespace
}  // namespace twinlog::protocol
