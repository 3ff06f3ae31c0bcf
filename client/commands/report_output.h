// Where and how a report is written: `--format table|csv|json` and `-o FILE`, shared by
// `report overdue`, `report stats` and `export`.
//
// A file is written as FILE.part and renamed to FILE once complete, so a failed or interrupted
// export never leaves a truncated file under the name a user would open.
//
// Thread safety: none; one command, one thread.
#ifndef RECTIFY_CLIENT_COMMANDS_REPORT_OUTPUT_H_
#define RECTIFY_CLIENT_COMMANDS_REPORT_OUTPUT_H_

#include <fstream>
#include <memory>
#include <ostream>
#include <string>

#include "CLI/CLI.hpp"
#include "client/commands/session.h"

namespace rectify::client {

enum class ReportFormat { kTable, kCsv, kJson, kXlsx };

struct ReportOutputOptions {
  std::string format = "table";  // table | csv | json (| xlsx where offered)
  std::string path;              // -o; empty for stdout
};

// Adds --format and -o/--output to `command`; `with_xlsx` offers --format xlsx too.
void AddReportOutputOptions(CLI::App* command, ReportOutputOptions* options,
                            bool with_xlsx = false);

// The format asked for: --format, or json when the global --json was given.
ReportFormat ResolveFormat(const Session& session, const ReportOutputOptions& options);

// The stream a report goes to.
class ReportOutput {
 public:
  // stdout, or FILE.part for -o FILE. Null (after saying why on stderr) when the file cannot be
  // created.
  static std::unique_ptr<ReportOutput> Open(Session& session, const std::string& path);
  ReportOutput(const ReportOutput&) = delete;
  ReportOutput& operator=(const ReportOutput&) = delete;
  // Removes FILE.part unless Commit() succeeded.
  ~ReportOutput();

  std::ostream& stream() { return file_ ? *file_ : session_.out(); }
  // Flushes; for a file, closes it and moves it into place, and says where it went on stderr.
  // False (after saying why on stderr) when writing failed.
  bool Commit();

 private:
  ReportOutput(Session& session, std::string path);

  Session& session_;
  const std::string path_;  // "" for stdout
  std::unique_ptr<std::ofstream> file_;
  bool committed_ = false;
};

}  // namespace rectify::client

#endif  // RECTIFY_CLIENT_COMMANDS_REPORT_OUTPUT_H_
