// How `rectify import` shows a preview to people: the document's sections, the areas with their
// numbered problems and the measure each links to, the root causes, the measures, each with the
// line it came from ("第12行"), then — marked with [!] so that they stand out — the sections that
// will not be imported and the parser's warnings, and a last line saying what an import creates.
//
// Thread safety: pure functions.
#ifndef RECTIFY_CLIENT_COMMANDS_IMPORT_VIEW_H_
#define RECTIFY_CLIENT_COMMANDS_IMPORT_VIEW_H_

#include <string>

#include "rectify/v1/import.pb.h"
#include "services/common/labels.h"

namespace rectify::client {

// "第12行" / "line 12".
std::string LineText(int line, Lang lang);
// "第8行第41列" / "line 8:41": problems split out of one paragraph share its line.
std::string LineColumnText(int line, int column, Lang lang);

// The whole preview of `file_name`.
std::string ImportPreviewText(const rectify::v1::ImportPreview& preview,
                              const std::string& file_name, Lang lang);

// What was created: "已导入为检视 5：根源 4 条，问题 10 个，草稿任务 10 个（任务 21–30）…".
std::string ImportResultText(const rectify::v1::ImportReviewResponse& result, Lang lang);

}  // namespace rectify::client

#endif  // RECTIFY_CLIENT_COMMANDS_IMPORT_VIEW_H_
