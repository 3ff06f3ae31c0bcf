// The paperwork commands that go upward (报送): `export --format xlsx` (the ledger workbook) and
// `report document` (整改落实情况报告 as .docx). They gather the ledger, the overdue report and
// the statistics from the server and hand them to rectify_paperwork, which makes the files.
//
// Thread safety: none; one command, one thread.
#ifndef RECTIFY_CLIENT_COMMANDS_PAPERWORK_H_
#define RECTIFY_CLIENT_COMMANDS_PAPERWORK_H_

#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "client/commands/commands.h"
#include "client/commands/report_output.h"
#include "client/commands/session.h"
#include "rectify/v1/reports.pb.h"

namespace rectify::client {

struct ExportOptions {
  int64_t unit_id = 0;
  int64_t review_id = 0;
  bool progress = false;
  std::string as_of;  // xlsx: the date overdue and statistics are counted as of; "" for today
  ReportOutputOptions output;
};

// Every ledger row of `request`, read from the stream.
grpc::Status ReadLedger(Session& s, const rectify::v1::ExportLedgerRequest& request,
                        std::vector<rectify::v1::LedgerRow>* rows);

// `export --format xlsx`: the workbook to -o FILE, or to stdout when it is not a terminal.
int ExportWorkbook(Session& s, const ExportOptions& o);

// `report document REVIEW_ID --as-of DATE`.
void AddReportDocumentCommand(CLI::App* report, Action* action);

// `import-ledger FILE [--dry-run]` (import_ledger.cc).
void AddImportLedgerCommand(CLI::App& app, Action* action);

// Writes binary `bytes` to -o FILE or to stdout; refuses a terminal (a usage error).
int WriteBinary(Session& s, const std::string& path, const std::string& bytes);

}  // namespace rectify::client

#endif  // RECTIFY_CLIENT_COMMANDS_PAPERWORK_H_
