// The event stream over files: plain, .zst, several in sequence; errors name the
// file and offset; bad input (every prefix, flipped bytes) ends cleanly.
#include <gtest/gtest.h>
#include <zstd.h>

#include <filesystem>
#include <fstream>

#include "src/print/binlog_stats.h"
#include "src/print/event_printer.h"
#include "src/source/memory_source.h"
#include "src/stream/event_stream.h"
#include "tests/support/event_builder.h"

namespace twinlog {
namespace {

namespace fs = std::filesystem;
using protocol::EventType;
using testing::BodyBuilder;
using testing::ByteVec;
using testing::make_binlog;
using testing::make_event;
using testing::make_fde;

// test.t (INT, VARCHAR(40) NULL) and one row (7, "abc") in a transaction.
ByteVec sample_binlog() {
  const ByteVec row = BodyBuilder().u8(0).u32(7).u8(3).str("abc");
  return make_binlog({make_fde(), testing::query_event("test", "BEGIN"),
                      testing::table_map_event({.types = testing::byte_vec({3, 15}),
                                                .meta = BodyBuilder().u16(40),
                                                .nulls = testing::byte_vec({0x02})}),
                      testing::rows_event(EventType::kWriteRowsV1, {.columns = 2, .rows = row}),
                      testing::xid_event(9)});
}

class TempDir {
 public:
  TempDir()
      : path_(fs::temp_directory_path() /
              ("twinlog-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter_++))) {
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  std::string write(const std::string& name, const ByteVec& bytes) const {
    std::string p = (path_ / name).string();
    std::ofstream(p, std::ios::binary)
        .write(reinterpret_cast<const char*>(bytes.data()),
               static_cast<std::streamsize>(bytes.size()));
    return p;
  }

 private:
  static inline int counter_ = 0;
  fs::path path_;
};

std::vector<std::string> event_types(EventStream& stream) {
  std::vector<std::string> types;
  StreamEvent se;
  while (stream.next(se))
    types.emplace_back(protocol::event_type_constant(se.view->header.type_code));
  return types;
}

TEST(EventStream, ReadsPlainAndZstdFilesInSequence) {
  TempDir dir;
  ByteVec file = sample_binlog();
  ByteVec zst(ZSTD_compressBound(file.size()));
  zst.resize(ZSTD_compress(zst.data(), zst.size(), file.data(), file.size(), 3));
  auto plain = dir.write("mysql-bin.000001", file);
  auto packed = dir.write("mysql-bin.000002.zst", zst);
  EventStream stream = EventStream::from_files({plain, packed}, {});
  auto types = event_types(stream);
  ASSERT_EQ(types.size(), 10u);
  EXPECT_EQ(types[0], "FORMAT_DESCRIPTION_EVENT");
  EXPECT_EQ(types[5], "FORMAT_DESCRIPTION_EVENT");
  EXPECT_EQ(types[8], "WRITE_ROWS_EVENT_V1");
}

TEST(EventStream, TruncatedFileNamesFileAndOffset) {
  TempDir dir;
  ByteVec file = sample_binlog();
  file.resize(file.size() - 3);
  auto path = dir.write("cut.bin", file);
  EventStream stream = EventStream::from_files({path}, {});
  StreamEvent se;
  int n = 0;
  try {
    while (stream.next(se)) ++n;
    FAIL() << "no error";
  } catch (const SourceError& e) {
    EXPECT_EQ(n, 4);
    EXPECT_EQ(e.file(), path);
    EXPECT_EQ(e.offset(), file.size() - (19 + 8 + 4 - 3));
    EXPECT_NE(std::string(e.what()).find("truncated event"), std::string::npos);
  }
}

TEST(EventStream, TruncatedZstdFileIsAnError) {
  TempDir dir;
  ByteVec file = sample_binlog();
  ByteVec zst(ZSTD_compressBound(file.size()));
  zst.resize(ZSTD_compress(zst.data(), zst.size(), file.data(), file.size(), 3));
  zst.resize(zst.size() - 5);
  auto path = dir.write("cut.zst", zst);
  EventStream stream = EventStream::from_files({path}, {});
  EXPECT_THROW(event_types(stream), SourceError);
}

TEST(EventStream, MissingFileAndDirectoryAreErrors) {
  TempDir dir;
  EventStream missing = EventStream::from_files({"/nonexistent/twinlog.000001"}, {});
  EXPECT_THROW(event_types(missing), SourceError);
  EventStream directory = EventStream::from_files({fs::temp_directory_path().string()}, {});
  EXPECT_THROW(event_types(directory), SourceError);
}

TEST(EventStream, UnknownEventTypeWarnsOrFailsWithStrict) {
  auto file = make_binlog({make_fde("8.0.36"), make_event(100, BodyBuilder().u32(0))});
  for (bool strict : {false, true}) {
    StreamOptions options;
    options.strict = strict;
    EventStream stream(memory_binlog_opener("mem", ByteSpan(file.data(), file.size())), options);
    std::vector<std::string> warnings;
    stream.on_warning([&](const StreamWarning& w) { warnings.push_back(w.message); });
    if (strict) {
      EXPECT_THROW(event_types(stream), SourceError);
    } else {
      EXPECT_EQ(event_types(stream).size(), 2u);
      ASSERT_EQ(warnings.size(), 1u);
      EXPECT_NE(warnings[0].find("unknown event type 100"), std::string::npos);
    }
  }
}

// Reads a binlog in memory through the stream, both printers and the stats.
// Returns true at a clean end, false at a clean error; anything else fails the test.
bool read_everything(const ByteVec& bytes) {
  StreamOptions options;
  options.verify_checksum = false;
  EventStream stream(memory_binlog_opener("mem", ByteSpan(bytes.data(), bytes.size())), options);
  EventPrinter text(OutputFormat::kText), json(OutputFormat::kJsonLines);
  BinlogStats stats;
  std::string out;
  try {
    StreamEvent se;
    while (stream.next(se)) {
      out.clear();
      text.print(se, out);
      json.print(se, out);
      stats.add(se);
    }
    stats.finish();
    return true;
  } catch (const SourceError&) {
    return false;
  }
}

std::vector<ByteVec> sample_files() {
  std::vector<ByteVec> files{sample_binlog()};
  const fs::path samples(TWINLOG_SAMPLES_DIR);
  if (fs::exists(samples)) {
    for (const auto& e : fs::recursive_directory_iterator(samples)) {
      const auto name = e.path().filename().string();
      if (!e.is_regular_file() || name.rfind("mysql-bin.0", 0) != 0 || e.file_size() > 64 * 1024)
        continue;
      std::ifstream in(e.path(), std::ios::binary);
      std::string s((std::istreambuf_iterator<char>(in)), {});
      ByteVec v(s.size());
      std::memcpy(v.data(), s.data(), s.size());
      files.push_back(std::move(v));
      if (files.size() >= 4) break;
    }
  }
  return files;
}

TEST(BadInput, EveryPrefixEndsCleanly) {
  for (const ByteVec& file : sample_files()) {
    ASSERT_TRUE(read_everything(file));
    for (std::size_t n = 0; n < file.size(); ++n) {
      ByteVec prefix(file.begin(), file.begin() + static_cast<std::ptrdiff_t>(n));
      read_everything(prefix);  // either outcome, but clean (sanitizers watch)
    }
  }
}

TEST(BadInput, FlippedBytesEndCleanly) {
  for (const ByteVec& file : sample_files()) {
    for (std::size_t i = 4; i < file.size(); ++i) {
      for (uint8_t mask : {0x01, 0x80, 0xff}) {
        ByteVec copy = file;
        copy[i] ^= std::byte{mask};
        read_everything(copy);
      }
    }
  }
}

}  // namespace
}  // namespace twinlog
