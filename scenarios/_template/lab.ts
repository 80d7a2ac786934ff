/**
 * The facts of this lab that the stack, the arming step, the checker and the
 * clean-up share. Keep names and constants here, so no part repeats another.
 */

/** The report the nightly job overwrites. */
export const REPORT_KEY = 'reports/daily.csv';
