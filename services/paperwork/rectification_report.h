// The written report on how a review's rectification went (整改落实情况报告) as a Word document:
// a title, an opening paragraph with the totals, then per area and per problem the measures, what
// was done (progress reports, the close-out summary and the acceptance note), the evidence by name
// and, for what is still being worked on, the reason and the deadline now in force (a task
// submitted for close-out is said to be so, with its summary); closing with the long-term
// measures.
//
// The .docx is written by hand (WordprocessingML zipped with libzip). Fonts and sizes follow the
// conventions of official documents (GB/T 9704): title 方正小标宋简体 二号, body 仿宋_GB2312
// 三号, headings 黑体 and 楷体_GB2312, A4 with margins 3.7/3.5/2.8/2.6 cm. The fonts are only
// named in styles.xml: nothing depends on fonts installed where the document is made.
//
// Functions are pure and thread-safe.
#ifndef RECTIFY_SERVICES_PAPERWORK_RECTIFICATION_REPORT_H_
#define RECTIFY_SERVICES_PAPERWORK_RECTIFICATION_REPORT_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "rectify/v1/ledger.pb.h"
#include "rectify/v1/reports.pb.h"
#include "services/paperwork/docx_package.h"

namespace rectify::paperwork {

// The totals of the opening paragraph, counted over the ledger's tasks with the same rules as
// ReportService.Statistics (TaskCounts; drafts not counted), so the report of review N says
// what `rectify report stats --review N` says.
struct ReportTotals {
  int problems = 0;    // 问题: problems of the review
  int measures = 0;    // 整改措施: every task, withdrawn ones included (TaskCounts.total)
  int closed = 0;      // 已完成: CLOSED
  int ongoing = 0;     // 基本完成并持续整改: ONGOING
  int unfinished = 0;  // 未完成: OPEN, IN_PROGRESS, SUBMITTED
  int cancelled = 0;   // 已撤销: CANCELLED
  std::optional<double> completion_rate;  // closed / (measures - cancelled)
};

ReportTotals CountTotals(const std::vector<rectify::v1::LedgerRow>& rows);

// "85.7%": one decimal, as `rectify report stats` prints rates.
std::string RateText(double rate);

struct ReportInput {
  rectify::v1::Review review;
  std::string unit_name;  // the unit that held the review, which reports
  std::string as_of;      // "YYYY-MM-DD"
  // The organisation's zone, for the days progress was reported.
  absl::TimeZone zone = absl::FixedTimeZone(8 * 3600);
  // ExportLedger with with_history, for the review, in its order (LedgerRow.submit_summary
  // gives what closed and submitted tasks report as done).
  std::vector<rectify::v1::LedgerRow> rows;
};

// The report's paragraphs in order, each with its style (Title, Heading1, Heading2, Heading3,
// Normal, Signature): the document's content without the packaging.
std::vector<DocxParagraph> ReportParagraphs(const ReportInput& input);

// The .docx bytes.
absl::StatusOr<std::string> RectificationReportDocx(const ReportInput& input);

}  // namespace rectify::paperwork

#endif  // RECTIFY_SERVICES_PAPERWORK_RECTIFICATION_REPORT_H_
