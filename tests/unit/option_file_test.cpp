// Option files read line by line as the servers' mysys reads them. The same cases
// are checked against a real mariadbd in tests/live/option_file_server_test.cpp.
#include "src/config/option_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

namespace twinlog::config {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> rendered(const OptionFiles& files) {
  std::vector<std::string> out;
  for (const auto& o : files.options) {
    out.push_back("[" + o.group + "] " + o.name + (o.value ? "=" + *o.value : ""));
  }
  return out;
}

class TempDir {
 public:
  TempDir() {
    char name[] = "/tmp/twinlog-cnf-test-XXXXXX";
    path_ = ::mkdtemp(name);
  }
  ~TempDir() { fs::remove_all(path_); }
  std::string write(const std::string& name, const std::string& text) const {
    fs::path p = path_ / name;
    fs::create_directories(p.parent_path());
    std::ofstream(p) << text;
    fs::permissions(p, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read |
                           fs::perms::others_read);
    return p.string();
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

TEST(OptionFile, CommentsGroupsValuesAndBareNames) {
  auto files = read_option_text(
      "# comment\n"
      "  ; also a comment\n"
      "[mysqld]\n"
      "server-id = 1   # trailing comment\n"
      "log-slave-updates\n"
      "replicate-ignore-db = mysql,information_schema\n"
      "[MYSQLD ]\n"
      "empty=\n"
      "eq=a=b\n",
      "my.cnf");
  EXPECT_EQ(rendered(files),
            (std::vector<std::string>{"[mysqld] server-id=1", "[mysqld] log-slave-updates",
                                      "[mysqld] replicate-ignore-db=mysql,information_schema",
                                      "[MYSQLD] empty=", "[MYSQLD] eq=a=b"}));
  EXPECT_EQ(files.options[1].origin.text(), "my.cnf:5");
}

TEST(OptionFile, QuotesEscapesAndHashes) {
  auto files = read_option_text(
      "[mysqld]\n"
      "a=\"x y\" # c\n"
      "b='q''\n"
      "c=  '\n"
      "d=a\\\n"
      "e=\"a\\\"b\"#c\n"
      "f=a\\tb\\sc\\qd\\\\e\\n\n"
      "g=a#b\n"
      "h=\"a#b\"\n"
      "i='it''s'\n",
      "q.cnf");
  EXPECT_EQ(rendered(files), (std::vector<std::string>{
                                 "[mysqld] a=x y", "[mysqld] b=q'", "[mysqld] c='",
                                 "[mysqld] d=a\\", "[mysqld] e=a\"b", "[mysqld] f=a\tb c\\qd\\e\n",
                                 "[mysqld] g=a", "[mysqld] h=a#b", "[mysqld] i=it''s"}));
}

TEST(OptionFile, LeadingSpaceInsideBracketsIsPartOfTheGroupName) {
  auto files = read_option_text("[ mysqld ]\nx=1\n", "g.cnf");
  ASSERT_EQ(files.options.size(), 1u);
  EXPECT_EQ(files.options[0].group, " mysqld");
}

TEST(OptionFile, FatalLinesNameFileAndLine) {
  auto message = [](const std::string& text) {
    try {
      (void)read_option_text(text, "bad.cnf");
    } catch (const OptionFileError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(message("opt=1\n[mysqld]\n"),
            "bad.cnf:1: an option before any [group] (the server refuses to start)");
  EXPECT_EQ(message("[mysqld]\n[mysqld\nx=1\n"),
            "bad.cnf:2: a group name without its closing ']' (the server refuses to start)");
  EXPECT_EQ(message("[mysqld]\n!include\n"),
            "bad.cnf:2: '!include' without a file name (the server refuses to start)");
  EXPECT_NE(message("[mysqld]\n!includedir /nonexistent-twinlog-dir\n")
                .find("bad.cnf:2: cannot read the directory '/nonexistent-twinlog-dir'"),
            std::string::npos);
  EXPECT_THROW(read_option_files("/nonexistent-twinlog.cnf"), OptionFileError);
}

TEST(OptionFile, IncludesAndIncludeDirInNameOrder) {
  TempDir dir;
  for (std::string n : {"b.cnf", ".cnf", "A.cnf", "a.b.cnf", "10.cnf", "9.cnf", "x.conf"}) {
    dir.write("d/" + n, "[mysqld]\nf=" + n + "\n");
  }
  dir.write("inc.cnf", "[server]\nfrom_include=1\n");
  std::string top =
      dir.write("my.cnf", "[mysqld]\nfirst=1\n!include " + (dir.path() / "inc.cnf").string() +
                              "\n!include /nonexistent-twinlog.cnf\n!includedir " +
                              (dir.path() / "d").string() + "\nlast=1\n");
  auto files = read_option_files(top);
  EXPECT_EQ(rendered(files), (std::vector<std::string>{
                                 "[mysqld] first=1", "[server] from_include=1", "[mysqld] f=.cnf",
                                 "[mysqld] f=10.cnf", "[mysqld] f=9.cnf", "[mysqld] f=A.cnf",
                                 "[mysqld] f=a.b.cnf", "[mysqld] f=b.cnf", "[mysqld] last=1"}));
  // After an include the including file's group goes on.
  EXPECT_EQ(files.options.back().group, "mysqld");
  EXPECT_EQ(files.options.back().origin.line, 6u);
}

TEST(OptionFile, IncludesNestTenLevelsDeep) {
  TempDir dir;
  for (int i = 0; i <= 11; ++i) {
    std::string name = std::to_string(i), next = std::to_string(i + 1);
    std::string text = "[mysqld]\nlevel";
    text.append(name).append("=1\n!include ");
    text.append((dir.path() / ("f" + next + ".cnf")).string()).append("\n");
    dir.write("f" + name + ".cnf", text);
  }
  auto files = read_option_files((dir.path() / "f0.cnf").string());
  ASSERT_EQ(files.options.size(), 11u);  // levels 0..10
  EXPECT_EQ(files.options.back().name, "level10");
  ASSERT_EQ(files.warnings.size(), 1u);
  EXPECT_NE(files.warnings[0].find("nest at most 10 levels"), std::string::npos);
}

TEST(OptionFile, WorldWritableFileIsIgnored) {
  TempDir dir;
  std::string inc = dir.write("ww.cnf", "[mysqld]\nww=1\n");
  ::chmod(inc.c_str(), 0666);
  std::string top = dir.write("my.cnf", "[mysqld]\n!include " + inc + "\nok=1\n");
  auto files = read_option_files(top);
  EXPECT_EQ(rendered(files), (std::vector<std::string>{"[mysqld] ok=1"}));
  ASSERT_EQ(files.warnings.size(), 1u);
  EXPECT_NE(files.warnings[0].find("world-writable"), std::string::npos);
}

}  // namespace
}  // namespace twinlog::config
