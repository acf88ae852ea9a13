// TRANSACTION_PAYLOAD: the header fields and the payload bytes; real payloads of
// MySQL 8.0.28-8.0.32 (the framer, not this decoder, inflates them).
#include <gtest/gtest.h>

#include <limits>

#include "protocol/events.h"
#include "tests/support/event_builder.h"
#include "tests/support/event_decode.h"

namespace twinlog::protocol {
namespace {

using testing::as;
using testing::BodyBuilder;
using testing::ByteVec;
using testing::check_truncations;
using testing::decode_built;
using testing::mysql80;

TEST(TransactionPayload, HeaderFieldsAndPayload) {
  const ByteVec payload = BodyBuilder().raw({0x28, 0xb5, 0x2f, 0xfd, 1, 2, 3}).data();
  BodyBuilder b;
  b.payload_field(1, payload.size()).payload_field(2, 0);
  b.payload_field(3, std::numeric_limits<uint64_t>::max());
  b.packed(0).bytes(payload);
  auto r = decode_built(EventType::kTransactionPayload, b, mysql80());
  const auto& e = as<TransactionPayloadEvent>(r);
  EXPECT_EQ(e.payload_size, payload.size());
  EXPECT_EQ(e.compression_type, 0u);
  EXPECT_EQ(e.uncompressed_size, std::numeric_limits<uint64_t>::max());
  ASSERT_EQ(e.payload.size(), payload.size());
  EXPECT_EQ(std::to_integer<int>(e.payload[0]), 0x28);
  // Every cut fails: before the end mark a field is cut or the size disagrees.
  EXPECT_EQ(check_truncations(EventType::kTransactionPayload, b, mysql80()), b.size());
}

TEST(TransactionPayload, UncompressedAndUnknownFields) {
  BodyBuilder b;
  b.payload_field(2, 255);
  b.packed(77).packed(3).raw({9, 9, 9});  // a newer server's field: skipped
  b.payload_field(1, 2);
  b.packed(0).raw({0xaa, 0xbb});
  auto r = decode_built(EventType::kTransactionPayload, b, mysql80());
  const auto& e = as<TransactionPayloadEvent>(r);
  EXPECT_EQ(e.compression_type, 255u);
  EXPECT_EQ(e.payload_size, 2u);
  EXPECT_EQ(e.uncompressed_size, 0u);
  EXPECT_EQ(e.payload.size(), 2u);
}

TEST(TransactionPayload, BadInputFails) {
  // The size field disagrees with the bytes that follow.
  BodyBuilder b;
  b.payload_field(1, 10);
  b.packed(0).raw({1, 2});
  auto r = decode_built(EventType::kTransactionPayload, b, mysql80());
  ASSERT_FALSE(r.ok());
  // A field value longer than its packed integer.
  auto wide = BodyBuilder().packed(1).packed(2).u8(5).u8(0).packed(0).data();
  auto rw = decode_built(EventType::kTransactionPayload, wide, mysql80());
  ASSERT_FALSE(rw.ok());
  EXPECT_EQ(rw.error().offset, 1019u + 3);
  // A field length beyond the event.
  auto longer = BodyBuilder().packed(1).packed(200).u8(1).data();
  ASSERT_FALSE(decode_built(EventType::kTransactionPayload, longer, mysql80()).ok());
  // The reserved packed prefix 251 as a type.
  ASSERT_FALSE(
      decode_built(EventType::kTransactionPayload, BodyBuilder().u8(251).data(), mysql80()).ok());
}

TEST(TransactionPayloadCorpus, MySQL80ZstdPayloads) {
  const struct {
    const char* file;
    std::vector<std::pair<uint64_t, uint64_t>> sizes;  // payload, uncompressed
  } cases[] = {
      {"apecloud__mysql-binlog-connector-rust/tests__parse_file_tests__mysql-bin.000057",
       {{161, 214}, {516, 1255}}},
      {"blackbeam__rust_mysql_common/test-data__binlogs__transaction_compression.000001",
       {{124, 179}}},
      {"osheroff__mysql-binlog-connector-java/src__test__resources__mysql-bin.compressed",
       {{451, 960}}},
  };
  for (const auto& c : cases) {
    const auto bytes = testing::read_file_bytes(testing::kCorpus + c.file);
    const auto events = testing::decode_file(bytes);
    auto payloads = testing::events_of<TransactionPayloadEvent>(events);
    ASSERT_EQ(payloads.size(), c.sizes.size()) << c.file;
    for (std::size_t i = 0; i < payloads.size(); ++i) {
      EXPECT_EQ(payloads[i]->compression_type, 0u);  // ZSTD
      EXPECT_EQ(payloads[i]->payload_size, c.sizes[i].first);
      EXPECT_EQ(payloads[i]->uncompressed_size, c.sizes[i].second);
      ASSERT_EQ(payloads[i]->payload.size(), c.sizes[i].first);
      // A zstd frame.
      EXPECT_EQ(std::to_integer<int>(payloads[i]->payload[0]), 0x28);
      EXPECT_EQ(std::to_integer<int>(payloads[i]->payload[3]), 0xfd);
    }
  }
}

}  // namespace
}  // namespace twinlog::protocol
