export const CATALOG_FILE_NAMES = ['foggy.yml', 'foggy.yaml'];
export const DEFAULT_CHECK_TIMEOUT_MS = 5_000;
export const DEFAULT_ACTION_TIMEOUT_MS = 10 * 60_000;
export const DEFAULT_MIRROR_BUDGET_MS = 3_000;
export const DEFAULT_WATCH = {intervalMs: 60_000, downAfter: 3, upAfter: 2, remindMs: 30 * 60_000, flapping: {changes: 6, windowMs: 10 * 60_000}, graceAfterActionMs: 2 * 60_000};
/** How long a chat confirmation's buttons stay open. */
export const DEFAULT_CONFIRM_WITHIN_MS = 5 * 60_000;
