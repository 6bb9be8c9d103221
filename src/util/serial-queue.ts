/**
 * Work that must not interleave (writes to one account's rows, alert updates keyed on the same
 * condition) runs through one queue, one job at a time, in the order it was handed in.
 *
 * A job that fails does not stop the jobs behind it: its rejection reaches the caller of
 * {@link SerialQueue.run} and nobody else, so the queue itself can never produce an unhandled
 * rejection.
 */
export class SerialQueue {
  #tail: Promise<void> = Promise.resolve();
  #pending = 0;

  /** Jobs handed in and not yet finished (the one running included). */
  get pending(): number {
    return this.#pending;
  }

  /**
   * Run `work` after every job handed in before it has finished, successfully or not.
   * Resolves or rejects with `work`'s own outcome.
   */
  run<T>(work: () => Promise<T> | T): Promise<T> {
    this.#pending++;
    const job = this.#tail.then(work).finally(() => {
      this.#pending--;
    });
    // The chain continues whatever the job's outcome; the outcome itself goes to the caller only.
    this.#tail = job.then(
      () => undefined,
      () => undefined,
    );
    return job;
  }

  /** Resolves once no job is pending, including jobs handed in while it waits. Never rejects. */
  async idle(): Promise<void> {
    for (;;) {
      const tail = this.#tail;
      await tail;
      if (tail === this.#tail && this.#pending === 0) return;
    }
  }
}
