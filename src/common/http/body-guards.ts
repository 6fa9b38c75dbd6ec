import type { Socket } from 'node:net';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppException } from '../errors/app.exception.js';
import { ErrorCode } from '../errors/error-code.js';

const JSON_TYPE = 'application/json';
// Connections whose request body is being thrown away after an early error answer.
const draining = new WeakSet<Socket>();

/** The answer to a form post: every body we take is JSON, so say so instead of validating form fields. */
export function unsupportedMediaType(received: string | undefined): AppException {
  const type = received?.split(';')[0].trim() || undefined;
  return new AppException(
    ErrorCode.UnsupportedMediaType,
    `Content-Type must be ${JSON_TYPE}${type ? `, got ${type}` : ''}`,
    { expected: JSON_TYPE, received: type ?? null },
  );
}

/**
 * An error answered before the body was read (too large, wrong type, malformed) makes Fastify close the
 * connection at once; the client, still sending, then often gets a reset instead of the answer. The rest of
 * the body is read and thrown away instead, up to drainLimitBytes (then the socket is cut), and the
 * connection stays usable; a body that never ends is cut by the request timeout.
 */
export function installBodyDrain(fastify: FastifyInstance, drainLimitBytes: number): void {
  fastify.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    const raw = request.raw;
    if (raw.complete || reply.statusCode < 400) return payload;
    reply.removeHeader('connection');
    draining.add(raw.socket);
    let drained = 0;
    raw.on('data', (chunk: Buffer) => {
      drained += chunk.length;
      if (drained > drainLimitBytes) raw.socket.destroy();
    });
    raw.resume();
    return payload;
  });
}

/**
 * Errors Node raises on the connection itself, before any route runs. A request whose head or body does not
 * arrive within REQUEST_TIMEOUT_MS answers 408 in our error shape, then the connection is closed.
 */
export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  // Answered already; the rest of its body was being read: just cut it.
  if (draining.has(socket)) {
    socket.destroy(error);
    return;
  }
  let head: string;
  let body: string;
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    head = '408 Request Timeout';
    body = JSON.stringify({
      code: ErrorCode.RequestTimeout,
      message: 'The request did not arrive within the request timeout',
    });
  } else if (error.code === 'HPE_HEADER_OVERFLOW') {
    head = '431 Request Header Fields Too Large';
    body =
      '{"error":"Request Header Fields Too Large","message":"Exceeded maximum allowed HTTP header size","statusCode":431}';
  } else {
    head = '400 Bad Request';
    body = '{"error":"Bad Request","message":"Client Error","statusCode":400}';
  }
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${head}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Connection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}
