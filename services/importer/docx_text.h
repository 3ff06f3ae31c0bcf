// DocxToText: the text of a Word .docx file as the importer reads it, with the numbering Word
// draws but does not store rebuilt as text.
//
// Word keeps "一、", "（一）" and "1." of an automatically numbered paragraph out of the text: the
// paragraph names a list (w:numPr, directly or through its paragraph style in styles.xml), the
// list an abstract numbering (numbering.xml), and each of its levels a format (w:numFmt), a
// pattern (w:lvlText, e.g. "%1、" or "（%2）"), a first value (w:start, or a w:startOverride of
// the list) and when it restarts (after any level above it, or as w:lvlRestart says). Formats:
// decimal (and full-width, zero-padded), chineseCounting and chineseCountingThousand (十一,
// 一百零一), ideographDigital (一〇一), the circled and parenthesised decimals, letters, Roman
// numerals and bullets. Counters belong to the abstract numbering, so that two lists drawn from
// it continue each other unless one restarts, as in Word.
//
// The text has one line per paragraph: a heading style ("heading 1", "标题 1", or an outline
// level) becomes a Markdown heading ("## 二、存在的问题"), so that the outline reads it as one;
// a table row becomes one line with its cells separated by tabs, the shape the importer reads
// as a table (序号 / 问题 / 整改措施 / 责任单位 / 完成时限); a cell merged with the one above is
// empty. Deleted revisions and field codes are left out. Line N of the text is the N-th
// paragraph or table row, which is what the preview's line numbers then mean.
//
// Why here and not in the client: the server receives the file's bytes, so every front end (the
// CLI, the web page) imports Word files the same way, and the SHA-256 that recognises a second
// import of the same content is the file's own. The reader is bounded (entry sizes checked
// before inflating, see kMaxDocxPartBytes) because it runs on untrusted uploads.
//
// Thread safety: a pure function of its input.
#ifndef RECTIFY_SERVICES_IMPORTER_DOCX_TEXT_H_
#define RECTIFY_SERVICES_IMPORTER_DOCX_TEXT_H_

#include <cstddef>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace rectify {

// Largest uncompressed part (document.xml, numbering.xml, styles.xml) read from a .docx.
inline constexpr size_t kMaxDocxPartBytes = 32 * 1024 * 1024;

// Whether `bytes` start like a ZIP archive (a .docx is one).
bool LooksLikeZip(absl::string_view bytes);

// The text of the .docx in `bytes`. INVALID_ARGUMENT (field "document", "中文 / English") when
// it is not a ZIP archive, has no word/document.xml (another Office or ZIP file), a part larger
// than kMaxDocxPartBytes, or XML that does not parse.
absl::StatusOr<std::string> DocxToText(absl::string_view bytes);

// The number `value` written in Word's format `num_fmt` ("decimal", "chineseCounting", ...);
// decimal for a format it does not know. Exposed for tests.
std::string FormatListNumber(int value, absl::string_view num_fmt);

}  // namespace rectify

#endif  // RECTIFY_SERVICES_IMPORTER_DOCX_TEXT_H_
