#include "services/paperwork/docx_package.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "services/paperwork/zip_archive.h"

namespace rectify::paperwork {
namespace {

constexpr char kContentTypes[] =
    R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)"
    R"(<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">)"
    R"(<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>)"
    R"(<Default Extension="xml" ContentType="application/xml"/>)"
    R"(<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>)"
    R"(<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>)"
    R"(<Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>)"
    R"(<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>)"
    R"(</Types>)";

constexpr char kPackageRels[] =
    R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)"
    R"(<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">)"
    R"(<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>)"
    R"(<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>)"
    R"(</Relationships>)";

constexpr char kDocumentRels[] =
    R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)"
    R"(<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">)"
    R"(<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>)"
    R"(<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/>)"
    R"(</Relationships>)";

constexpr char kNamespaces[] =
    R"(xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" )"
    R"(xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships")";

// Sizes are half-points: 二号 22 pt = 44, 三号 16 pt = 32, 四号 14 pt = 28. Body lines are
// exactly 28 pt (560 twips), 22 lines a page as GB/T 9704 lays them out; paragraphs open with
// a two-character indent.
std::string Fonts(const char* east_asia) {
  return absl::StrCat(
      R"(<w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia=")", east_asia,
      R"(" w:cs="Times New Roman"/>)");
}

std::string ParagraphStyle(const char* id, const char* name, const char* based_on,
                           const std::string& ppr, const std::string& rpr) {
  return absl::StrCat(
      R"(<w:style w:type="paragraph" w:styleId=")", id, R"("><w:name w:val=")", name, R"("/>)",
      based_on[0] != '\0' ? absl::StrCat(R"(<w:basedOn w:val=")", based_on, R"("/>)")
                          : std::string(),
      R"(<w:next w:val="Normal"/><w:qFormat/><w:pPr>)", ppr, "</w:pPr><w:rPr>", rpr,
      "</w:rPr></w:style>");
}

// Children of <w:pPr> must come in the schema's order (CT_PPrBase: keepNext ... spacing, ind,
// ... jc, ... outlineLvl): Word repairs or rejects a document whose styles break it.
std::string Styles() {
  const std::string no_indent = R"(<w:ind w:firstLineChars="0" w:firstLine="0"/>)";
  const std::string heading_ppr = R"(<w:keepNext/>)";
  return absl::StrCat(
      R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:styles )", kNamespaces, ">",
      "<w:docDefaults><w:rPrDefault><w:rPr>", Fonts("仿宋_GB2312"),
      R"(<w:sz w:val="32"/><w:szCs w:val="32"/><w:lang w:val="en-US" w:eastAsia="zh-CN"/>)",
      "</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr>",
      R"(<w:spacing w:line="560" w:lineRule="exact"/>)", "</w:pPr></w:pPrDefault></w:docDefaults>",
      R"(<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/><w:pPr>)",
      R"(<w:ind w:firstLineChars="200" w:firstLine="640"/><w:jc w:val="both"/></w:pPr><w:rPr>)",
      Fonts("仿宋_GB2312"), R"(<w:sz w:val="32"/><w:szCs w:val="32"/></w:rPr></w:style>)",
      ParagraphStyle(
          "Title", "Title", "Normal",
          absl::StrCat(R"(<w:spacing w:before="0" w:after="560" w:line="700" w:lineRule="exact"/>)",
                       no_indent, R"(<w:jc w:val="center"/>)"),
          absl::StrCat(Fonts("方正小标宋简体"), R"(<w:sz w:val="44"/><w:szCs w:val="44"/>)")),
      ParagraphStyle("Heading1", "heading 1", "Normal",
                     absl::StrCat(heading_ppr, R"(<w:outlineLvl w:val="0"/>)"),
                     absl::StrCat(Fonts("黑体"), R"(<w:sz w:val="32"/><w:szCs w:val="32"/>)")),
      ParagraphStyle(
          "Heading2", "heading 2", "Normal",
          absl::StrCat(heading_ppr, R"(<w:outlineLvl w:val="1"/>)"),
          absl::StrCat(Fonts("楷体_GB2312"), R"(<w:sz w:val="32"/><w:szCs w:val="32"/>)")),
      ParagraphStyle("Heading3", "heading 3", "Normal",
                     absl::StrCat(heading_ppr, R"(<w:outlineLvl w:val="2"/>)"),
                     absl::StrCat(Fonts("仿宋_GB2312"),
                                  R"(<w:b/><w:bCs/><w:sz w:val="32"/><w:szCs w:val="32"/>)")),
      ParagraphStyle("Signature", "Signature", "Normal",
                     absl::StrCat(no_indent, R"(<w:jc w:val="right"/>)"), ""),
      ParagraphStyle("Footer", "footer", "Normal",
                     absl::StrCat(R"(<w:spacing w:line="240" w:lineRule="auto"/>)", no_indent,
                                  R"(<w:jc w:val="center"/>)"),
                     absl::StrCat(Fonts("宋体"), R"(<w:sz w:val="28"/><w:szCs w:val="28"/>)")),
      "</w:styles>");
}

// "— 3 —": the page number between dashes, centred, as official documents print it.
std::string Footer() {
  return absl::StrCat(
      R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:ftr )", kNamespaces, ">",
      R"(<w:p><w:pPr><w:pStyle w:val="Footer"/></w:pPr><w:r><w:t xml:space="preserve">— </w:t></w:r>)",
      R"(<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>)",
      R"(<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>)",
      R"(<w:r><w:t xml:space="preserve"> —</w:t></w:r></w:p></w:ftr>)");
}

std::string Paragraph(const DocxParagraph& p) {
  std::string runs;
  bool first = true;
  for (absl::string_view line : absl::StrSplit(p.text, '\n')) {
    if (!first) runs += "<w:br/>";
    first = false;
    absl::StrAppend(&runs, R"(<w:t xml:space="preserve">)", XmlEscape(line), "</w:t>");
  }
  return absl::StrCat(R"(<w:p><w:pPr><w:pStyle w:val=")", p.style, R"("/></w:pPr><w:r>)", runs,
                      "</w:r></w:p>");
}

// A4 portrait (twips): margins top 3.7 cm, bottom 3.5 cm, left 2.8 cm, right 2.6 cm.
constexpr char kSection[] =
    R"(<w:sectPr><w:footerReference w:type="default" r:id="rId2"/>)"
    R"(<w:pgSz w:w="11906" w:h="16838"/>)"
    R"(<w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1587" w:header="851" w:footer="992" w:gutter="0"/>)"
    R"(<w:docGrid w:type="lines" w:linePitch="560"/></w:sectPr>)";

}  // namespace

std::string XmlEscape(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        // Control characters other than tab are not allowed in XML 1.0.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t') break;
        out += c;
    }
  }
  return out;
}

absl::StatusOr<std::string> DocxPackage(const std::vector<DocxParagraph>& paragraphs,
                                        const std::string& title) {
  std::string body;
  for (const DocxParagraph& p : paragraphs) body += Paragraph(p);
  const std::string document =
      absl::StrCat(R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document )",
                   kNamespaces, "><w:body>", body, kSection, "</w:body></w:document>");
  const std::string core = absl::StrCat(
      R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)",
      R"(<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" )",
      R"(xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>)", XmlEscape(title),
      "</dc:title><dc:creator>Rectify</dc:creator></cp:coreProperties>");
  return WriteZip({{"[Content_Types].xml", kContentTypes},
                   {"_rels/.rels", kPackageRels},
                   {"docProps/core.xml", core},
                   {"word/_rels/document.xml.rels", kDocumentRels},
                   {"word/document.xml", document},
                   {"word/styles.xml", Styles()},
                   {"word/footer1.xml", Footer()}});
}

}  // namespace rectify::paperwork
