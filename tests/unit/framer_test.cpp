#include "protocol/framer.h"

#include <gtest/gtest.h>
#include <zlib.h>
#include <zstd.h>

#include "tests/support/event_builder.h"

namespace twinlog::protocol {
namespace {

using testing::BodyBuilder;
using testing::ByteVec;
using testing::make_binlog;
using testing::make_event;
using testing::make_fde;
using testing::query_event;
using testing::span;
using testing::xid_event;

// Frames every event of a built binlog, returning the views' type codes.
std::vector<uint8_t> frame_all(Framer& framer, const ByteVec& file, std::string* error = nullptr) {
  BinlogSplitter splitter(span(file));
  EXPECT_TRUE(splitter.check_magic().ok());
  std::vector<uint8_t> types;
  for (;;) {
    const uint64_t at = splitter.offset();
    auto event = splitter.next();
    if (!event) {
      if (error) *error = event.error().message;
      break;
    }
    if (event->empty()) break;
    auto views = framer.frame(*event, at);
    if (!views) {
      if (error) *error = views.error().message + " @" + std::to_string(views.error().offset);
      break;
    }
    for (const auto& v : *views) types.push_back(v.header.type_code);
  }
  return types;
}

TEST(Framer, FollowsTheFormatDescription) {
  Framer framer;
  auto file = make_binlog({make_fde("8.0.36"), query_event("test", "BEGIN"), xid_event(5)});
  EXPECT_EQ(frame_all(framer, file), (std::vector<uint8_t>{15, 2, 16}));
  EXPECT_EQ(framer.format().flavor, Flavor::kMySQL);
  EXPECT_EQ(framer.format().checksum, ChecksumAlg::kCrc32);
  EXPECT_EQ(framer.format().version.major, 8);
}

TEST(Framer, BodyExcludesTheChecksum) {
  Framer framer;
  auto fde = make_fde();
  ASSERT_TRUE(framer.frame(span(fde), 4).ok());
  auto xid = xid_event(42);
  auto views = framer.frame(span(xid), 100);
  ASSERT_TRUE(views.ok());
  EXPECT_EQ((*views)[0].body.size(), 8u);
  EXPECT_TRUE(framer.last_checksum_verified());
}

TEST(Framer, ChecksumMismatchIsAnErrorWithTheOffset) {
  Framer framer;
  auto fde = make_fde();
  ASSERT_TRUE(framer.frame(span(fde), 4).ok());
  auto xid = xid_event(42);
  xid[20] ^= std::byte{1};
  auto views = framer.frame(span(xid), 1234);
  ASSERT_FALSE(views.ok());
  EXPECT_EQ(views.error().offset, 1234u);
  EXPECT_NE(views.error().message.find("CRC32 mismatch in XID_EVENT"), std::string::npos);

  Framer lenient(FramerOptions{false});
  ASSERT_TRUE(lenient.frame(span(fde), 4).ok());
  EXPECT_TRUE(lenient.frame(span(xid), 1234).ok());
}

TEST(Framer, FdeChecksumIgnoresTheInUseFlag) {
  auto fde = make_fde("10.11.6-MariaDB-log", 1, {.flags = kFlagBinlogInUse});
  Framer framer;
  EXPECT_TRUE(framer.frame(span(fde), 4).ok());
}

TEST(Framer, NoChecksumWhenTheFormatSaysNone) {
  Framer framer;
  auto file = make_binlog({make_fde("10.11.6-MariaDB-log", 0), xid_event(1, {}, false)}, false);
  EXPECT_EQ(frame_all(framer, file), (std::vector<uint8_t>{15, 16}));
  EXPECT_EQ(framer.format().checksum, ChecksumAlg::kNone);
}

TEST(Framer, SizeFieldMustMatch) {
  Framer framer;
  auto xid = xid_event(1, {}, false);
  xid.push_back(std::byte{0});
  auto views = framer.frame(span(xid), 4);
  ASSERT_FALSE(views.ok());
  EXPECT_NE(views.error().message.find("event size field"), std::string::npos);
}

TEST(Framer, RefusesBinlogVersionOne) {
  // MySQL 3.23: 13-byte header, START event of 69 bytes.
  ByteVec start =
      BodyBuilder().u32(0).u8(1).u32(1).u32(69).u16(1).str(std::string(50, '\0')).u32(0);
  start.resize(69);
  Framer framer;
  auto views = framer.frame(span(start), 4);
  ASSERT_FALSE(views.ok());
  EXPECT_NE(views.error().message.find("binlog version 1"), std::string::npos);
}

TEST(Framer, StartV3SetsTheFourXFormat) {
  ByteVec body = BodyBuilder().u16(3).str(std::string("4.1.22-log").append(40, '\0')).u32(0);
  auto start = make_event(EventType::kStartV3, body, {}, false);
  Framer framer;
  ASSERT_TRUE(framer.frame(span(start), 4).ok());
  EXPECT_EQ(framer.format().binlog_version, 3);
  EXPECT_EQ(framer.format().post_header_length(2), 11);
}

ByteVec zstd_compress(const ByteVec& in) {
  ByteVec out(ZSTD_compressBound(in.size()));
  std::size_t n = ZSTD_compress(out.data(), out.size(), in.data(), in.size(), 3);
  out.resize(n);
  return out;
}

// TRANSACTION_PAYLOAD body: fields (type, length, value as a packed integer),
// 0 ends the header, then the payload.
ByteVec payload_event(const ByteVec& inner, uint64_t compression) {
  ByteVec packed = compression == 0 ? zstd_compress(inner) : inner;
  BodyBuilder b;
  b.payload_field(2, compression).payload_field(3, inner.size()).payload_field(1, packed.size());
  b.packed(0).bytes(packed);
  return make_event(EventType::kTransactionPayload, b);
}

ByteVec inner_events() {
  ByteVec inner;
  for (const ByteVec& e : {query_event("test", "BEGIN", {}, false), xid_event(9, {}, false)}) {
    inner.insert(inner.end(), e.begin(), e.end());
  }
  return inner;
}

TEST(Framer, UnpacksZstdTransactionPayload) {
  Framer framer;
  auto file = make_binlog({make_fde("8.0.32"), payload_event(inner_events(), 0)});
  std::string error;
  auto types = frame_all(framer, file, &error);
  ASSERT_TRUE(error.empty()) << error;
  EXPECT_EQ(types, (std::vector<uint8_t>{15, 40, 2, 16}));
}

TEST(Framer, UnpacksUncompressedTransactionPayload) {
  Framer framer;
  auto file = make_binlog({make_fde("8.0.32"), payload_event(inner_events(), 255)});
  std::string error;
  EXPECT_EQ(frame_all(framer, file, &error), (std::vector<uint8_t>{15, 40, 2, 16})) << error;
}

TEST(Framer, CorruptPayloadIsAnError) {
  Framer framer;
  auto payload = payload_event(inner_events(), 0);
  payload[payload.size() - 8] ^= std::byte{0x55};  // inside the zstd frame
  auto file = make_binlog({make_fde("8.0.32"), payload});
  std::string error;
  frame_all(framer, file, &error);
  EXPECT_FALSE(error.empty());
}

TEST(Framer, InnerEventThatOverrunsThePayloadIsAnError) {
  ByteVec inner = inner_events();
  inner[9] = std::byte{0xff};  // first inner event claims 255+ bytes
  Framer framer;
  std::string error;
  frame_all(framer, make_binlog({make_fde("8.0.32"), payload_event(inner, 255)}), &error);
  EXPECT_NE(error.find("inner event 1"), std::string::npos) << error;
}

ByteVec mariadb_compress(std::string_view text) {
  uLongf n = compressBound(text.size());
  ByteVec z(n);
  compress(reinterpret_cast<Bytef*>(z.data()), &n, reinterpret_cast<const Bytef*>(text.data()),
           text.size());
  z.resize(n);
  return BodyBuilder().u8(0x80 | 2).be(text.size(), 2).bytes(z);
}

TEST(Framer, InflatesMariadbQueryCompressed) {
  const std::string sql = "INSERT INTO t VALUES " + std::string(300, '1');
  ByteVec body = BodyBuilder().bytes(testing::query_body("test", "")).bytes(mariadb_compress(sql));
  Framer framer;
  auto fde = make_fde();
  ASSERT_TRUE(framer.frame(span(fde), 4).ok());
  auto event = make_event(EventType::kMariaQueryCompressed, body);
  auto views = framer.frame(span(event), 256);
  ASSERT_TRUE(views.ok()) << views.error().message;
  ASSERT_EQ(views->size(), 1u);
  const EventView& v = (*views)[0];
  EXPECT_EQ(v.header.type_code, 2);
  EXPECT_EQ(v.original_type_code, 165);
  EXPECT_TRUE(v.compressed());
  std::string_view tail = as_chars(v.body).substr(v.body.size() - sql.size());
  EXPECT_EQ(tail, sql);
}

TEST(Framer, InflatesMariadbRowsCompressed) {
  const std::string rows = std::string("\x00\x01\x00\x00\x00", 5);
  ByteVec body = testing::rows_body(EventType::kMariaWriteRowsCompressedV1,
                                    {.columns = 1, .rows = mariadb_compress(rows)});
  Framer framer;
  auto fde = make_fde();
  ASSERT_TRUE(framer.frame(span(fde), 4).ok());
  auto event = make_event(EventType::kMariaWriteRowsCompressedV1, body);
  auto views = framer.frame(span(event), 256);
  ASSERT_TRUE(views.ok()) << views.error().message;
  const EventView& v = (*views)[0];
  EXPECT_EQ(v.header.type_code, 23);
  EXPECT_EQ(v.body.size(), 8u + 1 + 1 + rows.size());
}

TEST(Framer, BadCompressedHeaderIsAnError) {
  ByteVec body = testing::rows_body(EventType::kMariaWriteRowsCompressedV1,
                                    {.columns = 1, .rows = testing::byte_vec({0x80 | 7, 0})});
  Framer framer;
  auto fde = make_fde();
  ASSERT_TRUE(framer.frame(span(fde), 4).ok());
  auto event = make_event(EventType::kMariaWriteRowsCompressedV1, body);
  auto views = framer.frame(span(event), 256);
  ASSERT_FALSE(views.ok());
  EXPECT_NE(views.error().message.find("compressed event header"), std::string::npos);
}

TEST(BinlogSplitter, RejectsBadMagicAndBadSizes) {
  ByteVec not_binlog = BodyBuilder().str("hello world");
  BinlogSplitter bad(span(not_binlog));
  EXPECT_FALSE(bad.check_magic().ok());

  auto file = make_binlog({make_fde()});
  file.resize(file.size() - 10);
  BinlogSplitter cut(span(file));
  ASSERT_TRUE(cut.check_magic().ok());
  auto next = cut.next();
  ASSERT_FALSE(next.ok());
  EXPECT_EQ(next.error().offset, 4u);
  EXPECT_NE(next.error().message.find("truncated event"), std::string::npos);

  auto tiny = make_binlog({make_fde()});
  tiny[4 + 9] = std::byte{5};  // size 5 < 19
  tiny[4 + 10] = tiny[4 + 11] = tiny[4 + 12] = std::byte{0};
  BinlogSplitter small(span(tiny));
  ASSERT_TRUE(small.check_magic().ok());
  EXPECT_FALSE(small.next().ok());
}

}  // namespace
}  // namespace twinlog::protocol
