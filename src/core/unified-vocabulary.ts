import { ConfigError, InvalidRequestError } from './errors.ts';
import type { VocabularyLayout } from './vocabulary-layout.ts';

/** Maps between text ids, named specials, image codes and unified ids, checking every bound. */
export class UnifiedVocabulary {
  readonly layout: VocabularyLayout;
  readonly specialOffset: number;
  readonly padTokenId: number;
  readonly imageTokenCount: number;
  private readonly specialIds: ReadonlyMap<string, number>;

  constructor(layout: VocabularyLayout) {
    this.layout = layout;
    this.specialOffset = layout.specialTokenOffset ?? layout.textVocabSize;
    this.specialIds = new Map(layout.specialTokens.map((name, index) => [name, this.specialOffset + index]));
    const padName = layout.padToken ?? layout.specialTokens.find((name) => name.toLowerCase().includes('pad'));
    if (padName === undefined || !this.specialIds.has(padName)) {
      throw new ConfigError('vocabulary.padToken', padName, `one of the special tokens: ${layout.specialTokens.join(', ')}`);
    }
    this.padTokenId = this.specialIds.get(padName) as number;
    this.imageTokenCount = layout.imageGrid.height * layout.imageGrid.width;
    this.validate();
  }

  private validate(): void {
    const { layout } = this;
    const specialEnd = this.specialOffset + layout.specialTokens.length;
    const imageEnd = layout.imageTokenOffset + layout.imageCodebookSize;
    if (this.specialOffset < layout.textVocabSize) {
      throw new ConfigError('vocabulary.specialTokenOffset', this.specialOffset, `>= textVocabSize (${layout.textVocabSize})`);
    }
    if (layout.imageTokenOffset < specialEnd) {
      throw new ConfigError('vocabulary.imageTokenOffset', layout.imageTokenOffset, `>= end of the special tokens (${specialEnd})`);
    }
    if (layout.maskTokenId < imageEnd || layout.maskTokenId >= layout.vocabSize) {
      throw new ConfigError('vocabulary.maskTokenId', layout.maskTokenId, `an id in [${imageEnd}, ${layout.vocabSize - 1}]`);
    }
    for (const [field, id] of [['bosTokenId', layout.bosTokenId], ['eosTokenId', layout.eosTokenId]] as const) {
      if (!Number.isInteger(id) || id < 0 || id >= layout.vocabSize) {
        throw new ConfigError(`vocabulary.${field}`, id, `an id in [0, ${layout.vocabSize - 1}]`);
      }
    }
  }

  get vocabSize(): number { return this.layout.vocabSize; }
  get maskTokenId(): number { return this.layout.maskTokenId; }
  get bosTokenId(): number { return this.layout.bosTokenId; }
  get eosTokenId(): number { return this.layout.eosTokenId; }
  get imageCodebookSize(): number { return this.layout.imageCodebookSize; }
  get imageTokenOffset(): number { return this.layout.imageTokenOffset; }

  special(name: string): number {
    const id = this.specialIds.get(name);
    if (id === undefined) {
      throw new InvalidRequestError('special token', name, `one of: ${this.layout.specialTokens.join(', ')}`);
    }
    return id;
  }

  hasSpecial(name: string): boolean { return this.specialIds.has(name); }

  specialName(id: number): string | undefined {
    return this.layout.specialTokens[id - this.specialOffset];
  }

  codeToId(code: number): number {
    if (!Number.isInteger(code) || code < 0 || code >= this.layout.imageCodebookSize) {
      throw new InvalidRequestError('image code', code, `an integer in [0, ${this.layout.imageCodebookSize - 1}]`);
    }
    return this.layout.imageTokenOffset + code;
  }

  idToCode(id: number): number {
    if (!this.isImageToken(id)) {
      throw new InvalidRequestError('image token id', id,
        `an id in [${this.layout.imageTokenOffset}, ${this.layout.imageTokenOffset + this.layout.imageCodebookSize - 1}]`);
    }
    return id - this.layout.imageTokenOffset;
  }

  isImageToken(id: number): boolean {
    return id >= this.layout.imageTokenOffset && id < this.layout.imageTokenOffset + this.layout.imageCodebookSize;
  }

  isTextToken(id: number): boolean { return id >= 0 && id < this.layout.textVocabSize; }

  isSpecialToken(id: number): boolean {
    return id >= this.specialOffset && id < this.specialOffset + this.layout.specialTokens.length;
  }

  /** Throws naming the first id outside the vocabulary. */
  checkIds(ids: ArrayLike<number>, what: string): void {
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i] as number;
      if (!Number.isInteger(id) || id < 0 || id >= this.layout.vocabSize) {
        throw new InvalidRequestError(`${what}[${i}]`, id, `a token id in [0, ${this.layout.vocabSize - 1}]`);
      }
    }
  }
}
