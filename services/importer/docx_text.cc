#include "services/importer/docx_text.h"

#include <zip.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "pugixml.hpp"
#include "services/common/errors.h"
#include "services/common/status_macros.h"

namespace rectify {
namespace {

constexpr int kMaxLevels = 9;
// basedOn chains are short; the cap only stops a cycle in a hostile file.
constexpr int kMaxStyleDepth = 16;

absl::Status NotDocx(absl::string_view zh, absl::string_view en) {
  return InvalidField("document", absl::StrCat("无法读取 Word 文档：", zh),
                      absl::StrCat("cannot read the Word document: ", en));
}

// ---- the archive ----

struct ZipCloser {
  void operator()(zip_t* z) const { zip_discard(z); }
};

// The part `name`, or nullopt-like empty with *found false when the archive has none.
absl::StatusOr<std::string> ReadPart(zip_t* zip, const char* name, bool* found) {
  *found = false;
  zip_stat_t st;
  zip_stat_init(&st);
  if (zip_stat(zip, name, 0, &st) != 0) return std::string();
  *found = true;
  if ((st.valid & ZIP_STAT_SIZE) == 0 || st.size > kMaxDocxPartBytes) {
    return NotDocx(
        absl::StrCat(name, " 超过 ", kMaxDocxPartBytes / (1024 * 1024), " MiB"),
        absl::StrCat(name, " is larger than ", kMaxDocxPartBytes / (1024 * 1024), " MiB"));
  }
  zip_file_t* f = zip_fopen(zip, name, 0);
  if (f == nullptr)
    return NotDocx(absl::StrCat(name, " 无法解压"), absl::StrCat(name, " cannot be inflated"));
  std::string out(static_cast<size_t>(st.size) + 1, '\0');
  // One byte more than announced: an entry that inflates beyond its stated size is refused.
  const zip_int64_t n = zip_fread(f, out.data(), out.size());
  zip_fclose(f);
  if (n < 0 || static_cast<zip_uint64_t>(n) != st.size) {
    return NotDocx(absl::StrCat(name, " 已损坏"), absl::StrCat(name, " is damaged"));
  }
  out.resize(static_cast<size_t>(n));
  return out;
}

// ---- XML by local name, whatever prefix the file binds the WordprocessingML namespace to ----

absl::string_view Local(const char* name) {
  absl::string_view s(name);
  const size_t colon = s.find(':');
  return colon == absl::string_view::npos ? s : s.substr(colon + 1);
}

pugi::xml_node Child(pugi::xml_node node, absl::string_view local) {
  for (pugi::xml_node c = node.first_child(); c; c = c.next_sibling()) {
    if (Local(c.name()) == local) return c;
  }
  return {};
}

pugi::xml_attribute Attr(pugi::xml_node node, absl::string_view local) {
  for (pugi::xml_attribute a = node.first_attribute(); a; a = a.next_attribute()) {
    if (Local(a.name()) == local) return a;
  }
  return {};
}

// The w:val of the child `local`, or `fallback`.
std::string ChildVal(pugi::xml_node node, absl::string_view local, const std::string& fallback) {
  const pugi::xml_node c = Child(node, local);
  if (!c) return fallback;
  const pugi::xml_attribute a = Attr(c, "val");
  return a ? a.value() : fallback;
}

int ChildInt(pugi::xml_node node, absl::string_view local, int fallback) {
  const pugi::xml_node c = Child(node, local);
  if (!c) return fallback;
  const pugi::xml_attribute a = Attr(c, "val");
  return a ? a.as_int(fallback) : fallback;
}

absl::StatusOr<pugi::xml_document*> Parse(const std::string& xml, const char* name,
                                          pugi::xml_document* doc) {
  const pugi::xml_parse_result r = doc->load_buffer(xml.data(), xml.size(), pugi::parse_default);
  if (!r) {
    return NotDocx(absl::StrCat(name, " 不是有效的 XML（", r.description(), "）"),
                   absl::StrCat(name, " is not valid XML (", r.description(), ")"));
  }
  return doc;
}

// ---- numbering ----

struct Level {
  int start = 1;
  std::string num_fmt = "decimal";
  std::string lvl_text;
  std::string suffix = "tab";
  int restart = -1;  // w:lvlRestart: -1 absent (restart after any level above), 0 never
  bool legal = false;
  std::string style;  // w:pStyle: the paragraph style this level belongs to
};

struct AbstractNum {
  std::array<Level, kMaxLevels> levels;
};

struct NumInstance {
  std::string abstract_id;
  std::map<int, int> start_overrides;  // level -> start
};

struct ParagraphStyle {
  std::string based_on;
  std::string num_id;  // empty: none given
  int ilvl = -1;       // -1: none given
  int heading = 0;     // 1-9 for a heading style, 0 otherwise
};

const char* const kHanDigits[] = {"〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"};

std::string ChineseBelow10000(int v) {
  static const char* const kUnits[] = {"", "十", "百", "千"};
  static const char* const kDigits[] = {"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
  const int digits[] = {v / 1000 % 10, v / 100 % 10, v / 10 % 10, v % 10};
  std::string out;
  bool started = false;
  bool zero = false;
  for (int k = 0; k < 4; ++k) {
    const int pos = 3 - k;
    const int d = digits[k];
    if (d == 0) {
      if (started) zero = true;
      continue;
    }
    if (zero) out += "零";
    zero = false;
    // 十一, not 一十一, at the start; 一百一十 in the middle.
    if (!(pos == 1 && d == 1 && !started)) out += kDigits[d];
    out += kUnits[pos];
    started = true;
  }
  return out;
}

std::string ChineseCounting(int v) {
  if (v <= 0) return "零";
  if (v < 10000) return ChineseBelow10000(v);
  const int rest = v % 10000;
  std::string out = absl::StrCat(ChineseCounting(v / 10000), "万");
  if (rest == 0) return out;
  if (rest < 1000) out += "零";
  // After 万 a leading 十 keeps its 一: 一万零一十.
  return out + (rest >= 10 && rest < 20 ? absl::StrCat("一", ChineseBelow10000(rest))
                                        : ChineseBelow10000(rest));
}

std::string Letters(int v, char a) {
  std::string out;
  // Word repeats the letter: a..z, aa..zz, aaa..
  const int n = (v - 1) / 26 + 1;
  out.assign(static_cast<size_t>(n), static_cast<char>(a + (v - 1) % 26));
  return out;
}

std::string Roman(int v, bool upper) {
  static const std::pair<int, const char*> kRoman[] = {
      {1000, "m"}, {900, "cm"}, {500, "d"}, {400, "cd"}, {100, "c"}, {90, "xc"}, {50, "l"},
      {40, "xl"},  {10, "x"},   {9, "ix"},  {5, "v"},    {4, "iv"},  {1, "i"}};
  std::string out;
  for (const auto& [value, text] : kRoman) {
    while (v >= value) {
      out += text;
      v -= value;
    }
  }
  if (upper) {
    for (char& c : out) c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

// U+2460 ① .. U+2473 ⑳, U+2474 ⑴ .. U+2487 ⒇, U+2488 ⒈ .. U+249B ⒛: three UTF-8 bytes each.
std::string EnclosedNumber(int v, char32_t first) {
  if (v < 1 || v > 20) return absl::StrCat(v);
  const char32_t cp = first + static_cast<char32_t>(v - 1);
  std::string out;
  out += static_cast<char>(0xE0 | (cp >> 12));
  out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
  out += static_cast<char>(0x80 | (cp & 0x3F));
  return out;
}

class Numbering {
 public:
  void Load(const pugi::xml_node root) {
    for (pugi::xml_node n = root.first_child(); n; n = n.next_sibling()) {
      if (Local(n.name()) == "abstractNum") {
        AbstractNum& a = abstract_[Attr(n, "abstractNumId").value()];
        for (pugi::xml_node l = n.first_child(); l; l = l.next_sibling()) {
          if (Local(l.name()) != "lvl") continue;
          const int ilvl = Attr(l, "ilvl").as_int(-1);
          if (ilvl < 0 || ilvl >= kMaxLevels) continue;
          Level& level = a.levels[ilvl];
          level.start = ChildInt(l, "start", 1);
          level.num_fmt = ChildVal(l, "numFmt", "decimal");
          level.lvl_text = ChildVal(l, "lvlText", "");
          level.suffix = ChildVal(l, "suff", "tab");
          level.restart = ChildInt(l, "lvlRestart", -1);
          level.legal = static_cast<bool>(Child(l, "isLgl"));
          level.style = ChildVal(l, "pStyle", "");
        }
      } else if (Local(n.name()) == "num") {
        NumInstance& num = nums_[Attr(n, "numId").value()];
        num.abstract_id = ChildVal(n, "abstractNumId", "");
        for (pugi::xml_node o = n.first_child(); o; o = o.next_sibling()) {
          if (Local(o.name()) != "lvlOverride") continue;
          const int ilvl = Attr(o, "ilvl").as_int(-1);
          const pugi::xml_node so = Child(o, "startOverride");
          if (ilvl >= 0 && ilvl < kMaxLevels && so)
            num.start_overrides[ilvl] = Attr(so, "val").as_int(1);
        }
      }
    }
  }

  // The level of list `num_id` whose w:pStyle is `style`, or -1.
  int LevelForStyle(const std::string& num_id, const std::string& style) const {
    const AbstractNum* a = Abstract(num_id);
    if (a == nullptr) return -1;
    for (int i = 0; i < kMaxLevels; ++i) {
      if (!style.empty() && a->levels[i].style == style) return i;
    }
    return -1;
  }

  // The marker of the next paragraph of list `num_id` at level `ilvl` ("一、", "（二）", "1.1 "),
  // advancing the counters; empty for a list that does not exist or draws nothing.
  std::string Next(const std::string& num_id, int ilvl) {
    const auto num = nums_.find(num_id);
    if (num == nums_.end() || ilvl < 0 || ilvl >= kMaxLevels) return "";
    const auto abs = abstract_.find(num->second.abstract_id);
    if (abs == abstract_.end()) return "";
    const AbstractNum& a = abs->second;
    std::array<int, kMaxLevels>& count = counters_[num->second.abstract_id];
    if (!count_init_[num->second.abstract_id]) {
      count.fill(-1);
      count_init_[num->second.abstract_id] = true;
    }
    // A list that overrides its start restarts the abstract numbering the first time it is used.
    if (used_.insert(num_id).second) {
      for (const auto& [level, start] : num->second.start_overrides) {
        count[level] = -1;
        override_start_[num->second.abstract_id][level] = start;
      }
    }
    auto start_of = [&](int level) {
      const auto& o = override_start_[num->second.abstract_id];
      const auto it = o.find(level);
      return it != o.end() ? it->second : a.levels[level].start;
    };
    count[ilvl] = count[ilvl] < 0 ? start_of(ilvl) : count[ilvl] + 1;
    for (int d = ilvl + 1; d < kMaxLevels; ++d) {
      const int r = a.levels[d].restart;
      // lvlRestart r: restart after a paragraph of level r (1-based) or above; 0: never.
      if (r < 0 || (r > 0 && ilvl < r)) count[d] = -1;
    }
    const Level& level = a.levels[ilvl];
    if (level.num_fmt == "none") return "";
    std::string text;
    if (level.num_fmt == "bullet") {
      text = "•";
    } else {
      const std::string& pattern = level.lvl_text;
      for (size_t i = 0; i < pattern.size(); ++i) {
        if (pattern[i] == '%' && i + 1 < pattern.size() && pattern[i + 1] >= '1' &&
            pattern[i + 1] <= '9') {
          const int k = pattern[i + 1] - '1';
          const int value = count[k] < 0 ? start_of(k) : count[k];
          text +=
              FormatListNumber(value, level.legal && k < ilvl ? "decimal" : a.levels[k].num_fmt);
          ++i;
        } else {
          text += pattern[i];
        }
      }
    }
    if (text.empty()) return "";
    return level.suffix == "nothing" ? text : text + " ";
  }

 private:
  const AbstractNum* Abstract(const std::string& num_id) const {
    const auto num = nums_.find(num_id);
    if (num == nums_.end()) return nullptr;
    const auto abs = abstract_.find(num->second.abstract_id);
    return abs == abstract_.end() ? nullptr : &abs->second;
  }

  std::map<std::string, AbstractNum> abstract_;
  std::map<std::string, NumInstance> nums_;
  std::map<std::string, std::array<int, kMaxLevels>> counters_;
  std::map<std::string, bool> count_init_;
  std::map<std::string, std::map<int, int>> override_start_;
  std::set<std::string> used_;
};

// ---- styles ----

int HeadingLevelOf(pugi::xml_node style) {
  std::string name = ChildVal(style, "name", "");
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const absl::string_view prefix : {"heading ", "标题 ", "标题"}) {
    if (absl::StartsWith(name, prefix) && name.size() == prefix.size() + 1 && name.back() >= '1' &&
        name.back() <= '9') {
      return name.back() - '0';
    }
  }
  const pugi::xml_node ppr = Child(style, "pPr");
  const int outline = ppr ? ChildInt(ppr, "outlineLvl", -1) : -1;
  return outline >= 0 && outline < 9 ? outline + 1 : 0;
}

std::map<std::string, ParagraphStyle> LoadStyles(const pugi::xml_node root) {
  std::map<std::string, ParagraphStyle> styles;
  for (pugi::xml_node s = root.first_child(); s; s = s.next_sibling()) {
    if (Local(s.name()) != "style" || std::string(Attr(s, "type").value()) != "paragraph") continue;
    ParagraphStyle& style = styles[Attr(s, "styleId").value()];
    style.based_on = ChildVal(s, "basedOn", "");
    style.heading = HeadingLevelOf(s);
    const pugi::xml_node ppr = Child(s, "pPr");
    const pugi::xml_node numpr = ppr ? Child(ppr, "numPr") : pugi::xml_node();
    if (numpr) {
      style.num_id = ChildVal(numpr, "numId", "");
      style.ilvl = ChildInt(numpr, "ilvl", -1);
    }
  }
  return styles;
}

// ---- the body ----

class BodyWriter {
 public:
  BodyWriter(Numbering& numbering, const std::map<std::string, ParagraphStyle>& styles)
      : numbering_(numbering), styles_(styles) {}

  void Blocks(pugi::xml_node parent) {
    for (pugi::xml_node n = parent.first_child(); n; n = n.next_sibling()) {
      const absl::string_view name = Local(n.name());
      if (name == "p") {
        out_ += Paragraph(n, /*in_table=*/false);
        out_ += '\n';
      } else if (name == "tbl") {
        Table(n);
      } else if (name == "sdt") {
        if (const pugi::xml_node content = Child(n, "sdtContent")) Blocks(content);
      }
    }
  }

  std::string& text() { return out_; }

 private:
  // Text of runs under `node`: w:t, tabs and breaks as spaces; deleted text, field codes and
  // the fallback copy of drawings left out.
  void Runs(pugi::xml_node node, std::string* out) const {
    for (pugi::xml_node c = node.first_child(); c; c = c.next_sibling()) {
      const absl::string_view name = Local(c.name());
      if (name == "t") {
        *out += c.text().get();
      } else if (name == "tab" || name == "br" || name == "cr") {
        *out += ' ';
      } else if (name == "del" || name == "delText" || name == "instrText" || name == "pPr" ||
                 name == "rPr" || name == "Fallback" || name == "txbxContent") {
        continue;
      } else if (c.type() == pugi::node_element) {
        Runs(c, out);
      }
    }
  }

  std::string Paragraph(pugi::xml_node p, bool in_table) {
    std::string text;
    Runs(p, &text);
    // Newlines inside a paragraph would split it; tabs would make it look like a table row.
    for (char& c : text) {
      if (c == '\n' || c == '\r' || c == '\t') c = ' ';
    }
    const pugi::xml_node ppr = Child(p, "pPr");
    std::string style_id = ppr ? ChildVal(ppr, "pStyle", "") : "";
    std::string num_id;
    int ilvl = -1;
    if (const pugi::xml_node numpr = ppr ? Child(ppr, "numPr") : pugi::xml_node()) {
      num_id = ChildVal(numpr, "numId", "");
      ilvl = ChildInt(numpr, "ilvl", -1);
    }
    int heading = 0;
    std::string style_num;
    int style_ilvl = -1;
    std::string id = style_id;
    for (int depth = 0; depth < kMaxStyleDepth && !id.empty(); ++depth) {
      const auto it = styles_.find(id);
      if (it == styles_.end()) break;
      if (heading == 0) heading = it->second.heading;
      if (style_num.empty() && !it->second.num_id.empty()) {
        style_num = it->second.num_id;
        style_ilvl = it->second.ilvl;
      }
      id = it->second.based_on;
    }
    if (num_id.empty()) num_id = style_num;
    if (ilvl < 0) ilvl = style_ilvl;
    if (ilvl < 0) ilvl = std::max(0, numbering_.LevelForStyle(num_id, style_id));
    std::string marker;
    // numId 0 switches numbering off. An empty paragraph of a list still takes its number, as
    // in Word (an auto-numbered 序号 column is a column of empty numbered paragraphs).
    if (!num_id.empty() && num_id != "0") marker = numbering_.Next(num_id, ilvl);
    std::string line = marker + text;
    if (heading > 0 && !in_table && !line.empty()) {
      line =
          absl::StrCat(std::string(static_cast<size_t>(std::min(heading + 1, 6)), '#'), " ", line);
    }
    return line;
  }

  void Table(pugi::xml_node tbl) {
    for (pugi::xml_node tr = tbl.first_child(); tr; tr = tr.next_sibling()) {
      if (Local(tr.name()) != "tr") continue;
      std::vector<std::string> cells;
      for (pugi::xml_node tc = tr.first_child(); tc; tc = tc.next_sibling()) {
        if (Local(tc.name()) != "tc") continue;
        std::string cell;
        const pugi::xml_node tcpr = Child(tc, "tcPr");
        const pugi::xml_node vmerge = tcpr ? Child(tcpr, "vMerge") : pugi::xml_node();
        // A cell continuing a vertical merge shows the cell above: empty here, so that the
        // importer reads the row as more of the row above.
        const bool continued = vmerge && std::string(Attr(vmerge, "val").value()) != "restart";
        if (!continued) {
          for (pugi::xml_node p = tc.first_child(); p; p = p.next_sibling()) {
            if (Local(p.name()) != "p") continue;
            const std::string text = Paragraph(p, /*in_table=*/true);
            if (text.empty()) continue;
            if (!cell.empty()) cell += ' ';
            cell += text;
          }
        }
        const int span = tcpr ? ChildInt(tcpr, "gridSpan", 1) : 1;
        cells.push_back(std::move(cell));
        for (int k = 1; k < span && k < 64; ++k) cells.emplace_back();
      }
      for (size_t i = 0; i < cells.size(); ++i) {
        if (i > 0) out_ += '\t';
        out_ += cells[i];
      }
      out_ += '\n';
    }
  }

  Numbering& numbering_;
  const std::map<std::string, ParagraphStyle>& styles_;
  std::string out_;
};

}  // namespace

bool LooksLikeZip(absl::string_view bytes) { return absl::StartsWith(bytes, "PK\x03\x04"); }

std::string FormatListNumber(int value, absl::string_view f) {
  if (f == "chineseCounting" || f == "chineseCountingThousand" || f == "japaneseCounting" ||
      f == "taiwaneseCounting" || f == "chineseLegalSimplified") {
    return ChineseCounting(value);
  }
  if (f == "ideographDigital" || f == "taiwaneseDigital" || f == "japaneseDigitalTenThousand") {
    std::string out;
    for (const char c : absl::StrCat(value)) out += kHanDigits[c - '0'];
    return out;
  }
  if (f == "decimalEnclosedCircle" || f == "decimalEnclosedCircleChinese") {
    return EnclosedNumber(value, U'①');
  }
  if (f == "decimalEnclosedParen") return EnclosedNumber(value, U'⑴');
  if (f == "decimalEnclosedFullstop") return EnclosedNumber(value, U'⒈');
  if (f == "decimalFullWidth" || f == "decimalFullWidth2") {
    std::string out;
    for (const char c : absl::StrCat(value)) {
      out += "\xEF\xBC";
      out += static_cast<char>(0x90 + (c - '0'));
    }
    return out;
  }
  if (f == "decimalZero") return value < 10 ? absl::StrCat("0", value) : absl::StrCat(value);
  if (f == "lowerLetter" && value > 0) return Letters(value, 'a');
  if (f == "upperLetter" && value > 0) return Letters(value, 'A');
  if (f == "lowerRoman" && value > 0) return Roman(value, false);
  if (f == "upperRoman" && value > 0) return Roman(value, true);
  return absl::StrCat(value);
}

absl::StatusOr<std::string> DocxToText(absl::string_view bytes) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
  if (source == nullptr) return NotDocx("无法打开压缩包", "cannot open the archive");
  std::unique_ptr<zip_t, ZipCloser> zip(zip_open_from_source(source, ZIP_RDONLY, &error));
  if (zip == nullptr) {
    zip_source_free(source);
    zip_error_fini(&error);
    return NotDocx("文件已损坏，或不是 .docx 文档", "the file is damaged or not a .docx");
  }
  zip_error_fini(&error);
  bool found = false;
  ASSIGN_OR_RETURN(const std::string document, ReadPart(zip.get(), "word/document.xml", &found));
  if (!found) {
    return NotDocx("压缩包中没有 word/document.xml，不是 Word .docx 文档（.doc 请另存为 .docx）",
                   "no word/document.xml: not a Word .docx (save a .doc as .docx)");
  }
  ASSIGN_OR_RETURN(const std::string numbering_xml,
                   ReadPart(zip.get(), "word/numbering.xml", &found));
  ASSIGN_OR_RETURN(const std::string styles_xml, ReadPart(zip.get(), "word/styles.xml", &found));

  Numbering numbering;
  if (!numbering_xml.empty()) {
    pugi::xml_document doc;
    RETURN_IF_ERROR(Parse(numbering_xml, "word/numbering.xml", &doc).status());
    numbering.Load(doc.document_element());
  }
  std::map<std::string, ParagraphStyle> styles;
  if (!styles_xml.empty()) {
    pugi::xml_document doc;
    RETURN_IF_ERROR(Parse(styles_xml, "word/styles.xml", &doc).status());
    styles = LoadStyles(doc.document_element());
  }
  pugi::xml_document doc;
  RETURN_IF_ERROR(Parse(document, "word/document.xml", &doc).status());
  const pugi::xml_node body = Child(doc.document_element(), "body");
  if (!body) return NotDocx("word/document.xml 中没有正文", "word/document.xml has no body");
  BodyWriter writer(numbering, styles);
  writer.Blocks(body);
  return std::move(writer.text());
}

}  // namespace rectify
