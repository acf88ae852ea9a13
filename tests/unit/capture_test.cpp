// Capture's resume policy: a directory's capture and the request must agree, and
// nothing on disk is created or cut before the server has accepted the connection.
#include "src/source/capture.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "tests/support/event_builder.h"

namespace twinlog {
namespace {

namespace fs = std::filesystem;
using testing::BodyBuilder;
using testing::ByteVec;
using testing::make_binlog;
using testing::make_event;
using testing::make_fde;

void write_file(const fs::path& p, const ByteVec& v) {
  std::ofstream(p, std::ios::binary)
      .write(reinterpret_cast<const char*>(v.data()), static_cast<std::streamsize>(v.size()));
}

// A binlog whose last event is torn: 5 bytes of a header follow the whole events.
ByteVec torn_binlog() {
  ByteVec file = make_binlog({make_fde(), make_event(16, BodyBuilder().u64(5))});
  file.insert(file.end(), 5, std::byte{0x11});
  return file;
}

LiveSourceOptions unreachable() {
  LiveSourceOptions live;
  live.connection.host = "127.0.0.1";
  live.connection.port = 1;
  live.connection.no_defaults = true;
  live.connection.user = "nobody";
  live.connection.connect_timeout_seconds = 2;
  return live;
}

class CaptureTest : public ::testing::Test {
 protected:
  fs::path dir =
      fs::temp_directory_path() / ("twinlog-capture-policy-" + std::to_string(getpid()) + "-" +
                                   ::testing::UnitTest::GetInstance()->current_test_info()->name());
  void TearDown() override { fs::remove_all(dir); }
};

TEST_F(CaptureTest, ADirectoryOfOtherCompressionIsRefused) {
  fs::create_directories(dir);
  write_file(dir / "mysql-bin.000001", torn_binlog());
  CaptureOptions o;
  o.dir = dir.string();
  o.compression = CaptureCompression::kZstd;
  try {
    Capture capture(o, unreachable());
    FAIL() << "a plain capture was continued as zstd";
  } catch (const CaptureConflict& e) {
    EXPECT_EQ(e.kind(), CaptureConflict::Kind::kCompression);
    EXPECT_NE(std::string(e.what()).find("plain"), std::string::npos) << e.what();
  }
}

TEST_F(CaptureTest, AStartPointForADirectoryThatHoldsACaptureIsRefused) {
  fs::create_directories(dir);
  ByteVec file = torn_binlog();
  write_file(dir / "mysql-bin.000001", file);
  CaptureOptions o;
  o.dir = dir.string();
  o.start_given = true;
  try {
    Capture capture(o, unreachable());
    FAIL() << "a start point was taken for a directory that holds a capture";
  } catch (const CaptureConflict& e) {
    EXPECT_EQ(e.kind(), CaptureConflict::Kind::kStartGiven);
    EXPECT_NE(std::string(e.what()).find("mysql-bin.000001:" + std::to_string(file.size() - 5)),
              std::string::npos)
        << e.what();
  }
}

TEST_F(CaptureTest, NoConnectionCreatesNoDirectory) {
  CaptureOptions o;
  o.dir = (dir / "new").string();
  Capture capture(o, unreachable());
  EXPECT_THROW(capture.run(), ConnectionError);
  EXPECT_FALSE(fs::exists(dir));
}

TEST_F(CaptureTest, NoConnectionLeavesATornTailForTheNextTry) {
  fs::create_directories(dir);
  ByteVec file = torn_binlog();
  write_file(dir / "mysql-bin.000001", file);
  CaptureOptions o;
  o.dir = dir.string();
  Capture capture(o, unreachable());
  EXPECT_THROW(capture.run(), ConnectionError);
  EXPECT_EQ(fs::file_size(dir / "mysql-bin.000001"), file.size());
}

}  // namespace
}  // namespace twinlog
