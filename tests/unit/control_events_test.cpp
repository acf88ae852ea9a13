// Control events: START_V3, FDE, STOP, ROTATE, INTVAR, RAND, USER_VAR, XID,
// INCIDENT, HEARTBEAT (v1, v2), IGNORABLE, BINLOG_CHECKPOINT, START_ENCRYPTION.
#include <gtest/gtest.h>

#include <cstring>
#include <limits>

#include "protocol/events.h"
#include "tests/support/event_builder.h"
#include "tests/support/event_decode.h"

namespace twinlog::protocol {
namespace {

using testing::as;
using testing::BodyBuilder;
using testing::check_truncations;
using testing::decode_built;
using testing::mariadb1011;
using testing::mysql80;

constexpr uint64_t kMax64 = std::numeric_limits<uint64_t>::max();

TEST(ControlEvents, StartV3) {
  char version[50] = "4.1.22-log";
  auto body = BodyBuilder().u16(3).str(std::string_view(version, 50)).u32(0xfffffffe);
  auto f = format_for_start_v3("4.1.22-log");
  auto r = decode_built(EventType::kStartV3, body, f);
  const auto& e = as<StartV3Event>(r);
  EXPECT_EQ(e.binlog_version, 3);
  EXPECT_EQ(e.server_version, "4.1.22-log");
  EXPECT_EQ(e.created, 0xfffffffeu);
  EXPECT_EQ(check_truncations(EventType::kStartV3, body, f), body.size());
}

TEST(ControlEvents, FormatDescriptionDecodesWithItsFooter) {
  auto fde = testing::make_fde("8.0.36", 1);
  auto f = mysql80();
  auto r = decode_event(testing::view_of(fde, f), f);
  const auto& e = as<FormatDescriptionEvent>(r);
  EXPECT_EQ(e.format.server_version, "8.0.36");
  EXPECT_EQ(e.format.checksum, ChecksumAlg::kCrc32);
  EXPECT_EQ(e.format.post_header_length(33), 42);
  EXPECT_FALSE(e.format.is_mariadb());

  auto maria = testing::make_fde("10.11.6-MariaDB-log", 0);
  auto rm = decode_event(testing::view_of(maria, f), f);
  EXPECT_EQ(as<FormatDescriptionEvent>(rm).format.checksum, ChecksumAlg::kNone);
  EXPECT_TRUE(as<FormatDescriptionEvent>(rm).format.is_mariadb());
}

TEST(ControlEvents, FormatDescriptionTruncatedNeverReadsOutside) {
  // A cut FDE can still be a valid FDE with fewer post-header lengths; it must
  // either decode or fail inside the event.
  auto fde = testing::make_fde("8.0.36", 1);
  auto f = mysql80();
  std::size_t failures = 0;
  for (std::size_t n = protocol::kHeaderLength; n < fde.size(); ++n) {
    testing::ByteVec cut(fde.begin(), fde.begin() + static_cast<std::ptrdiff_t>(n));
    auto r = decode_event(testing::view_of(cut, f), f);
    if (r.ok()) continue;
    ++failures;
    EXPECT_GE(r.error().offset, 1000u);
    EXPECT_LE(r.error().offset, 1000u + n);
  }
  // Everything shorter than the fixed part plus the alg byte and CRC fails.
  EXPECT_GE(failures, 57u + 5u);
}

TEST(ControlEvents, Stop) {
  auto r = decode_built(EventType::kStop, {}, mysql80());
  (void)as<StopEvent>(r);
}

TEST(ControlEvents, Rotate) {
  auto body = testing::rotate_body(kMax64, "mysql-bin.000042");
  auto r = decode_built(EventType::kRotate, body, mysql80());
  const auto& e = as<RotateEvent>(r);
  EXPECT_EQ(e.position, kMax64);
  EXPECT_EQ(e.next_file, "mysql-bin.000042");
  EXPECT_EQ(
      check_truncations(EventType::kRotate, body, mysql80(), [](std::size_t n) { return n >= 8; }),
      8u);

  auto empty_name = decode_built(EventType::kRotate, testing::rotate_body(4, ""), mariadb1011());
  EXPECT_EQ(as<RotateEvent>(empty_name).next_file, "");
}

TEST(ControlEvents, RotateWithoutPostHeader) {
  // A format whose ROTATE post-header length is 0 (binlog v1): the name is the body.
  auto f = mysql80();
  f.post_header_lengths[3] = 0;
  auto r = decode_built(EventType::kRotate, BodyBuilder().str("old-bin.002"), f);
  EXPECT_EQ(as<RotateEvent>(r).position, 4u);
  EXPECT_EQ(as<RotateEvent>(r).next_file, "old-bin.002");
}

TEST(ControlEvents, Intvar) {
  auto body = BodyBuilder().u8(2).u64(kMax64);
  auto r = decode_built(EventType::kIntvar, body, mysql80());
  EXPECT_EQ(as<IntvarEvent>(r).kind, IntvarEvent::kInsertId);
  EXPECT_EQ(as<IntvarEvent>(r).value, kMax64);
  auto last = decode_built(EventType::kIntvar, BodyBuilder().u8(1).u64(0), mysql80());
  EXPECT_EQ(as<IntvarEvent>(last).kind, IntvarEvent::kLastInsertId);
  EXPECT_EQ(check_truncations(EventType::kIntvar, body, mysql80()), body.size());
  auto bad = decode_built(EventType::kIntvar, BodyBuilder().u8(7).u64(1), mysql80());
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().offset, 1019u);
}

TEST(ControlEvents, Rand) {
  auto body = BodyBuilder().u64(kMax64).u64(1);
  auto r = decode_built(EventType::kRand, body, mysql80());
  EXPECT_EQ(as<RandEvent>(r).seed1, kMax64);
  EXPECT_EQ(as<RandEvent>(r).seed2, 1u);
  EXPECT_EQ(check_truncations(EventType::kRand, body, mysql80()), body.size());
}

TEST(ControlEvents, UserVarWithFlags) {
  auto body = BodyBuilder().u32(3).str("foo").u8(0).u8(2).u32(63).u32(8).u64(kMax64).u8(1);
  auto r = decode_built(EventType::kUserVar, body, mysql80());
  const auto& e = as<UserVarEvent>(r);
  EXPECT_EQ(e.name, "foo");
  EXPECT_FALSE(e.is_null);
  EXPECT_EQ(e.value_type, 2);
  EXPECT_EQ(e.charset, 63u);
  ASSERT_EQ(e.value.size(), 8u);
  EXPECT_EQ(e.flags, 1);
  // Without the flags byte (before 5.6) the event is complete too.
  EXPECT_EQ(check_truncations(EventType::kUserVar, body, mysql80(),
                              [&](std::size_t n) { return n == body.size() - 1; }),
            body.size() - 1);
}

TEST(ControlEvents, UserVarNullAndEmpty) {
  auto null_body = BodyBuilder().u32(1).str("x").u8(1);
  auto r = decode_built(EventType::kUserVar, null_body, mysql80());
  EXPECT_TRUE(as<UserVarEvent>(r).is_null);
  EXPECT_EQ(as<UserVarEvent>(r).name, "x");
  EXPECT_EQ(check_truncations(EventType::kUserVar, null_body, mysql80()), null_body.size());

  auto empty = BodyBuilder().u32(0).u8(0).u8(0).u32(33).u32(0);
  auto re = decode_built(EventType::kUserVar, empty, mysql80());
  EXPECT_EQ(as<UserVarEvent>(re).name, "");
  EXPECT_TRUE(as<UserVarEvent>(re).value.empty());
  EXPECT_EQ(as<UserVarEvent>(re).charset, 33u);
}

TEST(ControlEvents, UserVarUnknownTypeFailsAtItsByte) {
  auto r = decode_built(EventType::kUserVar,
                        BodyBuilder().u32(1).str("v").u8(0).u8(9).u32(33).u32(0), mysql80());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().offset, 1019u + 6);
}

TEST(ControlEvents, UserVarHugeLengthsFail) {
  auto r = decode_built(EventType::kUserVar, BodyBuilder().u32(0xffffffff).str("abc"), mysql80());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().offset, 1019u + 4);
  auto v =
      decode_built(EventType::kUserVar,
                   BodyBuilder().u32(1).str("a").u8(0).u8(0).u32(33).u32(0xffffffff), mysql80());
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().offset, 1019u + 15);
}

TEST(ControlEvents, Xid) {
  auto body = testing::xid_body(kMax64);
  auto r = decode_built(EventType::kXid, body, mariadb1011());
  EXPECT_EQ(as<XidEvent>(r).xid, kMax64);
  EXPECT_EQ(check_truncations(EventType::kXid, body, mariadb1011()), body.size());
}

TEST(ControlEvents, Incident) {
  auto body = BodyBuilder().u16(1).lstr("error writing to the binary log");
  auto r = decode_built(EventType::kIncident, body, mysql80());
  EXPECT_EQ(as<IncidentEvent>(r).incident, 1);
  EXPECT_EQ(as<IncidentEvent>(r).message, "error writing to the binary log");
  EXPECT_EQ(check_truncations(EventType::kIncident, body, mysql80(),
                              [](std::size_t n) { return n == 2; }),
            body.size() - 1);
}

TEST(ControlEvents, Heartbeat) {
  auto r = decode_built(EventType::kHeartbeat, BodyBuilder().str("binlog.000007"), mysql80());
  EXPECT_EQ(as<HeartbeatEvent>(r).log_file, "binlog.000007");
  EXPECT_FALSE(as<HeartbeatEvent>(r).position.has_value());
}

TEST(ControlEvents, HeartbeatV2) {
  auto body = BodyBuilder()
                  .packed(1)
                  .packed(13)
                  .str("binlog.000041")
                  .packed(2)
                  .packed(9)
                  .packed(1ull << 40)
                  .packed(9)
                  .packed(2)
                  .u16(0xbeef)  // unknown field, skipped
                  .packed(0);
  auto r = decode_built(EventType::kHeartbeatV2, body, mysql80());
  const auto& e = as<HeartbeatEvent>(r);
  EXPECT_EQ(e.log_file, "binlog.000041");
  ASSERT_TRUE(e.position.has_value());
  EXPECT_EQ(*e.position, 1ull << 40);
  // Cutting after a whole field is a shorter valid event.
  check_truncations(EventType::kHeartbeatV2, body, mysql80(),
                    [](std::size_t n) { return n == 0 || n == 15 || n == 26 || n == 30; });
}

TEST(ControlEvents, HeartbeatV2PositionMustFillItsField) {
  auto body = BodyBuilder().packed(2).packed(2).u8(5).u8(0).packed(0);
  auto r = decode_built(EventType::kHeartbeatV2, body, mysql80());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().offset, 1019u + 3);
}

TEST(ControlEvents, Ignorable) {
  auto body = BodyBuilder().u32(0xdeadbeef);
  auto r = decode_built(EventType::kIgnorable, body, mysql80());
  EXPECT_EQ(as<IgnorableEvent>(r).body.size(), 4u);
}

TEST(ControlEvents, BinlogCheckpoint) {
  auto body = BodyBuilder().u32(18).str("mariadb-bin.000001");
  auto r = decode_built(EventType::kMariaBinlogCheckpoint, body, mariadb1011());
  EXPECT_EQ(as<BinlogCheckpointEvent>(r).file, "mariadb-bin.000001");
  EXPECT_EQ(check_truncations(EventType::kMariaBinlogCheckpoint, body, mariadb1011()), body.size());
}

TEST(ControlEvents, StartEncryption) {
  auto body = BodyBuilder().u8(1).u32(0xffffffff).raw({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
  auto r = decode_built(EventType::kMariaStartEncryption, body, mariadb1011());
  const auto& e = as<StartEncryptionEvent>(r);
  EXPECT_EQ(e.scheme, 1);
  EXPECT_EQ(e.key_version, 0xffffffffu);
  ASSERT_EQ(e.nonce.size(), 12u);
  EXPECT_EQ(std::to_integer<int>(e.nonce[11]), 12);
  EXPECT_EQ(check_truncations(EventType::kMariaStartEncryption, body, mariadb1011()), body.size());
}

// Real binlogs: the control events of several servers, against mariadb-binlog's text.
TEST(ControlEventsCorpus, RotateIntvarRandUserVarXid) {
  const auto bytes = testing::read_file_bytes(
      testing::kCorpus + "blackbeam__rust_mysql_common/test-data__binlogs__ver_5_1_23.001");
  const auto events = testing::decode_file(bytes);
  ASSERT_FALSE(events.empty());
  auto intvars = testing::events_of<IntvarEvent>(events);
  auto rands = testing::events_of<RandEvent>(events);
  auto vars = testing::events_of<UserVarEvent>(events);
  ASSERT_EQ(intvars.size(), 1u);
  ASSERT_EQ(rands.size(), 1u);
  ASSERT_EQ(vars.size(), 1u);
  // mariadb-binlog: SET LAST_INSERT_ID=0; SET @@RAND_SEED1=206881985,
  // @@RAND_SEED2=103665823; SET @`x`:=4
  EXPECT_EQ(intvars[0]->kind, IntvarEvent::kLastInsertId);
  EXPECT_EQ(intvars[0]->value, 0u);
  EXPECT_EQ(rands[0]->seed1, 206881985u);
  EXPECT_EQ(rands[0]->seed2, 103665823u);
  EXPECT_EQ(vars[0]->name, "x");
  EXPECT_FALSE(vars[0]->is_null);
  EXPECT_EQ(vars[0]->value_type, 2);  // INT_RESULT
  ASSERT_EQ(vars[0]->value.size(), 8u);
  EXPECT_EQ(std::to_integer<int>(vars[0]->value[0]), 4);
  EXPECT_EQ(testing::events_of<StopEvent>(events).size(), 1u);
}

TEST(ControlEventsCorpus, MySQL57Events) {
  const std::string dir = testing::kCorpus + "rust-us__mysql-cdc-rs/";
  {
    const auto bytes = testing::read_file_bytes(dir + "tests__events__5.7__04_rotate__log.bin");
    const auto events = testing::decode_file(bytes);
    auto rotates = testing::events_of<RotateEvent>(events);
    ASSERT_EQ(rotates.size(), 1u);
    EXPECT_EQ(rotates[0]->position, 4u);
    EXPECT_EQ(rotates[0]->next_file, "mysql_bin.000002");  // "Rotate to mysql_bin.000002  pos: 4"
  }
  {
    const auto bytes = testing::read_file_bytes(dir + "tests__events__5.7__14_user_var__log.bin");
    const auto events = testing::decode_file(bytes);
    auto vars = testing::events_of<UserVarEvent>(events);
    ASSERT_EQ(vars.size(), 3u);
    // SET @`val_s`:=_utf8mb3 X'7465737420626C6F67' COLLATE utf8mb3_general_ci;
    // SET @`val_i`:=100; SET @`val_d`:=1.00
    EXPECT_EQ(vars[0]->name, "val_s");
    EXPECT_EQ(vars[0]->value_type, 0);
    EXPECT_EQ(vars[0]->charset, 33u);
    EXPECT_EQ(as_chars(vars[0]->value), "test blog");
    EXPECT_EQ(vars[1]->name, "val_i");
    EXPECT_EQ(vars[1]->value_type, 2);
    ASSERT_EQ(vars[1]->value.size(), 8u);
    EXPECT_EQ(std::to_integer<int>(vars[1]->value[0]), 100);
    EXPECT_EQ(vars[2]->name, "val_d");
    EXPECT_EQ(vars[2]->value_type, 4);
  }
  {
    const auto bytes = testing::read_file_bytes(dir + "tests__events__5.7__16_xid__log.bin");
    const auto events = testing::decode_file(bytes);
    EXPECT_FALSE(testing::events_of<XidEvent>(events).empty());
  }
}

TEST(ControlEventsCorpus, Incident) {
  // mariadb-binlog 10.11 stops at this INCIDENT event (the bug#40482 test data: an
  // incident of a type no server defines); twinlog decodes it as written.
  const auto bytes = testing::read_file_bytes(
      testing::kCorpus + "blackbeam__rust_mysql_common/test-data__binlogs__bug40482-bin.000001");
  const auto events = testing::decode_file(bytes);
  auto incidents = testing::events_of<IncidentEvent>(events);
  ASSERT_EQ(incidents.size(), 1u);
  EXPECT_EQ(incidents[0]->incident, 66);
  EXPECT_EQ(incidents[0]->message, "");
}

TEST(ControlEventsCorpus, MariaDBCheckpoint) {
  const auto bytes = testing::read_file_bytes(
      testing::kCorpus + "blackbeam__rust_mysql_common/test-data__binlogs__mariadb-bin.000001");
  const auto events = testing::decode_file(bytes);
  auto cps = testing::events_of<BinlogCheckpointEvent>(events);
  ASSERT_EQ(cps.size(), 1u);
  EXPECT_EQ(cps[0]->file, "mariadb-bin.000001");  // "Binlog checkpoint mariadb-bin.000001"
  auto fdes = testing::events_of<FormatDescriptionEvent>(events);
  ASSERT_EQ(fdes.size(), 1u);
  EXPECT_EQ(fdes[0]->format.server_version, "10.5.15-MariaDB-1:10.5.15+maria~focal-log");
}

}  // namespace
}  // namespace twinlog::protocol
