import { NAMED_DELIMITERS, numberValue, ScheduleLexer } from './schedule-expression-lexer.ts';
import type { SyntaxNode } from './schedule-expression-syntax.ts';

export const ACCESSOR = 'an index or property access';

export type Binary = Readonly<Record<string, string>>;
/** A lookup that ignores Object.prototype: "constructor" is no operator. */
export const own = (record: Binary, key: string): string | undefined => (Object.hasOwn(record, key) ? record[key] : undefined);

const UNARY: Binary = { '-': 'unaryMinus', '+': 'unaryPlus', '~': 'bitNot', not: 'not' };
const LEFT_HAND: Binary = { '!': 'factorial', '\'': 'ctranspose' };
const NON_NUMBER_CONSTANTS: Readonly<Record<string, boolean | null | undefined>> = { true: true, false: false, null: null, undefined };

/**
 * The innermost levels of the schedule-expression parser, as mathjs 15's parseUnary ... parseEnd
 * read them: prefix and postfix operators, powers, names, terms (numbers, strings, parentheses,
 * matrices, objects) and what may follow a term (calls, [index], .property). The binary levels
 * above are in schedule-expression-parser.ts; this half also builds the nodes both share.
 */
export abstract class TermParser {
  protected readonly lex: ScheduleLexer;

  constructor(text: string) {
    this.lex = new ScheduleLexer(text);
  }

  /** The top of an operand: what a call argument, an index, a parenthesis or a matrix cell holds. */
  protected abstract assignment(): SyntaxNode;

  /** A node from `start` to the end of the last token read. */
  protected at<T extends object>(start: number, fields: T): T & { start: number; end: number } {
    return { ...fields, start, end: Math.max(start, this.lex.lastEnd) };
  }

  protected operator(start: number, op: string, fn: string, args: SyntaxNode[]): SyntaxNode {
    return this.at(start, { kind: 'operator', op, fn, args });
  }

  protected refused(start: number, what: string, children: SyntaxNode[], optional = false): SyntaxNode {
    return this.at(start, { kind: 'refused', what, children, ...(optional ? { optional } : {}) });
  }

  /** Calls, indexes and properties after a term, optionally chained with '?.'. */
  protected accessors(start: number, target: SyntaxNode): SyntaxNode {
    const { lex } = this;
    let node = target;
    for (;;) {
      let optional = false;
      if (lex.is('?.')) {
        optional = true;
        lex.next();
      }
      if (!optional && !lex.is('(') && !lex.is('[') && !lex.is('.')) return node;
      if (lex.is('(')) {
        // (1 + t)(2) is a product, which the implicit-multiplication level reads.
        const callable = optional || node.kind === 'symbol' || (node.kind === 'refused' && node.what === ACCESSOR);
        if (!callable) return node;
        const args = this.list(')', 'Parenthesis ) expected');
        node = this.at(start, { kind: 'call', callee: node, args });
      } else if (lex.is('[')) {
        node = this.refused(start, ACCESSOR, [node, ...this.list(']', 'Parenthesis ] expected')], optional);
      } else {
        if (!optional) lex.next();
        if (!lex.isType('symbol') && !(lex.isType('delimiter') && NAMED_DELIMITERS.has(lex.token))) {
          throw lex.error(`Property name expected after ${optional ? 'optional chain' : 'dot'}`);
        }
        lex.next();
        node = this.refused(start, ACCESSOR, [node], optional);
      }
    }
  }

  /** A comma-separated list up to `close`, the current token being the opening bracket. */
  private list(close: string, missing: string): SyntaxNode[] {
    const { lex } = this;
    lex.nesting++;
    lex.next();
    const items: SyntaxNode[] = [];
    if (lex.token !== close) {
      items.push(this.assignment());
      while (lex.is(',')) {
        lex.next();
        items.push(this.assignment());
      }
    }
    if (lex.token !== close) throw lex.error(missing);
    lex.nesting--;
    lex.next();
    return items;
  }

  /** A string, a matrix, an object, a number or a parenthesis (mathjs's parseString and below). */
  protected term(): SyntaxNode {
    const { lex } = this;
    const start = lex.start;
    if (lex.is('"') || lex.is('\'')) {
      const value = lex.stringLiteral(lex.token);
      return this.accessors(start, this.at(start, { kind: 'constant', value }));
    }
    if (lex.is('[')) return this.accessors(start, this.matrix());
    if (lex.is('{')) return this.accessors(start, this.object());
    if (lex.isType('number')) {
      const text = lex.token;
      // mathjs reads the next token before it converts this one; errors come in that order.
      lex.next();
      return this.at(start, { kind: 'number', value: numberValue(text) });
    }
    if (lex.is('(')) {
      lex.nesting++;
      lex.next();
      const content = this.assignment();
      if (!lex.is(')')) throw lex.error('Parenthesis ) expected');
      lex.nesting--;
      lex.next();
      return this.accessors(start, this.at(start, { kind: 'parenthesis', content }));
    }
    throw lex.error(lex.is('') ? 'Unexpected end of expression' : 'Value expected');
  }

  /** [a, b] or [a, b; c, d]: parsed only to be refused, with mathjs's own syntax errors. */
  private matrix(): SyntaxNode {
    const { lex } = this;
    const start = lex.start;
    lex.nesting++;
    lex.next();
    const rows: SyntaxNode[][] = [];
    if (!lex.is(']')) {
      rows.push(this.row());
      while (lex.is(';')) {
        lex.next();
        if (!lex.is(']')) rows.push(this.row());
      }
      if (!lex.is(']')) throw lex.error('End of matrix ] expected');
    }
    lex.nesting--;
    lex.next();
    const columns = rows[0]?.length ?? 0;
    const ragged = rows.find((row) => row.length !== columns);
    if (ragged !== undefined) throw lex.error(`Column dimensions mismatch (${ragged.length} !== ${columns})`);
    return this.refused(start, 'a matrix or array', rows.flat());
  }

  private row(): SyntaxNode[] {
    const { lex } = this;
    const items = [this.assignment()];
    while (lex.is(',')) {
      lex.next();
      if (!lex.is(']') && !lex.is(';')) items.push(this.assignment());
    }
    return items;
  }

  /** {key: value, ...}: parsed only to be refused. */
  private object(): SyntaxNode {
    const { lex } = this;
    const start = lex.start;
    lex.nesting++;
    const values: SyntaxNode[] = [];
    do {
      lex.next();
      if (lex.is('}')) continue;
      if (lex.is('"') || lex.is('\'')) {
        lex.stringLiteral(lex.token);
      } else if (lex.isType('symbol') || (lex.isType('delimiter') && NAMED_DELIMITERS.has(lex.token))) {
        lex.next();
      } else {
        throw lex.error('Symbol or string expected as object key');
      }
      if (!lex.is(':')) throw lex.error('Colon : expected after object key');
      lex.next();
      values.push(this.assignment());
    } while (lex.is(','));
    if (!lex.is('}')) throw lex.error('Comma , or bracket } expected after object value');
    lex.nesting--;
    lex.next();
    return this.refused(start, 'an object', values);
  }

  protected unary(): SyntaxNode {
    const { lex } = this;
    const fn = own(UNARY, lex.token);
    if (fn === undefined) return this.pow();
    const start = lex.start;
    const op = lex.token;
    lex.nextSkippingNewlines();
    return this.operator(start, op, fn, [this.unary()]);
  }

  /** Right-associative, and the exponent may carry a sign: 2^-3. */
  private pow(): SyntaxNode {
    const { lex } = this;
    const start = lex.start;
    let node = this.nullish();
    if (lex.is('^') || lex.is('.^')) {
      const op = lex.token;
      lex.nextSkippingNewlines();
      node = this.operator(start, op, op === '^' ? 'pow' : 'dotPow', [node, this.unary()]);
    }
    return node;
  }

  private nullish(): SyntaxNode {
    const start = this.lex.start;
    let node = this.leftHand();
    while (this.lex.is('??')) {
      this.lex.nextSkippingNewlines();
      node = this.operator(start, '??', 'nullish', [node, this.leftHand()]);
    }
    return node;
  }

  /** Postfix x! and x'. */
  private leftHand(): SyntaxNode {
    const start = this.lex.start;
    let node = this.symbol();
    for (let fn = own(LEFT_HAND, this.lex.token); fn !== undefined; fn = own(LEFT_HAND, this.lex.token)) {
      const op = this.lex.token;
      this.lex.next();
      node = this.accessors(start, this.operator(start, op, fn, [node]));
    }
    return node;
  }

  private symbol(): SyntaxNode {
    const { lex } = this;
    if (!lex.isType('symbol') && !(lex.isType('delimiter') && NAMED_DELIMITERS.has(lex.token))) return this.term();
    const start = lex.start;
    const name = lex.token;
    lex.next();
    let node: SyntaxNode;
    if (Object.hasOwn(NON_NUMBER_CONSTANTS, name)) node = this.at(start, { kind: 'constant', value: NON_NUMBER_CONSTANTS[name] });
    else if (name === 'NaN' || name === 'Infinity') node = this.at(start, { kind: 'number', value: Number(name) });
    else node = this.at(start, { kind: 'symbol', name });
    return this.accessors(start, node);
  }
}
