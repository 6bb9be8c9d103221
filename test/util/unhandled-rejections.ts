import { afterEach, beforeEach } from 'vitest';

/**
 * The process's unhandled rejections while each test of the calling suite runs (emptied
 * before each test). A test that promises "nothing rejects unhandled" asserts it stays empty.
 */
export function unhandledRejections(): unknown[] {
  const seen: unknown[] = [];
  const listen = (reason: unknown) => seen.push(reason);
  beforeEach(() => {
    seen.length = 0;
    process.on('unhandledRejection', listen);
  });
  afterEach(() => {
    process.off('unhandledRejection', listen);
  });
  return seen;
}
