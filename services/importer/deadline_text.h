// ReadDeadlineText: a 完成时限 as documents write it, read as a civil day, so that an imported
// row's deadline can fill its draft task.
//
// Understood: 2026-12-31, 2026/12/31, 2026.12.31, 2026年12月31日 (full-width digits too), and the
// ends of periods audit reports use: 2026年12月底 / 2026年12月末 (the month's last day), 2026年底 /
// 2026年年底 / 2026年末 (31 December). Anything else ("长期坚持", "立行立改", "2026年第三季度")
// is not a day: the draft keeps no deadline and the committee sets one.
//
// Thread safety: pure function.
#ifndef RECTIFY_SERVICES_IMPORTER_DEADLINE_TEXT_H_
#define RECTIFY_SERVICES_IMPORTER_DEADLINE_TEXT_H_

#include <string>

#include "absl/strings/string_view.h"

namespace rectify {

// "YYYY-MM-DD", or empty when `text` names no single day.
std::string ReadDeadlineText(absl::string_view text);

}  // namespace rectify

#endif  // RECTIFY_SERVICES_IMPORTER_DEADLINE_TEXT_H_
