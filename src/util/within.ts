/** What became of some work given a time limit: its value, or nothing yet. */
export type Within<T> = { done: true; value: T } | { done: false };

/**
 * Wait for `work` at most `ms` milliseconds (no limit when `ms` is Infinity). A rejection that
 * comes in time is rethrown. Past the limit, `work` goes on but its outcome is no longer
 * wanted: it is still caught, so a late failure can never surface as an unhandled rejection.
 * The timer does not keep the process alive.
 */
export async function within<T>(work: Promise<T>, ms: number): Promise<Within<T>> {
  work.catch(() => undefined);
  if (ms === Number.POSITIVE_INFINITY) return { done: true, value: await work };
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<{ done: false }>((resolve) => {
    timer = setTimeout(() => resolve({ done: false }), Math.max(0, ms));
    timer.unref();
  });
  try {
    return await Promise.race([work.then((value) => ({ done: true as const, value })), late]);
  } finally {
    clearTimeout(timer);
  }
}
