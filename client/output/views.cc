#include "client/output/views.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "client/output/fields.h"
#include "client/output/format.h"
#include "client/output/table.h"

namespace rectify::client {
namespace {

namespace v1 = rectify::v1;

constexpr int kNameWidth = 40;
constexpr int kTitleWidth = 40;
constexpr int kSourceWidth = 24;
constexpr int kAreaWidth = 20;
constexpr int kProblemWidth = 50;
constexpr int kCauseWidth = 70;

std::string IdOrDash(int64_t id) { return id == 0 ? "—" : absl::StrCat(id); }

std::string NameOrId(const UnitNames& units, int64_t id) {
  if (id == 0) return "—";
  auto it = units.find(id);
  return it == units.end() ? absl::StrCat("#", id) : it->second;
}

}  // namespace

std::string UnitListText(const google::protobuf::RepeatedPtrField<v1::OrgUnit>& units, Lang lang,
                         const UnitNames& parents) {
  if (units.empty()) return absl::StrCat(Tr(lang, "（没有单位）", "(no units)"), "\n");
  Table table(
      {"ID", Tr(lang, "名称", "Name"), Tr(lang, "上级", "Parent"), Tr(lang, "版本", "Version")});
  table.SetAlign(0, Table::Align::kRight)
      .SetMaxWidth(1, kNameWidth)
      .SetMaxWidth(2, kNameWidth)
      .SetAlign(3, Table::Align::kRight);
  // Indent relative to the shallowest unit shown, so that a subtree starts at the margin.
  int base_depth = units[0].depth();
  UnitNames names = parents;
  for (const v1::OrgUnit& unit : units) {
    base_depth = std::min(base_depth, unit.depth());
    names[unit.id()] = unit.name();
  }
  for (const v1::OrgUnit& unit : units) {
    const std::string indent(static_cast<size_t>(2 * (unit.depth() - base_depth)), ' ');
    table.AddRow({absl::StrCat(unit.id()), indent + unit.name(), NameOrId(names, unit.parent_id()),
                  absl::StrCat(unit.version())});
  }
  return table.Render();
}

std::string UnitDetailText(const v1::OrgUnit& unit, const std::vector<std::string>& path_names,
                           Lang lang, absl::TimeZone zone) {
  const std::string path =
      path_names.empty() ? absl::StrJoin(unit.path(), " / ") : absl::StrJoin(path_names, " / ");
  FieldList fields;
  fields.Add("ID", absl::StrCat(unit.id()))
      .Add(Tr(lang, "名称", "Name"), unit.name())
      .Add(Tr(lang, "上级", "Parent"),
           path_names.size() >= 2
               ? absl::StrCat(path_names[path_names.size() - 2], " (#", unit.parent_id(), ")")
               : IdOrDash(unit.parent_id()))
      .Add(Tr(lang, "层级", "Depth"), absl::StrCat(unit.depth()))
      .Add(Tr(lang, "路径", "Path"), path)
      .Add(Tr(lang, "版本", "Version"), absl::StrCat(unit.version()))
      .Add(Tr(lang, "创建时间", "Created"), FormatTimestamp(unit.create_time(), zone));
  return fields.Render();
}

std::string UnitLine(const v1::OrgUnit& unit, Lang lang) {
  return absl::StrCat(Tr(lang, "单位 ", "unit "), unit.id(), Tr(lang, "「", " \""), unit.name(),
                      Tr(lang, "」，版本 ", "\", version "), unit.version(), "\n");
}

std::string ReviewListText(const google::protobuf::RepeatedPtrField<v1::Review>& reviews, Lang lang,
                           const UnitNames& units) {
  if (reviews.empty()) return absl::StrCat(Tr(lang, "（没有检视）", "(no reviews)"), "\n");
  Table table({"ID", Tr(lang, "日期", "Held on"), Tr(lang, "类型", "Kind"),
               Tr(lang, "单位", "Unit"), Tr(lang, "标题", "Title"),
               Tr(lang, "来源文件", "Source")});
  table.SetAlign(0, Table::Align::kRight)
      .SetMaxWidth(3, kNameWidth)
      .SetMaxWidth(4, kTitleWidth)
      .SetMaxWidth(5, kSourceWidth);
  for (const v1::Review& review : reviews) {
    table.AddRow({absl::StrCat(review.id()), review.held_on(), ReviewKindText(review.kind(), lang),
                  NameOrId(units, review.unit_id()), review.title(), review.source_document()});
  }
  return table.Render();
}

std::string ReviewDetailText(const v1::Review& review, Lang lang, absl::TimeZone zone,
                             const UnitNames& units) {
  FieldList fields;
  fields.Add("ID", absl::StrCat(review.id()))
      .Add(Tr(lang, "标题", "Title"), review.title())
      .Add(Tr(lang, "类型", "Kind"), ReviewKindText(review.kind(), lang))
      .Add(Tr(lang, "日期", "Held on"), review.held_on())
      .Add(Tr(lang, "单位", "Unit"),
           units.count(review.unit_id()) > 0
               ? absl::StrCat(units.at(review.unit_id()), " (#", review.unit_id(), ")")
               : absl::StrCat("#", review.unit_id()))
      .Add(Tr(lang, "来源文件", "Source"), review.source_document())
      .Add(Tr(lang, "登记时间", "Registered"), FormatTimestamp(review.create_time(), zone));
  return fields.Render();
}

std::string ProblemListText(const v1::ListProblemsResponse& problems, Lang lang) {
  std::string out;
  if (problems.problems().empty()) {
    absl::StrAppend(&out, Tr(lang, "（没有问题）", "(no problems)"), "\n");
  } else {
    Table table({Tr(lang, "序号", "No."), "ID", Tr(lang, "方面", "Area"),
                 Tr(lang, "问题", "Problem"), Tr(lang, "根源", "Causes")});
    table.SetAlign(0, Table::Align::kRight)
        .SetAlign(1, Table::Align::kRight)
        .SetMaxWidth(2, kAreaWidth)
        .SetMaxWidth(3, kProblemWidth);
    for (const v1::Problem& p : problems.problems()) {
      table.AddRow({absl::StrCat(p.seq()), absl::StrCat(p.id()), p.area(), p.text(),
                    absl::StrJoin(p.root_cause_ids(), ",")});
    }
    out += table.Render();
  }
  if (!problems.root_causes().empty()) {
    absl::StrAppend(&out, "\n", Tr(lang, "根源剖析", "Root causes"), "\n");
    Table causes({"ID", Tr(lang, "根源", "Cause")});
    causes.SetAlign(0, Table::Align::kRight).SetMaxWidth(1, kCauseWidth);
    for (const v1::RootCause& c : problems.root_causes()) {
      causes.AddRow({absl::StrCat(c.id()), c.text()});
    }
    out += causes.Render();
  }
  return out;
}

std::string ExtensionLine(const v1::ExtensionRequest& ext, Lang lang) {
  return absl::StrCat(Tr(lang, "延期申请 ", "extension request "), ext.id(),
                      Tr(lang, "（任务 ", " (task "), ext.task_id(), Tr(lang, "）：", "): "),
                      ext.old_deadline(), " → ", ext.requested_deadline(), Tr(lang, "，", ", "),
                      ExtensionStateText(ext.state(), lang), "\n");
}

}  // namespace rectify::client
