#!/usr/bin/env python3
"""Checks that the source folders form a graph without cycles, and that no front end
(services/api, services/http) calls a Ledger change directly instead of through services/app.

A folder is services/<name> or client/<name>; folder A depends on folder B when a file in A
includes a header under B ("services/store/store.h"). The graph must have no cycle: a cycle is two
folders that can only be understood, built and replaced together, which CMake hides when both
sit on the same include path. On success it prints the folders in dependency order (what
docs/development.md shows); on a cycle it names the folders and one include per edge, and fails.

  check_layers.py [ROOT]        check the tree at ROOT (default: the repository)
  check_layers.py --self-test   check that a planted cycle is found and a clean tree passes
"""
import os
import re
import sys
import tempfile

INCLUDE = re.compile(r'^\s*#\s*include\s+"((?:services|client)/([a-z_]+))/[^"]+"', re.M)
SOURCES = (".h", ".cc")


def folder_of(root, path):
    parts = os.path.relpath(path, root).split(os.sep)
    if len(parts) >= 3 and parts[0] in ("services", "client"):
        return parts[0] + "/" + parts[1]
    return None


def include_graph(root):
    """{folder: {folder: 'file:line include'}} for every include that crosses folders."""
    graph = {}
    for top in ("services", "client"):
        for dirpath, _, files in os.walk(os.path.join(root, top)):
            for name in files:
                if not name.endswith(SOURCES):
                    continue
                path = os.path.join(dirpath, name)
                src = folder_of(root, path)
                if src is None:
                    continue
                graph.setdefault(src, {})
                with open(path, encoding="utf-8") as f:
                    text = f.read()
                for m in INCLUDE.finditer(text):
                    dst = m.group(1)
                    if dst == src:
                        continue
                    line = text.count("\n", 0, m.start()) + 1
                    graph[src].setdefault(dst, "%s:%d includes %s" % (
                        os.path.relpath(path, root), line, m.group(0).split('"')[1]))
                    graph.setdefault(dst, {})
    return graph


def find_cycle(graph):
    """One cycle as a list of folders [a, b, ..., a], or None."""
    state = {}  # 1 = on the stack, 2 = done
    stack = []

    def visit(node):
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def layers(graph):
    """Folders in dependency order: each after everything it includes."""
    order, done = [], set()
    while len(done) < len(graph):
        ready = sorted(n for n in graph if n not in done and set(graph[n]) <= done)
        order.append(ready)
        done.update(ready)
    return order


FRONT_ENDS = ("services/api", "services/http")
CHANGE_DECL = re.compile(r"\b([A-Z]\w*)\(\s*WriteTxn&\s+tx\b")


def direct_ledger_changes(root):
    """Calls from a front end to a Ledger change (a method taking a WriteTxn), or writes of rows
    through its transaction (tx.InsertX, UpdateX, DeleteX, AppendX, SaveX), bypassing services/app:
    ['services/api/x.cc:12 calls Ledger::CreateTask', ...]."""
    header = os.path.join(root, "services/domain/ledger.h")
    if not os.path.exists(header):
        return []
    with open(header, encoding="utf-8") as f:
        names = sorted(set(CHANGE_DECL.findall(f.read())))
    if not names:
        return []
    call = re.compile(r"\b(\w+)(?:->|\.)(%s)\(\s*tx\b" % "|".join(names))
    # A front end writing rows itself (tx.InsertChannel(...)) bypasses the rules as well.
    write = re.compile(r"\btx\.((?:Insert|Update|Delete|Append|Save)\w*)\(")
    found = []
    for front in FRONT_ENDS:
        for dirpath, _, files in os.walk(os.path.join(root, front)):
            for name in sorted(files):
                if not name.endswith(SOURCES):
                    continue
                path = os.path.join(dirpath, name)
                with open(path, encoding="utf-8") as f:
                    text = f.read()
                for m in call.finditer(text):
                    if m.group(1).startswith("changes"):
                        continue
                    line = text.count("\n", 0, m.start()) + 1
                    found.append("%s:%d calls Ledger::%s" % (
                        os.path.relpath(path, root), line, m.group(2)))
                for m in write.finditer(text):
                    line = text.count("\n", 0, m.start()) + 1
                    found.append("%s:%d writes through the store: %s" % (
                        os.path.relpath(path, root), line, m.group(1)))
    return found


def check(root, out):
    bypass = direct_ledger_changes(root)
    if bypass:
        out.write("front end bypasses services/app:\n")
        for b in bypass:
            out.write("  %s\n" % b)
        return False
    graph = include_graph(root)
    cycle = find_cycle(graph)
    if cycle:
        out.write("folder cycle: %s\n" % " -> ".join(cycle))
        for a, b in zip(cycle, cycle[1:]):
            out.write("  %s\n" % graph[a][b])
        return False
    for i, level in enumerate(layers(graph)):
        out.write("layer %d: %s\n" % (i, " ".join(level)))
    return True


def self_test():
    class Sink:
        def __init__(self):
            self.text = ""

        def write(self, s):
            self.text += s

    def tree(files):
        root = tempfile.mkdtemp(prefix="layers-")
        for rel, text in files.items():
            path = os.path.join(root, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
        return root

    clean = tree({
        "services/model/model.h": "#include <string>\n",
        "services/store/store.h": '#include "services/model/model.h"\n',
        "services/domain/ledger.cc": '#include "services/store/store.h"\n',
    })
    sink = Sink()
    assert check(clean, sink), sink.text
    assert "layer 0: services/model" in sink.text, sink.text
    assert "layer 2: services/domain" in sink.text, sink.text

    cyclic = tree({
        "services/store/store.h": '#include "services/domain/model.h"\n',
        "services/domain/model.h": "\n",
        "services/domain/ledger.cc": '// x\n#include "services/store/store.h"\n',
    })
    sink = Sink()
    assert not check(cyclic, sink), "a planted cycle went unnoticed"
    assert "services/domain -> services/store -> services/domain" in sink.text, sink.text
    assert "services/domain/ledger.cc:2 includes services/store/store.h" in sink.text, sink.text
    bypass = tree({
        "services/domain/ledger.h":
            "  absl::StatusOr<Task> CreateTask(WriteTxn& tx, const Actor& actor) const;\n",
        "services/api/ledger_service.cc":
            "  x = changes_.CreateTask(tx, actor);\n  y = ledger_->CreateTask(tx, actor);\n"
            "  tx.UpdateChannel(c);\n",
    })
    sink = Sink()
    assert not check(bypass, sink), "a front end calling the Ledger directly went unnoticed"
    assert "services/api/ledger_service.cc:2 calls Ledger::CreateTask" in sink.text, sink.text
    assert "services/api/ledger_service.cc:3 writes through the store: UpdateChannel" in sink.text, \
        sink.text
    print("self-test passed")
    return True


def main(argv):
    if argv[1:] == ["--self-test"]:
        return 0 if self_test() else 1
    root = argv[1] if len(argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..")
    return 0 if check(os.path.abspath(root), sys.stdout) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
