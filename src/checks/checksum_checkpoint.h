// `twinlog checksum --checkpoint FILE`: what a run has done, so that a run after
// an interruption resumes where it stopped. The file is appended to, one line
// per chunk and per table done, so an interruption loses at most the line being
// written (a partial last line is ignored):
//   chunk TABLE SUM_A ROWS_A SUM_B ROWS_B SAME|DIFFERS UPPER...
//   done TABLE
// TABLE and each value of the chunk's upper key bound are hex ("-" for NULL);
// the sums are the chunk digests in hex. A table resumes after the last chunk's
// upper bound, after reading again the chunks that differed; a table done is
// skipped.
#pragma once

#include <fstream>
#include <map>
#include <optional>
#include <string>

#include "src/checks/checksum_run.h"

namespace twinlog::checks {

class Checkpoint {
 public:
  // Reads FILE when it exists and opens it to append. Throws std::runtime_error.
  static Checkpoint open(const std::string& path);

  struct TableState {
    bool done = false;
    std::optional<KeyValue> after;  // the last chunk's upper bound
    uint64_t chunks = 0;
    // Chunks that differed: a resumed run reads them again, so that their rows are
    // reported again.
    std::vector<ChunkRange> differing;
  };
  TableState table(const std::string& qualified) const;

  void chunk_done(const ChunkDone& chunk);
  void table_done(const std::string& qualified);

  // One line of the file, parsed into `states`; false for a line that is not one.
  static bool apply_line(const std::string& line, std::map<std::string, TableState>& states);
  static std::string chunk_line(const ChunkDone& chunk);

 private:
  std::string path_;
  std::map<std::string, TableState> states_;
  std::ofstream out_;
};

}  // namespace twinlog::checks
