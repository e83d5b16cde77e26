/**
 * The tokenizer of schedule expressions. It splits text exactly as mathjs 15's parser does (same
 * delimiters, named operators, number forms, whitespace and comment rules, same "(char N)" error
 * positions), so an expression means here what it means in mathjs's documentation without
 * loading mathjs: a schedule is read on every config load, mathjs takes half a second to import.
 */

/** A parse failure in mathjs's own words; compileScheduleExpression turns it into a ConfigError. */
export class ScheduleSyntaxError extends Error {
  override readonly name = 'ScheduleSyntaxError';
}

const ESCAPES: Readonly<Record<string, string>> = { '"': '"', '\'': '\'', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

/** 'unknown': characters no token starts with; the rest of the text, already reported. */
export type TokenType = 'delimiter' | 'number' | 'symbol' | 'unknown';

const DELIMITERS = new Set([
  ',', '(', ')', '[', ']', '{', '}', '"', '\'', ';', '+', '-', '*', '.*', '/', './', '%', '^', '.^', '~', '!', '&', '|',
  '^|', '=', ':', '?', '?.', '??', '==', '!=', '<', '>', '<=', '>=', '<<', '>>', '>>>',
]);

/** Words that are operators (1 mod 2, a and b); at the start of a term they are plain names again. */
export const NAMED_DELIMITERS = new Set(['mod', 'to', 'in', 'and', 'xor', 'or', 'not']);

const isDigit = (c: string): boolean => c >= '0' && c <= '9';
const isDecimalMark = (c: string, next: string): boolean => c === '.' && next !== '/' && next !== '*' && next !== '^';
const LATIN_OR_GREEK = /^[a-zA-Z_$\u00C0-\u02AF\u0370-\u03FF\u2100-\u214F]$/;
/** mathjs's letter-like surrogate pairs (U+1D400 to U+1D7FF, less the unassigned ones). */
function isMathSymbol(high: string, low: string): boolean {
  return high === '\uD835' && /^[\uDC00-\uDFFF]$/.test(low)
    && /^[^\uDC55\uDC9D\uDCA0\uDCA1\uDCA3\uDCA4\uDCA7\uDCA8\uDCAD\uDCBA\uDCBC\uDCC4\uDD06\uDD0B\uDD0C\uDD15\uDD1D\uDD3A\uDD3F\uDD45\uDD47-\uDD49\uDD51\uDEA6\uDEA7\uDFCC\uDFCD]$/.test(low);
}
const isAlpha = (c: string, previous: string, next: string): boolean =>
  LATIN_OR_GREEK.test(c) || isMathSymbol(c, next) || isMathSymbol(previous, c);

/** Everything the parser may rewind to (mathjs copies its whole state for look-ahead). */
export interface LexerState {
  index: number;
  token: string;
  type: TokenType;
  start: number;
  lastEnd: number;
  nesting: number;
  conditionalLevel: number | null;
}

export class ScheduleLexer implements LexerState {
  index = 0;
  /** The current token; '' with type 'delimiter' at the end of the text. */
  token = '';
  type: TokenType = 'delimiter';
  /** Where the current token starts, and where the last consumed one ended: node spans for messages. */
  start = 0;
  lastEnd = 0;
  /** Inside ( [ { newlines are spaces. */
  nesting = 0;
  /** While a ? b : c is read at this nesting, ':' ends the true part instead of starting a range. */
  conditionalLevel: number | null = null;

  constructor(readonly text: string) {}

  snapshot(): LexerState {
    const { index, token, type, start, lastEnd, nesting, conditionalLevel } = this;
    return { index, token, type, start, lastEnd, nesting, conditionalLevel };
  }

  restore(state: LexerState): void {
    Object.assign(this, state);
  }

  /** The error mathjs throws here, with its 1-based column of the current token. */
  error(message: string): ScheduleSyntaxError {
    return new ScheduleSyntaxError(`${message} (char ${this.index - this.token.length + 1})`);
  }

  /** Token tests as methods, so TypeScript does not narrow `token` across next(). */
  is(token: string): boolean {
    return this.token === token;
  }

  isType(type: TokenType): boolean {
    return this.type === type;
  }

  char(offset = 0): string {
    return this.text.charAt(this.index + offset);
  }

  /** Moves to the next token (mathjs's getToken). */
  next(): void {
    this.lastEnd = this.index;
    this.type = 'delimiter';
    this.token = '';
    for (;;) {
      if (this.char() === '#') while (this.char() !== '\n' && this.char() !== '') this.index++;
      const c = this.char();
      if (c === ' ' || c === '\t' || c === '\u00A0' || (c === '\n' && this.nesting > 0)) this.index++;
      else break;
    }
    this.start = this.index;
    const c1 = this.char();
    if (c1 === '') return;
    if (c1 === '\n' && this.nesting === 0) return this.take(1);
    const c3 = this.text.slice(this.index, this.index + 3);
    if (c3.length === 3 && DELIMITERS.has(c3)) return this.take(3);
    const c2 = this.text.slice(this.index, this.index + 2);
    // '?.' followed by a digit is "a ? .5 : b", not optional chaining.
    if (c2.length === 2 && DELIMITERS.has(c2) && (c2 !== '?.' || !isDigit(this.char(2)))) return this.take(2);
    if (DELIMITERS.has(c1)) return this.take(1);
    if (isDigit(c1) || c1 === '.') return this.number();
    if (isAlpha(c1, this.char(-1), this.char(1))) {
      this.alphanumericRun();
      this.type = NAMED_DELIMITERS.has(this.token) ? 'delimiter' : 'symbol';
      return;
    }
    this.type = 'unknown';
    while (this.char() !== '') this.consume();
    throw this.error(`Syntax error in part "${this.token}"`);
  }

  /** next(), skipping newline tokens. */
  nextSkippingNewlines(): void {
    do this.next(); while (this.token === '\n');
  }

  private take(length: number): void {
    this.token = this.text.slice(this.index, this.index + length);
    this.index += length;
  }

  private consume(): void {
    this.token += this.char();
    this.index++;
  }

  private alphanumericRun(): void {
    while (isAlpha(this.char(), this.char(-1), this.char(1)) || isDigit(this.char())) this.consume();
  }

  private digits(): void {
    while (isDigit(this.char())) this.consume();
  }

  private number(): void {
    this.type = 'number';
    const prefix = this.text.slice(this.index, this.index + 2);
    if (prefix === '0b' || prefix === '0o' || prefix === '0x') {
      this.consume();
      this.consume();
      this.alphanumericRun();
      if (this.char() === '.') {
        this.consume();
        this.alphanumericRun();
      } else if (this.char() === 'i') {
        this.consume();
        this.digits();
      }
      return;
    }
    if (this.char() === '.') {
      this.consume();
      // A lone dot is a delimiter (property access), not a number.
      if (!isDigit(this.char())) {
        this.type = 'delimiter';
        return;
      }
    } else {
      this.digits();
      if (isDecimalMark(this.char(), this.char(1))) this.consume();
    }
    this.digits();
    if (this.char() !== 'E' && this.char() !== 'e') return;
    if (isDigit(this.char(1)) || this.char(1) === '-' || this.char(1) === '+') {
      this.consume();
      if (this.char() === '+' || this.char() === '-') this.consume();
      if (!isDigit(this.char())) throw this.error(`Digit expected, got "${this.char()}"`);
      this.digits();
      if (isDecimalMark(this.char(), this.char(1))) throw this.error(`Digit expected, got "${this.char()}"`);
    } else if (isDecimalMark(this.char(1), this.char(2))) {
      this.index++;
      throw this.error(`Digit expected, got "${this.char()}"`);
    }
  }

  /**
   * The text of a string literal whose opening quote is the current token, read raw as mathjs
   * does, leaving the lexer on the token after the closing quote.
   */
  stringLiteral(quote: string): string {
    let text = '';
    while (this.char() !== '' && this.char() !== quote) {
      if (this.char() !== '\\') {
        text += this.char();
        this.index++;
        continue;
      }
      this.index++;
      const escaped = this.char();
      const simple = Object.hasOwn(ESCAPES, escaped) ? ESCAPES[escaped] : undefined;
      if (simple !== undefined) {
        text += simple;
        this.index++;
      } else if (escaped === 'u') {
        const hex = this.text.slice(this.index + 1, this.index + 5);
        if (!/^[0-9A-Fa-f]{4}$/.test(hex)) throw this.error(`Invalid unicode character \\u${hex}`);
        text += String.fromCharCode(parseInt(hex, 16));
        this.index += 5;
      } else {
        throw this.error(`Bad escape character \\${escaped}`);
      }
    }
    this.next();
    if (this.token !== quote) throw this.error(`End of string ${quote} expected`);
    this.next();
    return text;
  }
}

/**
 * A number token's value as mathjs's number() reads it: decimal and exponent forms, 0b/0o/0x
 * with an optional radix point, and a word-size suffix (0xffi8 is -1).
 */
export function numberValue(text: string): number {
  const radixPoint = /(0[box])([0-9a-fA-F]*)\.([0-9a-fA-F]*)/.exec(text);
  if (radixPoint !== null) {
    const radix = ({ '0b': 2, '0o': 8, '0x': 16 } as const)[radixPoint[1] as '0b' | '0o' | '0x'];
    let fraction = 0;
    [...(radixPoint[3] as string)].forEach((digit, i) => {
      fraction += parseInt(digit, radix) / radix ** (i + 1);
    });
    const value = parseInt(radixPoint[2] as string, radix) + fraction;
    if (Number.isNaN(value)) throw new ScheduleSyntaxError(`String "${text}" is not a valid number`);
    return value;
  }
  const sized = /(0[box][0-9a-fA-F]*)i([0-9]*)/.exec(text);
  const digits = sized === null ? text : sized[1] as string;
  let value = Number(digits);
  if (Number.isNaN(value)) throw new ScheduleSyntaxError(`String "${digits}" is not a valid number`);
  if (sized !== null) {
    const size = Number(sized[2]);
    if (value > 2 ** size - 1) throw new ScheduleSyntaxError(`String "${digits}" is out of range`);
    // Two's complement: the top bit of the word is the sign.
    if (value >= 2 ** (size - 1)) value -= 2 ** size;
  }
  return value;
}
