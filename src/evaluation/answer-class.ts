/**
 * The class an answer names: the class whose name appears as a whole-word sequence, longest match
 * first ("t-shirt" is one word, so "shirt" never matches inside it). -1 when none appears.
 */
export function answerClass(answer: string, classNames: readonly string[]): number {
  const words = answer.toLowerCase().split(/\s+/).filter((word) => word.length > 0);
  let best = -1;
  let bestLength = 0;
  classNames.forEach((name, index) => {
    const target = name.toLowerCase().split(/\s+/);
    for (let start = 0; start + target.length <= words.length; start++) {
      if (target.every((word, offset) => words[start + offset] === word) && target.length > bestLength) {
        best = index;
        bestLength = target.length;
      }
    }
  });
  return best;
}
