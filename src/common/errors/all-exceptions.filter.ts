import { ArgumentsHost, Catch, ExceptionFilter, Injectable, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ErrorResponder } from './error-responder.js';
import { toProblem } from './problem.js';

/** The one exception filter: every error leaves as a coded body in its route's envelope. */
@Catch()
@Injectable()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  constructor(private readonly responder: ErrorResponder) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    sendProblem(this.responder, this.logger, exception, request, reply);
  }
}

function sendProblem(
  responder: ErrorResponder,
  logger: Logger,
  exception: unknown,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  const problem = toProblem(exception);
  if (problem.unexpected) {
    logger.error(
      { err: exception, reqId: request.id },
      `Unhandled error on ${request.method} ${request.url}`,
    );
  } else if (problem.status >= 500) {
    logger.warn({ reqId: request.id, code: problem.code, err: exception }, problem.message);
  }
  if (reply.sent) return;
  for (const [name, value] of Object.entries(problem.headers ?? {})) void reply.header(name, value);
  const { status, body } = responder.render(request.url, problem, String(request.id));
  void reply.status(status).header('content-type', 'application/json; charset=utf-8').send(body);
}
