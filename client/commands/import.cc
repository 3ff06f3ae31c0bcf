// rectify import FILE: preview a review report, confirm, import it (ImportService).
#include "client/commands/import.h"

#include <unistd.h>

#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <sstream>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "client/commands/import_view.h"
#include "client/commands/unit_ref.h"
#include "client/commands/validators.h"
#include "client/output/format.h"
#include "client/output/json.h"
#include "client/rpc/exit_codes.h"
#include "client/rpc/request_id.h"
#include "rectify/v1/import.grpc.pb.h"

namespace rectify::client {
namespace {

namespace v1 = rectify::v1;

// The server refuses larger documents (services/importer/review_document.h); checking here saves
// sending megabytes of the wrong file.
constexpr std::streamoff kMaxDocumentBytes = 2 * 1024 * 1024;

struct ImportOptions {
  std::string file;
  int64_t unit_id = 0;
  std::string kind;
  std::string held_on;
  std::string title;
  std::string owner;
  std::string leader;
  bool dry_run = false;
  bool yes = false;
};

// "/home/a/材料.txt" -> "材料.txt": the server keeps the name, not the caller's directories.
std::string BaseName(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// Reads the whole file; false with *error set when it cannot.
bool ReadDocument(const std::string& path, std::string* bytes, std::string* error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = absl::StrCat("无法读取文件 ", path, " / cannot read ", path);
    return false;
  }
  in.seekg(0, std::ios::end);
  const std::streamoff size = in.tellg();
  if (size > kMaxDocumentBytes) {
    *error = absl::StrCat("文件 ", path, " 超过 2 MB，不像是检视材料 / ", path,
                          " is over 2 MB; it does not look like a review report");
    return false;
  }
  in.seekg(0, std::ios::beg);
  bytes->assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return true;
}

// Asks on the terminal; true for y, yes, 是.
bool Confirm(Session& s, const v1::ImportPreview& preview) {
  s.err() << absl::StrCat(Tr(s.lang(), "确认导入？将创建问题 ", "Import? This creates "),
                          preview.problem_count(),
                          Tr(s.lang(), " 个及同样数量的草稿任务 [y/N] ",
                             " problems and as many draft tasks [y/N] "))
          << std::flush;
  std::string answer;
  if (!std::getline(std::cin, answer)) return false;
  answer = absl::AsciiStrToLower(absl::StripAsciiWhitespace(answer));
  return answer == "y" || answer == "yes" || answer == "是";
}

// One JSON document holding both answers, for --json without --dry-run.
absl::StatusOr<std::string> CombinedJson(const v1::ImportPreview& preview,
                                         const v1::ImportReviewResponse& result) {
  auto indent = [](std::string json) {
    while (!json.empty() && json.back() == '\n') json.pop_back();
    return absl::StrReplaceAll(json, {{"\n", "\n "}});
  };
  auto p = ToJson(preview);
  if (!p.ok()) return p.status();
  auto r = ToJson(result);
  if (!r.ok()) return r.status();
  return absl::StrCat("{\n \"preview\": ", indent(*p), ",\n \"result\": ", indent(*r), "\n}\n");
}

int RunImport(Session& s, const ImportOptions& o) {
  std::string document, error;
  if (!ReadDocument(o.file, &document, &error)) return s.FailUsage(error);
  auto stub = v1::ImportService::NewStub(s.rpc().channel());

  v1::PreviewImportRequest preview_request;
  preview_request.set_document(document);
  preview_request.set_file_name(BaseName(o.file));
  preview_request.set_unit_id(o.unit_id);
  v1::ImportPreview preview;
  grpc::Status status = s.Call(
      [&](grpc::ClientContext* c) { return stub->PreviewImport(c, preview_request, &preview); });
  if (!status.ok()) return s.Fail(status);
  if (o.dry_run) {
    return s.Show(preview, [&] { return ImportPreviewText(preview, o.file, s.lang()); });
  }
  if (!s.json()) s.out() << ImportPreviewText(preview, o.file, s.lang()) << "\n" << std::flush;
  if (preview.existing_review_id() != 0) {
    s.Note(absl::StrCat("错误: 单位 ", o.unit_id, " 已导入过相同内容（检视 ",
                        preview.existing_review_id(), "），未重复导入 / unit ", o.unit_id,
                        " already imported this content (review ", preview.existing_review_id(),
                        "); nothing was imported"));
    return kExitAlreadyExists;
  }
  if (!o.yes) {
    if (!isatty(STDIN_FILENO)) {
      return s.FailUsage(
          "标准输入不是终端，无法确认导入：检查预览（--dry-run）无误后加 --yes / stdin is not a "
          "terminal, so the import cannot be confirmed: check the preview (--dry-run), then add "
          "--yes");
    }
    if (!Confirm(s, preview)) {
      s.Note(Tr(s.lang(), "已取消，未导入任何内容。", "Cancelled; nothing was imported."));
      return kExitOther;
    }
  }

  v1::ImportReviewRequest request;
  request.set_request_id(NewRequestId());  // one id for every retry of this import
  request.set_document(document);
  request.set_file_name(BaseName(o.file));
  request.set_title(o.title);
  if (!o.kind.empty()) request.set_kind(ReviewKindFlags().at(o.kind));
  request.set_held_on(o.held_on);
  request.set_unit_id(o.unit_id);
  request.set_default_owner_person(o.owner);
  request.set_default_leader(o.leader);
  v1::ImportReviewResponse result;
  status = s.Call([&](grpc::ClientContext* c) { return stub->ImportReview(c, request, &result); });
  if (!status.ok()) return s.Fail(status);
  if (!s.json()) {
    s.out() << ImportResultText(result, s.lang()) << std::flush;
    return kExitOk;
  }
  auto json = CombinedJson(preview, result);
  if (!json.ok()) return s.FailUsage(std::string(json.status().message()));
  s.out() << *json << std::flush;
  return kExitOk;
}

}  // namespace

void AddImportCommand(CLI::App& app, Action* action) {
  auto o = std::make_shared<ImportOptions>();
  CLI::App* cmd = app.add_subcommand(
      "import",
      "导入检视材料：预览问题、根源和措施，确认后生成检视、问题和草稿任务 / import a review "
      "report: preview its problems, causes and measures, then create the review, problems and "
      "draft tasks");
  cmd->add_option(
         "FILE", o->file,
         "材料文件（Word .docx、UTF-8 文本或 Markdown，格式见 docs/import.md）/ the report "
         "(Word .docx, UTF-8 text or Markdown; formats in docs/import.md)")
      ->required();
  CLI::Option* unit = AddUnitOption(cmd, "--unit", &o->unit_id,
                                    "召开检视的单位，草稿任务先归它（导入时必填）/ unit that held "
                                    "the review; it owns the drafts (required to import)");
  std::vector<std::string> kinds;
  for (const auto& [name, kind] : ReviewKindFlags()) kinds.push_back(name);
  cmd->add_option("--kind", o->kind,
                  "检视类型（默认按材料开头推断）/ kind of review (default: read from the "
                  "document)")
      ->check(ChoiceValidator(kinds));
  cmd->add_option("--held-on", o->held_on, "召开日期（默认今天）/ date held (default: today)")
      ->type_name("DATE")
      ->transform(DateValidator());
  cmd->add_option("--title", o->title,
                  "检视标题（默认取材料标题或文件名）/ title (default: the document's title or "
                  "the file name)")
      ->check(Utf8Validator());
  cmd->add_option("--owner", o->owner, "所有草稿的责任人（可选）/ owner person of every draft")
      ->type_name("PERSON")
      ->check(Utf8Validator());
  cmd->add_option("--leader", o->leader, "所有草稿的责任领导（可选）/ leader of every draft")
      ->type_name("NAME")
      ->check(Utf8Validator());
  cmd->add_flag("--dry-run", o->dry_run, "只预览，不导入 / preview only, import nothing");
  cmd->add_flag("--yes,-y", o->yes,
                "不询问，直接导入（标准输入不是终端时必须）/ import without asking (required "
                "when stdin is not a terminal)");
  cmd->footer(Examples({"rectify import branch-self-review-2021.txt --dry-run",
                        "rectify import branch-self-review-2021.txt --unit 3 --kind org-life "
                        "--held-on 2021-12-20 --yes"}));
  cmd->callback([action, o, unit] {
    // A unit given by name is resolved only after parsing, so ask whether one was given.
    if (!o->dry_run && unit->count() == 0) {
      throw CLI::ValidationError("--unit",
                                 "导入需要 --unit（召开检视的单位）；只预览请加 --dry-run / "
                                 "importing needs --unit; add --dry-run to preview only");
    }
    *action = [o](Session& s) { return RunImport(s, *o); };
  });
}

}  // namespace rectify::client
