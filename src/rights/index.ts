/**
 * Rights capability: what a subject may see of itself (DESIGN rules 5–10) — its own file with the
 * day each record stops counting and may be repaired, what it can do about each key factor, the
 * measures in force with their legal basis, who looked at its file (paged, checks grouped), and the
 * printable report of it in the subject's language. Other capabilities import from here only.
 */
export {
  ACCESS_PAGE_DEFAULT,
  ACCESS_PAGE_MAX,
  type AccessLine,
  type AccessLogPage,
  CHECK_DAYS_PER_PAGE,
  type CheckGroupLine,
  WHO_KINDS,
  type WhoKind,
  whoOf,
} from './access-log.ts';
export { type Advice, adviceFor, type RepairEligibility } from './advice.ts';
export { getOwnHistory, HISTORY_MONTHS, type ScoreHistoryJson } from './history.ts';
export {
  listOwnNotifications,
  markOwnNotificationRead,
  type NotificationJson,
  notificationJson,
} from './notifications.ts';
export {
  getOwnFile,
  type KeyFactorJson,
  type OwnFileDeps,
  type OwnFileInput,
  type OwnFileJson,
  type OwnRecordJson,
  ownFileDeps,
  type RecordVersionJson,
} from './own-file.ts';
export { escapeHtml, type ReportOptions, renderReport } from './report/html.ts';
export {
  chooseLanguage,
  DEFAULT_REPORT_LANGUAGE,
  MESSAGES,
  REPORT_LANGUAGES,
  type ReportLanguage,
} from './report/lang.ts';
