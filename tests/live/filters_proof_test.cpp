// The filter rules proven against real servers: a generated workload (filter_workload.h)
// runs on A of a real pair under STATEMENT, ROW and MIXED, for each rule set below,
// and for every statement (every table's rows under ROW) what the servers did is
// compared with what twinlog predicts:
//   - A logged it: its marker is in A's binlog; twinlog: A's binlog-do/ignore-db
//     (checks::FilterRules) on the statement's default database, under ROW on each
//     table's database, for CREATE / DROP DATABASE on the database it names;
//   - B applied it: B's objects show its effect;
//   - B re-logged it: its marker is in B's binlog in an event with server id 1.
// Every disagreement fails the test and is printed with the rule set, format,
// marker, statement, both sides and the deciding rule. TWINLOG_PROOF_VERBOSE=1
// prints the whole truth table.
//
// Rule sets, and the mariadb-test-data suite/rpl/t tests whose -slave.opt /
// -master.opt rules and statements they take (adapted to the workload's dedicated
// objects and markers):
//   classic          samples/configs/master-a.cnf, master-b.cnf as they are (the
//                    runbook's pair; the cross-database trap under STATEMENT)
//   do-table         rpl_replicate_do (do-table test.t1), rpl_filter_tables_not_exist
//                    and rpl_filter_tables_dynamic (do t1..t3 / ignore t4..t6 in option
//                    file form; multi-table UPDATE whose first table decides), a
//                    table T7 matched by do-table test.t7 (table rules ignore case),
//                    rpl_ignore_table_update, rpl_err_ignoredtable
//   wild             rpl_multi_delete (wild-do test.%), rpl_multi_update4 (wild-do d1.%
//                    as db\_%.%), wild-ignore test.tmp% shadowed by wild-do test.%
//   wild-dynamic     rpl_filter_wild_tables_dynamic (wild-do test.a%, wild-ignore
//                    test.b% in option file form)
//   ignore-table     rpl_ignore_table (ignore test.t1..t3, wild-ignore %.tmptbl%),
//                    rpl_multi_update2 (ignore nothing.sensible: table rules that
//                    match nothing; accounts replicate)
//   ignore-grant     rpl_ignore_grant / rpl_ignore_revoke (wild-ignore mysql.%:
//                    GRANT / REVOKE / CREATE USER are put to the table rules with the
//                    grant tables, sql_acl.cc, and skipped)
//   rewrite          rpl_rewrt_db (rewrite test->dst after src->test: no chaining),
//                    rpl_rewrite_db_sys_vars (two rewrite rules), rpl_do_grant (no
//                    rules: accounts replicate)
//   rewrite-do-db    rewrite src->test with replicate-do-db=test on B, binlog-ignore-db
//                    on A
//   ignore-db        rpl_replicate_ignore_db (replicate-ignore-db)
//   dbs-dynamic      rpl_filter_dbs_dynamic (do-db db1 with ignore-db db2: the do list
//                    decides alone)
//   create-database  rpl_create_database (binlog-do-db and replicate-do-db lists;
//                    CREATE DATABASE of a listed name)
//   lcase-rewrite    rpl_lcase_tblnames_rewrite_db (B with lower_case_table_names=1
//                    rewrites A's B37656 by its lower-case name b37656)
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>

#include "src/checks/filter_check.h"
#include "src/checks/filter_rules.h"
#include "src/config/server_config.h"
#include "src/stream/event_stream.h"
#include "tests/live/filter_proof.h"
#include "tests/live/filter_workload.h"
#include "tests/live/sandbox_pair.h"

namespace twinlog::live {
namespace {

namespace fs = std::filesystem;

struct RuleSet {
  std::string name;
  // [mysqld] lines after the pair's common ones; nullopt: the sample cnf as it is.
  std::optional<std::vector<std::string>> a_lines, b_lines;
  WorkloadSpec spec;
  // Per format, names CREATE DATABASE uses first (listed in the rules).
  bool fresh_database_per_format = false;
};

void PrintTo(const RuleSet& rs, std::ostream* os) {
  *os << rs.name;
}

// What every master of a rule-set pair has besides its filter rules.
std::string pair_cnf(int server_id, const std::vector<std::string>& lines) {
  std::string text = "[mysqld]\nserver-id = " + std::to_string(server_id) +
                     "\nlog-bin = mysql-bin\nlog-slave-updates\nauto_increment_increment = 2\n"
                     "auto_increment_offset = " +
                     std::to_string(server_id) + "\nbinlog_checksum = CRC32\n";
  for (const auto& l : lines) {
    text += l + "\n";
  }
  return text;
}

WorkloadSpec spec(std::vector<std::string> databases, std::vector<std::string> tables,
                  std::vector<std::string> prefixes = {""},
                  std::vector<std::pair<std::string, std::string>> rewrites = {}) {
  WorkloadSpec s;
  s.databases = std::move(databases);
  s.tables = std::move(tables);
  s.ddl_prefixes = std::move(prefixes);
  s.rewrites = std::move(rewrites);
  return s;
}

std::vector<RuleSet> rule_sets() {
  std::vector<RuleSet> sets;
  sets.push_back(
      {"classic", std::nullopt, std::nullopt, spec({"test", "other", "mysql"}, {"t1", "t2"})});
  sets.push_back({"do_table", std::vector<std::string>{},
                  std::vector<std::string>{
                      "replicate-do-table = test.t1", "replicate-do-table = test.t2",
                      "replicate-do-table = test.t3", "replicate-ignore-table = test.t4",
                      "replicate-ignore-table = test.t5", "replicate-ignore-table = other.t1",
                      "replicate-do-table = test.t7"},
                  spec({"test", "other"}, {"t1", "t2", "t4", "T7"}, {"", "t"})});
  sets.push_back({"wild", std::vector<std::string>{},
                  std::vector<std::string>{"replicate-wild-do-table = test.%",
                                           "replicate-wild-ignore-table = test.tmp%",
                                           "replicate-wild-do-table = db\\_%.%"},
                  spec({"test", "db_1", "dbx1", "other"}, {"t1", "tmp1"}, {"", "tmp"})});
  sets.push_back({"wild_dynamic", std::vector<std::string>{},
                  std::vector<std::string>{"replicate-wild-do-table = test.a%",
                                           "replicate-wild-ignore-table = test.b%"},
                  spec({"test", "other"}, {"a1", "b1", "c1"}, {"a", "b"})});
  sets.push_back({"ignore_table", std::vector<std::string>{},
                  std::vector<std::string>{
                      "replicate-ignore-table = test.t1", "replicate-ignore-table = test.t2",
                      "replicate-ignore-table = test.t3", "replicate-wild-ignore-table = %.tmptbl%",
                      "replicate-ignore-table = nothing.sensible"},
                  spec({"test", "other"}, {"t1", "t3", "t4", "tmptbl1"}, {"", "tmptbl"})});
  sets.push_back({"ignore_grant", std::vector<std::string>{},
                  std::vector<std::string>{"replicate-wild-ignore-table = mysql.%"},
                  spec({"test", "other", "mysql"}, {"t1", "t2"})});
  sets.push_back({"rewrite", std::vector<std::string>{},
                  std::vector<std::string>{"replicate-rewrite-db = src->test",
                                           "replicate-rewrite-db = test -> dst",
                                           "replicate-rewrite-db = x->y"},
                  spec({"src", "test", "other", "dst"}, {"t1", "t2"}, {""},
                       {{"src", "test"}, {"test", "dst"}})});
  sets.push_back(
      {"rewrite_do_db", std::vector<std::string>{"binlog-ignore-db = other"},
       std::vector<std::string>{"replicate-rewrite-db = src->test", "replicate-do-db = test"},
       spec({"src", "test", "other"}, {"t1", "t2"}, {""}, {{"src", "test"}})});
  sets.push_back({"ignore_db", std::vector<std::string>{"binlog-ignore-db = mysql"},
                  std::vector<std::string>{"replicate-ignore-db = ign"},
                  spec({"test", "ign", "other"}, {"t1", "t2"})});
  sets.push_back({"dbs_dynamic", std::vector<std::string>{},
                  std::vector<std::string>{"replicate-do-db = db1", "replicate-ignore-db = db2"},
                  spec({"db1", "db2", "test"}, {"t1", "t2"})});
  sets.push_back(
      {"create_database",
       std::vector<std::string>{"binlog-do-db = sis", "binlog-do-db = pro",
                                "binlog-do-db = fresh_statement", "binlog-do-db = fresh_row",
                                "binlog-do-db = fresh_mixed"},
       std::vector<std::string>{"replicate-do-db = sis", "replicate-do-db = pro",
                                "replicate-do-db = fresh_statement", "replicate-do-db = fresh_row",
                                "replicate-do-db = fresh_mixed"},
       spec({"sis", "pro", "test"}, {"t1", "t2"}), true});
  sets.push_back({"lcase_rewrite", std::vector<std::string>{},
                  std::vector<std::string>{"lower-case-table-names = 1",
                                           "replicate-rewrite-db = b37656->bug37656"},
                  spec({"B37656", "test"}, {"t1", "t2"}, {""}, {{"B37656", "bug37656"}})});
  return sets;
}

constexpr const char* kFormats[] = {"STATEMENT", "ROW", "MIXED"};

config::ServerIdentity installed_server() {
  auto r = run_command("mariadbd --version");
  auto at = r.output.find("Ver ");
  protocol::ServerVersion v;
  if (at != std::string::npos) {
    std::sscanf(r.output.c_str() + at + 4, "%d.%d.%d", &v.major, &v.minor, &v.patch);
  }
  return {protocol::Flavor::kMariaDB, v};
}

std::string write_temp(const std::string& dir, const std::string& name, const std::string& text) {
  const std::string path = dir + "/" + name;
  std::ofstream(path) << text;
  return path;
}

// Runs a script file through the mariadb client on one server; throws with its output.
std::string run_script(const SandboxPair& pair, char server, const std::string& path,
                       const std::string& client_options = "") {
  return pair.sandbox_or_throw(std::string("client ") + server + " -N -B " + client_options +
                               " < " + shell_quote(path));
}

// "MARKER\tdb.table\t0|1" lines -> {(marker, "db.table") -> shown}
std::map<std::pair<int, std::string>, bool> read_effects(const std::string& output) {
  std::map<std::pair<int, std::string>, bool> out;
  for (const auto& line : split_lines(output)) {
    const size_t a = line.find('\t'), b = line.rfind('\t');
    if (a == std::string::npos || a == b) {
      continue;
    }
    out[{std::stoi(line.substr(0, a)), line.substr(a + 1, b - a - 1)}] = line.substr(b + 1) == "1";
  }
  return out;
}

struct FormatRun {
  std::string format;
  Workload workload;
  std::map<std::pair<int, std::string>, bool> b_effects;
};

std::string last_sql_error(const SandboxPair& pair) {
  return pair.slave_field('B', "Last_SQL_Errno") + " " + pair.slave_field('B', "Last_SQL_Error");
}

FormatRun run_format(const SandboxPair& pair, const RuleSet& rs, int format_index,
                     const std::string& tmp) {
  FormatRun run;
  run.format = kFormats[format_index];
  WorkloadSpec s = rs.spec;
  s.seed = std::hash<std::string>{}(rs.name) + static_cast<uint64_t>(format_index);
  s.first_marker = 1 + format_index * 1000;
  if (rs.fresh_database_per_format) {
    std::string lower = run.format;
    for (auto& c : lower) c = static_cast<char>(std::tolower(c));
    s.fresh_databases = {"fresh_" + lower};
  }
  s.load_dir = tmp;
  run.workload = make_filter_workload(s);
  const Workload& w = run.workload;
  for (const auto& [path, content] : w.files) {
    std::ofstream(path) << content;
  }

  std::string setup = "SET SESSION sql_log_bin=0;\n";
  for (const auto& line : w.setup) {
    setup += line + ";\n";
  }
  const std::string setup_path = write_temp(tmp, "setup-" + run.format + ".sql", setup);
  run_script(pair, 'A', setup_path);
  run_script(pair, 'B', setup_path);

  const std::string checks_path =
      write_temp(tmp, "checks-" + run.format + ".sql", effect_check_script(w));
  // Every check reads 0 before the run on both servers.
  for (char server : {'A', 'B'}) {
    for (const auto& [key, shown] : read_effects(run_script(pair, server, checks_path))) {
      EXPECT_FALSE(shown) << rs.name << " " << run.format << ": check of twl " << key.first << " "
                          << key.second << " reads 1 on " << server << " before the run";
    }
  }

  std::string script;
  for (const auto& line : w.script) {
    script += line + "\n";
  }
  const std::string script_path = write_temp(tmp, "workload-" + run.format + ".sql", script);
  run_script(pair, 'A', script_path, "--comments --local-infile=1");
  try {
    pair.wait_sync(120);
  } catch (const std::exception& e) {
    ADD_FAILURE() << rs.name << " " << run.format << ": B stopped: " << last_sql_error(pair);
    throw;
  }
  // A applied everything: each check reads 1 there, or the check is wrong.
  for (const auto& [key, shown] : read_effects(run_script(pair, 'A', checks_path))) {
    EXPECT_TRUE(shown) << rs.name << " " << run.format << ": check of twl " << key.first << " "
                       << key.second << " reads 0 on A after the run";
  }
  run.b_effects = read_effects(run_script(pair, 'B', checks_path));
  return run;
}

std::string mirror_of(const WorkloadSpec& spec, const std::string& database) {
  for (const auto& [from, to] : spec.rewrites) {
    if (from == database) return to;
  }
  return database;
}

// twinlog's decision for every marker of A's binlog: (marker, "") for a statement,
// (marker, "db.table") for one table's rows.
using Predictions = std::map<std::pair<int, std::string>, checks::StatementDecision>;

Predictions predict(const std::vector<std::string>& a_binlogs, const config::ServerConfig& a,
                    const config::ServerConfig& b,
                    const std::vector<WorkloadStatement>& statements) {
  Predictions out;
  checks::FilterCheck check(a, b, "A", "B");
  auto take = [&](const checks::TransactionDecision* decision) {
    if (decision == nullptr) {
      return;
    }
    for (const auto& d : decision->statements) {
      if (const auto marker = marker_in(d.text, statements)) {
        out[{*marker, d.row_format ? d.database + "." + d.table : std::string()}] = d;
      }
    }
  };
  auto stream = EventStream::from_files(a_binlogs, StreamOptions{});
  StreamEvent event;
  while (stream.next(event)) {
    take(check.add(event));
  }
  take(check.finish());
  return out;
}

void fill_prediction(ProofRow& row, const Predictions& predictions) {
  const auto it = predictions.find({row.marker, row.table});
  if (it == predictions.end()) {
    return;
  }
  const auto& d = it->second;
  row.prediction.decided = true;
  row.prediction.applied = checks::outcome_name(d.applied);
  row.prediction.relogged = checks::outcome_name(d.relogged);
  row.prediction.rule = d.rule;
  row.prediction.relog_rule = d.relog_rule;
}

// The truth and the "A logged" prediction of every statement (every table's rows).
std::vector<ProofRow> proof_rows(const RuleSet& rs, const FormatRun& run,
                                 const std::map<int, LoggedMarker>& a_logged,
                                 const std::map<int, LoggedMarker>& b_logged,
                                 const checks::FilterRules& a_rules) {
  std::vector<ProofRow> rows;
  for (const auto& s : run.workload.statements) {
    const auto a = a_logged.find(s.marker);
    const auto b = b_logged.find(s.marker);
    const bool a_any = a != a_logged.end();
    const bool b_any = b != b_logged.end();
    const bool row_mode = a_any ? (!a->second.row_tables.empty() && !a->second.statement)
                                : (!s.always_statement &&
                                   (run.format == "ROW" || (run.format == "MIXED" && s.unsafe)));
    auto base = [&] {
      ProofRow r;
      r.rule_set = rs.name;
      r.format = run.format;
      r.marker = s.marker;
      r.statement = s.sql;
      if (s.default_db) {
        r.statement = "USE " + *s.default_db + "; " + r.statement;
      } else {
        r.statement = "(no default database) " + r.statement;
      }
      return r;
    };
    if (!row_mode) {
      ProofRow r = base();
      r.truth.logged_a = a_any && a->second.statement;
      for (const auto& e : s.effects) {
        auto it = run.b_effects.find({s.marker, e.database + "." + e.table});
        r.truth.applied_b = r.truth.applied_b || (it != run.b_effects.end() && it->second);
      }
      r.truth.relogged_b = b_any && (b->second.statement || !b->second.row_tables.empty());
      // The server tests CREATE / DROP DATABASE against the database it names
      // (the event's database), every other statement against the default one.
      const std::optional<std::string_view> db =
          s.named_database
              ? std::optional<std::string_view>(*s.named_database)
              : (s.default_db ? std::optional<std::string_view>(*s.default_db) : std::nullopt);
      const auto verdict = a_rules.binlog_db_ok(db);
      r.prediction.logged_a = verdict.pass;
      r.prediction.logged_rule = verdict.rule;
      rows.push_back(std::move(r));
      continue;
    }
    for (const auto& e : s.effects) {
      ProofRow r = base();
      r.table = e.database + "." + e.table;
      r.truth.logged_a = a_any && a->second.row_tables.count(r.table) > 0;
      auto it = run.b_effects.find({s.marker, r.table});
      r.truth.applied_b = it != run.b_effects.end() && it->second;
      const std::string mirrored = mirror_of(rs.spec, e.database) + "." + e.table;
      r.truth.relogged_b = b_any && (b->second.row_tables.count(r.table) > 0 ||
                                     b->second.row_tables.count(mirrored) > 0);
      const auto verdict = a_rules.binlog_db_ok(e.database);
      r.prediction.logged_a = verdict.pass;
      r.prediction.logged_rule = verdict.rule;
      rows.push_back(std::move(r));
    }
  }
  return rows;
}

class FiltersProof : public ::testing::TestWithParam<RuleSet> {};

TEST_P(FiltersProof, ServersDoWhatTwinlogPredicts) {
  const RuleSet& rs = GetParam();
  char tmpl[] = "/tmp/twinlog-proof-XXXXXX";
  ASSERT_NE(::mkdtemp(tmpl), nullptr);
  const std::string tmp = tmpl;
  std::vector<std::string> start_args;
  if (rs.a_lines) {
    start_args.insert(start_args.end(),
                      {"--cnf-a", write_temp(tmp, "master-a.cnf", pair_cnf(1, *rs.a_lines))});
  }
  if (rs.b_lines) {
    start_args.insert(start_args.end(),
                      {"--cnf-b", write_temp(tmp, "master-b.cnf", pair_cnf(2, *rs.b_lines))});
  }
  const auto identity = installed_server();
  std::vector<ProofRow> rows;
  for (int f = 0; f < 3; ++f) {
    // A pair per format, started with it (--format writes binlog_format into both
    // cnf files): the configuration twinlog reads is the one the servers run.
    std::vector<std::string> args = start_args;
    args.insert(args.end(), {"--format", kFormats[f]});
    auto pair = SandboxPair::start(args);
    const auto a_config =
        config::read_server_config(trim(pair->sandbox_or_throw("cnf A")), identity);
    const auto b_config =
        config::read_server_config(trim(pair->sandbox_or_throw("cnf B")), identity);
    const FormatRun run = run_format(*pair, rs, f, tmp);
    const auto& statements = run.workload.statements;
    const auto a_logged = logged_markers(pair->binlog_text('A'), 1, statements);
    const auto b_logged = logged_markers(pair->binlog_text('B'), 1, statements);
    auto format_rows = proof_rows(rs, run, a_logged, b_logged, checks::FilterRules(a_config));
    const Predictions predictions = predict(pair->binlogs('A'), a_config, b_config, statements);
    for (auto& row : format_rows) {
      fill_prediction(row, predictions);
    }
    rows.insert(rows.end(), format_rows.begin(), format_rows.end());
  }

  const bool verbose = std::getenv("TWINLOG_PROOF_VERBOSE") != nullptr;
  size_t failures = 0;
  for (const auto& row : rows) {
    const auto wrong = disagreements(row);
    if (verbose || !wrong.empty()) {
      std::printf("%s\n", describe(row).c_str());
    }
    for (const auto& w : wrong) {
      ++failures;
      ADD_FAILURE() << describe(row) << "\n    DISAGREE: " << w;
    }
  }
  std::printf("%s: %zu units over 3 formats, %zu disagreements\n", rs.name.c_str(), rows.size(),
              failures);
  fs::remove_all(tmp);
}

INSTANTIATE_TEST_SUITE_P(RuleSets, FiltersProof, ::testing::ValuesIn(rule_sets()),
                         [](const ::testing::TestParamInfo<RuleSet>& info) {
                           return info.param.name;
                         });

// The comparison itself, without servers: a test that cannot fail proves nothing.
TEST(FiltersProofComparison, CatchesAWrongPrediction) {
  ProofRow row;
  row.rule_set = "classic";
  row.format = "STATEMENT";
  row.marker = 7;
  row.statement = "USE test; UPDATE /* twl 7 */ other.t1 SET v = v + 1 WHERE id = 7";
  row.truth = {true, true, true};
  row.prediction.logged_a = true;
  row.prediction.decided = true;
  row.prediction.applied = "true";
  row.prediction.relogged = "true";
  EXPECT_TRUE(disagreements(row).empty());

  ProofRow wrong = row;
  wrong.prediction.applied = "false";  // the cross-database trap predicted the wrong way
  wrong.prediction.rule = "replicate-do-db=test";
  auto found = disagreements(wrong);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_NE(found[0].find("B applied: server true, twinlog false"), std::string::npos);

  wrong = row;
  wrong.prediction.relogged = "cannot tell";
  found = disagreements(wrong);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_NE(found[0].find("B re-logged"), std::string::npos);

  wrong = row;
  wrong.prediction.decided = false;
  EXPECT_EQ(disagreements(wrong).size(), 1u);

  wrong = row;
  wrong.truth = {false, false, false};
  wrong.prediction.logged_a = true;
  found = disagreements(wrong);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_NE(found[0].find("A logged: server false, twinlog true"), std::string::npos);

  wrong.truth.applied_b = true;  // B changed although A never logged it: the run is wrong
  EXPECT_EQ(disagreements(wrong).size(), 2u);
}

TEST(FiltersProofComparison, ReadsMarkersFromBinlogText) {
  // mariadb-binlog -vv output as the servers write it (trimmed).
  const std::string text =
      "#261126  2:09:08 server id 1  end_log_pos 644 CRC32 0xd2cafec8 \tQuery\tthread_id=16\n"
      "use `test`/*!*/;\n"
      "UPDATE /* twl 2 */ other.t1 SET v = v + 1 WHERE id = 2\n"
      "#261126  2:09:08 server id 1  end_log_pos 675 CRC32 0x3b91c097 \tXid = 44\n"
      "#261126  2:09:59 server id 1  end_log_pos 1108 CRC32 0x7e26d410 \tAnnotate_rows:\n"
      "#Q> UPDATE /* twl 6 */ test.t1 a JOIN other.t1 b ON b.id = a.id SET a.v = 1\n"
      "#261126  2:09:59 server id 1  end_log_pos 1157 CRC32 0xf262e5ec \tTable_map: `test`.`t1` "
      "mapped to number 23\n"
      "#261126  2:09:59 server id 1  end_log_pos 1190 CRC32 0xf262e5ec \tTable_map: `other`.`t1` "
      "mapped to number 24\n"
      "#261126  2:09:59 server id 1  end_log_pos 1209 CRC32 0xa352582d \tUpdate_rows: table id 23\n"
      "#261126  2:09:59 server id 1  end_log_pos 1240 CRC32 0x139176f5 \tXid = 60\n"
      "#261126  2:10:00 server id 2  end_log_pos 1400 CRC32 0x139176f5 \tQuery\tthread_id=3\n"
      "INSERT /* twl 9 */ INTO test.t1 VALUES (9)\n"
      "#261126  2:10:01 server id 1  end_log_pos 1500 CRC32 0x139176f5 \tQuery\tthread_id=3\n"
      "DROP TABLE `other`.`p12` /* generated by server */\n";
  WorkloadStatement drop;
  drop.marker = 12;
  drop.binlog_token = "`p12` /* generated by server */";
  const auto marks = logged_markers(text, 1, {drop});
  ASSERT_EQ(marks.size(), 3u);  // 9 was written by server 2
  EXPECT_TRUE(marks.at(2).statement);
  EXPECT_TRUE(marks.at(2).row_tables.empty());
  EXPECT_FALSE(marks.at(6).statement);
  EXPECT_EQ(marks.at(6).row_tables, (std::set<std::string>{"test.t1", "other.t1"}));
  EXPECT_TRUE(marks.at(12).statement);
  EXPECT_EQ(logged_markers(text, 2, {}).count(9), 1u);
}

TEST(FiltersProofWorkload, MixesEveryShapeDeterministically) {
  WorkloadSpec s;
  s.seed = 42;
  s.load_dir = "/tmp";
  const Workload w = make_filter_workload(s);
  ASSERT_GE(w.statements.size(), 300u);
  std::set<std::string> shapes;
  std::set<int> markers;
  bool no_default = false, in_transaction = false;
  for (const auto& st : w.statements) {
    shapes.insert(st.shape);
    markers.insert(st.marker);
    no_default = no_default || !st.default_db;
    EXPECT_FALSE(st.effects.empty()) << st.sql;
    EXPECT_EQ(marker_in(st.sql, w.statements), st.marker) << st.sql;
  }
  for (const auto& line : w.script) {
    in_transaction = in_transaction || line == "BEGIN;";
  }
  EXPECT_EQ(markers.size(), w.statements.size());
  EXPECT_TRUE(no_default);
  EXPECT_TRUE(in_transaction);
  for (const char* shape : {"insert",
                            "insert-unsafe",
                            "update",
                            "delete",
                            "replace",
                            "multi-update",
                            "multi-update-one",
                            "multi-delete",
                            "multi-delete-one",
                            "insert-select",
                            "create-table",
                            "drop-table",
                            "alter-table",
                            "rename-table",
                            "rename-cross",
                            "truncate-table",
                            "create-index",
                            "drop-index",
                            "create-database",
                            "drop-database",
                            "alter-database",
                            "create-table-like",
                            "drop-tables",
                            "create-user",
                            "grant",
                            "revoke",
                            "multi-update-comma",
                            "multi-delete-using",
                            "insert-on-duplicate",
                            "replace-select",
                            "load-data"}) {
    EXPECT_EQ(shapes.count(shape), 1u) << shape;
  }
  const Workload again = make_filter_workload(s);
  EXPECT_EQ(again.script, w.script);
  EXPECT_EQ(again.setup, w.setup);
}

}  // namespace
}  // namespace twinlog::live
