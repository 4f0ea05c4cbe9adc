// Printing results in the three output formats. Text is the default and is
// the first version's format byte for byte; json is stable and complete;
// table is for people.
#ifndef CYTOSKEL_CLI_OUTPUT_H_
#define CYTOSKEL_CLI_OUTPUT_H_

#include <nlohmann/json.hpp>

#include <ostream>
#include <string>
#include <vector>

namespace cytoskel {

enum class OutputFormat { kText, kJson, kTable };

// Parses --output; throws a usage Error for anything but text|json|table.
OutputFormat ParseOutputFormat(const std::string& text);

// Rows of a table with its column titles.
struct Table {
  std::vector<std::string> columns;
  std::vector<std::vector<std::string>> rows;
};

// Writes `table` with aligned columns, a title row and a rule under it.
void PrintTable(std::ostream& out, const Table& table);

// Writes `value` as indented JSON followed by a newline.
void PrintJson(std::ostream& out, const nlohmann::json& value);

}  // namespace cytoskel

#endif  // CYTOSKEL_CLI_OUTPUT_H_
