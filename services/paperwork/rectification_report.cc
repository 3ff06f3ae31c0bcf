#include "services/paperwork/rectification_report.h"

#include <cstdio>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "services/common/labels.h"

namespace rectify::paperwork {
namespace {

namespace v1 = rectify::v1;

// 一 … 九十九, for numbering headings as official documents write them.
std::string ChineseNumber(int n) {
  static const char* const kDigits[] = {"", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
  if (n <= 0 || n >= 100) return absl::StrCat(n);
  if (n < 10) return kDigits[n];
  return absl::StrCat(n / 10 == 1 ? "" : kDigits[n / 10], "十", kDigits[n % 10]);
}

// "2021-12-20" → "2021年12月20日".
std::string ChineseDate(const std::string& day) {
  int y = 0, m = 0, d = 0;
  if (std::sscanf(day.c_str(), "%4d-%2d-%2d", &y, &m, &d) != 3) return day;
  return absl::StrCat(y, "年", m, "月", d, "日");
}

std::string DayOf(const google::protobuf::Timestamp& t, absl::TimeZone zone) {
  const absl::CivilDay day = absl::ToCivilDay(absl::FromUnixSeconds(t.seconds()), zone);
  return absl::StrCat(day.year(), "年", day.month(), "月", day.day(), "日");
}

// Still being worked on by its owner. (A SUBMITTED task counts as 未完成 in the totals too, but
// its owner's part is done: the report says so, with the summary it was submitted with.)
bool BeingWorkedOn(const v1::Task& t) {
  return t.status() == v1::OPEN || t.status() == v1::IN_PROGRESS;
}

// What the owner reported at the close-out (申请销号): the summary the server read from the
// task's history; for a task still waiting for its acceptance, its status note is the same.
std::string CloseOutSummary(const v1::LedgerRow& row) {
  if (!row.submit_summary().empty()) return row.submit_summary();
  return row.task().status() == v1::SUBMITTED ? row.task().status_note() : std::string();
}

// Ends a sentence with "。" unless it already ends in punctuation.
std::string Sentence(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  static const char* const kEnds[] = {"。", "！", "？", "；", "."};
  for (const char* end : kEnds) {
    const std::string e(end);
    if (text.size() >= e.size() && text.compare(text.size() - e.size(), e.size(), e) == 0) {
      return text;
    }
  }
  return text + "。";
}

// Why a task is not finished: the latest extension's reason, else the last transition's note.
std::string UnfinishedReason(const v1::LedgerRow& row) {
  for (int i = row.extensions_size() - 1; i >= 0; --i) {
    const v1::ExtensionRequest& x = row.extensions(i);
    if (x.state() != v1::EXTENSION_DENIED && !x.reason().empty()) return x.reason();
  }
  if (!row.task().status_note().empty()) return row.task().status_note();
  return "整改工作正在推进中";
}

bool Extended(const v1::LedgerRow& row) {
  for (const v1::ExtensionRequest& x : row.extensions()) {
    if (x.state() == v1::EXTENSION_APPROVED) return true;
  }
  return false;
}

void AddTask(const v1::LedgerRow& row, int n, absl::TimeZone zone,
             std::vector<DocxParagraph>* out) {
  const v1::Task& t = row.task();
  out->push_back({"Heading3", absl::StrCat(n, ". 整改措施：", Sentence(t.measure()))});
  std::string who = absl::StrCat("责任单位：", t.owner_unit_name());
  if (!t.owner_person().empty()) absl::StrAppend(&who, "；责任人：", t.owner_person());
  if (!t.leader().empty()) absl::StrAppend(&who, "；责任领导：", t.leader());
  absl::StrAppend(&who, "；当前状态：", TaskStatusLabel(static_cast<int>(t.status())), "。");
  out->push_back({"Normal", who});
  std::vector<std::string> done;
  std::vector<std::string> evidence;
  for (const v1::ProgressReport& p : row.progress()) {
    done.push_back(absl::StrCat(DayOf(p.report_time(), zone), "，", p.text()));
    for (const v1::Evidence& e : p.evidence()) evidence.push_back(e.file_name());
  }
  out->push_back({"Normal", done.empty()
                                ? std::string("整改情况：尚无进展报告。")
                                : Sentence(absl::StrCat("整改情况：", absl::StrJoin(done, "；")))});
  const std::string summary = CloseOutSummary(row);
  if (t.status() == v1::CLOSED) {
    // What was done (the owner's summary at the close-out), then the committee's verdict: the
    // task's status note is the acceptance note once it is closed.
    std::string closed = Sentence(absl::StrCat("已于", ChineseDate(row.closed_on()), "验收销号"));
    if (!summary.empty()) absl::StrAppend(&closed, Sentence(absl::StrCat("完成情况：", summary)));
    if (!t.status_note().empty()) {
      absl::StrAppend(&closed, Sentence(absl::StrCat("验收意见：", t.status_note())));
    }
    out->push_back({"Normal", closed});
  } else if (t.status() == v1::SUBMITTED) {
    out->push_back(
        {"Normal", summary.empty()
                       ? std::string("已申请销号，待验收。")
                       : Sentence(absl::StrCat("已申请销号，完成情况：", summary)) + "待验收。"});
  } else if (t.status() == v1::ONGOING && !summary.empty()) {
    out->push_back({"Normal", Sentence(absl::StrCat("完成情况：", summary))});
  }
  if (!evidence.empty()) {
    out->push_back({"Normal", absl::StrCat("佐证材料：", absl::StrJoin(evidence, "、"), "。")});
  }
  if (BeingWorkedOn(t)) {
    std::string text = absl::StrCat("未完成原因：", Sentence(UnfinishedReason(row)));
    if (!t.deadline().empty()) {
      absl::StrAppend(&text, Extended(row) ? "经批准延期，新的整改时限为" : "整改时限为",
                      ChineseDate(t.deadline()), "。");
    }
    out->push_back({"Normal", text});
  } else if (t.status() == v1::CANCELLED) {
    out->push_back({"Normal", Sentence(absl::StrCat("该项措施已撤销：", t.status_note()))});
  } else if (t.status() == v1::ONGOING && t.cadence_days() > 0) {
    out->push_back({"Normal", absl::StrCat("该项措施已基本完成，转为长期坚持，每 ",
                                           t.cadence_days(), " 天报告一次进展。")});
  }
}

}  // namespace

ReportTotals CountTotals(const std::vector<v1::LedgerRow>& rows) {
  ReportTotals totals;
  std::set<int64_t> problems;
  for (const v1::LedgerRow& row : rows) {
    problems.insert(row.problem_id());
    // A draft (imported, not yet assigned) is not counted, as the statistics do not count it.
    if (!row.has_task() || row.task().draft()) continue;
    ++totals.measures;
    switch (row.task().status()) {
      case v1::CLOSED:
        ++totals.closed;
        break;
      case v1::ONGOING:
        ++totals.ongoing;
        break;
      case v1::CANCELLED:
        ++totals.cancelled;
        break;
      default:
        ++totals.unfinished;
    }
  }
  totals.problems = static_cast<int>(problems.size());
  const int live = totals.measures - totals.cancelled;
  if (live > 0) totals.completion_rate = static_cast<double>(totals.closed) / live;
  return totals;
}

std::string RateText(double rate) { return absl::StrFormat("%.1f%%", rate * 100); }

std::vector<DocxParagraph> ReportParagraphs(const ReportInput& in) {
  std::vector<DocxParagraph> out;
  const std::string& title = in.review.title();
  out.push_back({"Title", absl::StrCat("关于", title, "整改落实情况的报告")});
  const ReportTotals totals = CountTotals(in.rows);
  std::string opening = in.unit_name;
  if (!in.review.held_on().empty())
    absl::StrAppend(&opening, "于", ChineseDate(in.review.held_on()));
  absl::StrAppend(&opening, "召开", title,
                  "，对查摆出的问题逐项制定整改措施，明确责任单位、责任人和整改时限，建立整改台账，"
                  "推动整改落实。");
  absl::StrAppend(&opening, "截至", ChineseDate(in.as_of), "，共查摆问题", totals.problems,
                  "个、制定整改措施", totals.measures, "项，已完成", totals.closed,
                  "项、基本完成并持续整改", totals.ongoing, "项、未完成", totals.unfinished, "项");
  if (totals.cancelled > 0) absl::StrAppend(&opening, "、已撤销", totals.cancelled, "项");
  absl::StrAppend(
      &opening, "，整改完成率",
      totals.completion_rate.has_value() ? RateText(*totals.completion_rate) : std::string("暂无"),
      "。现将整改落实情况报告如下。");
  out.push_back({"Normal", opening});

  // Areas in the order their first problem appears; problems in review order within an area.
  std::vector<std::string> areas;
  std::map<std::string, std::vector<int64_t>> problems_by_area;
  std::map<int64_t, std::vector<const v1::LedgerRow*>> rows_by_problem;
  for (const v1::LedgerRow& row : in.rows) {
    const std::string area = row.area().empty() ? "其他方面" : row.area();
    if (problems_by_area.find(area) == problems_by_area.end()) areas.push_back(area);
    std::vector<int64_t>& ids = problems_by_area[area];
    if (rows_by_problem.find(row.problem_id()) == rows_by_problem.end()) {
      ids.push_back(row.problem_id());
    }
    rows_by_problem[row.problem_id()].push_back(&row);
  }
  int heading = 0;
  for (const std::string& area : areas) {
    out.push_back({"Heading1", absl::StrCat(ChineseNumber(++heading), "、", area)});
    int problem_no = 0;
    for (int64_t id : problems_by_area[area]) {
      const std::vector<const v1::LedgerRow*>& rows = rows_by_problem[id];
      out.push_back({"Heading2", absl::StrCat("（", ChineseNumber(++problem_no), "）",
                                              rows.front()->problem_text())});
      int task_no = 0;
      for (const v1::LedgerRow* row : rows) {
        if (row->has_task()) AddTask(*row, ++task_no, in.zone, &out);
      }
      if (task_no == 0) out.push_back({"Normal", "该问题尚未制定整改措施。"});
    }
  }

  out.push_back({"Heading1", absl::StrCat(ChineseNumber(++heading), "、长期坚持的整改措施")});
  int ongoing = 0;
  for (const v1::LedgerRow& row : in.rows) {
    if (!row.has_task() || row.task().status() != v1::ONGOING) continue;
    const v1::Task& t = row.task();
    std::string line = absl::StrCat(++ongoing, ". ", t.measure(), "（", t.owner_unit_name());
    if (t.cadence_days() > 0) absl::StrAppend(&line, "，每 ", t.cadence_days(), " 天报告一次进展");
    out.push_back({"Normal", absl::StrCat(line, "）。")});
  }
  if (ongoing == 0) out.push_back({"Normal", "暂无转为长期坚持的整改措施。"});

  out.push_back({"Heading1", absl::StrCat(ChineseNumber(++heading), "、下一步工作")});
  out.push_back(
      {"Normal",
       "对尚未完成的整改措施，紧盯整改时限，压实责任单位和责任人责任，定期调度推进；"
       "对已完成的整改事项，适时开展“回头看”，防止问题反弹；对长期坚持的措施，按期报告进展，"
       "建立健全长效机制，巩固整改成果。"});
  out.push_back({"Signature", in.unit_name});
  out.push_back({"Signature", ChineseDate(in.as_of)});
  return out;
}

absl::StatusOr<std::string> RectificationReportDocx(const ReportInput& input) {
  return DocxPackage(ReportParagraphs(input),
                     absl::StrCat("关于", input.review.title(), "整改落实情况的报告"));
}

}  // namespace rectify::paperwork
