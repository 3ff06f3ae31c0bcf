// rectify: the command-line client of the Rectify ledger (整改台账). Wiring only; see
// client/commands/root.h for the command tree and client/rpc/exit_codes.h for the exit codes.
#include <iostream>

#include "client/commands/root.h"

int main(int argc, char** argv) {
  return rectify::client::RunCli(argc, argv, std::cout, std::cerr);
}
