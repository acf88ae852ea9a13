// fuzz_seeds EVENT_DIR ROWS_DIR FILE...: splits real binlog files into seeds for
// the per-event targets, in each target's input format (tools/fuzz runs it over
// the corpus into temporary directories, so no corpus byte lands in the repo):
//   EVENT_DIR  fuzz_event: flavor byte (0x80 MariaDB) | type code | body, one file
//              per event as the Framer gives it (compressed events inflated,
//              payloads unpacked, checksum footer off);
//   ROWS_DIR   fuzz_row_values: (n - 1) | n x (type, meta lo, meta hi) | kind |
//              row images, for each rows event whose table has 1 to 16 columns,
//              all of them present in the images.
// A few events per type code and file are enough: the rest repeat their layout.
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <string>
#include <variant>
#include <vector>

#include "protocol/events.h"
#include "protocol/framer.h"

namespace {

using namespace twinlog::protocol;

constexpr int kPerTypeAndFile = 8;
constexpr std::size_t kMaxRowColumns = 16;  // what fuzz_row_values can describe

std::vector<std::byte> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::vector<char> chars((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<std::byte> out(chars.size());
  for (std::size_t i = 0; i < chars.size(); ++i) out[i] = static_cast<std::byte>(chars[i]);
  return out;
}

void write_seed(const std::string& dir, const std::string& name,
                const std::vector<std::byte>& bytes) {
  std::ofstream out(dir + "/" + name, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
}

bool all_set(Bytes bitmap, std::size_t columns) {
  for (std::size_t i = 0; i < columns; ++i) {
    if (i / 8 >= bitmap.size() || (std::to_integer<unsigned>(bitmap[i / 8]) & (1u << (i % 8))) == 0)
      return false;
  }
  return true;
}

// The three bytes fuzz_row_values reads for a column: the wire type, then the
// metadata as the table map stores it (for STRING, the real type and length
// back in their packed wire form: b1 = length low byte, b0 = real type with
// the length's high bits folded in).
void append_column(std::vector<std::byte>& out, const ColumnDef& c) {
  uint8_t lo = c.meta & 0xff, hi = c.meta >> 8;
  if (c.type == ColumnType::kString) {
    lo = c.meta & 0xff;
    hi = static_cast<uint8_t>((static_cast<uint8_t>(c.real_type) & 0xcf) |
                              (((c.meta >> 4) & 0x30) ^ 0x30));
  }
  out.push_back(static_cast<std::byte>(c.type));
  out.push_back(std::byte{lo});
  out.push_back(std::byte{hi});
}

// Seeds from one file; returns how many were written.
int split(const std::string& path, std::size_t index, const std::string& event_dir,
          const std::string& rows_dir) {
  const std::vector<std::byte> bytes = read_file(path);
  BinlogSplitter splitter(Bytes(bytes.data(), bytes.size()));
  if (!splitter.check_magic().ok()) return 0;
  Framer framer(FramerOptions{.verify_checksum = false});
  std::map<uint8_t, int> per_type;
  // table id -> its columns as fuzz_row_values reads them (the decoded map views
  // into bytes that the next frame() call may reuse).
  std::map<uint64_t, std::vector<std::byte>> tables;
  int rows_seeds = 0, written = 0;
  for (;;) {
    const uint64_t at = splitter.offset();
    auto event = splitter.next();
    if (!event.ok() || event->empty()) break;
    auto views = framer.frame(*event, at);
    if (!views.ok()) break;
    for (const EventView& v : *views) {
      const uint8_t type = v.header.type_code;
      const std::string name =
          std::to_string(index) + "-" + std::to_string(v.offset) + "-" + std::to_string(type);
      if (per_type[type]++ < kPerTypeAndFile) {
        std::vector<std::byte> seed = {
            std::byte{framer.format().is_mariadb() ? uint8_t{0x80} : uint8_t{0}}, std::byte{type}};
        seed.insert(seed.end(), v.body.begin(), v.body.end());
        write_seed(event_dir, name, seed);
        ++written;
      }
      auto decoded = decode_event(v, framer.format());
      if (!decoded.ok()) continue;
      if (auto* map = std::get_if<TableMapEvent>(&decoded.value())) {
        std::vector<std::byte> columns;
        for (const ColumnDef& c : map->columns) append_column(columns, c);
        tables[map->table_id] = std::move(columns);
        continue;
      }
      auto* rows = std::get_if<RowsEvent>(&decoded.value());
      if (!rows || rows_seeds >= kPerTypeAndFile * 4) continue;
      auto table = tables.find(rows->table_id);
      if (table == tables.end()) continue;
      const std::size_t n = table->second.size() / 3;
      if (n == 0 || n > kMaxRowColumns || rows->column_count != n ||
          !all_set(rows->columns_before, n) ||
          (rows->has_two_images() && !all_set(rows->columns_after, n)))
        continue;
      std::vector<std::byte> seed = {static_cast<std::byte>(n - 1)};
      seed.insert(seed.end(), table->second.begin(), table->second.end());
      seed.push_back(static_cast<std::byte>(rows->kind));
      seed.insert(seed.end(), rows->rows.begin(), rows->rows.end());
      write_seed(rows_dir, name, seed);
      ++rows_seeds;
      ++written;
    }
  }
  return written;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: fuzz_seeds EVENT_DIR ROWS_DIR BINLOG...\n";
    return 2;
  }
  int written = 0;
  for (int i = 3; i < argc; ++i)
    written += split(argv[i], static_cast<std::size_t>(i), argv[1], argv[2]);
  std::cout << written << " seeds\n";
  return 0;
}
