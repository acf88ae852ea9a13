// The binlogs in samples/ were written by real MariaDB 10.11 servers (tools/sandbox,
// tools/make-samples): every column type, FULL and MINIMAL metadata, MINIMAL and
// NOBLOB row images, log_bin_compress, no checksum, STATEMENT, GTID. Each decodes
// to its end, and its event positions and every row line agree with what
// mariadb-binlog -vv --base64-output=decode-rows prints for the same file.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <regex>
#include <sstream>

#include "tests/corpus/corpus_support.h"

namespace twinlog::corpus {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> sample_binlogs() {
  std::vector<std::string> files;
  const fs::path root(TWINLOG_SAMPLES_DIR);
  if (!fs::exists(root)) return files;
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    if (e.is_regular_file() && e.path().filename().string().rfind("mysql-bin.0", 0) == 0) {
      files.push_back(e.path().string());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string mariadb_binlog(const std::string& path) {
  // Both masters of a pair write GTID domain 0, so sequence numbers are not monotonic:
  // mariadb-binlog refuses that unless told not to be strict.
  const std::string cmd =
      "TZ=UTC mariadb-binlog --no-defaults --skip-gtid-strict-mode -vv "
      "--base64-output=decode-rows '" +
      path + "' 2>&1";
  std::string out;
  FILE* p = ::popen(cmd.c_str(), "r");
  std::array<char, 65536> buf;
  std::size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
  EXPECT_EQ(::pclose(p), 0) << out.substr(out.size() > 2000 ? out.size() - 2000 : 0);
  return out;
}

std::string rtrim(std::string s) {
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

// Whether twinlog's row line says the same as mysqlbinlog's.
bool same_row_line(const std::string& theirs_full, const std::string& ours) {
  const std::string theirs = rtrim(theirs_full.substr(
      0, theirs_full.rfind(" /* ") == std::string::npos ? theirs_full.size()
                                                        : theirs_full.rfind(" /* ")));
  if (theirs == ours) return true;
  static const std::regex both(R"((###   @\d+=)(-?\d+) \((\d+)\))");
  std::smatch m;
  // Integers of unknown sign: mysqlbinlog gives both readings; twinlog the one the
  // column metadata says (or both, the same way).
  if (std::regex_match(theirs, m, both))
    return ours == m[1].str() + m[2].str() || ours == m[1].str() + m[3].str();
  static const std::regex bitset(R"((###   @\d+=)b'([01]+)')");
  if (theirs_full.find(" SET(") != std::string::npos && std::regex_match(theirs, m, bitset)) {
    return ours == m[1].str() + "b'" + set_bits_as_value(m[2].str()) + "'";
  }
  return false;
}

class SandboxSamples : public ::testing::TestWithParam<std::string> {};

TEST(SandboxSamplesPresence, SamplesCoverTheVariants) {
  const auto files = sample_binlogs();
  EXPECT_GE(files.size(), 10u);
  for (const char* variant : {"row-full", "row-minimal", "row-noblob", "row-compressed",
                              "row-checksum-none", "statement", "row-gtid"}) {
    EXPECT_TRUE(
        fs::exists(fs::path(TWINLOG_SAMPLES_DIR) / "binlogs" / variant / "mysql-bin.000001"))
        << variant;
  }
}

TEST_P(SandboxSamples, AgreesWithMariadbBinlog) {
  const std::string path = GetParam();
  ReadResult r = read_binlog(path, true);
  ASSERT_FALSE(r.error) << r.error->what();
  ASSERT_TRUE(r.warnings.empty()) << r.warnings.front();
  const std::vector<std::string> theirs = text_lines(mariadb_binlog(path));

  std::vector<uint64_t> positions;
  std::vector<std::string> rows;
  for (const auto& line : theirs) {
    if (line.rfind("# at ", 0) == 0) positions.push_back(std::stoull(line.substr(5)));
    if (line.rfind("###", 0) == 0) rows.push_back(line);
  }
  EXPECT_EQ(r.offsets, positions);
  ASSERT_EQ(r.row_lines.size(), rows.size());
  int mismatches = 0;
  for (std::size_t i = 0; i < rows.size() && mismatches < 5; ++i) {
    if (!same_row_line(rows[i], r.row_lines[i])) {
      ++mismatches;
      ADD_FAILURE() << "row line " << i << "\n  mariadb-binlog: " << rows[i]
                    << "\n  twinlog:        " << r.row_lines[i];
    }
  }
}

std::string test_name(const ::testing::TestParamInfo<std::string>& info) {
  std::string s = info.param.substr(std::string(TWINLOG_SAMPLES_DIR).size() + 1);
  for (char& c : s) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return s;
}

INSTANTIATE_TEST_SUITE_P(Files, SandboxSamples, ::testing::ValuesIn(sample_binlogs()), test_name);

}  // namespace
}  // namespace twinlog::corpus
