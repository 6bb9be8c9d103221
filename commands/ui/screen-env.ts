/**
 * Ready this process to draw a screen with ink at a person's terminal.
 *
 * ink draws only its last frame, on exit, when the environment names a CI system (`CI`,
 * `CONTINUOUS_INTEGRATION`; read once, as ink loads). som draws screens only when stdin and
 * stdout are a terminal, where someone waits on every frame, so those names are dropped from
 * this process before ink loads. Call before the first import of ink.
 */
export function readyForScreen(): void {
  delete process.env.CI;
  delete process.env.CONTINUOUS_INTEGRATION;
}
