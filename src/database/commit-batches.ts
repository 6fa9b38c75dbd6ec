/** What became of one item of a batch: its own result or error, or `deferred` to a later batch. */
export type BatchOutcome<R> = { result: R } | { error: unknown } | 'deferred';

/**
 * run()'s answer, an outcome per item. An outcome may still be on its way (an item of a failed batch
 * running alone): that item is answered when it arrives, the others do not wait for it.
 */
export type BatchOutcomes<R> = Array<BatchOutcome<R> | Promise<BatchOutcome<R>>>;

interface Waiting<I, R> {
  item: I;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

/**
 * Groups concurrent requests' writes into shared database transactions (group commit): callbacks' credits,
 * new payments and their QR. No timer: an item arriving while fewer than `concurrency` batches run starts
 * one on the next turn of the event loop, with whatever else arrived by then; items arriving while all run
 * wait for the next to start. So a lone item waits for nothing, and under load a batch carries what queued
 * during the one before. Each item is answered with its own outcome once its batch has ended (committed,
 * for a result); a deferred item goes to the front of the queue.
 */
export class CommitBatches<I, R> {
  private readonly queue: Array<Waiting<I, R>> = [];
  private running = 0;
  private scheduled = false;

  constructor(
    private readonly size: number,
    private readonly concurrency: number,
    private readonly run: (items: I[]) => Promise<BatchOutcomes<R>>,
  ) {}

  submit(item: I): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.running >= this.concurrency || this.queue.length === 0) return;
    this.scheduled = true;
    // setImmediate, not a microtask: the requests whose bodies arrived in the same read join this batch.
    setImmediate(() => {
      this.scheduled = false;
      while (this.running < this.concurrency && this.queue.length > 0) {
        void this.start(this.queue.splice(0, this.size));
      }
    });
  }

  private async start(batch: Array<Waiting<I, R>>): Promise<void> {
    this.running++;
    let outcomes: BatchOutcomes<R>;
    try {
      outcomes = await this.run(batch.map((w) => w.item));
    } catch (error) {
      // run() answers each item itself; an error here is a defect of its own, reported to every item.
      outcomes = batch.map(() => ({ error }));
    }
    const deferred: Array<Waiting<I, R>> = [];
    batch.forEach((waiting, i) => {
      const outcome = outcomes[i] ?? { error: new Error('batch gave no outcome for an item') };
      if (outcome === 'deferred') deferred.push(waiting);
      else void Promise.resolve(outcome).then((o) => this.answer(waiting, o));
    });
    this.queue.unshift(...deferred);
    this.running--;
    this.schedule();
  }

  private answer(waiting: Waiting<I, R>, outcome: BatchOutcome<R>): void {
    if (outcome === 'deferred') {
      this.queue.unshift(waiting);
      this.schedule();
    } else if ('result' in outcome) waiting.resolve(outcome.result);
    else waiting.reject(outcome.error);
  }
}
