// How the supervisors' reports look: the overdue list (逾期清单) and the statistics (整改进度统计)
// as tables for people, and as CSV for spreadsheets (client/output/csv.h).
//
// A table opens with a title line (what, as of when, which units), and ends with a totals line;
// the CSV is header and rows only, so that a spreadsheet can sort and filter it as it is. Headers
// and labels are Chinese, or English with Lang::kEn.
//
// All functions are pure and thread-safe; text ends in '\n'.
#ifndef RECTIFY_CLIENT_OUTPUT_REPORT_VIEW_H_
#define RECTIFY_CLIENT_OUTPUT_REPORT_VIEW_H_

#include <ostream>
#include <string>

#include "rectify/v1/reports.pb.h"
#include "services/common/labels.h"

namespace rectify::client {

// "1-7天" / "1-7 days", ... "90天以上" / "over 90 days".
std::string AgingText(rectify::v1::AgingBucket bucket, Lang lang);

// "87.5%", or "—" when the rate is undefined (nothing to divide by).
std::string RateText(bool has_rate, double rate);

// The overdue list: a title, one section per group with its tasks (days overdue, aging bucket,
// escalation level, latest progress), the total and the count per aging bucket.
std::string OverdueReportText(const rectify::v1::OverdueReportResponse& report, Lang lang);
// One CSV record per task, the group first.
void WriteOverdueCsv(const rectify::v1::OverdueReportResponse& report, Lang lang,
                     std::ostream& out);

// The statistics: a title, one row per unit (names indented by depth) or per area, and a totals
// row.
std::string StatisticsText(const rectify::v1::StatisticsResponse& stats, Lang lang);
// The same rows, and the totals row last; rates as in the table ("87.5%", which spreadsheets read
// as a number, or "—").
void WriteStatisticsCsv(const rectify::v1::StatisticsResponse& stats, Lang lang, std::ostream& out);

}  // namespace rectify::client

#endif  // RECTIFY_CLIENT_OUTPUT_REPORT_VIEW_H_
