import { BatchOutcome, CommitBatches, togetherOrAlone } from './commit-batches.js';

/** A run() that records each batch and ends it when told. */
function controlledRun() {
  const batches: Array<{ items: number[]; end: (outcomes?: Array<BatchOutcome<string>>) => void }> = [];
  const run = (items: number[]) =>
    new Promise<Array<BatchOutcome<string>>>((resolve) => {
      batches.push({
        items,
        end: (outcomes) => resolve(outcomes ?? items.map((i) => ({ result: `r${i}` }))),
      });
    });
  return { batches, run };
}

// Two turns of the event loop: what an ended batch schedules (its answers, then the next batch) has run.
const turn = async () => {
  for (let i = 0; i < 2; i++) await new Promise((resolve) => setImmediate(resolve));
};

describe(CommitBatches.name, () => {
  it('starts a lone item at once, and sends what queued meanwhile as the next batch', async () => {
    const { batches, run } = controlledRun();
    const batcher = new CommitBatches(16, 1, run);
    const first = batcher.submit(1);
    await turn();
    expect(batches.map((b) => b.items)).toEqual([[1]]);
    const rest = [2, 3, 4].map((i) => batcher.submit(i));
    await turn();
    expect(batches).toHaveLength(1);
    batches[0].end();
    expect(await first).toBe('r1');
    await turn();
    expect(batches.map((b) => b.items)).toEqual([[1], [2, 3, 4]]);
    batches[1].end();
    expect(await Promise.all(rest)).toEqual(['r2', 'r3', 'r4']);
  });

  it('runs up to `concurrency` batches of at most `size` items', async () => {
    const { batches, run } = controlledRun();
    const batcher = new CommitBatches(2, 2, run);
    const answers = [1, 2, 3, 4, 5].map((i) => batcher.submit(i));
    await turn();
    expect(batches.map((b) => b.items)).toEqual([
      [1, 2],
      [3, 4],
    ]);
    batches[1].end();
    await turn();
    expect(batches.map((b) => b.items)).toEqual([[1, 2], [3, 4], [5]]);
    batches[0].end();
    batches[2].end();
    expect(await Promise.all(answers)).toEqual(['r1', 'r2', 'r3', 'r4', 'r5']);
  });

  it('answers each item with its own outcome, and puts a deferred one first in the next batch', async () => {
    const { batches, run } = controlledRun();
    const batcher = new CommitBatches(16, 1, run);
    const answers = [1, 2, 3].map((i) => batcher.submit(i).catch((e: Error) => `error ${e.message}`));
    await turn();
    const later = batcher.submit(4);
    batches[0].end([{ result: 'r1' }, { error: new Error('two failed') }, 'deferred']);
    await turn();
    expect(batches[1].items).toEqual([3, 4]);
    batches[1].end();
    expect(await Promise.all([...answers, later])).toEqual(['r1', 'error two failed', 'r3', 'r4']);
  });

  it('answers an item whose outcome is still on its way when it arrives, without holding the others', async () => {
    let arrive: (o: BatchOutcome<string>) => void = () => undefined;
    const pending = new Promise<BatchOutcome<string>>((resolve) => (arrive = resolve));
    const batcher = new CommitBatches<number, string>(16, 1, async () => [{ result: 'r1' }, pending]);
    const [first, second] = [batcher.submit(1), batcher.submit(2)];
    expect(await first).toBe('r1');
    const third = batcher.submit(3);
    let secondDone = false;
    void second.then(() => (secondDone = true));
    expect(await third).toBe('r1'); // the next batch ran while the second item was still on its way
    expect(secondDone).toBe(false);
    arrive({ result: 'r2' });
    expect(await second).toBe('r2');
  });

  it('rejects every item of a batch whose run itself throws', async () => {
    const batcher = new CommitBatches<number, string>(16, 1, () => Promise.reject(new Error('broken')));
    await expect(Promise.all([batcher.submit(1), batcher.submit(2)])).rejects.toThrow('broken');
  });
});

describe(togetherOrAlone.name, () => {
  function work(failBatch: boolean) {
    const calls = { together: [] as number[][], alone: [] as number[], failed: [] as number[] };
    const run = togetherOrAlone<number, string>({
      together: async (items) => {
        calls.together.push(items);
        if (failBatch) throw new Error('batch failed');
        return items.map((i) => ({ result: `t${i}` }));
      },
      alone: async (item) => {
        calls.alone.push(item);
        if (item === 2) throw new Error('item 2 failed');
        return `a${item}`;
      },
      failed: (_error, size) => void calls.failed.push(size),
    });
    return { calls, run };
  }

  it('runs a lone item alone, never as a batch', async () => {
    const { calls, run } = work(false);
    expect(await run([5])).toEqual([{ result: 'a5' }]);
    expect(calls).toEqual({ together: [], alone: [5], failed: [] });
  });

  it('runs a batch together when it succeeds', async () => {
    const { calls, run } = work(false);
    expect(await run([1, 2, 3])).toEqual([{ result: 't1' }, { result: 't2' }, { result: 't3' }]);
    expect(calls.alone).toEqual([]);
  });

  it('runs each item of a failed batch alone, each with its own outcome', async () => {
    const { calls, run } = work(true);
    const outcomes = await Promise.all((await run([1, 2, 3])).map((o) => Promise.resolve(o)));
    expect(outcomes).toEqual([{ result: 'a1' }, { error: new Error('item 2 failed') }, { result: 'a3' }]);
    expect(calls).toEqual({ together: [[1, 2, 3]], alone: [1, 2, 3], failed: [3] });
  });
});
