import type { PGLiteSocketServer } from '@electric-sql/pglite-socket';

// pglite-socket 0.2.17 serves all connections from ONE PGlite session through a queue of protocol
// messages, keeping a connection's messages together only inside a SQL transaction. Outside one, the
// Parse/Bind/Execute/Sync of two connections' parameterised queries interleave (one binds the other's
// unnamed statement), and after one failed message the queue stops for good (electric-sql/pglite#1046).
// This replaces its scheduler: a connection keeps the session from its first extended-protocol message
// up to its Sync, and a failure fails that message only.

interface QueuedMessage {
  handlerId: number;
  message: Uint8Array;
  resolve(bytes: number): void;
  reject(error: unknown): void;
  onData(data: Uint8Array): void;
}

interface SessionQueue {
  queue: QueuedMessage[];
  processing: boolean;
  lastHandlerId: number | null;
  db: {
    isInTransaction(): boolean;
    runExclusive<T>(fn: () => Promise<T>): Promise<T>;
    execProtocolRawStream(
      message: Uint8Array,
      options: { onRawData(data: Uint8Array): void },
    ): Promise<unknown>;
  };
  processQueue(): Promise<void>;
  clearQueueForHandler(handlerId: number): void;
}

// Parse, Bind, Describe, Execute, Close, Flush: a batch is open until Sync ('S').
const EXTENDED = new Set([0x50, 0x42, 0x44, 0x45, 0x43, 0x48]);
const SYNC = 0x53;

export function serialiseSessionPerBatch(server: PGLiteSocketServer): void {
  const q = (server as unknown as { queryQueue?: SessionQueue }).queryQueue;
  if (!q || !Array.isArray(q.queue) || typeof q.processQueue !== 'function') return;
  let pinned: number | null = null;

  q.processQueue = async function processQueue(this: SessionQueue): Promise<void> {
    if (this.processing || this.queue.length === 0) return;
    this.processing = true;
    try {
      while (this.queue.length > 0) {
        const owner = pinned ?? (this.db.isInTransaction() ? this.lastHandlerId : null);
        const index = owner === null ? 0 : this.queue.findIndex((m) => m.handlerId === owner);
        if (index === -1) break; // the owner's next message will restart the queue
        const [item] = this.queue.splice(index, 1);
        const type = item.message[0];
        if (EXTENDED.has(type)) pinned = item.handlerId;
        else if (type === SYNC) pinned = null;
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
          item.reject(error);
          continue;
        }
        this.lastHandlerId = item.handlerId;
        item.resolve(bytes);
      }
    } finally {
      this.processing = false;
    }
  }.bind(q);

  const clear = q.clearQueueForHandler.bind(q);
  q.clearQueueForHandler = (handlerId: number) => {
    clear(handlerId);
    if (pinned === handlerId) {
      pinned = null;
      void q.processQueue();
    }
  };
}
