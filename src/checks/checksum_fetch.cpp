#include "src/checks/checksum_fetch.h"

#include <mysql.h>

#include <charconv>
#include <cstring>

namespace twinlog::checks {
namespace {

// The bytes a fixed-size binary value takes; 0 for the variable ones.
std::size_t fixed_size(enum_field_types type) {
  switch (type) {
    case MYSQL_TYPE_TINY:
      return 1;
    case MYSQL_TYPE_SHORT:
    case MYSQL_TYPE_YEAR:
      return 2;
    case MYSQL_TYPE_INT24:
    case MYSQL_TYPE_LONG:
    case MYSQL_TYPE_FLOAT:
      return 4;
    case MYSQL_TYPE_LONGLONG:
    case MYSQL_TYPE_DOUBLE:
      return 8;
    default:
      return 0;
  }
}

bool is_temporal(enum_field_types type) {
  return type == MYSQL_TYPE_DATE || type == MYSQL_TYPE_NEWDATE || type == MYSQL_TYPE_TIME ||
         type == MYSQL_TYPE_DATETIME || type == MYSQL_TYPE_TIMESTAMP;
}

ValueColumn value_column(const MYSQL_FIELD& f) {
  ValueColumn c;
  c.name.assign(f.name, f.name_length);
  c.decimals = f.decimals;
  switch (f.type) {
    case MYSQL_TYPE_TINY:
    case MYSQL_TYPE_SHORT:
    case MYSQL_TYPE_YEAR:
    case MYSQL_TYPE_INT24:
    case MYSQL_TYPE_LONG:
    case MYSQL_TYPE_LONGLONG:
      c.kind = (f.flags & UNSIGNED_FLAG) != 0 ? ValueKind::kUnsigned : ValueKind::kSigned;
      break;
    case MYSQL_TYPE_FLOAT:
      c.kind = ValueKind::kFloat;
      break;
    case MYSQL_TYPE_DOUBLE:
      c.kind = ValueKind::kDouble;
      break;
    case MYSQL_TYPE_DATE:
    case MYSQL_TYPE_NEWDATE:
      c.kind = ValueKind::kDate;
      break;
    case MYSQL_TYPE_TIME:
      c.kind = ValueKind::kTime;
      break;
    case MYSQL_TYPE_DATETIME:
    case MYSQL_TYPE_TIMESTAMP:
      c.kind = ValueKind::kDateTime;
      break;
    case MYSQL_TYPE_DECIMAL:
    case MYSQL_TYPE_NEWDECIMAL:
      c.kind = ValueKind::kDecimal;
      break;
    case MYSQL_TYPE_BIT:
      c.kind = ValueKind::kBit;
      break;
    default:
      c.kind = f.charsetnr == 63 ? ValueKind::kBinary : ValueKind::kText;
  }
  return c;
}

}  // namespace

struct BinaryChunkReader::Prepared {
  MYSQL_STMT* stmt = nullptr;
  std::vector<ValueColumn> columns;
  std::vector<MYSQL_FIELD> fields;
  std::vector<MYSQL_BIND> binds;
  std::vector<std::string> buffers;
  std::vector<unsigned long> lengths;
  std::vector<my_bool> nulls, errors;
  std::vector<MYSQL_TIME> times;
  ~Prepared() {
    if (stmt != nullptr) mysql_stmt_close(stmt);
  }
};

BinaryChunkReader::BinaryChunkReader(Connection& connection) : connection_(connection) {
  connection_.execute("SET SESSION character_set_results = NULL");
  // TIMESTAMPs as stored (UTC), not in each server's own time zone.
  connection_.execute("SET SESSION time_zone = '+00:00'");
  connection_.execute("SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ");
}

BinaryChunkReader::~BinaryChunkReader() = default;

namespace {

ConnectionError statement_error(MYSQL_STMT* stmt, const std::string& sql) {
  const unsigned code = mysql_stmt_errno(stmt);
  return ConnectionError(classify_error(code), code,
                         std::string(mysql_stmt_error(stmt)) + " (in: " + sql + ")");
}

// The statement's parameters: an integer key's values as numbers, other values
// as strings (the server converts them to the key column's type); `params` must
// outlive the execution.
struct BoundParams {
  std::vector<MYSQL_BIND> binds;
  std::vector<unsigned long> lengths;
  std::vector<uint64_t> numbers;
};

void bind_params(MYSQL_STMT* stmt, const BoundStatement& statement, BoundParams& params) {
  const std::size_t n = statement.params.size();
  params.binds.assign(n, MYSQL_BIND{});
  params.lengths.assign(n, 0);
  params.numbers.assign(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    const auto& v = statement.params[i];
    MYSQL_BIND& b = params.binds[i];
    if (!v) {
      b.buffer_type = MYSQL_TYPE_NULL;
      continue;
    }
    if (statement.integer_params && !v->empty()) {
      const char* first = v->data();
      const char* last = first + v->size();
      const bool negative = *first == '-';
      std::from_chars_result r{};
      if (negative) {
        int64_t signed_value = 0;
        r = std::from_chars(first, last, signed_value);
        params.numbers[i] = static_cast<uint64_t>(signed_value);
      } else {
        r = std::from_chars(first, last, params.numbers[i]);
      }
      if (r.ec == std::errc() && r.ptr == last) {
        b.buffer_type = MYSQL_TYPE_LONGLONG;
        b.buffer = &params.numbers[i];
        b.is_unsigned = !negative;
        continue;
      }
    }
    b.buffer_type = MYSQL_TYPE_STRING;
    b.buffer = const_cast<char*>(v->data());  // the connector only reads it
    b.buffer_length = params.lengths[i] = v->size();
    b.length = &params.lengths[i];
  }
  if (n > 0 && mysql_stmt_bind_param(stmt, params.binds.data()) != 0)
    throw statement_error(stmt, statement.sql);
}

}  // namespace

std::optional<KeyValue> read_key(Connection& connection, const BoundStatement& statement,
                                 std::size_t columns) {
  MYSQL_STMT* stmt = mysql_stmt_init(connection.handle());
  if (stmt == nullptr) throw connection.last_error("mysql_stmt_init");
  struct Closer {
    MYSQL_STMT* s;
    ~Closer() { mysql_stmt_close(s); }
  } closer{stmt};
  if (mysql_stmt_prepare(stmt, statement.sql.data(), statement.sql.size()) != 0)
    throw statement_error(stmt, statement.sql);
  BoundParams params;
  bind_params(stmt, statement, params);
  if (mysql_stmt_execute(stmt) != 0) throw statement_error(stmt, statement.sql);
  std::vector<MYSQL_BIND> out(columns, MYSQL_BIND{});
  std::vector<std::string> buffers(columns, std::string(1024, '\0'));
  std::vector<unsigned long> lengths(columns);
  std::vector<my_bool> nulls(columns);
  for (std::size_t i = 0; i < columns; ++i) {
    out[i].buffer_type = MYSQL_TYPE_STRING;  // the connector formats it as text
    out[i].buffer = buffers[i].data();
    out[i].buffer_length = buffers[i].size();
    out[i].length = &lengths[i];
    out[i].is_null = &nulls[i];
  }
  if (mysql_stmt_bind_result(stmt, out.data()) != 0) throw statement_error(stmt, statement.sql);
  const int rc = mysql_stmt_fetch(stmt);
  if (rc == MYSQL_NO_DATA) return std::nullopt;
  if (rc == 1) throw statement_error(stmt, statement.sql);
  KeyValue key;
  for (std::size_t i = 0; i < columns; ++i) {
    if (nulls[i] != 0) {
      key.emplace_back(std::nullopt);
      continue;
    }
    if (lengths[i] > buffers[i].size()) {
      buffers[i].resize(lengths[i]);
      out[i].buffer = buffers[i].data();
      out[i].buffer_length = buffers[i].size();
      if (mysql_stmt_fetch_column(stmt, &out[i], static_cast<unsigned>(i), 0) != 0)
        throw statement_error(stmt, statement.sql);
    }
    key.emplace_back(buffers[i].substr(0, lengths[i]));
  }
  return key;
}

BinaryChunkReader::Prepared& BinaryChunkReader::prepare(const std::string& sql) {
  auto& slot = prepared_[sql];
  if (slot) return *slot;
  auto p = std::make_unique<Prepared>();
  p->stmt = mysql_stmt_init(connection_.handle());
  if (p->stmt == nullptr) throw connection_.last_error("mysql_stmt_init");
  if (mysql_stmt_prepare(p->stmt, sql.data(), sql.size()) != 0) throw statement_error(p->stmt, sql);
  MYSQL_RES* meta = mysql_stmt_result_metadata(p->stmt);
  if (meta == nullptr) throw statement_error(p->stmt, sql);
  const unsigned n = mysql_num_fields(meta);
  const MYSQL_FIELD* fields = mysql_fetch_fields(meta);
  p->fields.assign(fields, fields + n);
  for (auto& f : p->fields) p->columns.push_back(value_column(f));
  mysql_free_result(meta);
  p->binds.assign(n, MYSQL_BIND{});
  p->buffers.assign(n, std::string());
  p->lengths.assign(n, 0);
  p->nulls.assign(n, 0);
  p->errors.assign(n, 0);
  p->times.assign(n, MYSQL_TIME{});
  for (unsigned i = 0; i < n; ++i) {
    MYSQL_BIND& b = p->binds[i];
    const enum_field_types type = p->fields[i].type;
    if (is_temporal(type)) {
      b.buffer_type = MYSQL_TYPE_DATETIME;
      b.buffer = &p->times[i];
      b.buffer_length = sizeof(MYSQL_TIME);
    } else if (const std::size_t size = fixed_size(type); size != 0) {
      b.buffer_type = type == MYSQL_TYPE_YEAR ? MYSQL_TYPE_SHORT : type;
      p->buffers[i].resize(8);
      b.buffer = p->buffers[i].data();
      b.buffer_length = size;
      b.is_unsigned = (p->fields[i].flags & UNSIGNED_FLAG) != 0;
    } else {
      b.buffer_type = MYSQL_TYPE_BLOB;
      p->buffers[i].resize(256);
      b.buffer = p->buffers[i].data();
      b.buffer_length = p->buffers[i].size();
    }
    b.length = &p->lengths[i];
    b.is_null = &p->nulls[i];
    b.error = &p->errors[i];
  }
  slot = std::move(p);
  return *slot;
}

const std::vector<ValueColumn>& BinaryChunkReader::read(const BoundStatement& statement,
                                                        const RowSink& sink) {
  Prepared& p = prepare(statement.sql);
  BoundParams params;
  bind_params(p.stmt, statement, params);
  connection_.execute("START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY");
  try {
    if (mysql_stmt_execute(p.stmt) != 0) throw statement_error(p.stmt, statement.sql);
    stream(p, sink);
  } catch (...) {
    mysql_stmt_free_result(p.stmt);
    connection_.execute("ROLLBACK");
    throw;
  }
  connection_.execute("COMMIT");
  return p.columns;
}

void BinaryChunkReader::stream(Prepared& p, const RowSink& sink) {
  if (mysql_stmt_bind_result(p.stmt, p.binds.data()) != 0) throw statement_error(p.stmt, "bind");
  std::string row;
  for (;;) {
    int rc = mysql_stmt_fetch(p.stmt);
    if (rc == MYSQL_NO_DATA) break;
    if (rc == 1) throw statement_error(p.stmt, "fetch");
    if (rc == MYSQL_DATA_TRUNCATED) {
      // A longer value than its buffer: fetch it again into one that fits, and
      // keep the larger buffer for the rows to come.
      bool rebind = false;
      for (std::size_t i = 0; i < p.binds.size(); ++i) {
        if (p.errors[i] == 0 || p.buffers[i].size() >= p.lengths[i]) continue;
        p.buffers[i].resize(p.lengths[i]);
        p.binds[i].buffer = p.buffers[i].data();
        p.binds[i].buffer_length = p.buffers[i].size();
        if (mysql_stmt_fetch_column(p.stmt, &p.binds[i], static_cast<unsigned>(i), 0) != 0)
          throw statement_error(p.stmt, "fetch column");
        rebind = true;
      }
      if (rebind && mysql_stmt_bind_result(p.stmt, p.binds.data()) != 0)
        throw statement_error(p.stmt, "bind");
    }
    row.clear();
    for (std::size_t i = 0; i < p.binds.size(); ++i) {
      if (p.nulls[i] != 0) {
        append_value(row, std::nullopt);
      } else if (p.binds[i].buffer_type == MYSQL_TYPE_DATETIME) {
        const MYSQL_TIME& t = p.times[i];
        char packed[kTemporalBytes];
        pack_temporal(packed, t.year, t.month, t.day, t.hour, t.minute, t.second, t.second_part,
                      t.neg != 0);
        append_value(row, std::string_view(packed, sizeof packed));
      } else if (p.binds[i].buffer_type == MYSQL_TYPE_BLOB) {
        append_value(row, std::string_view(p.buffers[i].data(), p.lengths[i]));
      } else {
        append_value(row, std::string_view(p.buffers[i].data(), p.binds[i].buffer_length));
      }
    }
    sink(row);
  }
  mysql_stmt_free_result(p.stmt);
}

}  // namespace twinlog::checks
