// Module hooks for running from a clone: the package's self-references ('omnidecode',
// 'omnidecode/pipeline') resolve through the "omnidecode-source" export condition to src/.
export async function resolve(specifier, context, nextResolve) {
  return nextResolve(specifier, { ...context, conditions: [...context.conditions, 'omnidecode-source'] });
}
