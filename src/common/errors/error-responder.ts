import { Injectable } from '@nestjs/common';
import { ErrorRenderer, ProblemInfo } from './error-body.js';

/**
 * Chooses the error envelope by path. The default is {code, message, requestId}; a module whose callers
 * expect another envelope (VietQR's callbacks) registers a renderer for its path prefix at start-up.
 */
@Injectable()
export class ErrorResponder {
  private readonly renderers: Array<{ prefix: string; render: ErrorRenderer }> = [];

  register(prefix: string, render: ErrorRenderer): void {
    this.renderers.push({ prefix, render });
    // Longest prefix first, so a nested mount wins over its parent.
    this.renderers.sort((a, b) => b.prefix.length - a.prefix.length);
  }

  render(path: string, problem: ProblemInfo, requestId: string): { status: number; body: unknown } {
    const pathname = path.split('?')[0].replace(/\/{2,}/g, '/');
    const match = this.renderers.find((r) => pathname === r.prefix || pathname.startsWith(`${r.prefix}/`));
    if (match) return match.render(problem, requestId);
    const body: Record<string, unknown> = { code: problem.code, message: problem.message, requestId };
    if (problem.details) body.details = problem.details;
    return { status: problem.status, body };
  }
}
