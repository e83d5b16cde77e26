import { ScheduleSyntaxError } from './schedule-expression-lexer.ts';
import { isConstant, type SyntaxNode } from './schedule-expression-syntax.ts';
import { ACCESSOR, type Binary, own, TermParser } from './schedule-expression-term-parser.ts';

/**
 * Parses a schedule expression into a SyntaxNode tree with mathjs 15's grammar: the same
 * precedence levels in the same order, implicit multiplication (2t, 3(1 - t)), "rule 2"
 * (1/2 t is (1/2)·t), percentages (50%, x + 10%), chained comparisons and a ? b : c. Each
 * method is the mathjs parse function of the same name; prefix operators, powers and terms are
 * in TermParser. It only parses: what a schedule may use is decided in schedule-expression.ts.
 */
export function parseScheduleExpression(text: string): SyntaxNode {
  return new Parser(text).parse();
}


const RELATIONAL: Binary = { '==': 'equal', '!=': 'unequal', '<': 'smaller', '>': 'larger', '<=': 'smallerEq', '>=': 'largerEq' };
const MULTIPLICATIVE: Binary = { '*': 'multiply', '.*': 'dotMultiply', '/': 'divide', './': 'dotDivide', '%': 'mod', mod: 'mod' };
/** From loosest to tightest; comparisons bind tighter still. */
const LOGICAL: readonly (readonly [string, string])[] = [['or', 'or'], ['xor', 'xor'], ['and', 'and'], ['|', 'bitOr'], ['^|', 'bitXor'], ['&', 'bitAnd']];
const logicalLevel = (token: string): number => LOGICAL.findIndex(([op]) => op === token);
const SHIFTS: Binary = { '<<': 'leftShift', '>>': 'rightArithShift', '>>>': 'rightLogShift' };

class Parser extends TermParser {
  parse(): SyntaxNode {
    this.lex.next();
    const node = this.block();
    if (!this.lex.is('')) {
      throw this.lex.error(this.lex.isType('delimiter') ? `Unexpected operator ${this.lex.token}` : `Unexpected part "${this.lex.token}"`);
    }
    return node;
  }

  /** Statements separated by newlines or ';': more than one is a block, which a schedule is not. */
  private block(): SyntaxNode {
    const { lex } = this;
    const start = lex.start;
    const statements: SyntaxNode[] = [];
    let node: SyntaxNode | undefined;
    if (!lex.is('') && !lex.is('\n') && !lex.is(';')) node = this.assignment();
    while (lex.is('\n') || lex.is(';')) {
      if (statements.length === 0 && node !== undefined) statements.push(node);
      lex.next();
      if (!lex.is('\n') && !lex.is(';') && !lex.is('')) statements.push(this.assignment());
    }
    // mathjs makes even one statement followed by ';' or a newline a block.
    if (statements.length > 0) return this.refused(start, 'several statements', statements);
    return node ?? { kind: 'constant', value: undefined, start, end: start };
  }

  protected assignment(): SyntaxNode {
    const { lex } = this;
    const start = lex.start;
    const node = this.conditional();
    if (!lex.is('=')) return node;
    const isDefinition = node.kind === 'call' && node.callee.kind === 'symbol' && node.args.every((arg) => arg.kind === 'symbol');
    const isAccessor = node.kind === 'refused' && node.what === ACCESSOR;
    if (!isDefinition && !isAccessor && node.kind !== 'symbol') throw lex.error('Invalid left hand side of assignment operator =');
    if (isAccessor && node.optional === true) throw lex.error('Cannot assign to optional chain');
    lex.nextSkippingNewlines();
    const value = this.assignment();
    checkAssignable(node);
    return this.refused(start, isDefinition ? 'a function definition' : 'an assignment', [node, value]);
  }

  private conditional(): SyntaxNode {
    const { lex } = this;
    const start = lex.start;
    let node = this.logical();
    while (lex.is('?')) {
      const previous = lex.conditionalLevel;
      lex.conditionalLevel = lex.nesting;
      lex.nextSkippingNewlines();
      const whenTrue = this.assignment();
      if (!lex.is(':')) throw lex.error('False part of conditional expression expected');
      lex.conditionalLevel = null;
      lex.nextSkippingNewlines();
      const whenFalse = this.assignment();
      node = this.at(start, { kind: 'conditional', condition: node, whenTrue, whenFalse });
      lex.conditionalLevel = previous;
    }
    return node;
  }

  /**
   * or, xor, and, |, ^|, &, each left-associative and binding tighter than the one before: one
   * loop rather than mathjs's six nested functions, so deep parentheses need fewer stack frames.
   */
  private logical(): SyntaxNode {
    const { lex } = this;
    const operands = [this.relational()];
    const pending: number[] = [];
    const reduce = (): void => {
      const right = operands.pop() as SyntaxNode;
      const left = operands.pop() as SyntaxNode;
      const [op, fn] = LOGICAL[pending.pop() as number] as readonly [string, string];
      operands.push({ kind: 'operator', op, fn, args: [left, right], start: left.start, end: right.end });
    };
    for (let level = logicalLevel(lex.token); level >= 0; level = logicalLevel(lex.token)) {
      while (pending.length > 0 && (pending[pending.length - 1] as number) >= level) reduce();
      pending.push(level);
      lex.nextSkippingNewlines();
      operands.push(this.relational());
    }
    while (pending.length > 0) reduce();
    return operands[0] as SyntaxNode;
  }

  private relational(): SyntaxNode {
    const { lex } = this;
    const start = lex.start;
    const params = [this.shift()];
    const ops: string[] = [];
    const fns: string[] = [];
    for (let fn = own(RELATIONAL, lex.token); fn !== undefined; fn = own(RELATIONAL, lex.token)) {
      ops.push(lex.token);
      fns.push(fn);
      lex.nextSkippingNewlines();
      params.push(this.shift());
    }
    if (params.length === 1) return params[0] as SyntaxNode;
    if (params.length === 2) return this.operator(start, ops[0] as string, fns[0] as string, params);
    return this.at(start, { kind: 'relational', fns, params });
  }

  private shift(): SyntaxNode {
    const start = this.lex.start;
    let node = this.conversion();
    for (let fn = own(SHIFTS, this.lex.token); fn !== undefined; fn = own(SHIFTS, this.lex.token)) {
      const op = this.lex.token;
      this.lex.nextSkippingNewlines();
      node = this.operator(start, op, fn, [node, this.conversion()]);
    }
    return node;
  }

  private conversion(): SyntaxNode {
    const { lex } = this;
    const start = lex.start;
    let node = this.range();
    while (lex.is('to') || lex.is('in')) {
      const op = lex.token;
      const unitStart = lex.start;
      lex.nextSkippingNewlines();
      // "5 in" at the end of a group is 5 inches: an implicit product with the name "in".
      if (op === 'in' && '])},;'.includes(lex.token)) {
        node = this.operator(start, '*', 'multiply', [node, { kind: 'symbol', name: 'in', start: unitStart, end: unitStart + 2 }]);
      } else {
        node = this.operator(start, op, 'to', [node, this.range()]);
      }
    }
    return node;
  }

  private range(): SyntaxNode {
    const { lex } = this;
    const start = lex.start;
    let node: SyntaxNode;
    if (lex.is(':')) {
      if (lex.conditionalLevel === lex.nesting) throw lex.error('The true-expression of a conditional operator may not be empty');
      node = { kind: 'number', value: 1, start, end: start };
    } else {
      node = this.addSubtract();
    }
    if (!lex.is(':') || lex.conditionalLevel === lex.nesting) return node;
    const params = [node];
    while (lex.is(':') && params.length < 3) {
      lex.nextSkippingNewlines();
      if (lex.is(')') || lex.is(']') || lex.is(',') || lex.is('')) params.push({ kind: 'symbol', name: 'end', start: lex.start, end: lex.start });
      else params.push(this.addSubtract());
    }
    return this.refused(start, 'a range', params);
  }

  private addSubtract(): SyntaxNode {
    const { lex } = this;
    const start = lex.start;
    let node = this.multiplyDivide();
    while (lex.is('+') || lex.is('-')) {
      const op = lex.token;
      lex.nextSkippingNewlines();
      const right = this.multiplyDivide();
      // x + 10% is x + x·10%.
      const operand = right.kind === 'operator' && right.percentage === true ? this.operator(start, '*', 'multiply', [node, right]) : right;
      node = this.operator(start, op, op === '+' ? 'add' : 'subtract', [node, operand]);
    }
    return node;
  }

  private multiplyDivide(): SyntaxNode {
    const start = this.lex.start;
    let node = this.implicitMultiplication();
    for (let fn = own(MULTIPLICATIVE, this.lex.token); fn !== undefined; fn = own(MULTIPLICATIVE, this.lex.token)) {
      const op = this.lex.token;
      this.lex.nextSkippingNewlines();
      node = this.operator(start, op, fn, [node, this.implicitMultiplication()]);
    }
    return node;
  }

  /** 2t, (1 + t)(2 - t), 2 (3): a name, a '(' or (after a non-number) a number continues a product. */
  private implicitMultiplication(): SyntaxNode {
    const { lex } = this;
    const start = lex.start;
    let node = this.rule2();
    let last = node;
    for (;;) {
      const negatedConstant = node.kind === 'operator' && node.fn === 'unaryMinus' && isConstant(node.args[0] as SyntaxNode);
      const continues = lex.isType('symbol') || lex.is('(')
        || (lex.is('in') && (isConstant(node) || negatedConstant))
        || (lex.isType('number') && !isConstant(last) && (last.kind !== 'operator' || last.op === '!'));
      if (!continues) return node;
      last = this.rule2();
      node = this.operator(start, '*', 'multiply', [node, last]);
    }
  }

  /** "Rule 2": number / number name is (number / number) · name, so 1/2 t is t/2. */
  private rule2(): SyntaxNode {
    const { lex } = this;
    const start = lex.start;
    let node = this.unaryPercentage();
    let last = node;
    const rule2Node = (candidate: SyntaxNode): boolean => isConstant(candidate)
      || (candidate.kind === 'operator' && candidate.args.length === 1 && isConstant(candidate.args[0] as SyntaxNode) && '-+~'.includes(candidate.op));
    while (lex.is('/') && rule2Node(last)) {
      const beforeSlash = lex.snapshot();
      lex.nextSkippingNewlines();
      if (!lex.isType('number')) {
        lex.restore(beforeSlash);
        break;
      }
      const beforeNumber = lex.snapshot();
      lex.nextSkippingNewlines();
      if (!lex.isType('symbol') && !lex.is('(') && !lex.is('in')) {
        lex.restore(beforeSlash);
        break;
      }
      lex.restore(beforeNumber);
      last = this.unaryPercentage();
      node = this.operator(start, '/', 'divide', [node, last]);
    }
    return node;
  }

  /** x% is x/100 when no term follows the '%'; otherwise the '%' is mod. */
  private unaryPercentage(): SyntaxNode {
    const { lex } = this;
    const start = lex.start;
    const node = this.unary();
    if (!lex.is('%')) return node;
    const before = lex.snapshot();
    lex.nextSkippingNewlines();
    try {
      this.unary();
    } catch {
      // No term after the '%' (mathjs decides the same way): a percentage.
      const hundred: SyntaxNode = { kind: 'number', value: 100, start: before.start, end: before.index };
      return { kind: 'operator', op: '/', fn: 'divide', args: [node, hundred], percentage: true, start, end: before.index };
    }
    lex.restore(before);
    return node;
  }
}

/** The checks mathjs's AssignmentNode and FunctionAssignmentNode make when they are built. */
function checkAssignable(target: SyntaxNode): void {
  const names = (nodes: readonly SyntaxNode[]): string[] => nodes.map((node) => (node.kind === 'symbol' ? node.name : ''));
  if (target.kind === 'call') {
    const [name] = names([target.callee]);
    if (name === 'end') throw new ScheduleSyntaxError('Illegal function name, "end" is a reserved keyword');
    const params = names(target.args);
    const repeated = params.find((param, i) => params.indexOf(param) !== i);
    if (repeated !== undefined) throw new ScheduleSyntaxError(`Duplicate parameter name "${repeated}"`);
    return;
  }
  const object = target.kind === 'refused' ? target.children[0] : target;
  if (object === undefined || (object.kind !== 'symbol' && !(object.kind === 'refused' && object.what === ACCESSOR))) {
    throw new ScheduleSyntaxError('SymbolNode or AccessorNode expected as "object"');
  }
  if (object.kind === 'symbol' && object.name === 'end') throw new ScheduleSyntaxError('Cannot assign to symbol "end"');
}
