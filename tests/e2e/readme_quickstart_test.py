#!/usr/bin/env python3
"""The README's quickstart is what runs.

Finds the "## Quickstart" heading in README.md, takes the first ```sh block after it as the
commands and the next ``` block as the sample output, runs the commands exactly as written (in
one bash, in order) against a fresh rectifyd, and checks that each command shown in the sample
("$ rectify ...") was run and printed the sample's lines.

Lines are compared with runs of spaces collapsed (tables align by display width, which an editor
may not keep), in order; every non-empty sample line must appear in the command's output.

Usage: readme_quickstart_test.py README.md RECTIFYD RECTIFY
       (README_DUMP=1 also prints what every command printed, to copy into the sample)
"""
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time


def fail(message):
    print("FAIL " + message)
    sys.exit(1)


def quickstart_blocks(readme_text):
    """(commands, sample) of the Quickstart section, as lists of lines."""
    lines = readme_text.splitlines()
    start = next((i for i, l in enumerate(lines) if re.match(r"^##\s+Quickstart\b", l)), None)
    if start is None:
        fail("README.md has no '## Quickstart' heading")
    i = start + 1

    def block(i, opener):
        while i < len(lines) and not (lines[i].startswith("#") and lines[i].startswith("## ")):
            if opener(lines[i].strip()):
                j = i + 1
                while j < len(lines) and lines[j].strip() != "```":
                    j += 1
                return lines[i + 1:j], j + 1
            i += 1
        return None, i

    commands, i = block(i, lambda l: l == "```sh")
    if commands is None:
        fail("no ```sh block under '## Quickstart'")
    sample, _ = block(i, lambda l: l.startswith("```"))
    if sample is None:
        fail("no sample output block after the quickstart's ```sh block")
    return commands, sample


def logical_commands(lines):
    """Shell lines joined at trailing backslashes; blank and comment-only lines dropped."""
    out, pending = [], ""
    for line in lines:
        if pending:
            line = pending + " " + line.strip()
            pending = ""
        if line.rstrip().endswith("\\"):
            pending = line.rstrip()[:-1].rstrip()
            continue
        if line.strip() and not line.strip().startswith("#"):
            out.append(line.strip())
    if pending:
        out.append(pending)
    return out


def normalise(text):
    """A command or output line with its trailing comment (commands only) and extra spaces gone."""
    return re.sub(r"\s+", " ", text).strip()


def without_comment(command):
    # The README puts explanations after "  # "; a '#' inside quotes is not one of them here.
    return re.split(r"\s+#\s", command, maxsplit=1)[0]


def sample_expectations(sample):
    """[(command, [expected lines])] from "$ command" lines and the lines under them."""
    shown = []
    for line in sample:
        if line.startswith("$ "):
            shown.append((normalise(line[2:]), []))
        elif shown:
            shown[-1][1].append(line)
    if not shown:
        fail("the sample output block shows no '$ command' line")
    return [(c, [normalise(l) for l in lines if l.strip()]) for c, lines in shown]


def start_server(rectifyd, work):
    port_file = os.path.join(work, "port")
    log = open(os.path.join(work, "rectifyd.log"), "w")
    # As deploy/serve.sh runs it (its defaults), on a free port.
    server = subprocess.Popen(
        [rectifyd, "--db", os.path.join(work, "rectify.db"), "--listen", "127.0.0.1:0",
         "--port_file", port_file], stdout=log, stderr=subprocess.STDOUT, cwd=work)
    for _ in range(200):
        if os.path.exists(port_file) and open(port_file).read().strip():
            return server, open(port_file).read().strip()
        if server.poll() is not None:
            break
        time.sleep(0.05)
    fail("rectifyd did not start:\n" + open(os.path.join(work, "rectifyd.log")).read())


def main():
    readme, rectifyd, rectify = sys.argv[1:4]
    commands, sample = quickstart_blocks(open(readme, encoding="utf-8").read())
    steps = logical_commands(commands)
    expectations = sample_expectations(sample)
    print("quickstart: %d commands, %d shown in the sample" % (len(steps), len(expectations)))

    work = tempfile.mkdtemp(prefix="rectify-readme-")
    server = None
    try:
        server, port = start_server(rectifyd, work)
        env = {k: v for k, v in os.environ.items() if not k.startswith("RECTIFY_")}
        env.update({"HOME": work, "RECTIFY_SERVER": "127.0.0.1:" + port, "LC_ALL": "C.UTF-8",
                    "PATH": os.path.dirname(os.path.abspath(rectify)) + os.pathsep +
                    env.get("PATH", "/usr/bin:/bin")})
        # One bash runs every command in order (exports carry over); markers split the output.
        script = []
        for i, step in enumerate(steps):
            script.append("echo '@@@ start %d'" % i)
            script.append(step)
            script.append("echo \"@@@ end %d $?\"" % i)
        run = subprocess.run(["bash", "-c", "\n".join(script) + "\n"], cwd=work, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=240)
        text = run.stdout.decode("utf-8", "replace")
        outputs, failures = {}, []
        for m in re.finditer(r"@@@ start (\d+)\n(.*?)@@@ end \1 (\d+)\n", text, re.S):
            i, body, code = int(m.group(1)), m.group(2), int(m.group(3))
            outputs[i] = body
            if code != 0:
                failures.append("command %d exited %d: %s\n%s" % (i + 1, code, steps[i], body))
        if len(outputs) != len(steps):
            failures.append("only %d of %d commands ran; output:\n%s" % (len(outputs), len(steps),
                                                                       text[-3000:]))
        for problem in failures:
            print("FAIL " + problem)
        if failures:
            print("(a deadline the server calls past means the README's dates need moving on)")
            sys.exit(1)
        print("ok   every quickstart command exits 0")
        if os.environ.get("README_DUMP"):  # to write the sample: what each command printed
            for i, step in enumerate(steps):
                print("$ " + without_comment(step).strip() + "\n" + outputs.get(i, ""))

        checked = 0
        by_text = {}
        for i, step in enumerate(steps):
            by_text.setdefault(normalise(without_comment(step)), i)
        for command, expected in expectations:
            if command not in by_text:
                fail("the sample shows '%s', which the quickstart does not run" % command)
            actual = [normalise(l) for l in outputs[by_text[command]].splitlines() if l.strip()]
            at = 0
            for line in expected:
                while at < len(actual) and actual[at] != line:
                    at += 1
                if at == len(actual):
                    fail("'%s' did not print the sample line:\n  %s\nit printed:\n%s" %
                         (command, line, outputs[by_text[command]]))
                at += 1
                checked += 1
            print("ok   %s: %d sample lines" % (command, len(expected)))
        print("%d sample lines match" % checked)
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
