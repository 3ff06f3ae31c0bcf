// Internal to the importer: the numbering of review reports.
//
// Two kinds: markers that open a line ("一、" "（一）" "1、" "1." "1.1" "(1)" "①" "- " "一是"),
// which give a document its outline; and enumerations inside a paragraph ("……。一是……二是……三是……",
// "首先……其次……最后，……", "第一，……第二，……"), which split one paragraph into items.
//
// Thread safety: pure functions.
#ifndef RECTIFY_SERVICES_IMPORTER_INTERNAL_NUMBERING_H_
#define RECTIFY_SERVICES_IMPORTER_INTERNAL_NUMBERING_H_

#include <cstddef>
#include <vector>

#include "absl/strings/string_view.h"

namespace rectify {
namespace importer_internal {

// The style of a line-opening marker. Documents nest these in a conventional order (一、 over
// （一） over 1. over （1）) but the outline does not rely on that order, only on which styles
// repeat.
enum class MarkerKind {
  kNone,          // plain paragraph
  kPlainHeading,  // an unnumbered line that is exactly a section heading ("存在的问题")
  kMdHeading,     // Markdown "#".."######"
  kHan,           // 一、 二． 三.
  kHanParen,      // （一） (二)
  kArabic,        // 1、 1. 1． １、 ⒈; level 2+ for 1.1, 1.1.1
  kArabicParen,   // （1） (1) 1） 1) ⑴
  kCircled,       // ① ❶
  kBullet,        // Markdown - * + and •
  kEnumLead,      // a line that starts an enumeration word: 一是 首先 第一， 其一，
};

// Families of enumeration words; a chain never mixes them.
enum class EnumFamily {
  kShi = 1,    // 一是 二是 三是 ...
  kFirst = 2,  // 首先 其次 再次 ... 最后
  kDi = 3,     // 第一， 第二， ...
  kQi = 4,     // 其一， 其二， ...
  // Numbers that are markers in their own right, so that a paragraph may run them inline:
  // "在履职尽责方面。①调研不够深入；②制度执行打折扣；③……". Only FindEnumeration sees these;
  // at the start of a line they are outline markers (kCircled, kArabicParen).
  kCircled = 5,      // ① ② ... ⑳ and ❶ ... ❿
  kArabicParen = 6,  // （1） (2) ⑴ ⑵, after a clause boundary
  // "1.……；2.……；3.……", "1、……；2、……", "1）……；2）……" and "A.……；B.……" inside a paragraph.
  // Stricter than the others, since digits and letters are everywhere in prose: the first item
  // opens the paragraph or follows a sentence end or a colon, each further one follows ；/; or a
  // sentence end, the numbers go up by exactly one, and a dot or 、 followed by a digit is no
  // marker ("3.5万元", "1.5倍", "v2.1", "2021.12.31", "1、2月").
  kArabicInline = 7,  // 1. 1、 1． 1） 1) (one or two digits, ASCII or full-width)
  kLetterInline = 8,  // A. A、 A） (capitals, ASCII or full-width)
};

// A marker at the start of a line.
struct LeadingMarker {
  MarkerKind kind = MarkerKind::kNone;
  // kArabic: number of dotted components (1 for "1.", 2 for "1.1"); kEnumLead: the EnumFamily.
  int level = 0;
  int ordinal = 0;
  // Bytes that are the marker and the separators after it. 0 for kEnumLead, whose word stays
  // in the text: "一是理论武装不够强" reads as a sentence and may start an inline enumeration.
  size_t length = 0;
};

// The numbering marker (not Markdown "#") at the start of `s`, which has no leading spaces.
// A bullet followed by a numbering marker ("- 1. ...", "- 一是...") reports the inner marker,
// with `length` covering both.
LeadingMarker ParseLeadingMarker(absl::string_view s);

// Value of the Han number at the start of `s` (一..九十九, 一百..九百九十九 as 一百零一 and
// 一百一十, or digit by digit as Word's ideographDigital writes it: 一〇, 一〇一), and its length
// in bytes through `*length`; 0 when there is none.
int ParseHanNumber(absl::string_view s, size_t* length);

// One enumeration word inside a paragraph.
struct EnumMarker {
  size_t start = 0;  // first byte of the word
  size_t end = 0;    // first byte of the item's text (after the word and its punctuation)
  int ordinal = 0;   // 1-based; 最后 gets the next ordinal of its chain
  EnumFamily family = EnumFamily::kShi;
};

// The enumeration that splits `text`: the earliest chain of one family that starts at ordinal 1
// and goes up one at a time (a skipped number is tolerated and reported through `gaps`, e.g.
// 二是 then 四是; never for kArabicInline and kLetterInline), with at least two members. Words
// count only after a clause boundary (start, punctuation, space), so "统一是" or "第一书记" never
// match. Empty when there is none. Linear in the length of `text`.
struct Enumeration {
  std::vector<EnumMarker> markers;
  // Ordinals that were skipped (3 when the text goes 二是, 四是).
  std::vector<int> gaps;
};
Enumeration FindEnumeration(absl::string_view text);

// Whether `text` holds the rest of a numbered enumeration whose first number opened the line:
// "调研不够深入；2.制度执行打折扣；3.督促检查不够经常" after a line marker "1.", or "……；②……；③……"
// after "①". Such a paragraph is taken whole (its first number is the outline's), so the preview
// warns about it. Numbered families only (not 一是 or 第一, whose word stays in the text).
bool HoldsEnumerationTail(absl::string_view text);

// Item i of `e` in `text`: from the end of marker i to the start of marker i+1 (or the end),
// without surrounding spaces and trailing "；，、".
absl::string_view EnumerationItem(absl::string_view text, const Enumeration& e, size_t i);

// Length in bytes of the enumeration word (with its punctuation) that `text` starts with, or 0:
// "一是理论武装" -> 6, "首先，加强" -> 9.
size_t EnumerationLeadLength(absl::string_view text);

}  // namespace importer_internal
}  // namespace rectify

#endif  // RECTIFY_SERVICES_IMPORTER_INTERNAL_NUMBERING_H_
