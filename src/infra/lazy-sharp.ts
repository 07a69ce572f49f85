/**
 * sharp (libvips) is loaded on first use, not at start: it adds tens of MB to the resident set of
 * every process, and only the processes that take uploads or fit images need it.
 */
let sharpModule: Promise<typeof import('sharp')> | undefined;

export const loadSharp = async () => (await (sharpModule ??= import('sharp'))).default;
