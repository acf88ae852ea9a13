#include "protocol/gtid_set.h"

#include <gtest/gtest.h>

namespace twinlog::protocol {
namespace {

const std::string kUuid = "3e11fa47-71ca-11e1-9e33-c80aa9429562";

GtidSet set_of(std::string_view text) {
  auto s = GtidSet::parse(text);
  EXPECT_TRUE(s.ok()) << text << ": " << (s.ok() ? "" : s.error().message);
  return s.ok() ? *s : GtidSet();
}

Gtid gtid(std::string_view text) {
  auto g = parse_gtid(text);
  EXPECT_TRUE(g.ok()) << text << ": " << (g.ok() ? "" : g.error().message);
  return g.ok() ? *g : Gtid{};
}

std::string error_of(std::string_view text) {
  auto s = GtidSet::parse(text);
  return s.ok() ? "parsed: " + s->to_string() : s.error().message;
}

TEST(Gtid, ParsesAndPrintsBothFlavors) {
  EXPECT_EQ(to_string(gtid("0-1-24")), "0-1-24");
  EXPECT_EQ(gtid("0-1-24"), Gtid(MariaGtid{0, 1, 24}));
  EXPECT_EQ(to_string(gtid("4294967295-4294967295-18446744073709551615")),
            "4294967295-4294967295-18446744073709551615");
  EXPECT_EQ(to_string(gtid("3E11FA47-71CA-11E1-9E33-C80AA9429562:23")), kUuid + ":23");
  EXPECT_EQ(to_string(gtid(kUuid + ":Blue_1:23")), kUuid + ":blue_1:23");
  EXPECT_EQ(flavor_of(gtid("0-1-2")), Flavor::kMariaDB);
  EXPECT_EQ(flavor_of(gtid(kUuid + ":1")), Flavor::kMySQL);
}

TEST(Gtid, RefusesBadText) {
  for (const std::string& bad :
       std::vector<std::string>{"", "0-1", "0-1-2-3", "-1-2", "0--2", "0-1-x", "4294967296-1-1",
                                "0-1-18446744073709551616", "0-+1-2", kUuid + ":0",
                                kUuid + ":9223372036854775808", kUuid + ":1-3", kUuid + ":9tag:1",
                                "3e11fa47-71ca-11e1-9e33:1", kUuid + ":", kUuid + ":a:b:1"}) {
    EXPECT_FALSE(parse_gtid(bad).ok()) << bad;
  }
  EXPECT_EQ(parse_gtid("0-1-x").error().message,
            "'0-1-x' is not a MariaDB GTID: the sequence number is not a 64-bit number");
}

TEST(Gtid, Orders) {
  EXPECT_LT(gtid("0-1-24"), gtid("0-2-1"));
  EXPECT_LT(gtid("0-2-1"), gtid("1-0-0"));
  EXPECT_LT(gtid(kUuid + ":5"), gtid(kUuid + ":6"));
  EXPECT_LT(gtid(kUuid + ":6"), gtid(kUuid + ":a:1"));
}

TEST(GtidSet, MysqlRoundTripMergesAndSorts) {
  EXPECT_EQ(set_of(kUuid + ":1-5:11").to_string(), kUuid + ":1-5:11");
  EXPECT_EQ(set_of(kUuid + ":7:1-3:4-5:6").to_string(), kUuid + ":1-7");
  EXPECT_EQ(set_of(kUuid + ":3-9:1-4:20:15-25").to_string(), kUuid + ":1-9:15-25");
  // gtid_executed prints ",\n" between uuids; uuids ascending; tags after the untagged intervals.
  const std::string other = "00000000-0000-0000-0000-000000000001";
  EXPECT_EQ(set_of(kUuid + ":tag:1-3:x:2, " + kUuid + ":1-5,\n" + other + ":9").to_string(),
            other + ":9," + kUuid + ":1-5:tag:1-3:x:2");
  EXPECT_EQ(set_of(kUuid + ":1-9223372036854775807").to_string(), kUuid + ":1-9223372036854775807");
  EXPECT_EQ(set_of("").to_string(), "");
  EXPECT_TRUE(set_of(" \n").empty());
  EXPECT_FALSE(set_of("").flavor());
}

TEST(GtidSet, MariadbRoundTrip) {
  EXPECT_EQ(set_of("1-2-5,0-1-24").to_string(), "0-1-24,1-2-5");
  EXPECT_EQ(set_of("0-2-23, 0-1-24").to_string(), "0-1-24,0-2-23");  // as GTID_LIST holds
  EXPECT_EQ(set_of("0-1-24").flavor(), Flavor::kMariaDB);
}

TEST(GtidSet, RefusesBadText) {
  EXPECT_EQ(error_of("0-1-2,"), "an empty entry in the GTID set '0-1-2,'");
  EXPECT_EQ(error_of("0-1-2," + kUuid + ":1"),
            "'0-1-2," + kUuid + ":1' is a mix of MariaDB and MySQL GTIDs");
  EXPECT_EQ(error_of("0-1-2,0-1-3"), "'0-1-3' is a second position for domain 0 and server 1");
  EXPECT_EQ(error_of(kUuid + ":5-3"), "'5-3' is an interval that ends before it starts");
  EXPECT_EQ(error_of(kUuid + ":0-3"),
            "'0-3' is out of range: MySQL transaction numbers run from 1 to 9223372036854775807");
  EXPECT_EQ(error_of(kUuid), "'" + kUuid + "' is a uuid or tag without intervals");
  EXPECT_EQ(error_of(kUuid + ":tag"), "'" + kUuid + ":tag' is a uuid or tag without intervals");
  EXPECT_EQ(error_of(kUuid + ":t1:t2:1"),
            "'" + kUuid + ":t1:t2:1' is missing intervals after a tag");
  EXPECT_EQ(error_of("zz:1"), "'zz' is not a server uuid (8-4-4-4-12 hex digits)");
  EXPECT_FALSE(GtidSet::parse(kUuid + ":1-99999999999999999999").ok());
  EXPECT_FALSE(GtidSet::parse(kUuid + ":" + std::string(33, 'a') + ":1").ok());
  EXPECT_EQ(GtidSet::parse(" 0-1-2, x").error().offset, 8u);
  // Text of neither form names both, since the server's flavor is not known yet.
  EXPECT_EQ(error_of("abc"),
            "'abc' is not a GTID: MariaDB's are domain-server-seq (0-1-24), MySQL's uuid:number "
            "(3e11fa47-71ca-11e1-9e33-c80aa9429562:23)");
}

TEST(GtidSet, ContainsAndAdd) {
  GtidSet s = set_of(kUuid + ":1-5:11");
  EXPECT_TRUE(s.contains(gtid(kUuid + ":1")));
  EXPECT_TRUE(s.contains(gtid(kUuid + ":5")));
  EXPECT_FALSE(s.contains(gtid(kUuid + ":6")));
  EXPECT_TRUE(s.contains(gtid(kUuid + ":11")));
  EXPECT_FALSE(s.contains(gtid(kUuid + ":tag:1")));
  EXPECT_FALSE(s.contains(gtid("0-1-1")));
  EXPECT_TRUE(s.add(gtid(kUuid + ":6")));
  EXPECT_EQ(s.to_string(), kUuid + ":1-6:11");
  EXPECT_TRUE(s.add_interval({std::get<MysqlGtid>(gtid(kUuid + ":1")).uuid.bytes, ""}, {7, 10}));
  EXPECT_EQ(s.to_string(), kUuid + ":1-11");
  EXPECT_FALSE(s.add(gtid("0-1-1")));  // the other flavor: refused, unchanged
  EXPECT_EQ(s.to_string(), kUuid + ":1-11");

  GtidSet m = set_of("0-1-24,1-2-5");
  EXPECT_TRUE(m.contains(gtid("0-1-24")));
  EXPECT_TRUE(m.contains(gtid("0-2-10")));  // per domain, whichever server
  EXPECT_FALSE(m.contains(gtid("0-1-25")));
  EXPECT_FALSE(m.contains(gtid("2-1-1")));
  EXPECT_TRUE(m.add(gtid("0-1-30")));
  EXPECT_TRUE(m.add(gtid("0-1-7")));  // an older one leaves the position
  EXPECT_EQ(m.to_string(), "0-1-30,1-2-5");
  EXPECT_FALSE(m.add(gtid(kUuid + ":1")));
}

TEST(GtidSet, ComparesSets) {
  EXPECT_EQ(set_of(kUuid + ":1-3:4"), set_of(kUuid + ":1-4"));
  EXPECT_TRUE(set_of(kUuid + ":1-10").contains(set_of(kUuid + ":2-3:7")));
  EXPECT_FALSE(set_of(kUuid + ":1-5:7-10").contains(set_of(kUuid + ":4-8")));
  EXPECT_TRUE(set_of("0-1-24,1-2-5").contains(set_of("0-3-20")));
  EXPECT_FALSE(set_of("0-1-24").contains(set_of("0-1-24,1-2-5")));
  EXPECT_TRUE(set_of("0-1-24").contains(GtidSet()));
}

TEST(GtidSet, FromEvents) {
  PreviousGtidsEvent p;
  GtidSetEntry e;
  e.sid = std::get<MysqlGtid>(gtid(kUuid + ":1")).uuid;
  e.intervals = {{1, 6}, {6, 8}, {11, 12}};  // [start, end) on the wire
  p.sets.push_back(e);
  auto s = GtidSet::from(p);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->to_string(), kUuid + ":1-7:11");
  p.sets[0].intervals = {{5, 5}};
  EXPECT_FALSE(GtidSet::from(p).ok());

  MariaGtidListEvent l;
  l.gtids = {{0, 2, 23}, {0, 1, 24}};
  EXPECT_EQ(GtidSet::from(l).to_string(), "0-1-24,0-2-23");
}

TEST(GtidSet, FlavorRefusalNamesTheServersFlavorAndForm) {
  EXPECT_EQ(flavor_refusal(set_of("0-1-24"), Flavor::kMariaDB), "");
  EXPECT_EQ(flavor_refusal(GtidSet(), Flavor::kMySQL), "");
  EXPECT_EQ(
      flavor_refusal(set_of(kUuid + ":1-5"), Flavor::kMariaDB),
      "the server is MariaDB: it takes a GTID position as domain-server-seq[,...] (e.g. 0-1-24), "
      "not the MySQL GTIDs '" +
          kUuid + ":1-5'");
  EXPECT_EQ(flavor_refusal(set_of("0-1-24"), Flavor::kMySQL),
            "the server is MySQL: it takes a GTID position as uuid:interval[,...] (e.g. "
            "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5), not the MariaDB GTIDs '0-1-24'");
}

}  // namespace
}  // namespace twinlog::protocol
