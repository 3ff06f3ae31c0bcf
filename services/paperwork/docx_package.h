// A WordprocessingML package (.docx) made of styled paragraphs: document.xml, styles.xml with
// the official-document styles (GB/T 9704), an A4 section with its margins and a footer with
// the page number, zipped with libzip. Kept apart from what the report says, so the report's
// content can be tested as text.
//
// Functions are pure and thread-safe.
#ifndef RECTIFY_SERVICES_PAPERWORK_DOCX_PACKAGE_H_
#define RECTIFY_SERVICES_PAPERWORK_DOCX_PACKAGE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace rectify::paperwork {

struct DocxParagraph {
  // A style id of styles.xml: Title, Heading1, Heading2, Heading3, Normal, Signature.
  std::string style;
  // Plain text; '\n' becomes a line break within the paragraph.
  std::string text;
};

// `text` with &, <, > and quotes escaped for XML content and attributes.
std::string XmlEscape(absl::string_view text);

// The .docx bytes; `title` goes into the document's properties.
absl::StatusOr<std::string> DocxPackage(const std::vector<DocxParagraph>& paragraphs,
                                        const std::string& title);

}  // namespace rectify::paperwork

#endif  // RECTIFY_SERVICES_PAPERWORK_DOCX_PACKAGE_H_
