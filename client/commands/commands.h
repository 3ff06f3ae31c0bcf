// The command tree of `rectify`: nouns (unit, review, cause, problem, task, extension, report),
// each with its verbs.
//
// Parsing and running are two steps: a verb's CLI11 callback only stores what to run in
// `*action`, and RunCli() runs it after the whole command line has parsed. So a usage error never
// sends anything, and every check that spans options (e.g. --deadline or --every) is made in the
// callback, where throwing a CLI::Error makes it a usage error.
#ifndef RECTIFY_CLIENT_COMMANDS_COMMANDS_H_
#define RECTIFY_CLIENT_COMMANDS_COMMANDS_H_

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <string>

#include "CLI/CLI.hpp"
#include "client/commands/session.h"

namespace rectify::client {

// What a verb does once parsed; returns the exit code.
using Action = std::function<int(Session&)>;

// Makes `run` the action when `command` is the verb given.
void OnRun(CLI::App* command, Action* action, Action run);

// "示例 / Example:\n  rectify ..." lines for a --help footer.
std::string Examples(std::initializer_list<const char*> lines);

// Adds `--expect-version N` (the version the caller saw; 0 skips the check).
void AddExpectVersion(CLI::App* command, int64_t* version);

void AddUnitCommands(CLI::App& app, Action* action);         // org.cc
void AddReviewCommands(CLI::App& app, Action* action);       // review.cc: review, cause, problem
void AddTaskCommands(CLI::App& app, Action* action);         // task.cc + task_actions.cc
void AddTaskActionCommands(CLI::App& task, Action* action);  // task_actions.cc
void AddExtensionCommands(CLI::App& app, Action* action);    // extension.cc
void AddReportCommands(CLI::App& app, Action* action);       // report.cc
void AddAdminCommands(CLI::App& app, Action* action);        // admin.cc: admin backup
void AddAuditCommands(CLI::App& app, Action* action);        // audit.cc: audit verify, head
void AddUrgeCommand(CLI::App& task, Action* action);         // urge.cc: task urge
void AddWatchCommands(CLI::App& app, Action* action);        // watch.cc
void AddExportCommands(CLI::App& app, Action* action);       // export.cc
void AddTokenCommands(CLI::App& app, Action* action);        // token.cc: token, whoami
void AddNotifyCommands(CLI::App& app, Action* action);       // notify.cc: notify channels

}  // namespace rectify::client

#endif  // RECTIFY_CLIENT_COMMANDS_COMMANDS_H_
