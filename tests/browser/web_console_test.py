#!/usr/bin/python3
"""The web console in a real browser (headless Chromium driven by Selenium).

Starts its own rectifyd on free ports, seeds units, tokens and tasks with the real `rectify`
client, and walks the rectification round trip through the pages: a branch reports progress
with a file and submits, the committee returns it with a reason, the branch sees the reason and
resubmits, the committee accepts; meanwhile a supervisor's dashboard, never reloaded, shows the
overdue (red) task turn closed. It also checks the chart is drawn, that no page scrolls sideways
at 375 px, that a form error lands next to its field, and saves a screenshot of every page.
On 通知渠道 the committee sets a branch's WeCom robot pointed at a webhook receiver the test runs
on 127.0.0.1, sends a test message, sees an urge delivered, and switches the channel off; the
branch reads the same list without the means to change it.

Usage: web_console_test.py RECTIFYD RECTIFY OUTPUT_DIR

Nothing is skipped: a missing browser or driver is a failure. Everything started here (rectifyd,
chromedriver, Chromium) is stopped on the way out, pass or fail.
"""

import base64
import ctypes
import datetime
import hashlib
import http.server
import io
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import urllib.error
import urllib.request
import zipfile

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.common.exceptions import (ElementClickInterceptedException,
                                        ElementNotInteractableException, NoSuchElementException,
                                        StaleElementReferenceException)
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

CHROMIUM = '/usr/bin/chromium'
CHROMEDRIVER = '/usr/bin/chromedriver'
WAIT = 20  # seconds any one expectation may take
PHONE = (375, 812)
DESKTOP = (1280, 900)


class Failure(Exception):
    pass


def log(message):
    print(message, flush=True)


def _die_with_parent():
    # Should this script be killed outright (a CTest timeout), rectifyd gets SIGTERM too.
    ctypes.CDLL('libc.so.6', use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


class Server:
    """rectifyd on 127.0.0.1 with gRPC and HTTP on free ports, its database in `work`."""

    def __init__(self, binary, work):
        self.binary = binary
        self.work = work
        self.proc = None
        self.port = self.http_port = None

    def start(self, time_zone):
        for name in ('port', 'http_port'):
            path = os.path.join(self.work, name)
            if os.path.exists(path):
                os.remove(path)
        self.log_file = open(os.path.join(self.work, 'rectifyd.log'), 'ab')
        self.proc = subprocess.Popen(
            [self.binary, '--db', os.path.join(self.work, 'ledger.db'),
             '--listen', '127.0.0.1:0', '--port_file', os.path.join(self.work, 'port'),
             '--http_listen', '127.0.0.1:0',
             '--http_port_file', os.path.join(self.work, 'http_port'),
             '--root_unit_name', '机关党委', '--time_zone', time_zone],
            stdout=self.log_file, stderr=self.log_file, preexec_fn=_die_with_parent)
        deadline = time.time() + 30
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise Failure(f'rectifyd exited with {self.proc.returncode}; see rectifyd.log')
            try:
                with open(os.path.join(self.work, 'port')) as f:
                    self.port = int(f.read().strip())
                with open(os.path.join(self.work, 'http_port')) as f:
                    self.http_port = int(f.read().strip())
                return
            except (FileNotFoundError, ValueError):
                time.sleep(0.1)
        raise Failure('rectifyd did not write its port files within 30 s')

    def stop(self):
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None
        self.log_file.close()

    @property
    def url(self):
        return f'http://127.0.0.1:{self.http_port}'


class Seed:
    """The `rectify` client against the server, with a token file."""

    def __init__(self, binary, server, work):
        self.binary = binary
        self.server = server
        self.work = work

    def run(self, token_file, *args):
        out = subprocess.run(
            [self.binary, '--server', f'127.0.0.1:{self.server.port}', '--token_file',
             token_file, '--json', *args],
            capture_output=True, text=True, timeout=60,
            env={k: v for k, v in os.environ.items() if k != 'RECTIFY_TOKEN'})
        if out.returncode != 0:
            raise Failure(f'rectify {" ".join(args)} failed ({out.returncode}): {out.stderr}')
        return json.loads(out.stdout) if out.stdout.strip() else {}

    def token(self, admin, name, role, unit):
        secret = self.run(admin, 'token', 'create', '--name', name, '--role', role,
                          '--unit', str(unit))['secret']
        path = os.path.join(self.work, f'{name}.token')
        with open(path, 'w') as f:
            f.write(secret + '\n')
        os.chmod(path, 0o600)
        return secret


def api(server, token, method, request):
    """One RPC over the HTTP/JSON API with a bearer token (the test's own checks)."""
    req = urllib.request.Request(
        f'{server.url}/api/rectify.v1.{method}', data=json.dumps(request).encode(),
        headers={'Content-Type': 'application/json', 'Authorization': f'Bearer {token}'},
        method='POST')
    with urllib.request.urlopen(req, timeout=30) as resp:
        return json.loads(resp.read())


class Browser:
    """One headless Chromium with its own profile (so its own session cookie)."""

    def __init__(self, name, work, out_dir):
        self.name = name
        self.out_dir = out_dir
        self.profile = tempfile.mkdtemp(prefix=f'chromium-{name}-', dir=work)
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for arg in ('--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
                    '--disable-background-networking', '--disable-component-update',
                    '--disable-sync', '--no-first-run', '--lang=zh-CN',
                    f'--user-data-dir={self.profile}',
                    f'--window-size={DESKTOP[0]},{DESKTOP[1]}'):
            options.add_argument(arg)
        options.set_capability('goog:loggingPrefs', {'browser': 'ALL'})
        self.service = Service(executable_path=CHROMEDRIVER,
                               log_path=os.path.join(work, f'chromedriver-{name}.log'))
        try:
            self.driver = webdriver.Chrome(service=self.service, options=options)
        except Exception:
            self.service.stop()  # chromedriver may be up even though the browser is not
            raise
        self.driver.set_page_load_timeout(60)
        self.desktop()

    def quit(self):
        try:
            self.driver.quit()
        except Exception:  # the driver may already be gone; the service is stopped below
            pass
        try:
            self.service.stop()
        except Exception:
            pass

    def desktop(self):
        self.driver.execute_cdp_cmd('Emulation.clearDeviceMetricsOverride', {})
        self.driver.set_window_size(*DESKTOP)

    def phone(self):
        self.driver.execute_cdp_cmd('Emulation.setDeviceMetricsOverride', {
            'width': PHONE[0], 'height': PHONE[1], 'deviceScaleFactor': 1, 'mobile': True})

    def wait(self, what, condition, timeout=WAIT):
        try:
            return WebDriverWait(
                self.driver, timeout, poll_frequency=0.2,
                ignored_exceptions=(StaleElementReferenceException, NoSuchElementException)).until(
                lambda d: condition())
        except Exception as error:
            raise Failure(f'[{self.name}] timed out waiting for: {what}') from error

    def js(self, script, *args):
        return self.driver.execute_script(script, *args)

    def find(self, css):
        return self.driver.find_element(By.CSS_SELECTOR, css)

    def attr(self, css, name):
        for attempt in range(10):
            try:
                return self.find(css).get_attribute(name)
            except StaleElementReferenceException:
                time.sleep(0.2)
        raise Failure(f'[{self.name}] {css} kept being replaced')

    def finds(self, css):
        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def exists(self, css):
        return len(self.finds(css)) > 0

    def text(self, css):
        for attempt in range(10):
            try:
                elements = self.finds(css)
                return elements[0].text if elements else ''
            except StaleElementReferenceException:
                time.sleep(0.2)
        raise Failure(f'[{self.name}] {css} kept being replaced')

    def go(self, url_or_hash, ready_css):
        scope = ''
        if url_or_hash.startswith('#'):
            # The new hash renders on a later task, while the page being left is still shown
            # and may hold ready_css too (#/supervise/2 has a #dashboard-table as #/supervise
            # does): mark that page as leaving and wait for ready_css in a fresh one. The same
            # hash again renders nothing, so it waits on the page as it is.
            moved = self.js("""
                if (location.hash === arguments[0]) return false;
                const view = document.querySelector('#app > .view');
                if (view) view.dataset.leaving = '1';
                location.hash = arguments[0];
                return true;""", url_or_hash)
            scope = '#app > .view:not([data-leaving]) ' if moved else ''
        else:
            self.driver.get(url_or_hash)
        self.wait(f'{ready_css} on {url_or_hash}', lambda: self.exists(scope + ready_css))

    def click(self, css):
        # Live pages re-render when events arrive: an element found a moment ago may have been
        # replaced by its fresh copy (or be gone while its page reloads), so look it up again,
        # for as long as any expectation may take. The scroll is instant: Bootstrap turns on
        # smooth scrolling, and a click during the glide lands on whatever passes under it,
        # which on a busy machine lasted longer than a fixed number of retries.
        deadline = time.time() + WAIT
        while True:
            try:
                element = self.find(css)
                self.js('arguments[0].scrollIntoView({block: "center", behavior: "instant"})',
                        element)
                element.click()
                return
            except (StaleElementReferenceException, NoSuchElementException,
                    ElementClickInterceptedException, ElementNotInteractableException) as error:
                if time.time() > deadline:
                    raise Failure(f'[{self.name}] {css} kept being replaced or covered') from error
                time.sleep(0.1)

    def type(self, css, text):
        # As click(): a live re-render may replace the field, or show it a moment after it is
        # in the page (not interactable yet): find it again until it takes the keys.
        deadline = time.time() + WAIT
        while True:
            try:
                element = self.find(css)
                self.js('arguments[0].scrollIntoView({block: "center", behavior: "instant"})',
                        element)
                element.clear()
                element.send_keys(text)
                return
            except (StaleElementReferenceException, NoSuchElementException,
                    ElementNotInteractableException) as error:
                if time.time() > deadline:
                    raise Failure(f'[{self.name}] {css} kept being replaced or hidden') from error
                time.sleep(0.1)

    def shot(self, name):
        path = os.path.join(self.out_dir, f'{name}.png')
        # The whole page, not only the viewport: the CDP screenshot beyond the visible area.
        metrics = self.driver.execute_cdp_cmd('Page.getLayoutMetrics', {})
        size = metrics.get('cssContentSize') or metrics['contentSize']
        width = self.js('return window.innerWidth')
        shot = self.driver.execute_cdp_cmd('Page.captureScreenshot', {
            'format': 'png', 'captureBeyondViewport': True,
            'clip': {'x': 0, 'y': 0, 'width': width, 'height': min(size['height'], 4000),
                     'scale': 1}})
        with open(path, 'wb') as f:
            f.write(base64.b64decode(shot['data']))
        log(f'     screenshot {path}')

    def sign_in(self, base_url, token, landing_css):
        self.go(f'{base_url}/#/signin', '#signin-form')
        self.type('#signin-token', token)
        self.click('#signin-submit')
        self.wait(f'landing page {landing_css} after sign-in', lambda: self.exists(landing_css))

    def sign_out(self):
        self.click('#nav-toggle') if self.find('#nav-toggle').is_displayed() else None
        self.click('#signout')
        self.wait('sign-in form after sign-out', lambda: self.exists('#signin-form'))

    def no_horizontal_scroll(self):
        return self.js('return [document.documentElement.scrollWidth, window.innerWidth]')

    def console_errors(self):
        try:
            return [e for e in self.driver.get_log('browser') if e.get('level') == 'SEVERE']
        except Exception:
            return []


class WebhookReceiver:
    """A group robot's webhook on 127.0.0.1: records each POST (path and JSON body) and answers
    as WeCom does when it accepts a message."""

    def __init__(self):
        self.posts = []
        self.lock = threading.Lock()
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get('Content-Length') or 0))
                try:
                    parsed = json.loads(body)
                except ValueError:
                    parsed = None
                with receiver.lock:
                    receiver.posts.append({'path': self.path, 'json': parsed, 'raw': body})
                answer = json.dumps({'errcode': 0, 'errmsg': 'ok'}).encode()
                self.send_response(200)
                self.send_header('Content-Type', 'application/json')
                self.send_header('Content-Length', str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def received(self):
        with self.lock:
            return list(self.posts)

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def drawn_pixels(browser, css):
    """How many pixels of the canvas are not transparent."""
    return browser.js("""
        const c = document.querySelector(arguments[0]);
        if (!c || !c.width || !c.height) return 0;
        const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) n++;
        return n;""", css)


def task_card(browser, task_id):
    return f'.task-card[data-task-id="{task_id}"]'


def main():
    if len(sys.argv) != 4:
        print(__doc__)
        return 2
    rectifyd, rectify, out_dir = sys.argv[1:]
    # SIGTERM (CTest stopping the test) unwinds through the finally below like a failure.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(1))
    os.makedirs(out_dir, exist_ok=True)
    for path in (CHROMIUM, CHROMEDRIVER, rectifyd, rectify):
        if not os.access(path, os.X_OK):
            log(f'FAIL {path} is missing or not executable (install chromium chromium-driver)')
            return 1
    work = tempfile.mkdtemp(prefix='rectify-browser-')
    server = Server(rectifyd, work)
    hook = WebhookReceiver()
    browsers = []
    checks = []

    def check(what, ok, detail=''):
        checks.append(what)
        if not ok:
            raise Failure(f'{what} {detail}')
        log(f'ok   {what}')

    try:
        # Seed on a server whose organisation lives at UTC-12 and give 第一支部 a task due
        # "today" there. Restarted at UTC+14 (26 hours ahead, always a later date), the same
        # ledger finds that task overdue: a red light without a fake clock or editing the file.
        server.start('Etc/GMT+12')
        admin_file = os.path.join(work, 'rectify-admin.token')
        with open(admin_file) as f:
            admin = f.read().strip()
        seed = Seed(rectify, server, work)
        seed.run(admin_file, 'unit', 'create', '第一支部', '--parent', '1')   # unit 2
        seed.run(admin_file, 'unit', 'create', '第二支部', '--parent', '1')   # unit 3
        branch = seed.token(admin_file, '张三', 'branch', 2)
        sibling = seed.token(admin_file, '李四', 'branch', 3)
        supervisor = seed.token(admin_file, '纪委办', 'supervisor', 1)
        seed.run(admin_file, 'review', 'create', '2026年度专题组织生活会', '--kind', 'org-life',
                 '--held-on', '2026-01-10', '--unit', '1')
        seed.run(admin_file, 'problem', 'add', '1', '--area', '在联系服务群众方面',
                 '调研指导还不够深入')
        seed.run(admin_file, 'problem', 'add', '1', '--area', '在发挥先锋模范作用方面',
                 '责任担当意识有待进一步增强')
        today_west = datetime.datetime.now(
            datetime.timezone(datetime.timedelta(hours=-12))).date().isoformat()
        red = seed.run(admin_file, 'task', 'create', '1', '--measure',
                       '每季度到联系点调研一次，形成调研报告', '--owner-unit', '2', '--owner', '张三',
                       '--leader', '李书记', '--deadline', today_west)['id']
        other = seed.run(admin_file, 'task', 'create', '2', '--measure', '开展专题学习，撰写心得',
                         '--owner-unit', '3', '--owner', '李四', '--deadline', '2099-06-30')['id']
        later = seed.run(admin_file, 'task', 'create', '2', '--measure', '建立党员责任区，定期公示',
                         '--owner-unit', '2', '--owner', '张三', '--deadline', '2099-12-31')['id']
        server.stop()
        server.start('Etc/GMT-14')
        base = server.url
        # Lights are re-evaluated on a change or at a task's stored next check: the branch
        # starting work (待整改 → 整改中) makes the new day count now.
        seed.run(os.path.join(work, '张三.token'), 'task', 'start', str(red))
        deadline = time.time() + WAIT
        while time.time() < deadline:
            light = api(server, admin, 'LedgerService/GetTask', {'id': str(red)})['light']
            if light == 'RED':
                break
            time.sleep(0.3)
        check('the seeded task is overdue and red once the day has passed', light == 'RED',
              f'(light {light})')

        # The supervisor's dashboard, opened once and never reloaded.
        sup = Browser('supervisor', work, out_dir)
        browsers.append(sup)
        sup.sign_in(base, supervisor, '#page-supervise #dashboard-table')
        check('a supervisor sees only the supervision navigation',
              sup.exists('#nav-supervise') and not sup.exists('#nav-tasks') and
              not sup.exists('#nav-verify'))
        sup.click('#dashboard-table tr[data-unit-id="2"] a.unit-link')
        sup.wait('drill-down to 第一支部 with its tasks',
                 lambda: sup.exists(f'#unit-tasks {task_card(sup, red)}'))
        row = '#dashboard-table tr[data-unit-id="2"]'
        check('the drill-down shows the overdue task red',
              sup.attr(f'#unit-tasks {task_card(sup, red)}', 'data-light') == 'RED')
        check('the unit row counts one red light',
              sup.text(f'{row} [data-light="RED"]') == '1', sup.text(row))
        check('the overdue list names the task with its aging bucket',
              sup.exists(f'#overdue-table tr[data-task-id="{red}"]'))
        sup.wait('chart drawn', lambda: drawn_pixels(sup, '#stats-chart') > 500)
        check('the chart canvas is drawn', drawn_pixels(sup, '#stats-chart') > 500)
        check('the ledger CSV link is offered',
              '/export/ledger.csv' in sup.attr('#export-csv', 'href'))
        # The workbook link, fetched by the page itself with its session cookie (what a click
        # downloads), is a real .xlsx: a zip whose workbook names the three sheets.
        xlsx_href = sup.attr('#export-xlsx', 'href')
        check('the workbook link is offered as 下载报送工作簿（Excel）',
              sup.text('#export-xlsx') == '下载报送工作簿（Excel）' and
              '/export/ledger.xlsx' in xlsx_href, f'{sup.text("#export-xlsx")} {xlsx_href}')
        fetched = sup.driver.execute_async_script('''
            const done = arguments[arguments.length - 1];
            fetch(arguments[0], {credentials: 'same-origin'}).then(async (r) => {
              const bytes = new Uint8Array(await r.arrayBuffer());
              let text = '';
              for (let i = 0; i < bytes.length; i += 8192) {
                text += String.fromCharCode(...bytes.subarray(i, i + 8192));
              }
              done({status: r.status, type: r.headers.get('Content-Type'), body: btoa(text)});
            }).catch((e) => done({status: 0, type: String(e), body: ''}));''', xlsx_href)
        sheets = ''
        try:
            with zipfile.ZipFile(io.BytesIO(base64.b64decode(fetched['body']))) as book:
                if book.testzip() is None:
                    sheets = book.read('xl/workbook.xml').decode('utf-8')
        except (zipfile.BadZipFile, KeyError) as error:
            sheets = f'not a workbook: {error}'
        check('... and downloads a valid workbook with its three sheets',
              fetched['status'] == 200 and
              fetched['type'] == 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
              and all(f'name="{name}"' in sheets for name in ('整改台账', '逾期清单', '统计')),
              f"(status {fetched['status']}, {fetched['type']}, {sheets[:200]})")
        # A supervisor urges (催办) the overdue task from its page.
        sup.click(f'#unit-tasks {task_card(sup, red)} a.measure')
        sup.wait('task page with the urge form', lambda: sup.exists('#urge-form'))
        check('a supervisor is offered no status change, only 催办',
              not sup.exists('#progress-form') and not sup.exists(f'#accept-form-{red}'))
        urge = '请于本周五前报送整改进展'
        sup.type('#urge-note', urge)
        sup.click('#urge-submit')
        sup.wait('the urge in the history', lambda: urge in sup.text('#task-events'))
        sup.shot('task-urged-desktop')
        sup.go('#/supervise/2', '#unit-tasks .task-list')
        sup.js('window.__notReloaded = true')
        sup.shot('supervise-unit-desktop')
        sup.go('#/supervise', '#page-supervise:not([data-unit-id="2"]) #dashboard-table')
        sup.wait('dashboard chart', lambda: drawn_pixels(sup, '#stats-chart') > 500)
        sup.shot('supervise-desktop')
        sup.click('#dashboard-table tr[data-unit-id="2"] a.unit-link')
        sup.wait('drill-down again', lambda: sup.exists(f'#unit-tasks {task_card(sup, red)}'))

        # The branch: only its own tasks; a form error next to its field; progress with a file.
        user = Browser('user', work, out_dir)
        browsers.append(user)
        user.sign_in(base, branch, '#page-tasks .task-list')
        check('a branch sees only 我的任务 in the navigation',
              user.exists('#nav-tasks') and not user.exists('#nav-verify') and
              not user.exists('#nav-supervise'))
        check('the branch sees its own task', user.exists(task_card(user, red)))
        check("the branch does not see a sibling branch's task",
              not user.exists(task_card(user, other)))
        check('the task card shows its light, deadline and progress',
              user.attr(task_card(user, red), 'data-light') == 'RED' and
              today_west in user.text(task_card(user, red)) and
              user.exists(f'{task_card(user, red)} .progress'))
        user.shot('tasks-desktop')
        user.phone()
        user.shot('tasks-phone')
        user.desktop()
        # An extension request on the other task, decided by the committee further on.
        user.go(f'#/task/{later}', '#extension-form')
        user.type('#extension-reason', '需与年度述职评议一并开展')
        user.js("document.querySelector('#extension-date').value = '2100-01-31'")
        user.click('#extension-submit')
        user.wait('the pending extension request in the history',
                  lambda: '2100-01-31' in user.text('#task-extensions'))
        check('the branch requested an extension (申请延期)', not user.exists('#extension-form'))
        user.go('#/tasks', '#page-tasks .task-list')
        user.click(f'{task_card(user, red)} a.measure')
        user.wait('task page with the progress form', lambda: user.exists('#progress-form'))
        check('the branch sees the urge with its note in the history',
              urge in user.text('#task-events .kind-EVENT_URGED'))
        user.type('#progress-percent', '60')
        user.click('#progress-submit')
        user.wait('error next to the text field', lambda: user.text(
            '#progress-form .field[data-field="text"] .invalid-feedback') != '')
        check('a form error shows next to its field',
              'is-invalid' in user.attr('#progress-text', 'class'),
              user.text('#progress-form .field[data-field="text"] .invalid-feedback'))
        user.shot('task-form-error-desktop')
        history = api(server, branch, 'LedgerService/GetTaskHistory', {'id': str(red)})
        check('nothing was stored by the refused report',
              not history.get('progress') and history['task']['status'] == 'IN_PROGRESS')
        evidence_path = os.path.join(work, '调研报告.txt')
        evidence_bytes = '第一季度调研报告：走访群众12户，收集意见5条。\n'.encode() * 20
        with open(evidence_path, 'wb') as f:
            f.write(evidence_bytes)
        sha = hashlib.sha256(evidence_bytes).hexdigest()
        user.type('#progress-text', '已到联系点调研，形成调研报告初稿')
        user.type('#progress-percent', '100')
        user.find('#progress-files').send_keys(evidence_path)
        user.click('#progress-submit')
        user.wait('the report with its evidence in the history',
                  lambda: sha in user.text('#task-reports'))
        check('the evidence is listed with its sha256', sha in user.text('#task-reports'))
        check('the evidence is listed by its file name',
              '调研报告.txt' in user.text('#task-reports .evidence-name'))
        # The download link hands the browser a Blob with the stored bytes: capture it.
        user.js("window.__blobs = []; const made = URL.createObjectURL;"
                "URL.createObjectURL = (b) => { window.__blobs.push(b); return made(b); };")
        # A script click: the link is small and live refreshes may cover it for a moment.
        user.js("document.querySelector('#task-reports .evidence-download').click()")
        user.wait('the evidence download', lambda: user.js('return window.__blobs.length') > 0)
        downloaded = user.driver.execute_async_script(
            'const done = arguments[arguments.length - 1];'
            'window.__blobs[0].arrayBuffer().then((b) => done(Array.from(new Uint8Array(b))));')
        check('the evidence downloads with the bytes that were uploaded',
              bytes(downloaded) == evidence_bytes, f'{len(downloaded)} bytes')
        user.wait('submit form', lambda: user.exists('#submit-form'))
        user.type('#submit-summary', '调研报告已完成并报送')
        user.click('#submit-submit')
        user.wait('task submitted', lambda: user.attr('#task-summary', 'data-status') == 'SUBMITTED')
        check('the branch submitted the task for close-out (申请销号)', True)
        user.sign_out()

        # The committee returns it with a reason.
        user.sign_in(base, admin, '#page-verify #verify-queue')
        user.wait('the submitted task in the queue', lambda: user.exists(
            f'#verify-queue {task_card(user, red)}'))
        check('the queue shows the evidence with its sha256',
              sha in user.text(f'#verify-queue {task_card(user, red)}'))
        user.shot('verify-desktop')
        reason = '证明材料不全，请补充调研走访记录'
        user.type(f'#return-reason-{red}', reason)
        user.click(f'#return-submit-{red}')
        user.wait('queue emptied after the return',
                  lambda: not user.exists(f'#verify-queue {task_card(user, red)}'))
        check('the committee returned the task', True)
        user.wait('the pending extension in the queue',
                  lambda: user.exists(f'#verify-extensions [data-task-id="{later}"] .decide-form'))
        user.click(f'#verify-extensions [data-task-id="{later}"] button[value="approve"]')
        user.wait('extension decided', lambda: not user.exists(
            f'#verify-extensions [data-task-id="{later}"]'))
        moved = api(server, admin, 'LedgerService/GetTask', {'id': str(later)})['deadline']
        check('the committee approved the extension and the deadline moved',
              moved == '2100-01-31', moved)
        user.go('#/assign', '#page-assign #create-task-form')
        user.shot('assign-desktop')
        user.sign_out()

        # The branch sees the reason and resubmits.
        user.sign_in(base, branch, '#page-tasks .task-list')
        check('the task list shows the reason of the return',
              reason in user.text(task_card(user, red)))
        user.click(f'{task_card(user, red)} a.measure')
        user.wait('history with the return', lambda: reason in user.text('#task-events'))
        check('the task history shows the return with its reason',
              reason in user.text('#task-events .kind-return'))
        user.shot('task-returned-desktop')
        user.type('#submit-summary', '已补充调研走访记录，请验收')
        user.click('#submit-submit')
        user.wait('task submitted again', lambda: user.attr('#task-summary', 'data-status') == 'SUBMITTED')
        check('the branch resubmitted', True)
        user.sign_out()

        # The committee accepts (销号).
        user.sign_in(base, admin, '#page-verify #verify-queue')
        user.wait('the resubmitted task in the queue', lambda: user.exists(
            f'#verify-queue {task_card(user, red)}'))
        user.click(f'#accept-submit-{red}')
        user.wait('queue emptied after acceptance',
                  lambda: not user.exists(f'#verify-queue {task_card(user, red)}'))
        closed = api(server, admin, 'LedgerService/GetTask', {'id': str(red)})['status']
        check('the committee closed the task out (销号)', closed == 'CLOSED', closed)

        # The supervisor's page followed it all without a reload.
        sup.wait('the dashboard shows the task closed', lambda: sup.attr(
            f'#unit-tasks {task_card(sup, red)}', 'data-status') == 'CLOSED')
        check('the supervisor saw red turn closed without reloading',
              sup.js('return window.__notReloaded === true'))
        sup.wait('the unit row counts the closed task',
                 lambda: sup.text(f'{row} [data-col="closed"]') == '1')
        check('the unit row has no red light left',
              sup.text(f'{row} [data-light="RED"]') == '0', sup.text(row))
        check('the completion rate of 第一支部 is 50.0%',
              sup.text(f'{row} [data-col="completion"]') == '50.0%',
              sup.text(f'{row} [data-col="completion"]'))
        sup.shot('supervise-closed-desktop')
        user.go(f'#/task/{red}', '#task-summary')
        user.wait('task history', lambda: user.exists('#task-events li'))
        user.shot('task-history-desktop')

        # 通知渠道: the committee sets 第一支部's WeCom robot, pointed at the local receiver. The
        # unit's earlier changes wrote their notices before the channel existed, and it has
        # nothing for a digest, so the test message is the only thing the robot can get.
        key = '693a91f6-7b0e-4c2d-9f1e-5a3c2b1d4e8f'
        hook_url = f'http://127.0.0.1:{hook.port}/cgi-bin/webhook/send?key={key}'
        user.go('#/notify', '#page-notify #channel-form')
        user.wait('the channel list', lambda: user.exists('#notify-channels[data-loaded]'))
        check('every role has 通知渠道 in the navigation',
              user.exists('#nav-notify') and sup.exists('#nav-notify'))
        Select(user.find('#channel-unit')).select_by_value('2')
        Select(user.find('#channel-kind')).select_by_value('WECOM')
        check('the mail fields are hidden for a robot',
              not user.find('#channel-mail-fields').is_displayed())
        user.type('#channel-name', '第一支部工作群')
        user.type('#channel-url', hook_url)
        check('the webhook URL is typed into a password input',
              user.attr('#channel-url', 'type') == 'password')
        user.click('#channel-submit')
        user.wait('the new channel in the table',
                  lambda: user.exists('#channel-form-result .alert-success') and
                  user.exists('#channel-table tbody tr[data-channel-id]'))
        channel = user.attr('#channel-table tbody tr[data-channel-id]', 'data-channel-id')
        crow = f'#channel-table tr[data-channel-id="{channel}"]'
        redacted = user.text(f'{crow} .channel-url')
        check('the table shows the redacted webhook address',
              redacted.startswith(f'http://127.0.0.1:{hook.port}/cgi-bin/webhook/send?key=****')
              and key not in redacted, redacted)
        check('the key is nowhere on the page, nor kept in an input',
              key not in user.driver.page_source and user.js(
                  'return Array.from(document.querySelectorAll("input, textarea"))'
                  '.every((i) => !i.value.includes(arguments[0]))', key) and
              user.attr('#channel-url', 'value') == '', user.attr('#channel-url', 'value'))
        listed = api(server, admin, 'NotifyService/ListChannels', {})
        check('the API lists the channel without its key',
              len(listed['channels']) == 1 and key not in json.dumps(listed))
        user.click(f'#channel-test-{channel}')
        user.wait('the test outcome', lambda: user.attr(
            f'#channel-result-{channel} .test-result', 'data-delivered') in ('true', 'false'))
        check('the page says the test message was delivered',
              user.attr(f'#channel-result-{channel} .test-result', 'data-delivered') == 'true' and
              '已送达' in user.text(f'#channel-result-{channel}'),
              user.text(f'#channel-result-{channel}'))
        posts = hook.received()
        check('the robot got exactly one POST, at its webhook URL', len(posts) == 1 and
              posts[0]['path'] == f'/cgi-bin/webhook/send?key={key}', repr(posts)[:500])
        body = posts[0]['json'] or {}
        check('the test message is WeCom markdown saying 测试',
              body.get('msgtype') == 'markdown' and
              '测试' in (body.get('markdown') or {}).get('content', ''), repr(body)[:500])
        user.wait('the last success on the row',
                  lambda: user.text(f'{crow} [data-col="last-success"]') not in ('', '—'))
        # An urge of a 第一支部 task goes out through the outbox to the same robot.
        api(server, admin, 'LedgerService/UrgeTask',
            {'requestId': 'browser-notify-urge', 'id': str(later), 'note': '请抓紧公示责任区'})
        deadline = time.time() + WAIT
        while time.time() < deadline:
            sent = [d for d in api(server, admin, 'NotifyService/GetNotifyStatus', {})
                    .get('deliveries', []) if d['state'] == 'SENT']
            if sent:
                break
            time.sleep(0.2)
        check('the urge was delivered through the outbox',
              len(sent) == 1 and sent[0]['topic'] == 'urged', repr(sent))
        posts = hook.received()
        check('the robot got the urge once',
              len(posts) == 2 and '催办' in (posts[1]['json'] or {}).get('markdown', {})
              .get('content', ''), repr(posts[1:])[:500])
        user.click('#notify-refresh')
        user.wait('the sent urge in the delivery list', lambda: user.exists(
            f'#notify-deliveries tr[data-channel-id="{channel}"][data-state="SENT"]'))
        check('the delivery counts show one sent',
              user.text(f'#notify-counts tr[data-channel-id="{channel}"] [data-col="sent"]') ==
              '1')
        user.click('#deliveries-failed-only')
        user.wait('the failed-only list', lambda: user.attr(
            '#notify-status-deliveries', 'data-failed-only') == 'true')
        check('只看失败 hides the sent delivery',
              not user.exists('#notify-deliveries tr[data-state]'))
        user.click(f'#channel-toggle-{channel}')
        user.wait('the channel switched off', lambda: user.attr(crow, 'data-enabled') == 'false')
        check('the row shows 停用', user.text(f'{crow} [data-col="enabled"]') == '停用')
        check('the channel is off in the store', not api(
            server, admin, 'NotifyService/ListChannels', {})['channels'][0]['enabled'])
        # A refused channel: the error lands under its field and the secrets are gone anyway.
        # Then a Feishu robot on a port nobody listens on: its test says 未送达 and why.
        with socket.socket() as probe:
            probe.bind(('127.0.0.1', 0))
            dead_port = probe.getsockname()[1]
        token = 'b7e2c9d4-51fa-4e38-a0c6-2f9d8e7b6a15'
        sign = 'SEC0f4e2b9a8c7d6e5f4a3b2c1d0e9f8a7'
        Select(user.find('#channel-kind')).select_by_value('FEISHU')
        user.type('#channel-url', f'http://127.0.0.1:{dead_port}/open-apis/bot/v2/hook/{token}')
        user.type('#channel-secret', sign)
        user.click('#channel-submit')
        user.wait('the error under the name', lambda: user.text(
            '#channel-form .field[data-field="name"] .invalid-feedback') != '')
        check('a refused channel keeps neither the URL nor the secret in the form',
              user.attr('#channel-url', 'value') == '' and
              user.attr('#channel-secret', 'value') == '' and
              'is-invalid' in user.attr('#channel-name', 'class'))
        user.type('#channel-name', '督查室飞书群')
        user.type('#channel-url', f'http://127.0.0.1:{dead_port}/open-apis/bot/v2/hook/{token}')
        user.type('#channel-secret', sign)
        user.click('#channel-submit')
        user.wait('the Feishu channel in the table',
                  lambda: len(user.finds('#channel-table tbody tr[data-channel-id]')) == 2)
        dead = [r.get_attribute('data-channel-id') for r in
                user.finds('#channel-table tbody tr[data-channel-id]')
                if r.get_attribute('data-channel-id') != channel][0]
        drow = f'#channel-table tr[data-channel-id="{dead}"]'
        check('a set signing secret shows only as 已设密钥',
              '已设密钥' in user.text(f'{drow} [data-col="url"]'))
        user.click(f'#channel-test-{dead}')
        user.wait('the failed test outcome', lambda: user.attr(
            f'#channel-result-{dead} .test-result', 'data-delivered') in ('true', 'false'))
        check('a test that cannot reach the robot says 未送达 with the reason',
              user.attr(f'#channel-result-{dead} .test-result', 'data-delivered') == 'false' and
              '未送达' in user.text(f'#channel-result-{dead}') and
              user.text(f'#channel-result-{dead}') != '未送达：',
              user.text(f'#channel-result-{dead}'))
        user.wait('the failure counted on the row',
                  lambda: user.text(f'{drow} [data-col="failures"]') == '1')
        check('the row shows the last error', user.text(f'{drow} [data-col="last-error"]') != '—')
        check('neither the hook token nor the signing secret is on the page',
              token not in user.driver.page_source and sign not in user.driver.page_source and
              key not in user.driver.page_source)
        user.shot('notify-desktop')
        # 删除 asks first: declined, nothing happens; confirmed, the row and the channel go.
        user.js('window.confirm = () => false')
        user.click(f'#channel-delete-{dead}')
        check('a declined confirmation deletes nothing', user.exists(drow) and len(api(
            server, admin, 'NotifyService/ListChannels', {})['channels']) == 2)
        user.js('window.confirm = () => true')
        user.click(f'#channel-delete-{dead}')
        user.wait('the deleted channel gone from the table', lambda: not user.exists(drow))
        check('the channel is deleted', [c['id'] for c in api(
            server, admin, 'NotifyService/ListChannels', {})['channels']] == [channel])

        # Every page at phone width: nothing wider than the screen.
        pages = [
            (sup, '#/supervise', '#dashboard-table', 'supervise-phone'),
            (sup, '#/supervise/2', '#unit-tasks .task-list', 'supervise-unit-phone'),
            (user, f'#/task/{red}', '#task-events', 'task-phone'),
            (user, '#/verify', '#verify-queue', 'verify-phone'),
            (user, '#/assign', '#create-task-form', 'assign-phone'),
            (user, '#/notify', '#channel-table', 'notify-phone'),
        ]
        for browser, route, ready, name in pages:
            browser.phone()
            browser.go(route, ready)
            time.sleep(0.3)
            width = browser.no_horizontal_scroll()
            check(f'{route} fits 375 px ({width[0]} <= {width[1]})', width[0] <= width[1])
            browser.shot(name)
        user.sign_out()
        user.phone()
        width = user.no_horizontal_scroll()
        check(f'#/signin fits 375 px ({width[0]} <= {width[1]})', width[0] <= width[1])
        user.shot('signin-phone')
        user.sign_in(base, branch, '#page-tasks .task-list')
        width = user.no_horizontal_scroll()
        check(f'#/tasks fits 375 px ({width[0]} <= {width[1]})', width[0] <= width[1])
        user.go('#/notify', f'#page-notify #channel-table tr[data-channel-id="{channel}"]')
        check('a branch reads its channels without the form or the buttons',
              user.exists('#notify-read-only') and not user.exists('#channel-form') and
              not user.exists(f'#channel-toggle-{channel}') and
              not user.exists(f'#channel-test-{channel}') and
              user.text(f'{crow} [data-col="enabled"]') == '停用' and
              'null' not in user.text('#page-notify'), user.text('#page-notify')[:300])
        width = user.no_horizontal_scroll()
        check(f'#/notify fits 375 px for a branch ({width[0]} <= {width[1]})',
              width[0] <= width[1])
        user.shot('notify-branch-phone')
        user.desktop()
        user.sign_out()
        user.shot('signin-desktop')

        # English on request, kept across a reload.
        user.click('#lang-switch')
        user.wait('English sign-in page', lambda: 'Sign in' in user.text('#page-signin'))
        user.driver.refresh()
        user.wait('English after reload', lambda: user.exists('#page-signin') and
                  'Sign in' in user.text('#page-signin'))
        check('English is kept across a reload', True)

        # Refused requests (the form error above, /auth/session before sign-in) are logged by
        # the browser as network errors; only the page's own scripts must be clean.
        errors = [e for b in browsers for e in b.console_errors() if e.get('source') != 'network']
        check('no script errors in the browser console', not errors, json.dumps(errors)[:2000])
        log(f'PASS {len(checks)} checks')
        return 0
    except Exception as error:
        log(f'FAIL {error}')
        traceback.print_exc()
        for b in browsers:
            try:
                b.shot(f'failure-{b.name}')
                with open(os.path.join(out_dir, f'failure-{b.name}.html'), 'w') as f:
                    f.write(b.driver.page_source)
                for entry in b.console_errors():
                    log(f'     [{b.name} console] {entry.get("message")}')
            except Exception:
                pass
        return 1
    finally:
        for b in browsers:
            b.quit()
        server.stop()
        hook.stop()
        log_path = os.path.join(work, 'rectifyd.log')
        if os.path.exists(log_path):
            shutil.copy(log_path, os.path.join(out_dir, 'rectifyd.log'))
        shutil.rmtree(work, ignore_errors=True)


if __name__ == '__main__':
    sys.exit(main())
