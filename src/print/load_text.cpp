#include "src/print/load_text.h"

#include "src/print/event_description.h"

namespace twinlog {

namespace {

// sql_ex_info's opt_flags.
constexpr uint8_t kOptEnclosed = 0x02, kReplace = 0x04, kIgnore = 0x08;

}  // namespace

void append_load_data(const protocol::LoadEvent& e, std::string& out) {
  out.append("INFILE '").append(e.file_name).append("' ");
  if (e.opt_flags & kReplace)
    out += "REPLACE ";
  else if (e.opt_flags & kIgnore)
    out += "IGNORE ";
  out.append("INTO TABLE `").append(e.table).append("` FIELDS TERMINATED BY ");
  append_escaped_string(out, e.field_term, '\'');
  if (e.opt_flags & kOptEnclosed) out += " OPTIONALLY ";
  out += " ENCLOSED BY ";
  append_escaped_string(out, e.enclosed, '\'');
  out += " ESCAPED BY ";
  append_escaped_string(out, e.escaped, '\'');
  out += " LINES TERMINATED BY ";
  append_escaped_string(out, e.line_term, '\'');
  out += " STARTING BY ";
  append_escaped_string(out, e.line_start, '\'');
  if (e.skip_lines > 0) out.append(" IGNORE ").append(std::to_string(e.skip_lines)) += " LINES";
  if (!e.fields.empty()) {
    out += " (";
    for (std::size_t i = 0; i < e.fields.size(); ++i) {
      if (i) out += ',';
      out += quoted_identifier(e.fields[i]);
    }
    out += ')';
  }
}

}  // namespace twinlog
