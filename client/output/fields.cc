#include "client/output/fields.h"

#include <algorithm>

#include "absl/strings/str_split.h"
#include "services/common/text.h"

namespace rectify::client {

FieldList& FieldList::Add(std::string key, std::string value) {
  fields_.emplace_back(std::move(key), std::move(value));
  return *this;
}

std::string FieldList::Render() const {
  int key_width = 0;
  for (const auto& [key, value] : fields_) key_width = std::max(key_width, DisplayWidth(key));
  const std::string indent(static_cast<size_t>(indent_), ' ');
  const std::string continuation(static_cast<size_t>(indent_ + key_width + 2), ' ');

  std::string out;
  for (const auto& [key, value] : fields_) {
    out += indent + PadRight(key, key_width) + "  ";
    if (value.empty()) {
      out += "—\n";
      continue;
    }
    bool first = true;
    for (absl::string_view line : absl::StrSplit(value, '\n')) {
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (!first && !line.empty()) out += continuation;
      out.append(line.data(), line.size());
      out += '\n';
      first = false;
    }
  }
  return out;
}

}  // namespace rectify::client
