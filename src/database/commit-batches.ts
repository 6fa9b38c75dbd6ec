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

/** What a user of CommitBatches does with a batch, and with an item on its own. */
export interface BatchWork<I, R> {
  /** Two or more items in one transaction; throws when the batch failed as a whole. */
  together(items: I[]): Promise<BatchOutcomes<R>>;
  /** One item in a transaction of its own: a lone item, and each item of a failed batch. */
  alone(item: I): Promise<R>;
  /** Told each batch's size as it starts. */
  started?(size: number): void;
  /** Told of a batch that failed, before its items run alone. */
  failed?(error: unknown, size: number): void;
}

/**
 * CommitBatches' run for `work`: a lone item runs alone; a batch runs together, and if it fails, each of its
 * items runs alone, exactly as without batching, answered as soon as its own transaction ends (outside the
 * batch's slot). One item's failure is never another's, and delays the others by one attempt.
 */
export function togetherOrAlone<I, R>(work: BatchWork<I, R>): (items: I[]) => Promise<BatchOutcomes<R>> {
  const alone = (item: I): Promise<BatchOutcome<R>> =>
    work.alone(item).then(
      (result) => ({ result }),
      (error: unknown) => ({ error }),
    );
  return async (items) => {
    work.started?.(items.length);
    if (items.length === 1) return [await alone(items[0])];
    try {
      return await work.together(items);
    } catch (error) {
      work.failed?.(error, items.length);
    }
    return items.map(alone);
  };
}
