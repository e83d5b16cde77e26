/**
 * The image I/O surface in one import: gray images, resizing, grids, PNG reading and writing, and
 * atomic file writes. Each lives in its own file; this module only gathers them so importers stay short.
 */
export { channelsOf, checkGrayImage, type GrayImage, type ImageChannels, type RgbImage } from './gray-image.ts';
export { toChannels } from './image-channels.ts';
export { resizeGray, upscaleNearest, type ResizeMethod } from './gray-resize.ts';
export { gridLayout, imageGrid, type GridLayout } from './image-grid.ts';
export {
  decodePng, DEFAULT_MAX_PNG_FILE_BYTES, DEFAULT_MAX_PNG_PIXELS, readPng, type DecodePngOptions, type PngReadOptions,
} from './png-read.ts';
export { encodePng } from './png-write.ts';
export { removeLiveTemporaries, writeFileAtomic, type WriteFileOptions } from './atomic-write.ts';
