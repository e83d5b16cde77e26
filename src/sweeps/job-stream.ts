/**
 * The engine-level random stream a job draws from (GenerateOptions.stream), with the job's seed:
 * named by the image index alone, so a job decodes the same tokens in this process, on any worker
 * and in any order, and the settings of a sweep meet the same draws for the same image (a fairer
 * comparison between settings than independent draws).
 */
export function jobStream(imageIndex: number): string {
  return `sweep-${imageIndex}`;
}
