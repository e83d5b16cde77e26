import type { StepEvent } from '../core/step-event.ts';
import type { ImageTokenizer } from '../tokenizers/image-tokenizer.ts';
import { channelsOf, imageGrid, type GrayImage } from '../tokenizers/png-image.ts';
import type { UnifiedVocabulary } from '../core/unified-vocabulary.ts';

interface TraceFrame {
  readonly preview: Int32Array;
  readonly known: Uint8Array;
  /** Which image of a text stream the step belongs to (0 for a plain image segment). */
  readonly image: number;
}

/**
 * Records row 0 of an image segment at every step, then renders one row per step. `segment`: the
 * image segment's index, or 'stream-images' for every image a text stream opens (event.image set),
 * rendered one block of rows per image, in order.
 */
export class TraceRecorder {
  private readonly frames: TraceFrame[] = [];

  /** `row`: the batch row whose stream is traced (events of streams carry `batchRows`). */
  constructor(private readonly segment: number | 'stream-images', private readonly vocabulary: UnifiedVocabulary, private readonly row = 0) {}

  /** Images recorded (1 for a plain image segment). */
  get images(): number { return new Set(this.frames.map((frame) => frame.image)).size; }

  readonly onStep = (event: StepEvent): void => {
    if (this.segment === 'stream-images' ? event.image === undefined || (event.batchRows?.[0] ?? 0) !== this.row : event.segment !== this.segment) return;
    const preview = new Int32Array(event.length);
    const known = new Uint8Array(event.length);
    for (let i = 0; i < event.length; i++) {
      const committed = event.canvas[i] as number;
      known[i] = committed === this.vocabulary.maskTokenId ? 0 : 1;
      const guess = known[i] === 1 ? committed : (event.preview[i] as number);
      // AR steps have no guess for later positions: show code 0 there, greyed out below.
      preview[i] = this.vocabulary.isImageToken(guess) ? this.vocabulary.idToCode(guess) : 0;
    }
    this.frames.push({ preview, known, image: event.image ?? 0 });
  };

  get steps(): number { return this.frames.length; }

  /**
   * Each row: the model's full guess (x0 preview) | the committed canvas, with still-masked token
   * cells drawn grey. Reading down the rows shows the canvas fill in.
   */
  async render(tokenizer: ImageTokenizer): Promise<GrayImage> {
    const decoded = await tokenizer.decode(this.frames.map((frame) => frame.preview));
    const { height, width } = tokenizer.grid;
    const cells: GrayImage[] = [];
    this.frames.forEach((frame, index) => {
      const guess = decoded[index] as GrayImage;
      const canvas: GrayImage = { ...guess, pixels: guess.pixels.slice() };
      const channels = channelsOf(guess);
      const cellH = guess.height / height;
      const cellW = guess.width / width;
      for (let y = 0; y < guess.height; y++) {
        for (let x = 0; x < guess.width; x++) {
          const token = Math.min(height - 1, Math.floor(y / cellH)) * width + Math.min(width - 1, Math.floor(x / cellW));
          const at = (y * guess.width + x) * channels;
          if (frame.known[token] === 0) canvas.pixels.fill(0.35, at, at + channels);
        }
      }
      cells.push(guess, canvas);
    });
    return imageGrid(cells, 2, 1);
  }
}
