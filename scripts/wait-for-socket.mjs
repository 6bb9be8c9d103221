// For the dev scripts (demo, bench): wait until a freshly spawned somd accepts connections.
import { connect } from 'node:net';

/** Resolves once `path` accepts a connection, trying every 25 ms; throws after `tries` tries. */
export async function waitForSocket(path, tries) {
  for (let i = 0; i < tries; i++) {
    const ok = await new Promise((resolve) => {
      const s = connect(path);
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`somd did not start on ${path}`);
}
