/**
 * A third party's scheduler plugin in plain JavaScript, importing only 'omnidecode' (no decorators,
 * no build): each step commits the `perStep` leftmost unknown positions of every row, with their
 * argmax token. Its constructor has a default parameter (Function.length 0), as plain JS often does.
 */
export function leftToRightPluginSource(name: string, defaultPerStep: number): string {
  return `
import { CommitList, defineParameters, defineScheduler, integerParameter } from 'omnidecode';

class LeftToRightScheduler {
  mode = 'block';
  guidance = null;
  constructor(options = {}) { this.perStep = options.perStep; }
  plannedSteps(context) { return Math.ceil(context.canvas.length / this.perStep); }
  begin(context) {
    this.context = context;
    this.commits = new CommitList(context.canvas.rows * context.canvas.length);
  }
  step(logits) {
    const { canvas, candidates } = this.context;
    const commits = this.commits.clear();
    let left = 0;
    for (let row = 0; row < canvas.rows; row++) {
      let quota = this.perStep;
      for (let position = 0; position < canvas.length; position++) {
        if (canvas.known[row * canvas.length + position] === 1) continue;
        if (quota === 0) { left += 1; continue; }
        quota -= 1;
        const offset = logits.offset(row, position) + candidates.offset;
        let best = 0;
        for (let i = 1; i < candidates.count; i++) if (logits.data[offset + i] > logits.data[offset + best]) best = i;
        commits.push(row, position, candidates.offset + best);
      }
    }
    return { commits, preview: null, done: left === 0 };
  }
}

export function register(api) {
  api.registerScheduler(defineScheduler({
    name: ${JSON.stringify(name)}, description: 'Leftmost unknown positions first, argmax.', modalities: ['image'],
    parameters: defineParameters({ perStep: integerParameter({ default: ${defaultPerStep}, min: 1, description: 'Positions per step.' }) }),
    scheduler: LeftToRightScheduler,
  }));
}
`;
}
