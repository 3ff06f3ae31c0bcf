#include "client/commands/validators.h"

#include "services/common/civil.h"
#include "services/common/labels.h"
#include "services/common/text.h"

namespace rectify::client {

CLI::Validator DateValidator() {
  return CLI::Validator(
      [](std::string& value) -> std::string {
        if (ParseDay("date", value).ok()) return "";
        return "日期“" + value + "”无效，应为 YYYY-MM-DD / invalid date \"" + value +
               "\", expected YYYY-MM-DD";
      },
      "YYYY-MM-DD", "DATE");
}

CLI::Validator Utf8Validator() {
  return CLI::Validator(
      [](std::string& value) -> std::string {
        if (IsValidUtf8(value)) return "";
        return "不是有效的 UTF-8 文本（请检查终端编码）/ is not valid UTF-8 (check the terminal's "
               "encoding)";
      },
      "", "UTF8");
}

CLI::Validator TaskStatusValidator() {
  return CLI::Validator(
      [](std::string& value) -> std::string {
        if (ParseTaskStatus(value) != 0) return "";
        return "未知状态“" + value +
               "”，可用 open, in-progress, submitted, closed, ongoing, cancelled 或中文名称 / "
               "unknown status \"" +
               value + "\"";
      },
      "STATUS", "STATUS");
}

const std::map<std::string, rectify::v1::ReviewKind>& ReviewKindFlags() {
  static const auto* const kFlags = new std::map<std::string, rectify::v1::ReviewKind>{
      {"org-life", rectify::v1::ORGANIZATIONAL_LIFE_MEETING},
      {"democratic-life", rectify::v1::DEMOCRATIC_LIFE_MEETING},
      {"inspection", rectify::v1::INSPECTION},
      {"audit", rectify::v1::AUDIT},
      {"special-check", rectify::v1::SPECIAL_CHECK},
      {"other", rectify::v1::OTHER_REVIEW},
  };
  return *kFlags;
}

}  // namespace rectify::client
