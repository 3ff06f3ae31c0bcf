#include "client/output/task_view.h"

#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "client/output/fields.h"
#include "client/output/format.h"
#include "client/output/table.h"

namespace rectify::client {
namespace {

namespace v1 = rectify::v1;

// Column limits of the task table: wide enough to recognise a measure, narrow enough for a
// 120-column terminal.
constexpr int kUnitWidth = 16;
constexpr int kPersonWidth = 10;
constexpr int kMeasureWidth = 40;

// "红灯 逾期": the scheduler's light, plus the overdue mark the server computes on read.
std::string LightCell(const v1::Task& task, Lang lang) {
  std::string cell = TaskLightText(task, lang);
  if (task.overdue()) absl::StrAppend(&cell, " ", Tr(lang, "逾期", "overdue"));
  return cell;
}

// "红灯，已逾期，一级督办" for the show page.
std::string WarningSummary(const v1::Task& task, Lang lang) {
  std::vector<std::string> parts = {TaskLightText(task, lang)};
  if (task.overdue()) parts.push_back(Tr(lang, "已逾期", "overdue"));
  if (task.escalation_level() > 0) parts.push_back(EscalationText(task.escalation_level(), lang));
  return absl::StrJoin(parts, Tr(lang, "，", ", "));
}

std::string DeadlineWithVersion(const v1::Task& task, Lang lang) {
  std::string text = DeadlineText(task, lang);
  if (!task.deadline().empty() && task.deadline_version() > 1) {
    absl::StrAppend(&text, Tr(lang, "（时限版本 ", " (deadline version "), task.deadline_version(),
                    Tr(lang, "）", ")"));
  }
  return text;
}

void AppendTaskFields(const v1::TaskHistory& history, Lang lang, absl::TimeZone zone,
                      std::string* out) {
  const v1::Task& task = history.task();
  FieldList fields;
  fields.Add(Tr(lang, "任务编号", "Task"), absl::StrCat(task.id()))
      .Add(Tr(lang, "状态", "Status"), TaskStatusText(task, lang))
      .Add(Tr(lang, "预警", "Warning"), WarningSummary(task, lang))
      .Add(Tr(lang, "整改措施", "Measure"), task.measure());
  if (history.has_problem()) {
    const v1::Problem& problem = history.problem();
    fields.Add(Tr(lang, "问题", "Problem"), absl::StrCat("#", problem.id(), " ", problem.text()));
  } else {
    fields.Add(Tr(lang, "问题", "Problem"), absl::StrCat("#", task.problem_id()));
  }
  fields.Add(Tr(lang, "方面", "Area"), task.area())
      .Add(Tr(lang, "检视", "Review"), absl::StrCat("#", task.review_id()))
      .Add(Tr(lang, "责任单位", "Owner unit"),
           absl::StrCat(task.owner_unit_name(), " (#", task.owner_unit_id(), ")"))
      .Add(Tr(lang, "责任人", "Owner"), task.owner_person())
      .Add(Tr(lang, "责任领导", "Leader"), task.leader())
      .Add(Tr(lang, "整改时限", "Deadline"), DeadlineWithVersion(task, lang))
      .Add(Tr(lang, "进度", "Progress"), PercentText(task.progress_percent()))
      .Add(Tr(lang, "最新进展", "Latest progress"), task.latest_progress())
      .Add(Tr(lang, "状态说明", "Status note"), task.status_note())
      .Add(Tr(lang, "版本", "Version"), absl::StrCat(task.version()))
      .Add(Tr(lang, "创建时间", "Created"), FormatTimestamp(task.create_time(), zone))
      .Add(Tr(lang, "更新时间", "Updated"), FormatTimestamp(task.update_time(), zone))
      .Add(Tr(lang, "最近反馈", "Last report"), FormatTimestamp(task.last_report_time(), zone));
  if (task.has_close_time()) {
    fields.Add(Tr(lang, "销号时间", "Closed"), FormatTimestamp(task.close_time(), zone));
  }
  *out += fields.Render();
}

void AppendHeading(const char* zh, const char* en, int count, Lang lang, std::string* out) {
  absl::StrAppend(out, "\n", Tr(lang, zh, en), Tr(lang, "（", " ("), count, Tr(lang, "）", ")"),
                  "\n");
  if (count == 0) absl::StrAppend(out, "  ", Tr(lang, "（无）", "(none)"), "\n");
}

void AppendProgress(const v1::TaskHistory& history, Lang lang, absl::TimeZone zone,
                    std::string* out) {
  AppendHeading("进展反馈", "Progress reports", history.progress_size(), lang, out);
  for (const v1::ProgressReport& report : history.progress()) {
    absl::StrAppend(out, "  #", report.id(), "  ", FormatTimestamp(report.report_time(), zone),
                    "  ", report.reporter(), "  ", PercentText(report.percent()), "\n");
    FieldList fields(/*indent=*/4);
    fields.Add(Tr(lang, "内容", "Text"), report.text());
    if (report.evidence_size() > 0) {
      std::vector<std::string> files;
      for (const v1::Evidence& e : report.evidence()) {
        files.push_back(absl::StrCat(e.file_name(), "  ", e.media_type(), "  ",
                                     SizeText(e.size_bytes()), "  sha256:", e.sha256()));
      }
      fields.Add(Tr(lang, "证明材料", "Evidence"), absl::StrJoin(files, "\n"));
    }
    *out += fields.Render();
  }
}

void AppendExtensions(const v1::TaskHistory& history, Lang lang, absl::TimeZone zone,
                      std::string* out) {
  AppendHeading("延期申请", "Extension requests", history.extensions_size(), lang, out);
  for (const v1::ExtensionRequest& ext : history.extensions()) {
    absl::StrAppend(out, "  #", ext.id(), "  ", ExtensionStateText(ext.state(), lang), "  ",
                    ext.old_deadline(), " → ", ext.requested_deadline(), "\n");
    FieldList fields(/*indent=*/4);
    fields
        .Add(Tr(lang, "申请", "Asked"),
             absl::StrCat(ext.requested_by(), "  ", FormatTimestamp(ext.request_time(), zone)))
        .Add(Tr(lang, "理由", "Reason"), ext.reason());
    if (ext.state() != v1::EXTENSION_PENDING) {
      fields
          .Add(Tr(lang, "审批", "Decided"),
               absl::StrCat(ext.decided_by(), "  ", FormatTimestamp(ext.decide_time(), zone)))
          .Add(Tr(lang, "意见", "Note"), ext.decision_note());
    }
    *out += fields.Render();
  }
}

void AppendEvents(const v1::TaskHistory& history, Lang lang, absl::TimeZone zone,
                  std::string* out) {
  AppendHeading("事件记录", "Events", history.events_size(), lang, out);
  if (history.events_size() == 0) return;
  Table table({Tr(lang, "序号", "Seq"), Tr(lang, "时间", "Time"), Tr(lang, "事件", "Event"),
               Tr(lang, "操作人", "Actor"), Tr(lang, "说明", "Detail")});
  table.SetAlign(0, Table::Align::kRight);
  for (const v1::Event& event : history.events()) {
    table.AddRow({absl::StrCat(event.seq()), FormatTimestamp(event.event_time(), zone),
                  EventKindText(event.kind(), lang), EventActorText(event, lang),
                  EventActionText(event, lang)});
  }
  // Indent the table under its heading.
  for (absl::string_view line : absl::StrSplit(table.Render(), '\n', absl::SkipEmpty())) {
    absl::StrAppend(out, "  ", line, "\n");
  }
}

}  // namespace

std::string TaskListText(const google::protobuf::RepeatedPtrField<v1::Task>& tasks, Lang lang) {
  Table table({"ID", Tr(lang, "状态", "Status"), Tr(lang, "预警", "Light"),
               Tr(lang, "整改时限", "Deadline"), Tr(lang, "进度", "Progress"),
               Tr(lang, "责任单位", "Owner unit"), Tr(lang, "责任人", "Owner"),
               Tr(lang, "整改措施", "Measure")});
  table.SetAlign(0, Table::Align::kRight)
      .SetAlign(4, Table::Align::kRight)
      .SetMaxWidth(5, kUnitWidth)
      .SetMaxWidth(6, kPersonWidth)
      .SetMaxWidth(7, kMeasureWidth);
  for (const v1::Task& task : tasks) {
    table.AddRow({absl::StrCat(task.id()), TaskStatusText(task, lang), LightCell(task, lang),
                  DeadlineText(task, lang), PercentText(task.progress_percent()),
                  task.owner_unit_name(), task.owner_person(), task.measure()});
  }
  if (table.row_count() == 0) return absl::StrCat(Tr(lang, "（没有任务）", "(no tasks)"), "\n");
  return absl::StrCat(table.Render(), Tr(lang, "共 ", ""), tasks.size(), Tr(lang, " 项", " tasks"),
                      "\n");
}

std::string TaskHistoryText(const v1::TaskHistory& history, Lang lang, absl::TimeZone zone) {
  std::string out;
  AppendTaskFields(history, lang, zone, &out);
  AppendProgress(history, lang, zone, &out);
  AppendExtensions(history, lang, zone, &out);
  AppendEvents(history, lang, zone, &out);
  return out;
}

std::string TaskStatusLine(const v1::Task& task, Lang lang) {
  return absl::StrCat(Tr(lang, "任务 ", "task "), task.id(), Tr(lang, "：", ": "),
                      TaskStatusText(task, lang), Tr(lang, "，进度 ", ", "),
                      PercentText(task.progress_percent()), Tr(lang, "，版本 ", ", version "),
                      task.version(), "\n");
}

}  // namespace rectify::client
