#include "cli/output.h"

#include <algorithm>

#include "aws/error.h"

namespace cytoskel {

OutputFormat ParseOutputFormat(const std::string& text) {
  if (text == "text") return OutputFormat::kText;
  if (text == "json") return OutputFormat::kJson;
  if (text == "table") return OutputFormat::kTable;
  throw UsageError("--output must be text, json or table, not '" + text + "'");
}

void PrintTable(std::ostream& out, const Table& table) {
  std::vector<size_t> widths;
  for (const auto& title : table.columns) widths.push_back(title.size());
  for (const auto& row : table.rows) {
    for (size_t i = 0; i < row.size() && i < widths.size(); ++i) {
      widths[i] = std::max(widths[i], row[i].size());
    }
  }
  auto print_row = [&](const std::vector<std::string>& cells) {
    std::string line;
    for (size_t i = 0; i < widths.size(); ++i) {
      std::string cell = i < cells.size() ? cells[i] : "";
      if (i + 1 < widths.size()) cell.resize(widths[i], ' ');
      line += (i == 0 ? "" : "  ") + cell;
    }
    out << line << '\n';
  };
  print_row(table.columns);
  std::vector<std::string> rule;
  for (size_t width : widths) rule.emplace_back(width, '-');
  print_row(rule);
  for (const auto& row : table.rows) print_row(row);
}

void PrintJson(std::ostream& out, const nlohmann::json& value) {
  out << value.dump(2) << '\n';
}

}  // namespace cytoskel
