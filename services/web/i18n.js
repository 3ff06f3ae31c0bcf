// The console's two languages: Chinese first, English on request. The choice is kept in
// localStorage so that it survives a reload; enum labels follow services/common/labels.cc, the
// same words the rectify CLI prints.

const KEY = 'rectify.lang';

let lang = (() => {
  try {
    return localStorage.getItem(KEY) === 'en' ? 'en' : 'zh';
  } catch (e) {
    return 'zh';
  }
})();

export function currentLang() {
  return lang;
}

export function setLang(next) {
  lang = next === 'en' ? 'en' : 'zh';
  try {
    localStorage.setItem(KEY, lang);
  } catch (e) {
    // Private windows may refuse storage; the choice then lasts for this page only.
  }
  document.documentElement.lang = lang === 'en' ? 'en' : 'zh-CN';
  for (const fn of langListeners) fn();
}

const langListeners = [];
export function onLangChange(fn) {
  langListeners.push(fn);
}

// [Chinese, English] per key.
const T = {
  appName: ['整改台账', 'Rectify'],
  signin: ['登录', 'Sign in'],
  signout: ['退出', 'Sign out'],
  tokenLabel: ['访问令牌', 'API token'],
  tokenHelp: ['粘贴党委发给您的令牌（以 rfy_ 开头），令牌不会再显示。', 'Paste the token the committee gave you (starts with rfy_); it is not shown again.'],
  navTasks: ['我的任务', 'My tasks'],
  navVerify: ['待验收', 'To verify'],
  navSupervise: ['督查', 'Supervision'],
  navAssign: ['任务分派', 'Assign'],
  live: ['实时', 'Live'],
  offline: ['连接中断，正在重连', 'Reconnecting'],
  loading: ['加载中…', 'Loading…'],
  none: ['暂无', 'None'],
  allTasks: ['全部任务', 'All tasks'],
  activeTasks: ['未销号的任务', 'Not yet closed'],
  noTasks: ['没有任务', 'No tasks'],
  measure: ['整改措施', 'Measure'],
  area: ['方面', 'Area'],
  problem: ['问题', 'Problem'],
  ownerUnit: ['责任单位', 'Owner unit'],
  ownerPerson: ['责任人', 'Responsible person'],
  leader: ['责任领导', 'Responsible leader'],
  deadline: ['整改时限', 'Deadline'],
  cadence: ['报告周期（天）', 'Report every (days)'],
  status: ['状态', 'Status'],
  light: ['预警', 'Light'],
  progress: ['进度', 'Progress'],
  latestProgress: ['最新进展', 'Latest progress'],
  overdue: ['逾期', 'Overdue'],
  draft: ['草稿', 'Draft'],
  open: ['查看', 'Open'],
  history: ['历史记录', 'History'],
  events: ['事件', 'Events'],
  reports: ['进展反馈', 'Progress reports'],
  extensions: ['延期申请', 'Extension requests'],
  evidence: ['证明材料', 'Evidence'],
  download: ['下载', 'Download'],
  systemActor: ['系统（定时任务）', 'the system (scheduler)'],
  evidenceLimit: ['每个文件不超过 {mb} MiB，最多 10 个', 'At most {mb} MiB per file, 10 files'],
  download: ['下载', 'Download'],
  reportProgress: ['进展反馈', 'Report progress'],
  progressText: ['进展情况', 'What was done'],
  percent: ['完成进度（%）', 'Percent done'],
  submitReport: ['提交反馈', 'Send report'],
  submitTask: ['申请销号', 'Submit for close-out'],
  summary: ['完成情况', 'Completion summary'],
  requestExtension: ['申请延期', 'Request an extension'],
  requestedDeadline: ['申请延至', 'New deadline'],
  reason: ['理由', 'Reason'],
  send: ['提交', 'Submit'],
  accept: ['销号', 'Accept (close out)'],
  acceptNote: ['验收意见', 'Verification note'],
  returnTask: ['退回', 'Return'],
  returnReason: ['退回原因', 'Reason for return'],
  urge: ['催办', 'Urge'],
  urgeNote: ['催办意见', 'What to do'],
  approve: ['批准', 'Approve'],
  deny: ['不批准', 'Deny'],
  decisionNote: ['审批意见', 'Decision note'],
  pendingExtensions: ['待审批的延期申请', 'Pending extension requests'],
  queue: ['待验收任务', 'Submitted tasks'],
  queueEmpty: ['没有待验收的任务', 'Nothing waiting for verification'],
  createTask: ['新建任务', 'Create a task'],
  review: ['检视', 'Review'],
  chooseReview: ['请选择检视', 'Choose a review'],
  chooseProblem: ['请选择问题', 'Choose a problem'],
  chooseUnit: ['请选择单位', 'Choose a unit'],
  create: ['新建', 'Create'],
  importTitle: ['导入检视材料', 'Import a review document'],
  importDoc: ['检视材料（粘贴文本）', 'Review document (paste the text)'],
  importFile: ['或选择文本文件', 'or choose a text file'],
  fileName: ['文件名', 'File name'],
  preview: ['预览', 'Preview'],
  doImport: ['导入', 'Import'],
  importUnit: ['召开单位', 'Unit that held it'],
  warnings: ['提示', 'Warnings'],
  causes: ['根源剖析', 'Root causes'],
  measures: ['整改措施', 'Measures'],
  drafts: ['待分派的草稿任务', 'Draft tasks to assign'],
  noDrafts: ['没有待分派的草稿', 'No drafts to assign'],
  assign: ['分派', 'Assign'],
  imported: ['已导入：检视 {id}，{n} 个草稿任务', 'Imported: review {id}, {n} draft tasks'],
  dashboard: ['红黄绿灯看板', 'Warning-light dashboard'],
  unit: ['单位', 'Unit'],
  total: ['总数', 'Total'],
  closed: ['已销号', 'Closed'],
  closedOnTime: ['按期销号', 'On time'],
  inProgress: ['整改中', 'In progress'],
  submitted: ['待验收', 'Submitted'],
  ongoing: ['长期坚持', 'Ongoing'],
  cancelled: ['已撤销', 'Cancelled'],
  completionRate: ['整改完成率', 'Completion rate'],
  onTimeRate: ['按期完成率', 'On-time rate'],
  red: ['红灯', 'Red'],
  yellow: ['黄灯', 'Yellow'],
  green: ['绿灯', 'Green'],
  activeOnTime: ['整改中（未逾期）', 'Under way, on time'],
  unitTaskList: ['本单位及下级的任务', 'Tasks of this unit and below'],
  overdueList: ['逾期清单', 'Overdue tasks'],
  daysOverdue: ['逾期天数', 'Days overdue'],
  aging: ['账龄', 'Aging'],
  escalation: ['督办', 'Escalation'],
  asOf: ['截至 {d}', 'As of {d}'],
  chart: ['各单位整改进度', 'Progress by unit'],
  exportCsv: ['下载整改台账（CSV）', 'Download the ledger (CSV)'],
  exportXlsx: ['下载报送工作簿（Excel）', 'Download the workbook (Excel)'],
  unitTasks: ['{u} 的任务', 'Tasks of {u}'],
  allUnits: ['全部单位', 'All units'],
  back: ['返回', 'Back'],
  actor: ['操作人', 'By'],
  time: ['时间', 'Time'],
  saved: ['已保存', 'Saved'],
  notFound: ['页面不存在', 'No such page'],
  statusNote: ['说明', 'Note'],
  returnedBecause: ['已退回：{r}', 'Returned: {r}'],
  urgedBecause: ['催办：{r}', 'Urged: {r}'],
  fileTooBig: ['文件“{f}”超过 {mb} MiB 的上限', 'File "{f}" exceeds the {mb} MiB limit'],
  tooManyFiles: ['每次最多附 10 个证明材料', 'At most 10 evidence files at a time'],
  signedInAs: ['{n}（{u}，{r}）', '{n} ({u}, {r})'],
  sessionExpired: ['登录已失效，请重新登录', 'Your session ended; sign in again'],
  lastUpdate: ['更新于 {t}', 'Updated {t}'],
  // 通知渠道 (#/notify)
  navNotify: ['通知渠道', 'Notifications'],
  channels: ['通知渠道', 'Channels'],
  noChannels: ['还没有通知渠道', 'No channels yet'],
  readOnlyChannels: ['通知渠道由党委设置，此处只能查看。', 'The committee sets the channels; here they can only be read.'],
  addChannel: ['添加通知渠道', 'Add a channel'],
  channelName: ['名称', 'Name'],
  channelNameHelp: ['如“二支部工作群”，1-50 个字', 'e.g. "二支部工作群", 1-50 characters'],
  channelKind: ['类型', 'Kind'],
  channelUnit: ['所属单位', 'Unit'],
  channelAddress: ['地址', 'Address'],
  hasSecret: ['已设密钥', 'secret set'],
  webhookUrl: ['Webhook 地址', 'Webhook URL'],
  webhookHelp: ['群机器人的完整 Webhook 地址（含 key），保存后只显示脱敏地址。', 'The robot\'s whole webhook URL (with its key); once saved only a redacted address is shown.'],
  smtpUrl: ['SMTP 服务器', 'SMTP server'],
  smtpHelp: ['smtp://主机:端口 或 smtps://主机:端口，保存后只显示脱敏地址。', 'smtp://host:port or smtps://host:port; once saved only a redacted address is shown.'],
  signSecret: ['加签密钥（可选）', 'Signing secret (optional)'],
  signHelp: ['钉钉、飞书机器人开启“加签”时填写；企业微信不需要。保存后不再显示。', 'For a DingTalk or Feishu robot with signed requests; WeCom needs none. Never shown again.'],
  smtpPassword: ['SMTP 密码（可选）', 'SMTP password (optional)'],
  smtpPasswordHelp: ['保存后不再显示。', 'Never shown again.'],
  smtpUser: ['SMTP 用户名', 'SMTP user'],
  mailFrom: ['发件人', 'From'],
  mailTo: ['收件人（多个用逗号或换行分隔）', 'To (separate with commas or new lines)'],
  supervisionCopy: ['督办抄送', 'Supervision copy'],
  supervisionHelp: ['同时接收各单位的二级督办（超期督办）通知，供督查室使用。', 'Also receives every unit\'s level 2 escalations: for the supervisors\' office.'],
  messageLang: ['消息语言', 'Message language'],
  channelState: ['状态', 'State'],
  channelOn: ['启用', 'Enabled'],
  channelOff: ['停用', 'Disabled'],
  enable: ['启用', 'Enable'],
  disable: ['停用', 'Disable'],
  testChannel: ['测试', 'Test'],
  testing: ['发送中…', 'Sending…'],
  deleteChannel: ['删除', 'Delete'],
  confirmDelete: ['删除通知渠道“{n}”及其发送记录？', 'Delete the channel "{n}" and its deliveries?'],
  delivered: ['已送达', 'Delivered'],
  notDelivered: ['未送达', 'Not delivered'],
  channelCreated: ['已添加通知渠道“{n}”', 'Channel "{n}" added'],
  failuresInRow: ['连续失败', 'Failures in a row'],
  lastError: ['最近错误', 'Last error'],
  lastSuccess: ['最近成功', 'Last success'],
  actions: ['操作', 'Actions'],
  yes: ['是', 'Yes'],
  deliveryStatus: ['发送情况', 'Deliveries'],
  pending: ['待发送', 'Pending'],
  sent: ['已发送', 'Sent'],
  failed: ['失败', 'Failed'],
  latestDeliveries: ['最近的通知', 'Latest deliveries'],
  failedOnly: ['只看失败', 'Failed only'],
  noDeliveries: ['没有发送记录', 'No deliveries'],
  noFailedDeliveries: ['没有发送失败的通知', 'No failed deliveries'],
  topic: ['通知', 'Notice'],
  task: ['任务', 'Task'],
  attempts: ['尝试次数', 'Attempts'],
  sentOrNext: ['发送时间 / 下次尝试', 'Sent / next attempt'],
  refresh: ['刷新', 'Refresh'],
};

export function t(key, vars) {
  const pair = T[key];
  let s = pair ? pair[lang === 'en' ? 1 : 0] : key;
  if (vars) {
    for (const [k, v] of Object.entries(vars)) s = s.split(`{${k}}`).join(String(v));
  }
  return s;
}

const STATUS = {
  OPEN: ['待整改', 'open'],
  IN_PROGRESS: ['整改中', 'in progress'],
  SUBMITTED: ['待验收', 'submitted'],
  CLOSED: ['已销号', 'closed'],
  ONGOING: ['长期坚持', 'ongoing'],
  CANCELLED: ['已撤销', 'cancelled'],
};
const LIGHT = {RED: ['红灯', 'red'], YELLOW: ['黄灯', 'yellow'], GREEN: ['绿灯', 'green']};
const ROLE = {COMMITTEE: ['党委', 'committee'], BRANCH: ['支部', 'branch'], SUPERVISOR: ['督查', 'supervisor']};
const EXTENSION = {
  EXTENSION_PENDING: ['待审批', 'pending'],
  EXTENSION_APPROVED: ['已批准', 'approved'],
  EXTENSION_DENIED: ['未批准', 'denied'],
  EXTENSION_WITHDRAWN: ['已撤回', 'withdrawn'],
};
const EVENT = {
  EVENT_CREATED: ['创建', 'created'],
  EVENT_TRANSITION: ['状态变更', 'transition'],
  EVENT_PROGRESS: ['进展反馈', 'progress'],
  EVENT_EXTENSION_REQUESTED: ['延期申请', 'extension requested'],
  EVENT_EXTENSION_DECIDED: ['延期审批', 'extension decided'],
  EVENT_FLAG_RAISED: ['预警', 'flag raised'],
  EVENT_FLAG_CLEARED: ['解除预警', 'flag cleared'],
  EVENT_URGED: ['催办', 'urged'],
  EVENT_UPDATED: ['修改', 'updated'],
};
const AGING = {
  AGING_1_TO_7_DAYS: ['1-7天', '1-7 days'],
  AGING_8_TO_30_DAYS: ['8-30天', '8-30 days'],
  AGING_31_TO_90_DAYS: ['31-90天', '31-90 days'],
  AGING_OVER_90_DAYS: ['90天以上', 'over 90 days'],
};
const ESCALATION = [['无', 'none'], ['一级督办', 'level 1'], ['二级督办', 'level 2']];
const CHANNEL_KIND = {
  WECOM: ['企业微信', 'WeCom'],
  DINGTALK: ['钉钉', 'DingTalk'],
  FEISHU: ['飞书', 'Feishu'],
  EMAIL: ['邮件', 'Mail'],
};
const DELIVERY = {PENDING: ['待发送', 'pending'], SENT: ['已发送', 'sent'], FAILED: ['失败', 'failed']};
// GetNotifyStatus's topic codes, in the words of the messages' titles (notify/dispatch/render.cc).
const TOPIC = {
  reminder: ['到期提醒', 'reminder'],
  due_soon: ['临期预警', 'due soon'],
  behind_schedule: ['进度滞后', 'behind schedule'],
  overdue: ['逾期督办', 'overdue'],
  escalated: ['超期督办', 'escalated'],
  checkpoint_missed: ['未按期报告', 'report missed'],
  urged: ['催办', 'urged'],
  returned: ['退回', 'returned'],
  closed: ['销号', 'closed out'],
  extension_decided: ['延期审批', 'extension decided'],
  digest: ['每日汇总', 'daily digest'],
};

function pick(table, key) {
  const pair = table[key];
  if (!pair) return '—';
  return pair[lang === 'en' ? 1 : 0];
}

export const label = {
  status: (s) => pick(STATUS, s),
  light: (l) => pick(LIGHT, l),
  role: (r) => pick(ROLE, r),
  extension: (s) => pick(EXTENSION, s),
  event: (k) => pick(EVENT, k),
  aging: (a) => pick(AGING, a),
  escalation: (n) => pick(ESCALATION, Number(n) || 0),
  channelKind: (k) => pick(CHANNEL_KIND, k),
  delivery: (s) => pick(DELIVERY, s),
  topic: (code) => (TOPIC[code] ? pick(TOPIC, code) : code || '—'),
};

// "65.0%" or "—" when the rate is absent (no task to divide by), as the CLI prints it.
export function rate(value) {
  if (value === undefined || value === null) return '—';
  return `${(Number(value) * 100).toFixed(1)}%`;
}
