import type { PGLiteSocketServer } from '@electric-sql/pglite-socket';

// A PATCH of @electric-sql/pglite-socket's internals (pinned at 0.2.17; pglite-socket-queue.patch.spec.ts
// fails when the code it replaces changes). pglite-socket serves all connections from one PGlite session through a queue of single protocol
// messages. It keeps a connection exclusive only inside a transaction, so two connections' extended-query
// sequences (Parse, Bind, Describe, Execute ... Sync) interleave and one binds the other's statement ("bind
// message supplies 2 parameters, but prepared statement requires 9"). And when a message throws, its loop
// returns with `processing` still set, so the queue never runs again. This replaces the loop: a connection also
// stays exclusive from its first extended-protocol message until its Sync, and a failed message does not stop
// the queue.

interface QueuedMessage {
  handlerId: number;
  message: Uint8Array;
  resolve: (bytes: number) => void;
  reject: (error: unknown) => void;
  onData: (data: Uint8Array) => void;
}

interface QueueInternals {
  queue: QueuedMessage[];
  processing: boolean;
  lastHandlerId: number | null;
  db: {
    isInTransaction(): boolean;
    runExclusive<T>(fn: () => Promise<T>): Promise<T>;
    execProtocolRawStream(
      message: Uint8Array,
      options: { onRawData: (data: Uint8Array) => void },
    ): Promise<unknown>;
  };
  processQueue(): Promise<void>;
  clearQueueForHandler(handlerId: number): void;
}

// Frontend message types that open or continue an extended-query sequence; Sync ('S') closes it, and a simple
// Query ('Q') is a complete exchange of its own.
const EXTENDED = new Set(['P', 'B', 'D', 'E', 'C', 'H', 'F']);

export function patchSocketQueue(server: PGLiteSocketServer): void {
  const queue = (server as unknown as { queryQueue: QueueInternals }).queryQueue;
  const midSequence = new Set<number>();

  queue.processQueue = async function processQueue(this: QueueInternals): Promise<void> {
    if (this.processing || this.queue.length === 0) return;
    this.processing = true;
    try {
      while (this.queue.length > 0) {
        const owner = this.lastHandlerId;
        const exclusive = owner !== null && (this.db.isInTransaction() || midSequence.has(owner));
        const index = exclusive ? this.queue.findIndex((m) => m.handlerId === owner) : 0;
        if (index === -1) break; // the owner's next message will restart the loop
        const [item] = this.queue.splice(index, 1);
        const type = String.fromCharCode(item.message[0] ?? 0);
        if (EXTENDED.has(type)) midSequence.add(item.handlerId);
        else if (type === 'S' || type === 'Q') midSequence.delete(item.handlerId);
        let bytes = 0;
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(item.message, {
              onRawData: (data) => {
                bytes += data.length;
                item.onData(data);
              },
            }),
          );
        } catch (error) {
          this.lastHandlerId = item.handlerId;
          item.reject(error);
          continue;
        }
        this.lastHandlerId = item.handlerId;
        item.resolve(bytes);
      }
    } finally {
      this.processing = false;
    }
  };

  const clear = queue.clearQueueForHandler.bind(queue);
  queue.clearQueueForHandler = (handlerId: number) => {
    clear(handlerId);
    // A connection that went away mid-sequence must not keep the others waiting.
    if (midSequence.delete(handlerId)) void queue.processQueue();
  };
}
