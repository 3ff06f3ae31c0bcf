// `rectify import` (a review report into the ledger) and the draft-task verbs of `rectify task`
// (export-drafts, assign-csv), which talk to rectify.v1.ImportService.
#ifndef RECTIFY_CLIENT_COMMANDS_IMPORT_H_
#define RECTIFY_CLIENT_COMMANDS_IMPORT_H_

#include "CLI/CLI.hpp"
#include "client/commands/commands.h"

namespace rectify::client {

// Adds `import FILE` to the root command (import.cc).
void AddImportCommand(CLI::App& app, Action* action);

// Adds `export-drafts` and `assign-csv` under the `task` command (draft_tasks.cc).
void AddDraftTaskCommands(CLI::App& task, Action* action);

// Adds the corrections of an import (import_fix.cc): `review withdraw-import`, `problem edit`,
// `task edit-measure`, `task add-measure`. Needs the review, problem and task commands.
void AddImportFixCommands(CLI::App& app, Action* action);

}  // namespace rectify::client

#endif  // RECTIFY_CLIENT_COMMANDS_IMPORT_H_
