#include "tests/corpus/corpus_support.h"

#include <fstream>
#include <sstream>

#include "protocol/event_type.h"
#include "src/print/event_printer.h"

namespace twinlog::corpus {
namespace {

std::string strip_comment(const std::string& line) {
  // "###   @1=5 /* INT meta=0 nullable=1 is_null=0 */" -> "###   @1=5"
  if (line.size() > 2 && line.compare(line.size() - 2, 2, "*/") == 0) {
    std::size_t at = line.rfind(" /* ");
    // A FLOAT is padded to 20 characters before its comment (mysqlbinlog's %-20g).
    if (at != std::string::npos) at = line.find_last_not_of(' ', at) + 1;
    if (at != std::string::npos) return line.substr(0, at);
  }
  return line;
}

void collect_row_lines(const std::string& text, std::vector<std::string>& out) {
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("###", 0) == 0) out.push_back(strip_comment(line));
  }
}

std::string type_name(uint8_t code) {
  std::string_view name = protocol::event_type_constant(code);
  return name.empty() ? "TYPE_" + std::to_string(code) : std::string(name);
}

}  // namespace

std::string read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::string> mysqlbinlog_row_lines(const std::string& text) {
  std::vector<std::string> out;
  collect_row_lines(text, out);
  return out;
}

FramingWalk walk_framing(const std::string& path) {
  const std::string bytes = read_text_file(path);
  FramingWalk w;
  uint64_t pos = 4;
  while (pos + 13 <= bytes.size()) {
    uint32_t size = 0;
    for (int i = 0; i < 4; ++i)
      size |= static_cast<uint32_t>(static_cast<unsigned char>(bytes[pos + 9 + i])) << (8 * i);
    if (size < 13 || pos + size > bytes.size()) break;
    w.offsets.push_back(pos);
    pos += size;
  }
  w.end = pos;
  return w;
}

std::vector<std::string> text_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) lines.push_back(line);
  return lines;
}

std::string set_bits_as_value(const std::string& bits) {
  std::string out;
  for (std::size_t i = bits.size(); i >= 8; i -= 8) out += bits.substr(i - 8, 8);
  return out;
}

ReadResult read_binlog(const std::string& path, bool render_text, bool verify_checksum) {
  ReadResult r;
  StreamOptions options;
  options.verify_checksum = verify_checksum;
  EventStream stream = EventStream::from_files({path}, options);
  stream.on_warning([&](const StreamWarning& w) { r.warnings.push_back(w.message); });
  EventPrinter printer(OutputFormat::kText);
  std::string text;
  try {
    StreamEvent se;
    while (stream.next(se)) {
      const auto& v = *se.view;
      if (v.inner_index) {
        ++r.inner_events;
        ++r.inner_types[type_name(v.header.type_code)];
      } else {
        ++r.top_level_events;
        ++r.top_level_types[type_name(v.original_type_code ? v.original_type_code
                                                           : v.header.type_code)];
        r.offsets.push_back(v.offset);
        if (se.checksum_verified) ++r.checksums_verified;
      }
      if (r.server_version.empty()) r.server_version = se.format->server_version;
      if (render_text) printer.print(se, text);
    }
  } catch (const SourceError& e) {
    r.error = e;
  }
  if (render_text) printer.finish(text);
  if (render_text) collect_row_lines(text, r.row_lines);
  return r;
}

}  // namespace twinlog::corpus
