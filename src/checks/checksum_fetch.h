// How `twinlog checksum` reads a chunk's rows from one master: behind one small
// interface (ChunkReader), so that another way to fetch can take its place.
//
// BinaryChunkReader uses the binary protocol (prepared statements, libmariadb's
// mysql_stmt_*), rows streamed one at a time with mysql_stmt_fetch (no cursor,
// nothing stored): the server sends integers, FLOAT / DOUBLE and temporal values
// in binary form instead of formatting them as text, and the client hashes those
// bytes as they come. Each read runs in its own consistent snapshot
// (START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY ... COMMIT), and the
// session converts no character set (character_set_results = NULL) and reads
// TIMESTAMPs in UTC (time_zone = '+00:00'; session variables, not replicated), so
// a value is hashed as stored, whatever each server's defaults.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "src/checks/checksum_chunks.h"
#include "src/checks/checksum_values.h"
#include "src/server/connection.h"

struct st_mysql_stmt;

namespace twinlog::checks {

// Called for each row with the row string (checksum_values.h); the view lasts
// until the next call.
using RowSink = std::function<void(std::string_view row)>;

class ChunkReader {
 public:
  virtual ~ChunkReader() = default;
  // Runs the statement in a fresh consistent snapshot and hands every row to
  // `sink`; returns the result's columns. Throws ConnectionError.
  virtual const std::vector<ValueColumn>& read(const BoundStatement& statement,
                                               const RowSink& sink) = 0;
};

// The first row of `statement` (a chunk's bound: `columns` key values) as text,
// through the binary protocol for the parameters' sake; nullopt when it returns
// no row. Throws ConnectionError.
std::optional<KeyValue> read_key(Connection& connection, const BoundStatement& statement,
                                 std::size_t columns);

class BinaryChunkReader final : public ChunkReader {
 public:
  // Sets the session up for reading (no character set conversion). Throws
  // ConnectionError.
  explicit BinaryChunkReader(Connection& connection);
  ~BinaryChunkReader() override;
  BinaryChunkReader(const BinaryChunkReader&) = delete;
  BinaryChunkReader& operator=(const BinaryChunkReader&) = delete;

  const std::vector<ValueColumn>& read(const BoundStatement& statement,
                                       const RowSink& sink) override;

 private:
  struct Prepared;
  Prepared& prepare(const std::string& sql);
  void stream(Prepared& p, const RowSink& sink);

  Connection& connection_;
  // Prepared once per statement text: a table's chunks share three shapes.
  std::map<std::string, std::unique_ptr<Prepared>> prepared_;
};

}  // namespace twinlog::checks
