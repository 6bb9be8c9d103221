/**
 * Limits of the socket's methods that the command line also states in its help and checks
 * before asking: plain numbers, so the CLI can load them without the schemas.
 */

/** Most rows one `instruments.search` returns, and how many without a limit. */
export const SEARCH_LIMIT_MAX = 200;
export const SEARCH_LIMIT_DEFAULT = 20;

/** Most legs a basket (`costs.calculate`, `margin.calculate`) may have. */
export const BASKET_LEGS_MAX = 50;

/** Most events `audit.list` returns at once, and how many without a limit. */
export const AUDIT_LIMIT_MAX = 10_000;
export const AUDIT_LIMIT_DEFAULT = 50;

/** Most housekeeping events `admin.logs` returns at once, and how many without a limit. */
export const LOGS_LIMIT_MAX = 5000;
export const LOGS_LIMIT_DEFAULT = 100;

/** Most orders `orders.list` returns at once, and how many without a limit. */
export const ORDERS_LIMIT_MAX = 10_000;
export const ORDERS_LIMIT_DEFAULT = 500;
