#include "services/paperwork/ledger_workbook.h"

#include <unistd.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "services/common/labels.h"
#include "services/common/text.h"

namespace rectify::paperwork {
namespace {

namespace v1 = rectify::v1;

// Excel column widths are in characters of the default font; a CJK character takes two.
// Caps keep a 20-column ledger readable on landscape A4 once fitted to the page width; longer
// texts wrap, and rows are made tall enough for their wrapped lines.
constexpr double kMinWidth = 6;
constexpr double kMaxWidth = 14;
constexpr double kMaxWideWidth = 30;  // problem, measure, latest progress
constexpr double kLineHeight = 13.5;  // points, for the 10-point body font

struct Formats {
  lxw_format* title;
  lxw_format* meta;
  lxw_format* meta_right;
  lxw_format* header;
  lxw_format* text;
  lxw_format* center;
  lxw_format* integer;
  lxw_format* date;
  lxw_format* percent;
  lxw_format* rate;
  lxw_format* light[4];  // by WarningLight: none, green, yellow, red
  lxw_format* total_text;
  lxw_format* total_integer;
  lxw_format* total_rate;
};

lxw_format* Bordered(lxw_workbook* wb) {
  lxw_format* f = workbook_add_format(wb);
  format_set_border(f, LXW_BORDER_THIN);
  format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
  format_set_font_size(f, 10);
  return f;
}

Formats MakeFormats(lxw_workbook* wb) {
  Formats f;
  f.title = workbook_add_format(wb);
  format_set_bold(f.title);
  format_set_font_size(f.title, 16);
  format_set_align(f.title, LXW_ALIGN_CENTER);
  format_set_align(f.title, LXW_ALIGN_VERTICAL_CENTER);
  f.meta = workbook_add_format(wb);
  format_set_font_size(f.meta, 10);
  f.meta_right = workbook_add_format(wb);
  format_set_font_size(f.meta_right, 10);
  format_set_align(f.meta_right, LXW_ALIGN_RIGHT);
  f.header = Bordered(wb);
  format_set_bold(f.header);
  format_set_bg_color(f.header, 0xD9D9D9);
  format_set_text_wrap(f.header);
  format_set_align(f.header, LXW_ALIGN_CENTER);
  f.text = Bordered(wb);
  format_set_text_wrap(f.text);
  f.center = Bordered(wb);
  format_set_align(f.center, LXW_ALIGN_CENTER);
  f.integer = Bordered(wb);
  format_set_num_format(f.integer, "0");
  f.date = Bordered(wb);
  format_set_num_format(f.date, "yyyy-mm-dd");
  format_set_align(f.date, LXW_ALIGN_CENTER);
  f.percent = Bordered(wb);
  format_set_num_format(f.percent, "0%");
  f.rate = Bordered(wb);
  format_set_num_format(f.rate, "0.0%");
  // Light colours as Excel's "good / neutral / bad" fills, readable in black and white print.
  const lxw_color_t fills[4] = {0, 0xC6EFCE, 0xFFEB9C, 0xFFC7CE};
  for (int i = 0; i < 4; ++i) {
    f.light[i] = Bordered(wb);
    format_set_align(f.light[i], LXW_ALIGN_CENTER);
    if (fills[i] != 0) format_set_bg_color(f.light[i], fills[i]);
  }
  f.total_text = Bordered(wb);
  format_set_bold(f.total_text);
  f.total_integer = Bordered(wb);
  format_set_bold(f.total_integer);
  format_set_num_format(f.total_integer, "0");
  f.total_rate = Bordered(wb);
  format_set_bold(f.total_rate);
  format_set_num_format(f.total_rate, "0.0%");
  return f;
}

bool ParseDay(const std::string& text, lxw_datetime* out) {
  int y = 0, m = 0, d = 0;
  if (text.size() != 10 || std::sscanf(text.c_str(), "%4d-%2d-%2d", &y, &m, &d) != 3) {
    return false;
  }
  *out = lxw_datetime{y, m, d, 0, 0, 0};
  return true;
}

// One worksheet with a title block, a header row and data rows; keeps the widest cell of each
// column so the widths fit what was written.
class Sheet {
 public:
  // The title block takes rows 0-1, the header row 2; data starts at row 3.
  static constexpr lxw_row_t kHeaderRow = 2;

  Sheet(lxw_workbook* wb, const Formats& f, const char* name, const std::string& title,
        const std::string& unit_name, const std::string& as_of,
        const std::vector<std::string>& headers, std::vector<bool> wide)
      : ws_(workbook_add_worksheet(wb, name)),
        f_(f),
        columns_(static_cast<lxw_col_t>(headers.size())),
        wide_(std::move(wide)),
        widths_(headers.size(), kMinWidth) {
    worksheet_merge_range(ws_, 0, 0, 0, columns_ - 1, title.c_str(), f_.title);
    worksheet_set_row(ws_, 0, 30, nullptr);
    const lxw_col_t half = columns_ / 2;
    worksheet_merge_range(ws_, 1, 0, 1, half - 1, absl::StrCat("填报单位：", unit_name).c_str(),
                          f_.meta);
    worksheet_merge_range(ws_, 1, half, 1, columns_ - 1, absl::StrCat("截至日期：", as_of).c_str(),
                          f_.meta_right);
    for (lxw_col_t c = 0; c < columns_; ++c) {
      worksheet_write_string(ws_, kHeaderRow, c, headers[c].c_str(), f_.header);
      worksheet_set_row(ws_, kHeaderRow, 2 * kLineHeight, nullptr);
      // A header may wrap onto two lines, so half its width is enough.
      Widen(c, DisplayWidth(headers[c]) / 2.0 + 2);
    }
  }

  void Text(lxw_row_t row, lxw_col_t col, const std::string& text, lxw_format* format = nullptr) {
    if (text.empty()) {
      Blank(row, col, format);
      return;
    }
    worksheet_write_string(ws_, row, col, text.c_str(), format != nullptr ? format : f_.text);
    int widest = 0;
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
      widest = std::max(widest, DisplayWidth(line));
      texts_[row].push_back({col, DisplayWidth(line)});
    }
    Widen(col, widest + 2);
  }
  void Number(lxw_row_t row, lxw_col_t col, double value, lxw_format* format) {
    worksheet_write_number(ws_, row, col, value, format);
    Widen(col, 8);
  }
  void Date(lxw_row_t row, lxw_col_t col, const std::string& day) {
    lxw_datetime dt;
    if (!ParseDay(day, &dt)) {
      Blank(row, col, f_.date);
      return;
    }
    worksheet_write_datetime(ws_, row, col, &dt, f_.date);
    Widen(col, 12);
  }
  // A column kept for machines (the round trip), not printed or shown.
  void Hide(lxw_col_t col) { hidden_.insert(col); }

  void Blank(lxw_row_t row, lxw_col_t col, lxw_format* format = nullptr) {
    worksheet_write_blank(ws_, row, col, format != nullptr ? format : f_.text);
  }

  // Widths, filter, frozen header and print setup once the last row is known.
  void Finish(lxw_row_t last_row) {
    for (lxw_col_t c = 0; c < columns_; ++c) {
      lxw_row_col_options options = {};
      options.hidden = hidden_.count(c) > 0 ? 1 : 0;
      worksheet_set_column_opt(ws_, c, c, widths_[c], nullptr, &options);
    }
    // Spreadsheets do not grow a row for wrapped text written by a library: count the lines
    // each cell wraps to at its column's width.
    for (const auto& [row, cells] : texts_) {
      std::map<lxw_col_t, double> lines;
      for (const auto& [col, width] : cells) {
        lines[col] += std::max(1.0, std::ceil(width / std::max(1.0, widths_[col] - 1)));
      }
      double most = 1;
      for (const auto& [col, n] : lines) most = std::max(most, n);
      if (most > 1) worksheet_set_row(ws_, row, kLineHeight * most, nullptr);
    }
    worksheet_autofilter(ws_, kHeaderRow, 0, std::max(last_row, kHeaderRow), columns_ - 1);
    worksheet_freeze_panes(ws_, kHeaderRow + 1, 0);
    worksheet_set_landscape(ws_);
    worksheet_set_paper(ws_, 9);  // A4
    worksheet_fit_to_pages(ws_, 1, 0);
    worksheet_repeat_rows(ws_, kHeaderRow, kHeaderRow);
    worksheet_set_margins(ws_, 0.5, 0.5, 0.6, 0.6);
    worksheet_center_horizontally(ws_);
    worksheet_set_footer(ws_, "&C第 &P 页，共 &N 页");
  }

 private:
  void Widen(lxw_col_t col, double width) {
    const double cap = wide_[col] ? kMaxWideWidth : kMaxWidth;
    widths_[col] = std::min(cap, std::max(widths_[col], width));
  }

  lxw_worksheet* ws_;
  const Formats& f_;
  const lxw_col_t columns_;
  const std::vector<bool> wide_;
  std::vector<double> widths_;
  std::set<lxw_col_t> hidden_;
  // Display width of every line of text written, by row: (column, width).
  std::map<lxw_row_t, std::vector<std::pair<lxw_col_t, int>>> texts_;
};

std::string StatusCell(const v1::Task& task) {
  if (task.draft()) return "草稿（待分配）";
  return TaskStatusLabel(static_cast<int>(task.status()));
}

std::string EscalationCell(int level) { return level > 0 ? EscalationLabel(level) : ""; }

std::string AgingCell(v1::AgingBucket bucket) {
  switch (bucket) {
    case v1::AGING_1_TO_7_DAYS:
      return "1-7 天";
    case v1::AGING_8_TO_30_DAYS:
      return "8-30 天";
    case v1::AGING_31_TO_90_DAYS:
      return "31-90 天";
    case v1::AGING_OVER_90_DAYS:
      return "90 天以上";
    default:
      return "";
  }
}

// A long-term task keeps its old date for the record, but its checkpoints are what count.
std::string DeadlineOf(const v1::Task& task) {
  return task.status() == v1::ONGOING ? "" : task.deadline();
}

void WriteLedgerSheet(lxw_workbook* wb, const Formats& f, const LedgerWorkbookInput& in) {
  const std::vector<std::string>& headers = LedgerSheetHeaders();
  std::vector<bool> wide(headers.size(), false);
  wide[4] = wide[6] = wide[17] = true;
  Sheet sheet(wb, f, "整改台账", "整改台账", in.unit_name, in.as_of, headers, wide);
  std::map<int64_t, const v1::OverdueItem*> overdue;
  for (const v1::OverdueGroup& group : in.overdue.groups()) {
    for (const v1::OverdueItem& item : group.items()) overdue[item.task().id()] = &item;
  }
  lxw_row_t row = Sheet::kHeaderRow;
  int seq = 0;
  for (const v1::LedgerRow& r : in.rows) {
    ++row;
    sheet.Number(row, 0, ++seq, f.integer);
    sheet.Text(row, 1, r.review_title());
    sheet.Number(row, 2, r.problem_seq(), f.integer);
    sheet.Text(row, 3, r.area());
    sheet.Text(row, 4, r.problem_text());
    if (!r.has_task()) {
      sheet.Blank(row, 5);
      sheet.Text(row, 6, "（尚无整改措施）");
      for (lxw_col_t c = 7; c < headers.size(); ++c) sheet.Blank(row, c);
      continue;
    }
    const v1::Task& t = r.task();
    sheet.Number(row, 5, static_cast<double>(t.id()), f.integer);
    sheet.Text(row, 6, t.measure());
    sheet.Text(row, 7, t.owner_unit_name());
    sheet.Text(row, 8, t.owner_person());
    sheet.Text(row, 9, t.leader());
    sheet.Date(row, 10, DeadlineOf(t));
    if (t.cadence_days() > 0) {
      sheet.Number(row, 11, t.cadence_days(), f.integer);
    } else {
      sheet.Blank(row, 11, f.integer);
    }
    sheet.Text(row, 12, StatusCell(t), f.center);
    // The light as of the title block's date (the same instant as 逾期天数 and 督办), not the
    // scheduler's light now: a row never reads green while it is overdue as of the date.
    const int light = std::clamp(static_cast<int>(r.light_as_of()), 0, 3);
    sheet.Text(row, 13, light == 0 ? "" : LightLabel(light), f.light[light]);
    sheet.Number(row, 14, t.progress_percent() / 100.0, f.percent);
    auto it = overdue.find(t.id());
    if (it != overdue.end()) {
      sheet.Number(row, 15, it->second->days_overdue(), f.integer);
      sheet.Text(row, 16, EscalationCell(it->second->escalation_level()), f.center);
    } else {
      sheet.Blank(row, 15, f.integer);
      sheet.Blank(row, 16, f.center);
    }
    sheet.Text(row, 17, t.latest_progress());
    sheet.Date(row, 18, r.closed_on());
    sheet.Number(row, 19, static_cast<double>(t.version()), f.integer);
  }
  sheet.Hide(19);  // 版本: the version the round trip checks
  sheet.Finish(row);
}

void WriteOverdueSheet(lxw_workbook* wb, const Formats& f, const LedgerWorkbookInput& in) {
  const std::vector<std::string> headers = {"序号",     "责任单位", "任务编号", "方面",
                                            "整改措施", "责任人",   "责任领导", "整改时限",
                                            "逾期天数", "逾期账龄", "督办",     "最新进展"};
  std::vector<bool> wide(headers.size(), false);
  wide[4] = wide[11] = true;
  Sheet sheet(wb, f, "逾期清单", "逾期清单", in.unit_name, in.as_of, headers, wide);
  lxw_row_t row = Sheet::kHeaderRow;
  int seq = 0;
  for (const v1::OverdueGroup& group : in.overdue.groups()) {
    for (const v1::OverdueItem& item : group.items()) {
      const v1::Task& t = item.task();
      ++row;
      sheet.Number(row, 0, ++seq, f.integer);
      sheet.Text(row, 1, t.owner_unit_name());
      sheet.Number(row, 2, static_cast<double>(t.id()), f.integer);
      sheet.Text(row, 3, t.area());
      sheet.Text(row, 4, t.measure());
      sheet.Text(row, 5, t.owner_person());
      sheet.Text(row, 6, t.leader());
      sheet.Date(row, 7, DeadlineOf(t));
      sheet.Number(row, 8, item.days_overdue(), f.integer);
      sheet.Text(row, 9, AgingCell(item.aging()), f.center);
      sheet.Text(row, 10, EscalationCell(item.escalation_level()), f.center);
      sheet.Text(row, 11, t.latest_progress());
    }
  }
  ++row;
  sheet.Text(row, 0, "合计", f.total_text);
  for (lxw_col_t c = 1; c < headers.size(); ++c) sheet.Blank(row, c, f.total_text);
  sheet.Number(row, 8, in.overdue.total(), f.total_integer);
  sheet.Finish(row - 1);  // the total stays out of the filter
}

// 未完成: not closed, not long-term, not withdrawn.
int Unfinished(const v1::TaskCounts& c) { return c.in_progress() + c.submitted(); }

void WriteStatisticsRow(Sheet& sheet, const Formats& f, lxw_row_t row, const v1::StatisticsRow& s,
                        const std::string& label, bool total) {
  lxw_format* text = total ? f.total_text : f.text;
  lxw_format* integer = total ? f.total_integer : f.integer;
  lxw_format* rate = total ? f.total_rate : f.rate;
  sheet.Text(row, 0, label, text);
  const v1::TaskCounts& c = s.counts();
  const int numbers[] = {c.total(),     c.closed(),    c.ongoing(),
                         Unfinished(c), c.cancelled(), c.overdue()};
  lxw_col_t col = 1;
  for (int n : numbers) sheet.Number(row, col++, n, integer);
  if (s.has_completion_rate()) {
    sheet.Number(row, col, s.completion_rate(), rate);
  } else {
    sheet.Blank(row, col, rate);
  }
  ++col;
  if (s.has_on_time_rate()) {
    sheet.Number(row, col, s.on_time_rate(), rate);
  } else {
    sheet.Blank(row, col, rate);
  }
}

void WriteStatisticsSheet(lxw_workbook* wb, const Formats& f, const LedgerWorkbookInput& in) {
  const std::vector<std::string> headers = {"单位",      "总数",   "已完成",   "基本完成持续整改",
                                            "未完成",    "已撤销", "其中逾期", "整改完成率",
                                            "按期完成率"};
  Sheet sheet(wb, f, "统计", "整改进度统计", in.unit_name, in.as_of, headers,
              std::vector<bool>(headers.size(), false));
  lxw_row_t row = Sheet::kHeaderRow;
  for (const v1::StatisticsRow& s : in.statistics.rows()) {
    ++row;
    // Full-width spaces indent a unit under its parent, as the statistics table prints it.
    std::string label;
    for (int i = 0; i < s.depth(); ++i) label += "\u3000";
    label += s.unit_name().empty() ? s.area() : s.unit_name();
    WriteStatisticsRow(sheet, f, row, s, label, false);
  }
  ++row;
  WriteStatisticsRow(sheet, f, row, in.statistics.total(), "合计", true);
  sheet.Finish(row - 1);
}

// libxlsxwriter writes to a file: one of our own in TMPDIR, removed whatever happens.
class TempFile {
 public:
  TempFile() {
    const char* dir = std::getenv("TMPDIR");
    path_ = absl::StrCat(dir != nullptr && *dir != '\0' ? dir : "/tmp", "/rectify-xlsx-XXXXXX");
    const int fd = mkstemp(path_.data());
    if (fd < 0) {
      path_.clear();
    } else {
      close(fd);
    }
  }
  ~TempFile() {
    if (!path_.empty()) unlink(path_.c_str());
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace

const std::vector<std::string>& LedgerSheetHeaders() {
  static const std::vector<std::string>* headers = new std::vector<std::string>{
      "序号",     "检视",     "问题序号", "方面",     "问题",     "任务编号",
      "整改措施", "责任单位", "责任人",   "责任领导", "整改时限", "长期坚持周期（天）",
      "状态",     "预警",     "进度",     "逾期天数", "督办",     "最新进展",
      "完成日期", "版本"};
  return *headers;
}

absl::StatusOr<std::string> LedgerWorkbook(const LedgerWorkbookInput& input) {
  TempFile file;
  if (file.path().empty()) {
    return absl::InternalError("无法创建临时文件 / cannot create a temporary file");
  }
  lxw_workbook* wb = workbook_new(file.path().c_str());
  if (wb == nullptr) return absl::InternalError("无法创建工作簿 / cannot create the workbook");
  const Formats formats = MakeFormats(wb);
  WriteLedgerSheet(wb, formats, input);
  WriteOverdueSheet(wb, formats, input);
  WriteStatisticsSheet(wb, formats, input);
  lxw_doc_properties properties = {};
  std::string title = "整改台账";
  properties.title = title.data();
  workbook_set_properties(wb, &properties);
  const lxw_error error = workbook_close(wb);
  if (error != LXW_NO_ERROR) {
    return absl::InternalError(
        absl::StrCat("写入工作簿失败 / writing the workbook failed: ", lxw_strerror(error)));
  }
  std::ifstream in(file.path(), std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (!in) return absl::InternalError("读取工作簿失败 / reading the workbook back failed");
  return bytes.str();
}

}  // namespace rectify::paperwork
