/** Deepest JSON nesting a request body may have. Legitimate bodies are 1-3 levels; metadata is small. */
export const MAX_JSON_DEPTH = 32;

/**
 * True when the parsed value nests deeper than `max` arrays/objects. Iterative, so a hostile body cannot
 * overflow the stack here (class-transformer, which validation runs later, recurses and would).
 */
export function exceedsJsonDepth(value: unknown, max = MAX_JSON_DEPTH): boolean {
  const stack: Array<{ node: unknown; depth: number }> = [{ node: value, depth: 0 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (depth + 1 > max) return true;
    for (const child of Array.isArray(node) ? node : Object.values(node as Record<string, unknown>)) {
      if (child !== null && typeof child === 'object') stack.push({ node: child, depth: depth + 1 });
    }
  }
  return false;
}
