import { parse, type MathNode } from 'mathjs';
import { describe, expect, it } from 'vitest';
import { parseScheduleExpression } from '../src/schedulers/schedule-expression-parser.ts';
import { children, countNodes, type SyntaxNode } from '../src/schedulers/schedule-expression-syntax.ts';

/**
 * Schedules are parsed by our own parser, written after mathjs 15's; mathjs (the reference here,
 * imported by this test only) must agree on every text: the same syntax errors at the same
 * positions, the same tree, and where the tree holds only what a schedule may use, the same node
 * count. (Values are compared in schedule-expression-evaluates-like-mathjs.)
 */

/** Deterministic (mulberry32), so a failure names an expression that fails every run. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6D2B79F5) | 0;
    let r = Math.imul(state ^ (state >>> 15), 1 | state);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}

const NUMBERS = ['1', '0.5', '2', '1e-3', '.5', '3.', '0x1F', '0b11', '0o7', '0x1.8', '0xffi8', '1e', '2e+', '100', '0'];
const NAMES = ['t', 'pi', 'e', 'tau', 'x', 'cos', 'min', 'mod', 'in', 'to', 'and', 'or', 'not', 'xor', 'true', 'NaN', 'Infinity', 'end', 'cm', 'round', 'é', '$x', '@', '\r'];
const PIECES = ['+', '-', '*', '/', '^', '%', '!', '\'', '.*', '.^', '==', '<', '<=', '>=', '!=', '<<', '>>>', '&', '|', '^|', '~', '?', ':', ',', '=', '??', '?.', '.', '(', ')', '(', ')',
  '[', ']', '{', '}', '"s"', '\'\\u0041\'', '"\\q"', ';', '\n', '#c\n', ' ', '  ', '\t'];

function generate(next: () => number): (depth: number) => string {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const junk = (): string => Array.from({ length: 1 + Math.floor(next() * 8) }, () => {
    const r = next();
    return (r < 0.3 ? pick(NUMBERS) : r < 0.6 ? pick(NAMES) : pick(PIECES)) + (next() < 0.4 ? ' ' : '');
  }).join('');
  const expression = (depth: number): string => {
    if (depth <= 0 || next() < 0.25) return pick(['1', '0.5', '2', '1e-3', 't', 't', 'pi', '2t', '3(1 - t)', '50%', 'x']);
    const a = (): string => expression(depth - 1);
    const space = (): string => pick(['', ' ', '  ']);
    switch (Math.floor(next() * 13)) {
      case 0: return `${a()}${space()}${pick(['+', '-', '*', '/', '^', '%', 'mod', '==', '<', '>=', '!=', 'and', 'or', 'xor'])}${space()}${a()}`;
      case 1: return `-${a()}`;
      case 2: return `(${a()})`;
      case 3: return `${pick(['cos', 'exp', 'sqrt', 'floor', 'round', 'log'])}(${a()})`;
      case 4: return `${pick(['min', 'pow', 'mod', 'atan2', 'round'])}(${a()}, ${a()})`;
      case 5: return `${a()} ? ${a()} : ${a()}`;
      case 6: return `${a()}${space()}${a()}`;
      case 7: return `${a()} < ${a()} <= ${a()}`;
      case 8: return `not ${a()}`;
      case 9: return `${pick(['1', '2', '3'])}/${pick(['2', '4'])}${space()}${pick(['t', '(t)', 'pi', 'in'])}`;
      case 10: return `${a()} + ${pick(['10%', '2.5%'])}`;
      case 11: return `${a()}%${space()}${a()}`;
      default: return junk();
    }
  };
  return (depth) => (next() < 0.35 ? junk() : expression(depth));
}

/** mathjs's traverse count, the figure the 200-node limit is about. */
function mathjsNodes(spec: string): number {
  let nodes = 0;
  parse(spec).traverse(() => {
    nodes += 1;
  });
  return nodes;
}

const REFUSED: Readonly<Record<string, string>> = {
  AssignmentNode: 'an assignment', FunctionAssignmentNode: 'a function definition', ArrayNode: 'a matrix or array',
  AccessorNode: 'an index or property access', ObjectNode: 'an object', RangeNode: 'a range', BlockNode: 'several statements',
};

const constant = (value: unknown): string => (typeof value === 'number' ? `n:${value}` : `c:${JSON.stringify(value) ?? 'undefined'}`);

/** Both trees written the same way: kinds, operator fns, percentages, values and names. */
function theirTree(node: MathNode): string {
  const fields = node as MathNode & Record<string, unknown>;
  const list = (nodes: unknown): string => (nodes as MathNode[]).map(theirTree).join(',');
  switch (node.type) {
    case 'ConstantNode': return constant(fields['value']);
    case 'SymbolNode': return `s:${String(fields['name'])}`;
    case 'ParenthesisNode': return `(${theirTree(fields['content'] as MathNode)})`;
    case 'OperatorNode': return `${String(fields['fn'])}${fields['isPercentage'] === true ? '%' : ''}[${list(fields['args'])}]`;
    case 'ConditionalNode': return `?[${list([fields['condition'], fields['trueExpr'], fields['falseExpr']])}]`;
    case 'RelationalNode': return `rel:${(fields['conditionals'] as string[]).join('/')}[${list(fields['params'])}]`;
    case 'FunctionNode': return `call[${list([fields['fn'], ...(fields['args'] as MathNode[])])}]`;
    default: return `refused:${REFUSED[node.type] ?? node.type}`;
  }
}

function ourTree(node: SyntaxNode): string {
  const list = (nodes: readonly SyntaxNode[]): string => nodes.map(ourTree).join(',');
  switch (node.kind) {
    case 'number': case 'constant': return constant(node.value);
    case 'symbol': return `s:${node.name}`;
    case 'parenthesis': return `(${ourTree(node.content)})`;
    case 'operator': return `${node.fn}${node.percentage === true ? '%' : ''}[${list(node.args)}]`;
    case 'conditional': return `?[${list([node.condition, node.whenTrue, node.whenFalse])}]`;
    case 'relational': return `rel:${node.fns.join('/')}[${list(node.params)}]`;
    case 'call': return `call[${list([node.callee, ...node.args])}]`;
    case 'refused': return `refused:${node.what}`;
  }
}

const hasRefused = (node: SyntaxNode): boolean => node.kind === 'refused' || children(node).some(hasRefused);

function agrees(spec: string): void {
  let theirs: MathNode | undefined;
  let theirError: string | undefined;
  try {
    theirs = parse(spec);
  } catch (error) {
    theirError = (error as Error).message;
  }
  let ours: SyntaxNode | undefined;
  let ourError: string | undefined;
  try {
    ours = parseScheduleExpression(spec);
  } catch (error) {
    ourError = (error as Error).message;
  }
  expect(ourError, JSON.stringify(spec)).toBe(theirError);
  if (ours === undefined || theirs === undefined) return;
  expect(ourTree(ours), JSON.stringify(spec)).toBe(theirTree(theirs));
  if (!hasRefused(ours)) expect(countNodes(ours), JSON.stringify(spec)).toBe(mathjsNodes(spec));
}

describe('the schedule parser reads text as mathjs does', () => {
  const TRICKY = [
    '2t', '2 t', '2(1 - t)', '(1 - t)(1 + t)', 't(2)', '1/2 t', '1/2t', '-1/2 t', '1/2 (t)', '2/3 in', '5 in', 't in cm', '50%', '1 - 10%',
    '50% - t / 2', '(50%) * t', '10% t', '50 % 3', '0x1F / 100 * t', '0b1.1 * t', '0xffi8 + 1', '1e-3t', '.5t', '3.t', '2e3 / 4000', '1e', '1.5.5',
    '# comment\n', 't # the progress', '(1 -\n t)', '1 - t\n', '1 - t;', '\n', '', '  ', 't ? 1 : 0 ? 2 : 3', 't < 0.5 ? 1 - t : t < 0.8 ? 0.5 : 0',
    'a ? : b', '? 1 : 2', 't ?.5 : .2', '--t', '-+-t', 'not not t', '2^-t', '-2^2', '2^3^0.5', 't!', 't\'', 'x[1]', 'x.y', 'x?.y', 'x?.(1)', 'f(x) = x',
    'f(x, x) = x', 'end(x) = 1', 'end = 1', 'end[1] = 2', '(1)[1] = 2', 'x?.y = 2', '1 = 2', '[1, 2; 3]', '[1, 2; 3, 4]', '[]', '{}', '{a: 1, "b": 2}',
    '{a 1}', '1:3', '1:2:3:4', ':', '"a\\"b"', '\'\\u00e9\'', '"\\x"', '"open', 'cos(', 'cos(t', 'cos(t))', '1 +', '* 2', '1 2', '@', 't\r', 'é * t',
    'mod(t, 1)', 'and(1, 2)', 't mod 0.3', 't xor 1', 't & 1', 't << 1', 't ?? 1', 'NaN', 'Infinity - t', 'true', 'null', 'undefined',
  ];
  it('agrees on syntax that mathjs treats specially (implicit products, rule 2, percentages, radixes, comments, blocks)', () => {
    for (const spec of TRICKY) agrees(spec);
  });

  it('agrees on 3000 generated texts, well-formed and not', () => {
    const next = generate(random(20240611));
    for (let i = 0; i < 3000; i++) agrees(next(3));
  });
});
