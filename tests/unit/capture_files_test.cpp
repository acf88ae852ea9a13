// Capture files: where a capture resumes, how a torn tail is cut off (plain and
// zstd), and that the writer produces the server's layout and refuses gaps; and
// the capture's policy over them: conflicts refused, nothing touched unconnected.
#include "src/source/capture_files.h"

#include <gtest/gtest.h>
#include <unistd.h>
#include <zstd.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "src/source/capture.h"
#include "tests/support/event_builder.h"

namespace twinlog {
namespace {

namespace fs = std::filesystem;
using testing::BodyBuilder;
using testing::ByteVec;
using testing::make_binlog;
using testing::make_event;
using testing::make_fde;
using testing::span;

ByteVec sample_binlog() {
  return make_binlog(
      {make_fde(), make_event(163, BodyBuilder().u32(0)),
       make_event(2, BodyBuilder().u32(7).u32(0).u8(0).u16(0).u16(0).u8(0).str("BEGIN")),
       make_event(16, BodyBuilder().u64(5))});
}

ByteVec read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::string s((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ByteVec v(s.size());
  std::memcpy(v.data(), s.data(), s.size());
  return v;
}
void write_file(const fs::path& p, const ByteVec& v) {
  std::ofstream(p, std::ios::binary)
      .write(reinterpret_cast<const char*>(v.data()), static_cast<std::streamsize>(v.size()));
}
ByteVec zstd_compress(const ByteVec& v) {
  ByteVec out(ZSTD_compressBound(v.size()));
  out.resize(ZSTD_compress(out.data(), out.size(), v.data(), v.size(), 3));
  return out;
}
ByteVec zstd_decompress(const ByteVec& z) {
  ByteVec out(1 << 20);
  std::size_t n = ZSTD_decompress(out.data(), out.size(), z.data(), z.size());
  EXPECT_FALSE(ZSTD_isError(n));
  out.resize(ZSTD_isError(n) ? 0 : n);
  return out;
}

class CaptureDir : public ::testing::Test {
 protected:
  fs::path dir =
      fs::temp_directory_path() / ("twinlog-capture-" + std::to_string(getpid()) + "-" +
                                   ::testing::UnitTest::GetInstance()->current_test_info()->name());
  void SetUp() override { fs::create_directories(dir); }
  void TearDown() override { fs::remove_all(dir); }
};

TEST(EventWalker, FindsTheLastWholeEventWhateverThePieces) {
  ByteVec file = sample_binlog();
  for (std::size_t piece : {1u, 3u, 19u, 64u, 100000u}) {
    EventWalker w;
    for (std::size_t i = 0; i < file.size(); i += piece)
      w.feed(span(file).subspan(i, std::min(piece, file.size() - i)));
    EXPECT_TRUE(w.ok());
    EXPECT_EQ(w.complete_end(), file.size()) << piece;
    EXPECT_EQ(w.events(), 4u);
    EXPECT_EQ(w.last_type(), 16);
  }
  EventWalker torn;
  torn.feed(span(file).first(file.size() - 3));
  EXPECT_EQ(torn.complete_end(), file.size() - 12 - 19);  // before the XID (8 + 4 body, 19 header)
  EventWalker only_magic;
  only_magic.feed(span(file).first(4));
  EXPECT_EQ(only_magic.complete_end(), 4u);
}

TEST(EventWalker, GarbageStopsTheWalkAtTheLastGoodEvent) {
  ByteVec file = sample_binlog();
  ByteVec bad = file;
  for (int i = 0; i < 19; ++i) bad.push_back(std::byte{0});  // a header of size 0
  EventWalker w;
  w.feed(span(bad));
  EXPECT_FALSE(w.ok());
  EXPECT_EQ(w.complete_end(), file.size());
  EventWalker not_binlog;
  not_binlog.feed(span(BodyBuilder().str("hello world").data()));
  EXPECT_FALSE(not_binlog.ok());
  EXPECT_EQ(not_binlog.complete_end(), 0u);
}

TEST_F(CaptureDir, EmptyOrMissingDirectoryHoldsNothing) {
  EXPECT_TRUE(scan_capture_dir((dir / "nope").string()).file.empty());
  EXPECT_TRUE(scan_capture_dir(dir.string()).file.empty());
}

TEST_F(CaptureDir, ResumesAfterTheLastWholeEventOfTheNewestFile) {
  ByteVec file = sample_binlog();
  write_file(dir / "mysql-bin.000009", file);
  ByteVec torn(file.begin(), file.end() - 5);
  write_file(dir / "mysql-bin.000010", torn);
  CaptureState st = scan_capture_dir(dir.string());
  EXPECT_EQ(st.file, "mysql-bin.000010");
  EXPECT_EQ(st.files.size(), 2u);
  EXPECT_EQ(st.complete_end, file.size() - 31);
  EXPECT_EQ(st.torn_bytes, 26u);
  repair_capture_tail(st);
  EXPECT_EQ(fs::file_size(dir / "mysql-bin.000010"), file.size() - 31);
  EXPECT_EQ(scan_capture_dir(dir.string()).torn_bytes, 0u);
}

TEST_F(CaptureDir, TornZstdTailIsRewrittenToWholeEvents) {
  ByteVec file = sample_binlog();
  ByteVec z = zstd_compress(file);
  write_file(dir / "mysql-bin.000001.zst", z);
  CaptureState clean = scan_capture_dir(dir.string());
  EXPECT_EQ(clean.compression, CaptureCompression::kZstd);
  EXPECT_EQ(clean.complete_end, file.size());
  EXPECT_FALSE(clean.rewrite);

  ByteVec cut(z.begin(), z.end() - 6);  // an unfinished frame
  write_file(dir / "mysql-bin.000001.zst", cut);
  CaptureState st = scan_capture_dir(dir.string());
  EXPECT_TRUE(st.rewrite);
  EXPECT_LT(st.complete_end, file.size());
  repair_capture_tail(st);
  ByteVec back = zstd_decompress(read_file(dir / "mysql-bin.000001.zst"));
  EXPECT_EQ(back.size(), st.complete_end);
  EXPECT_TRUE(std::equal(back.begin(), back.end(), file.begin()));
}

TEST_F(CaptureDir, MixedKindsAndNonBinlogsAreRefused) {
  write_file(dir / "mysql-bin.000001", sample_binlog());
  write_file(dir / "mysql-bin.000002.zst", zstd_compress(sample_binlog()));
  EXPECT_THROW(scan_capture_dir(dir.string()), std::runtime_error);
  fs::remove(dir / "mysql-bin.000002.zst");
  write_file(dir / "mysql-bin.000002", BodyBuilder().str("not a binlog at all, really").data());
  EXPECT_THROW(scan_capture_dir(dir.string()), std::runtime_error);
}

TEST_F(CaptureDir, WriterLaysOutTheServersFilesAndRefusesGaps) {
  ByteVec file = sample_binlog();
  // Split the sample into its events by walking sizes.
  std::vector<std::pair<uint64_t, ByteVec>> events;
  for (std::size_t pos = 4; pos < file.size();) {
    uint32_t size = protocol::load_le32(file.data() + pos + 9);
    events.emplace_back(pos, ByteVec(file.begin() + pos, file.begin() + pos + size));
    pos += size;
  }
  for (auto compression : {CaptureCompression::kNone, CaptureCompression::kZstd}) {
    fs::path sub = dir / (compression == CaptureCompression::kZstd ? "z" : "p");
    {
      CaptureWriter w(sub.string(), compression);
      for (const auto& [offset, ev] : events) w.write("b.000001", offset, span(ev));
      w.write("b.000002", 4, span(events[0].second));
      EXPECT_THROW(w.write("b.000002", 4 + events[0].second.size() + 1, span(events[1].second)),
                   std::runtime_error);
    }
    if (compression == CaptureCompression::kNone) {
      EXPECT_EQ(read_file(sub / "b.000001"), file);
      EXPECT_EQ(fs::file_size(sub / "b.000002"), 4 + events[0].second.size());
    } else {
      EXPECT_EQ(zstd_decompress(read_file(sub / "b.000001.zst")), file);
    }
    // Continuing a file appends (a new zstd frame for .zst).
    {
      CaptureWriter w(sub.string(), compression);
      w.write("b.000002", 4 + events[0].second.size(), span(events[1].second));
    }
    CaptureState st = scan_capture_dir(sub.string());
    EXPECT_EQ(st.file, "b.000002");
    EXPECT_EQ(st.complete_end, 4 + events[0].second.size() + events[1].second.size());
    EXPECT_EQ(st.torn_bytes, 0u);
    EXPECT_FALSE(st.rewrite);
  }
}

// Capture's resume policy (src/source/capture): a directory's capture and the
// request must agree, and nothing on disk is created or cut before the server has
// accepted the connection.

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

TEST_F(CaptureDir, ADirectoryOfOtherCompressionIsRefused) {
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

TEST_F(CaptureDir, AStartPointForADirectoryThatHoldsACaptureIsRefused) {
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

TEST_F(CaptureDir, NoConnectionCreatesNoDirectory) {
  CaptureOptions o;
  o.dir = (dir / "new").string();
  Capture capture(o, unreachable());
  EXPECT_THROW(capture.run(), ConnectionError);
  EXPECT_FALSE(fs::exists(dir / "new"));
}

TEST_F(CaptureDir, NoConnectionLeavesATornTailForTheNextTry) {
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
