#include "client/commands/import_view.h"

#include "absl/strings/str_cat.h"
#include "client/output/fields.h"
#include "client/output/format.h"
#include "client/output/table.h"

namespace rectify::client {
namespace {

namespace v1 = rectify::v1;

// Widest a text cell gets: the preview is for checking the split, the JSON has the full text.
constexpr int kTextWidth = 56;

std::string SectionKindText(v1::ImportSectionKind kind, Lang lang) {
  switch (kind) {
    case v1::SECTION_PROBLEMS:
      return Tr(lang, "问题", "problems");
    case v1::SECTION_CAUSES:
      return Tr(lang, "根源剖析", "root causes");
    case v1::SECTION_MEASURES:
      return Tr(lang, "整改措施", "measures");
    case v1::SECTION_BACKGROUND:
      return Tr(lang, "背景（跳过）", "background (skipped)");
    default:
      return Tr(lang, "[!] 未识别（不导入）", "[!] not recognised (not imported)");
  }
}

// A cause or measure: its lead sentence when it has one, else its text.
std::string ItemText(const v1::PreviewItem& item) {
  return item.title().empty() ? item.text() : item.title();
}

std::string ItemsText(const google::protobuf::RepeatedPtrField<v1::PreviewItem>& items,
                      const char* heading_zh, const char* heading_en, Lang lang) {
  std::string out = absl::StrCat(Tr(lang, heading_zh, heading_en), Tr(lang, "（", " ("),
                                 items.size(), Tr(lang, " 条）\n", ")\n"));
  if (items.empty()) {
    return absl::StrCat(out, Tr(lang, "  （无）\n", "  (none)\n"));
  }
  Table table({Tr(lang, "序号", "No."), Tr(lang, "内容", "Text"), Tr(lang, "位置", "Where")});
  table.SetAlign(0, Table::Align::kRight).SetMaxWidth(1, kTextWidth);
  for (const v1::PreviewItem& item : items) {
    table.AddRow(
        {absl::StrCat(item.number()), ItemText(item), LineText(item.location().line(), lang)});
  }
  return absl::StrCat(out, table.Render());
}

std::string ProblemsText(const v1::ImportPreview& preview, Lang lang) {
  std::string out = absl::StrCat(Tr(lang, "问题（", "Problems ("), preview.areas_size(),
                                 Tr(lang, " 个方面，", " areas, "), preview.problem_count(),
                                 Tr(lang, " 个问题）\n", " problems)\n"));
  Table table({Tr(lang, "序号", "No."), Tr(lang, "问题", "Problem"), Tr(lang, "位置", "Where"),
               Tr(lang, "对应措施；责任单位；时限", "Measure; owner; deadline")});
  table.SetAlign(0, Table::Align::kRight).SetMaxWidth(1, kTextWidth);
  for (const v1::PreviewArea& area : preview.areas()) {
    table.AddSection(absl::StrCat("【", area.name(), "】", LineText(area.location().line(), lang)));
    for (const v1::PreviewProblem& problem : area.problems()) {
      std::string measure =
          problem.measure_number() > 0
              ? absl::StrCat(Tr(lang, "措施 ", "measure "), problem.measure_number())
              : Tr(lang, "[!] 未对应（用问题原文）", "[!] none (problem text used)");
      for (const int extra : problem.extra_measure_numbers())
        absl::StrAppend(&measure, "、", extra);
      // Owner and deadline from the document (labelled lines, tables) fill the draft.
      if (!problem.owner().empty()) absl::StrAppend(&measure, "；", problem.owner());
      if (!problem.owner_person().empty()) absl::StrAppend(&measure, " ", problem.owner_person());
      if (!problem.deadline_text().empty()) {
        absl::StrAppend(
            &measure, "；", problem.deadline_text(),
            problem.deadline().empty() ? Tr(lang, "（非具体日期）", " (not a day)") : "");
      }
      table.AddRow({absl::StrCat(problem.number()), problem.text(),
                    LineColumnText(problem.location().line(), problem.location().column(), lang),
                    measure});
    }
  }
  return absl::StrCat(out, table.Render());
}

// What the document gave the drafts (labelled lines, table columns): "（尚无责任人和整改时限）"
// when nothing, else how many drafts get an owner unit, an owner person and a deadline from it.
std::string SuppliedText(const v1::ImportPreview& preview, Lang lang) {
  int units = 0;
  int persons = 0;
  int deadlines = 0;
  for (const v1::PreviewArea& area : preview.areas()) {
    for (const v1::PreviewProblem& p : area.problems()) {
      units += p.owner().empty() ? 0 : 1;
      persons += p.owner_person().empty() ? 0 : 1;
      deadlines += p.deadline().empty() ? 0 : 1;
    }
  }
  if (units == 0 && persons == 0 && deadlines == 0) {
    return Tr(lang, "（尚无责任人和整改时限）", " (no owner person or deadline yet)");
  }
  const int all = preview.problem_count();
  if (units == all && persons == all && deadlines == all) {
    return Tr(lang, "（责任单位、责任人和整改时限取自材料）",
              " (owner unit, owner person and deadline from the document)");
  }
  return lang == Lang::kZh ? absl::StrCat("（取自材料：责任单位 ", units, " 个，责任人 ", persons,
                                          " 个，整改时限 ", deadlines, " 个；其余导入后填写）")
                           : absl::StrCat(" (from the document: ", units, " owner units, ", persons,
                                          " owner persons, ", deadlines,
                                          " deadlines; fill in the rest after the "
                                          "import)");
}

}  // namespace

std::string LineText(int line, Lang lang) {
  return lang == Lang::kZh ? absl::StrCat("第", line, "行") : absl::StrCat("line ", line);
}

std::string LineColumnText(int line, int column, Lang lang) {
  return lang == Lang::kZh ? absl::StrCat("第", line, "行第", column, "列")
                           : absl::StrCat("line ", line, ":", column);
}

std::string ImportPreviewText(const v1::ImportPreview& preview, const std::string& file_name,
                              Lang lang) {
  std::string out = absl::StrCat(Tr(lang, "导入预览：", "Import preview: "), file_name, "\n");
  FieldList head(2);
  head.Add(Tr(lang, "标题", "Title"),
           absl::StrCat(preview.suggested_title(),
                        Tr(lang, "（未给 --title 时使用）", " (used unless --title is given)")));
  head.Add(Tr(lang, "类型", "Kind"),
           absl::StrCat(ReviewKindText(preview.suggested_kind(), lang),
                        Tr(lang, "（据材料开头推断，未给 --kind 时使用）",
                           " (read from the opening; used unless --kind is given)")));
  head.Add("SHA-256", preview.document_sha256());
  absl::StrAppend(&out, head.Render(), "\n");

  absl::StrAppend(&out, Tr(lang, "文档结构\n", "Sections\n"));
  Table sections(
      {Tr(lang, "位置", "Where"), Tr(lang, "小标题", "Heading"), Tr(lang, "识别为", "Read as")});
  for (const v1::PreviewSection& s : preview.sections()) {
    sections.AddRow(
        {LineText(s.location().line(), lang), s.heading(), SectionKindText(s.kind(), lang)});
  }
  absl::StrAppend(&out, sections.Render(), "\n", ProblemsText(preview, lang), "\n",
                  ItemsText(preview.causes(), "根源剖析", "Root causes", lang), "\n",
                  ItemsText(preview.measures(), "整改措施", "Measures", lang));

  if (!preview.unrecognised().empty()) {
    absl::StrAppend(&out, "\n",
                    Tr(lang, "[!] 未识别的部分，其内容不会导入：\n",
                       "[!] Sections not recognised; their content will not be imported:\n"));
    for (const v1::PreviewSection& s : preview.unrecognised()) {
      absl::StrAppend(&out, "    ", LineText(s.location().line(), lang), "  ", s.heading(), "\n");
    }
  }
  if (!preview.warnings().empty()) {
    absl::StrAppend(&out, "\n", Tr(lang, "[!] 请注意：\n", "[!] Please check:\n"));
    for (const std::string& w : preview.warnings()) absl::StrAppend(&out, "    ", w, "\n");
  }
  if (preview.existing_review_id() != 0) {
    absl::StrAppend(&out, "\n",
                    Tr(lang, "[!] 该单位已导入过相同内容，成为检视 ",
                       "[!] This unit already imported the same content as review "),
                    preview.existing_review_id(),
                    Tr(lang, "；再次导入将被拒绝。\n", "; importing again will be refused.\n"));
  }
  absl::StrAppend(
      &out, "\n", Tr(lang, "导入将创建：检视 1 个，根源 ", "An import creates: 1 review, "),
      preview.causes_size(), Tr(lang, " 条，问题 ", " root causes, "), preview.problem_count(),
      Tr(lang, " 个，草稿任务 ", " problems, "), preview.problem_count(),
      Tr(lang, " 个", " draft tasks"), SuppliedText(preview, lang), Tr(lang, "。\n", ".\n"));
  return out;
}

std::string ImportResultText(const v1::ImportReviewResponse& result, Lang lang) {
  std::string out =
      absl::StrCat(Tr(lang, "已导入为检视 ", "Imported as review "), result.review().id(), " “",
                   result.review().title(), "”", Tr(lang, "：根源 ", ": "), result.cause_count(),
                   Tr(lang, " 条，问题 ", " root causes, "), result.problem_count(),
                   Tr(lang, " 个，草稿任务 ", " problems, "), result.task_ids_size(),
                   Tr(lang, " 个", " draft tasks"));
  if (!result.task_ids().empty()) {
    absl::StrAppend(&out, Tr(lang, "（任务 ", " (tasks "), result.task_ids(0), "–",
                    result.task_ids(result.task_ids_size() - 1), Tr(lang, "）", ")"));
  }
  absl::StrAppend(&out, Tr(lang, "。\n", ".\n"));
  if (result.unlinked_count() > 0) {
    absl::StrAppend(&out, Tr(lang, "[!] 其中 ", "[!] "), result.unlinked_count(),
                    Tr(lang, " 个草稿没有对应的措施，暂用问题原文作为整改措施。\n",
                       " drafts have no linked measure and use the problem's text for now.\n"));
  }
  absl::StrAppend(
      &out,
      Tr(lang, "下一步：导出草稿，填写责任单位、责任人和整改时限后导回：\n",
         "Next: export the drafts, fill in owner unit, person and deadline, load them back:\n"),
      "  rectify task export-drafts --review ", result.review().id(), " -o drafts.csv\n",
      "  rectify task assign-csv drafts.csv\n");
  return out;
}

}  // namespace rectify::client
