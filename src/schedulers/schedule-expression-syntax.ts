/**
 * The parse tree of a schedule expression: mathjs's node kinds, with each node's place in the text
 * so a refusal can quote the culprit. Syntax a schedule may never use (assignments, matrices,
 * ranges...) is still parsed, as mathjs parses it, and kept as a 'refused' node, so the message
 * names what the user wrote rather than a parse error.
 */
interface Span {
  /** Offsets into the expression: text.slice(start, end) is the node as written. */
  readonly start: number;
  readonly end: number;
}

export type SyntaxNode = Span & (
  | { readonly kind: 'number'; readonly value: number }
  /** A constant that is not a number: a string, true, false, null, undefined. */
  | { readonly kind: 'constant'; readonly value: string | boolean | null | undefined }
  | { readonly kind: 'symbol'; readonly name: string }
  | { readonly kind: 'parenthesis'; readonly content: SyntaxNode }
  /** op as written, fn as mathjs names it (unaryMinus, add, factorial...); percentage marks "50%". */
  | { readonly kind: 'operator'; readonly op: string; readonly fn: string; readonly args: readonly SyntaxNode[]; readonly percentage?: boolean }
  | { readonly kind: 'conditional'; readonly condition: SyntaxNode; readonly whenTrue: SyntaxNode; readonly whenFalse: SyntaxNode }
  /** A chained comparison, 0 < t < 1: fns[i] compares params[i] and params[i + 1]. */
  | { readonly kind: 'relational'; readonly fns: readonly string[]; readonly params: readonly SyntaxNode[] }
  | { readonly kind: 'call'; readonly callee: SyntaxNode; readonly args: readonly SyntaxNode[] }
  /**
   * what: 'an assignment', 'a matrix or array', ...; children: its parts, counted but never run
   * (an index or property access keeps its object first); optional: reached with '?.'.
   */
  | { readonly kind: 'refused'; readonly what: string; readonly children: readonly SyntaxNode[]; readonly optional?: boolean }
);

export function children(node: SyntaxNode): readonly SyntaxNode[] {
  switch (node.kind) {
    case 'parenthesis': return [node.content];
    case 'operator': return node.args;
    case 'conditional': return [node.condition, node.whenTrue, node.whenFalse];
    case 'relational': return node.params;
    case 'call': return [node.callee, ...node.args];
    case 'refused': return node.children;
    default: return [];
  }
}

/** Nodes as mathjs's traverse counts them: every node, a shared one once per place it appears. */
export function countNodes(node: SyntaxNode): number {
  return children(node).reduce((sum, child) => sum + countNodes(child), 1);
}

/** mathjs's ConstantNode: what "2/3 x" and "5 in" look at. */
export const isConstant = (node: SyntaxNode): boolean => node.kind === 'number' || node.kind === 'constant';
