#include "client/commands/report_output.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <utility>

#include "client/commands/validators.h"
#include "client/output/format.h"

namespace rectify::client {

void AddReportOutputOptions(CLI::App* command, ReportOutputOptions* options, bool with_xlsx) {
  if (with_xlsx) {
    command
        ->add_option("--format", options->format,
                     "输出格式：table（表格，默认）、csv（带 BOM 的 UTF-8，Excel/WPS 可直接打开）、"
                     "json、xlsx（报送用工作簿：整改台账、逾期清单、统计）/ output format: table "
                     "(default), csv (UTF-8 with BOM), json, xlsx (a workbook to report upward: "
                     "ledger, overdue list, statistics)")
        ->check(ChoiceValidator({"table", "csv", "json", "xlsx"}))
        ->capture_default_str();
  } else {
    command
        ->add_option("--format", options->format,
                     "输出格式：table（表格，默认）、csv（带 BOM 的 UTF-8，Excel/WPS 可直接打开）、"
                     "json / output format: table (default), csv (UTF-8 with BOM, opens in Excel "
                     "and WPS), json")
        ->check(ChoiceValidator({"table", "csv", "json"}))
        ->capture_default_str();
  }
  command
      ->add_option("-o,--output", options->path,
                   "写入文件而非标准输出 / write to this file instead of stdout")
      ->type_name("FILE");
}

ReportFormat ResolveFormat(const Session& session, const ReportOutputOptions& options) {
  if (options.format == "csv") return ReportFormat::kCsv;
  if (options.format == "xlsx") return ReportFormat::kXlsx;
  if (options.format == "json" || session.json()) return ReportFormat::kJson;
  return ReportFormat::kTable;
}

ReportOutput::ReportOutput(Session& session, std::string path)
    : session_(session), path_(std::move(path)) {}

std::unique_ptr<ReportOutput> ReportOutput::Open(Session& session, const std::string& path) {
  std::unique_ptr<ReportOutput> output(new ReportOutput(session, path));
  if (path.empty()) return output;
  output->file_ =
      std::make_unique<std::ofstream>(path + ".part", std::ios::binary | std::ios::trunc);
  if (!*output->file_) {
    session.FailUsage(std::string("无法创建文件 / cannot create ") + path +
                      ".part: " + std::strerror(errno));
    output->file_.reset();
    return nullptr;
  }
  return output;
}

ReportOutput::~ReportOutput() {
  if (file_ != nullptr && !committed_) {
    file_->close();
    std::remove((path_ + ".part").c_str());
  }
}

bool ReportOutput::Commit() {
  if (file_ == nullptr) {
    session_.out().flush();
    return true;
  }
  file_->flush();
  file_->close();
  if (file_->fail() || std::rename((path_ + ".part").c_str(), path_.c_str()) != 0) {
    session_.Note(std::string("错误: 无法写入 / cannot write ") + path_ + ": " +
                  std::strerror(errno));
    return false;
  }
  committed_ = true;
  session_.Note(Tr(session_.lang(), "已写入 ", "written to ") + path_);
  return true;
}

}  // namespace rectify::client
