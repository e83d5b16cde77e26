import { ConfigError } from '../core/errors.ts';
import { ScheduleSyntaxError } from './schedule-expression-lexer.ts';
import { parseScheduleExpression } from './schedule-expression-parser.ts';
import { countNodes, type SyntaxNode } from './schedule-expression-syntax.ts';
import {
  BINARY_OPERATORS, SCHEDULE_CONSTANTS, SCHEDULE_FUNCTIONS, SCHEDULE_VOCABULARY, UNARY_OPERATORS,
} from './schedule-functions.ts';

/*
 * The text is parsed with mathjs's grammar by our own small parser (schedule-expression-parser.ts)
 * rather than by mathjs: the tree is only ever walked here, never handed to an evaluator, and
 * mathjs costs half a second to import in every process that merely loads a config.
 */

export const MAX_EXPRESSION_LENGTH = 500;
export const MAX_EXPRESSION_NODES = 200;

export type ScheduleExpression = (t: number) => number;

/** The expression as quoted in messages; long ones are cut so the message stays readable. */
export function quoteExpression(spec: string): string {
  const text = JSON.stringify(spec);
  return text.length > 80 ? `${text.slice(0, 76)}..."` : text;
}

/** The node as written, on one line and cut to 40 characters. */
function snippet(spec: string, node: SyntaxNode): string {
  const written = spec.slice(node.start, node.end);
  // The empty expression is mathjs's ConstantNode(undefined); say so rather than quote nothing.
  const text = (written === '' && node.kind === 'constant' ? String(node.value) : written).replace(/\s+/g, ' ');
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

/** A record lookup that ignores Object.prototype ("constructor" is not a function a schedule may call). */
function own<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/** Walks a parsed tree, refusing anything outside the whitelist, and builds closures over numbers. */
class ExpressionBuilder {
  readonly unknownSymbols = new Set<string>();

  constructor(private readonly spec: string, private readonly field: string, private readonly expected: string) {}

  refuse(problem: string): ConfigError {
    return new ConfigError(this.field, this.spec, this.expected,
      `${this.field}: ${quoteExpression(this.spec)} ${problem}; a schedule may use only ${SCHEDULE_VOCABULARY}`);
  }

  build(node: SyntaxNode): ScheduleExpression {
    switch (node.kind) {
      case 'number': {
        const { value } = node;
        return () => value;
      }
      case 'constant': {
        const what = typeof node.value === 'string' ? 'a string' : 'a constant';
        throw this.refuse(`contains ${what} (${snippet(this.spec, node)}), which is not a number`);
      }
      case 'symbol': return this.symbol(node.name);
      case 'parenthesis': return this.build(node.content);
      case 'operator': return this.operator(node, node.fn, node.args);
      case 'conditional': return this.conditional(node.condition, node.whenTrue, node.whenFalse);
      case 'relational': return this.relational(node, node.fns, node.params);
      case 'call': return this.call(node, node.callee, node.args);
      case 'refused': throw this.refuse(`contains ${node.what} (${snippet(this.spec, node)}), which a schedule may not use`);
    }
  }

  private symbol(name: string): ScheduleExpression {
    if (name === 't') return (t) => t;
    const value = own(SCHEDULE_CONSTANTS, name);
    if (value !== undefined) return () => value;
    // Gathered, not thrown, so one message names every stray variable or unit.
    this.unknownSymbols.add(name);
    return () => Number.NaN;
  }

  private operator(node: SyntaxNode & { readonly op: string }, fn: string, operands: readonly SyntaxNode[]): ScheduleExpression {
    const args = operands.map((arg) => this.build(arg));
    const unary = own(UNARY_OPERATORS, fn);
    const binary = own(BINARY_OPERATORS, fn);
    if (unary !== undefined && args.length === 1) {
      const [x] = args as [ScheduleExpression];
      return (t) => unary(x(t));
    }
    if (binary !== undefined && args.length === 2) {
      const [x, y] = args as [ScheduleExpression, ScheduleExpression];
      return (t) => binary(x(t), y(t));
    }
    throw this.refuse(`uses the operator "${node.op}" (${fn}, in ${snippet(this.spec, node)}), which a schedule may not use`);
  }

  private conditional(test: SyntaxNode, yes: SyntaxNode, no: SyntaxNode): ScheduleExpression {
    const condition = this.build(test);
    const whenTrue = this.build(yes);
    const whenFalse = this.build(no);
    return (t) => (condition(t) ? whenTrue(t) : whenFalse(t));
  }

  /** Chained comparisons (0 < t < 1): every adjacent pair must hold. */
  private relational(node: SyntaxNode, fns: readonly string[], operands: readonly SyntaxNode[]): ScheduleExpression {
    const params = operands.map((param) => this.build(param));
    const tests = fns.map((name) => {
      const test = own(BINARY_OPERATORS, name);
      if (test === undefined) throw this.refuse(`uses the comparison ${name} (in ${snippet(this.spec, node)}), which a schedule may not use`);
      return test;
    });
    return (t) => {
      const values = params.map((param) => param(t));
      return tests.every((test, i) => test(values[i] as number, values[i + 1] as number) !== 0) ? 1 : 0;
    };
  }

  private call(node: SyntaxNode, callee: SyntaxNode, operands: readonly SyntaxNode[]): ScheduleExpression {
    if (callee.kind !== 'symbol') throw this.refuse(`calls a computed function (${snippet(this.spec, node)}), which a schedule may not use`);
    const { name } = callee;
    const definition = own(SCHEDULE_FUNCTIONS, name);
    if (definition === undefined) throw this.refuse(`calls ${name}(), which a schedule may not call`);
    const count = operands.length;
    if (count < definition.minArgs || count > definition.maxArgs) {
      const takes = definition.minArgs === definition.maxArgs ? `${definition.minArgs}`
        : definition.maxArgs === Number.POSITIVE_INFINITY ? `at least ${definition.minArgs}` : `${definition.minArgs} or ${definition.maxArgs}`;
      throw this.refuse(`calls ${name}() with ${count} argument${count === 1 ? '' : 's'}; ${name} takes ${takes}`);
    }
    const args = operands.map((arg) => this.build(arg));
    const { apply } = definition;
    return (t) => apply(args.map((arg) => arg(t)));
  }
}

/**
 * Compiles a schedule expression in t to a plain function, or throws a ConfigError naming `field`,
 * quoting the expression and naming what is not allowed. Bounded: at most MAX_EXPRESSION_LENGTH
 * characters and MAX_EXPRESSION_NODES nodes, and every allowed node is O(1) on numbers, so one
 * evaluation costs O(nodes).
 */
export function compileScheduleExpression(spec: string, field: string, expected: string): ScheduleExpression {
  if (spec.length > MAX_EXPRESSION_LENGTH) {
    throw new ConfigError(field, spec, expected,
      `${field}: ${quoteExpression(spec)} is ${spec.length} characters long, more than the ${MAX_EXPRESSION_LENGTH} a schedule expression may have`);
  }
  let root: SyntaxNode;
  try {
    root = parseScheduleExpression(spec);
  } catch (error) {
    // 500 characters cannot nest deep enough to overflow the parser's stack; if a caller's deep
    // stack makes it so anyway, say what to change rather than leak a RangeError.
    if (error instanceof RangeError) {
      throw new ConfigError(field, spec, expected, `${field}: ${quoteExpression(spec)} is nested too deeply to read; simplify it`);
    }
    if (!(error instanceof ScheduleSyntaxError)) throw error;
    // Only the one-line reason (mathjs's wording), never a stack.
    throw new ConfigError(field, spec, expected, `${field}: cannot parse ${quoteExpression(spec)} (${error.message}); expected ${expected}`);
  }
  const nodes = countNodes(root);
  if (nodes > MAX_EXPRESSION_NODES) {
    throw new ConfigError(field, spec, expected,
      `${field}: ${quoteExpression(spec)} has ${nodes} nodes (numbers, names, operators, calls), more than the ${MAX_EXPRESSION_NODES} a schedule expression may have`);
  }
  const builder = new ExpressionBuilder(spec, field, expected);
  const evaluate = builder.build(root);
  if (builder.unknownSymbols.size > 0) {
    const names = [...builder.unknownSymbols].map((name) => `"${name}"`).join(', ');
    throw new ConfigError(field, spec, expected,
      `${field}: ${quoteExpression(spec)} uses ${names}; a schedule is a function of t alone (constants: pi, e, tau, phi); expected ${expected}`);
  }
  return evaluate;
}
