// decode's text: what mariadb-binlog prints for the same events, line for line,
// so that it reads the same and replays the same into a server (`| mariadb`).
// mariadb-binlog prints each statement with the session settings it depends on,
// but only the ones that changed since the last statement of the file
// (client/mysqlbinlog.cc and sql/log_event_client.cc, PRINT_EVENT_INFO); this
// class keeps the same memory, one per file, and holds row events back until
// their statement ends, as mariadb-binlog's head / body / tail caches do.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "src/print/base64_output.h"
#include "src/print/row_text.h"
#include "src/stream/event_stream.h"

namespace twinlog {

class TextPrinter {
 public:
  explicit TextPrinter(TextOptions options) : options_(options), rewrite_(options_.rewrite_db) {}
  // Appends the text of one event to `out`. Row values that fail to decode, and
  // a row event under --base64-output=never, throw SourceError.
  void print(const StreamEvent& se, std::string& out);
  // Appends what mariadb-binlog prints after the last event (the end of the
  // last file, the closing session lines). Nothing when no event was printed.
  void finish(std::string& out);
  // The input stopped with an error (a truncated or encrypted event): what was held
  // back for the statement it cut is dropped and the closing lines follow, as
  // mariadb-binlog prints them after its "ERROR: ... read_log_event()". The
  // caller still reports the error and exits non-zero.
  void finish_after_error(std::string& out);
  // Only the `# at` line of `se`, which --database / --table left out, as
  // mariadb-binlog prints it (nothing under --short-form).
  void print_position(const StreamEvent& se, std::string& out);
  // A statement ended without its last rows event printed (decode's --database /
  // --table left it out): the rows held back are printed, an ANNOTATE_ROWS whose
  // tables were all left out is dropped.
  void end_statement(std::string& out);

 private:
  // What mariadb-binlog remembers of the session between events of one file.
  struct Session {
    std::string db;
    bool thread_id_printed = false;
    uint32_t thread_id = 0;
    bool flags2_known = false;
    uint32_t flags2 = 0;
    bool sql_mode_known = false;
    uint64_t sql_mode = 0;
    uint32_t auto_increment_increment = 0, auto_increment_offset = 0;
    bool charset_known = false;
    uint16_t charset[3] = {0, 0, 0};
    std::string time_zone;
    uint32_t lc_time_names = ~0u;
    uint32_t collation_database = ~0u;
    bool allow_parallel_printed = false, allow_parallel = true;
    bool domain_id_printed = false, server_id_printed = false;
    uint32_t domain_id = 0, server_id = 0;
    uint8_t gtid_flags = 0;
  };

  void start_file(const std::string& file, std::string& out);
  void end_file(std::string& out);
  void flush_head(std::string& out);
  void append_header_line(const StreamEvent& se, std::string& out);
  void print_short(const StreamEvent& se, std::string& out);
  void print_format(const StreamEvent& se, bool created, std::string& out);
  void print_query(const StreamEvent& se, const protocol::QueryEvent& q, std::string& out);
  void print_query_session(const StreamEvent& se, const protocol::QueryEvent& q, std::string& out);
  void print_rewritten_use(const StreamEvent& se, std::string& out);
  void print_gtid(const StreamEvent& se, std::string& out);
  void print_gtid_lines(const protocol::MariaGtidEvent& g, uint32_t server_id);
  // MySQL 4.x's LOAD DATA events.
  struct HeldLoad {
    std::string header;      // the Create_file's header line, up to its tab
    std::string query_line;  // "\tQuery\tthread_id=T\texec_time=E\n" after it
    // --hexdump: the Create_file's bytes, dumped again under the Exec_load's position.
    std::vector<std::byte> raw;
    std::size_t dumped_header = 0;
    std::string database;
    uint32_t thread_id = 0;
    bool thread_specific = false;
    std::string statement;   // after "LOAD DATA "
    std::string file_lines;  // "# file_id: N  block_len: B\n"
  };
  HeldLoad& hold_create_file(const StreamEvent& se, const protocol::LoadEvent& c);
  void print_create_file(const StreamEvent& se, const protocol::LoadEvent& c, std::string& out);
  void print_exec_load(const StreamEvent& se, const protocol::ExecLoadEvent& x, std::string& out);
  void append_load_lines(const HeldLoad& held, bool commented, std::string& out);
  void print_table_map(const StreamEvent& se, std::string& out);
  void print_rows(const StreamEvent& se, std::string& out);
  bool encoded() const { return options_.base64 == Base64Output::kAuto; }

  TextOptions options_;
  DatabaseRewrite rewrite_;
  bool started_ = false;
  std::string file_;  // the file being printed
  uint32_t time_of_ = 0;
  std::string time_text_;  // time_of_ as the header lines print it
  Session session_;
  // Held back until the statement ends: event headers, the base64 of its events,
  // the `###` rows, and the count of rows.
  std::string head_, body_, tail_;
  uint64_t rows_ = 0;
  RowText row_text_;
  std::map<uint32_t, HeldLoad> loads_;  // by file id
  bool rows_held_ = false;
  // --hexdump: an ANNOTATE_ROWS waiting for the next event's position.
  std::vector<std::byte> annotate_raw_;
  std::string annotate_text_;
};

}  // namespace twinlog
