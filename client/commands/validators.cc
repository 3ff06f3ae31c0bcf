#include "client/commands/validators.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "client/commands/cli_errors.h"
#include "client/commands/dates.h"
#include "services/common/labels.h"
#include "services/common/text.h"

namespace rectify::client {

CLI::Validator DateValidator() {
  return CLI::Validator(
      [](std::string& value) -> std::string {
        std::string day;
        if (ParseUserDate(value, &day)) {
          value = day;
          return "";
        }
        return absl::StrCat("日期“", value, "”无法识别，请写成 ", kDateFormsZh,
                            " / cannot read the date \"", value, "\": write ", kDateFormsEn);
      },
      "YYYY-MM-DD", "DATE");
}

namespace {

bool ReadWhole(const std::string& value, int64_t* out) {
  if (value.empty() || value.size() > 18) return false;
  for (char c : value) {
    if (c < '0' || c > '9') return false;
  }
  return absl::SimpleAtoi(value, out);
}

}  // namespace

CLI::Validator IdValidator(const std::string& what_zh, const std::string& what_en) {
  return CLI::Validator(
      [what_zh, what_en](std::string& value) -> std::string {
        int64_t id = 0;
        if (ReadWhole(value, &id) && id > 0) return "";
        return absl::StrCat("须为", what_zh, "（正整数），收到“", value, "” / must be ", what_en,
                            " (a whole number from 1), got \"", value, "\"");
      },
      "", "ID");
}

CLI::Validator WholeNumberValidator(int64_t min, int64_t max) {
  return CLI::Validator(
      [min, max](std::string& value) -> std::string {
        int64_t n = 0;
        if (ReadWhole(value, &n) && n >= min && n <= max) return "";
        if (max == kNoLimit) {
          return absl::StrCat("须为不小于 ", min, " 的整数，收到“", value,
                              "” / must be a whole number from ", min, ", got \"", value, "\"");
        }
        return absl::StrCat("须为 ", min, " 到 ", max, " 之间的整数，收到“", value,
                            "” / must be a whole number from ", min, " to ", max, ", got \"", value,
                            "\"");
      },
      "", "RANGE");
}

CLI::Validator PositiveSecondsValidator() {
  return CLI::Validator(
      [](std::string& value) -> std::string {
        double seconds = 0;
        if (absl::SimpleAtod(value, &seconds) && seconds > 0 && seconds < 1e7) return "";
        return absl::StrCat("须为大于 0 的秒数，收到“", value,
                            "” / must be a number of seconds above 0, got \"", value, "\"");
      },
      "", "SECONDS");
}

CLI::Validator ChoiceValidator(std::vector<std::string> choices) {
  return CLI::Validator(
      [choices](std::string& value) -> std::string {
        for (const std::string& c : choices) {
          if (c == value) return "";
        }
        const std::string list = absl::StrJoin(choices, ", ");
        const std::string nearest = Nearest(value, choices);
        if (!nearest.empty()) {
          return absl::StrCat("“", value, "”不是可选值（", list, "），您是不是要输入 ", nearest,
                              "？ / \"", value, "\" is not one of ", list, "; did you mean ",
                              nearest, "?");
        }
        return absl::StrCat("“", value, "”不是可选值，可用 ", list, " / \"", value,
                            "\" is not one of ", list);
      },
      "", "CHOICE");
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
