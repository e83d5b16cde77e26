import {
  create, parseDependencies, type ConditionalNode, type FunctionNode, type MathNode,
  type OperatorNode, type ParenthesisNode, type RelationalNode, type SymbolNode,
} from 'mathjs';
import { ConfigError } from '../core/errors.ts';
import {
  BINARY_OPERATORS, SCHEDULE_CONSTANTS, SCHEDULE_FUNCTIONS, SCHEDULE_VOCABULARY, UNARY_OPERATORS,
} from './schedule-functions.ts';

/**
 * A private mathjs holding only its parser: the expression is parsed to a tree and never handed
 * to mathjs's evaluator, so import, evaluate, createUnit, matrices and the rest do not exist here.
 */
if (parseDependencies === undefined) throw new Error('mathjs exports no parseDependencies; schedule expressions need mathjs >= 6');
const math = create({ parseDependencies });

export const MAX_EXPRESSION_LENGTH = 500;
export const MAX_EXPRESSION_NODES = 200;

export type ScheduleExpression = (t: number) => number;

/** The expression as quoted in messages; long ones are cut so the message stays readable. */
export function quoteExpression(spec: string): string {
  const text = JSON.stringify(spec);
  return text.length > 80 ? `${text.slice(0, 76)}..."` : text;
}

function snippet(node: MathNode): string {
  const text = node.toString().replace(/\s+/g, ' ');
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

/** A record lookup that ignores Object.prototype ("constructor" is not a function a schedule may call). */
function own<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

const NODE_KINDS: Readonly<Record<string, string>> = {
  AssignmentNode: 'an assignment',
  FunctionAssignmentNode: 'a function definition',
  ArrayNode: 'a matrix or array',
  IndexNode: 'an index',
  AccessorNode: 'an index or property access',
  ObjectNode: 'an object',
  RangeNode: 'a range',
  BlockNode: 'several statements',
};

/** Walks a parsed tree, refusing anything outside the whitelist, and builds closures over numbers. */
class ExpressionBuilder {
  readonly unknownSymbols = new Set<string>();

  constructor(private readonly spec: string, private readonly field: string, private readonly expected: string) {}

  refuse(problem: string): ConfigError {
    return new ConfigError(this.field, this.spec, this.expected,
      `${this.field}: ${quoteExpression(this.spec)} ${problem}; a schedule may use only ${SCHEDULE_VOCABULARY}`);
  }

  build(node: MathNode): ScheduleExpression {
    switch (node.type) {
      case 'ConstantNode': return this.constant(node as MathNode & { readonly value: unknown });
      case 'SymbolNode': return this.symbol(node as SymbolNode);
      case 'ParenthesisNode': return this.build((node as ParenthesisNode).content);
      case 'OperatorNode': return this.operator(node as OperatorNode<never, never>);
      case 'ConditionalNode': return this.conditional(node as ConditionalNode);
      case 'RelationalNode': return this.relational(node as RelationalNode);
      case 'FunctionNode': return this.call(node as FunctionNode<MathNode>);
      default: throw this.refuse(`contains ${own(NODE_KINDS, node.type) ?? `a ${node.type}`} (${snippet(node)}), which a schedule may not use`);
    }
  }

  /** Numbers only: mathjs also parses strings, booleans, null and undefined as constants. */
  private constant(node: MathNode & { readonly value: unknown }): ScheduleExpression {
    const { value } = node;
    if (typeof value !== 'number') {
      throw this.refuse(`contains ${typeof value === 'string' ? 'a string' : 'a constant'} (${snippet(node)}), which is not a number`);
    }
    return () => value;
  }

  private symbol(node: SymbolNode): ScheduleExpression {
    if (node.name === 't') return (t) => t;
    const value = own(SCHEDULE_CONSTANTS, node.name);
    if (value !== undefined) return () => value;
    // Gathered, not thrown, so one message names every stray variable or unit.
    this.unknownSymbols.add(node.name);
    return () => Number.NaN;
  }

  private operator(node: OperatorNode<never, never>): ScheduleExpression {
    const fn: string = node.fn;
    const args = node.args.map((arg) => this.build(arg));
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
    throw this.refuse(`uses the operator "${node.op}" (${fn}, in ${snippet(node)}), which a schedule may not use`);
  }

  private conditional(node: ConditionalNode): ScheduleExpression {
    const condition = this.build(node.condition);
    const whenTrue = this.build(node.trueExpr);
    const whenFalse = this.build(node.falseExpr);
    return (t) => (condition(t) ? whenTrue(t) : whenFalse(t));
  }

  /** Chained comparisons (0 < t < 1): every adjacent pair must hold. */
  private relational(node: RelationalNode): ScheduleExpression {
    const params = node.params.map((param) => this.build(param));
    const tests = node.conditionals.map((name) => {
      const test = own(BINARY_OPERATORS, name);
      if (test === undefined) throw this.refuse(`uses the comparison ${name} (in ${snippet(node)}), which a schedule may not use`);
      return test;
    });
    return (t) => {
      const values = params.map((param) => param(t));
      return tests.every((test, i) => test(values[i] as number, values[i + 1] as number) !== 0) ? 1 : 0;
    };
  }

  private call(node: FunctionNode<MathNode>): ScheduleExpression {
    const callee = node.fn;
    if (callee.type !== 'SymbolNode') throw this.refuse(`calls a computed function (${snippet(node)}), which a schedule may not use`);
    const name = (callee as SymbolNode).name;
    const definition = own(SCHEDULE_FUNCTIONS, name);
    if (definition === undefined) throw this.refuse(`calls ${name}(), which a schedule may not call`);
    const count = node.args.length;
    if (count < definition.minArgs || count > definition.maxArgs) {
      const takes = definition.minArgs === definition.maxArgs ? `${definition.minArgs}`
        : definition.maxArgs === Number.POSITIVE_INFINITY ? `at least ${definition.minArgs}` : `${definition.minArgs} or ${definition.maxArgs}`;
      throw this.refuse(`calls ${name}() with ${count} argument${count === 1 ? '' : 's'}; ${name} takes ${takes}`);
    }
    const args = node.args.map((arg) => this.build(arg));
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
  let root: MathNode;
  try {
    root = math.parse(spec);
  } catch (error) {
    // Only mathjs's one-line reason, never its stack.
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConfigError(field, spec, expected, `${field}: cannot parse ${quoteExpression(spec)} (${reason}); expected ${expected}`);
  }
  let nodes = 0;
  root.traverse(() => {
    nodes += 1;
  });
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
