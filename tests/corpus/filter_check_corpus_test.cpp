// The filter check over every binlog of ../shared/corpus (MySQL 5.0 to 9.x, MariaDB
// 5.5 to 11.x) and mariadb-test-data's old 4.1 file: one decision per transaction the
// assembler finds (none lost, none invented), each with its rule, and the old LOAD
// events decided as the LOAD DATA they are.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "src/checks/filter_check.h"

namespace twinlog::checks {
namespace {

namespace fs = std::filesystem;

const config::ServerIdentity kMaria{protocol::Flavor::kMariaDB, protocol::ServerVersion{10, 11, 6}};

config::ServerConfig sample_config(const char* name) {
  return config::read_server_config(std::string(TWINLOG_SAMPLES_DIR) + "/configs/" + name, kMaria);
}

struct Counted {
  std::vector<TransactionDecision> decisions;
  uint64_t assembled = 0;
};

Counted decide(const std::string& path) {
  Counted c;
  FilterCheck check(sample_config("master-a.cnf"), sample_config("master-b.cnf"), "A", "B");
  TransactionAssembler assembler;
  EventStream stream = EventStream::from_files({path}, {});
  try {
    StreamEvent se;
    while (stream.next(se)) {
      assembler.add(se);
      if (assembler.completed()) ++c.assembled;
      if (const TransactionDecision* d = check.add(se)) c.decisions.push_back(*d);
    }
  } catch (const SourceError&) {
    // A broken file: both saw the same events up to the error.
  }
  if (assembler.finish()) ++c.assembled;
  if (const TransactionDecision* d = check.finish()) c.decisions.push_back(*d);
  return c;
}

std::vector<std::string> corpus_binlogs() {
  std::vector<std::string> files;
  const std::string corpus = std::string(TWINLOG_SHARED_DIR) + "/corpus";
  std::ifstream in(corpus + "/facts.json");
  if (!in) return files;
  const nlohmann::json facts = nlohmann::json::parse(in);
  for (const auto& [name, _] : facts["files"].items()) {
    std::string path = corpus;
    files.push_back(path.append("/").append(name));
  }
  std::sort(files.begin(), files.end());
  return files;
}

TEST(FilterCheckCorpus, OneDecisionPerTransactionInEveryFile) {
  const auto files = corpus_binlogs();
  ASSERT_GE(files.size(), 131u);
  uint64_t transactions = 0;
  for (const auto& f : files) {
    const Counted c = decide(f);
    EXPECT_EQ(c.decisions.size(), c.assembled) << f;
    for (const auto& d : c.decisions) {
      EXPECT_FALSE(d.rule.empty()) << f << " at " << d.transaction.start;
      for (const auto& s : d.statements) EXPECT_FALSE(s.rule.empty()) << f << " at " << s.position;
    }
    transactions += c.decisions.size();
  }
  EXPECT_GT(transactions, 1000u);
}

TEST(FilterCheckCorpus, OldLoadEventsAreLoadDataIntoTheirTable) {
  const std::string path = std::string(TWINLOG_MARIADB_TEST_DIR) +
                           "/suite/binlog/std_data/binlog_old_version_4_1.000001";
  ASSERT_TRUE(fs::exists(path)) << path;
  const Counted c = decide(path);
  bool found = false;
  for (const auto& d : c.decisions) {
    for (const auto& s : d.statements) {
      if (s.text != "LOAD DATA INFILE 'big_file.dat' INTO TABLE t3") continue;
      found = true;
      EXPECT_EQ(s.position, 580u);
      EXPECT_EQ(s.database, "test");
      EXPECT_EQ(s.table, "test.t3");
      EXPECT_EQ(s.applied, Outcome::kYes);
    }
  }
  EXPECT_TRUE(found);
}

}  // namespace
}  // namespace twinlog::checks
