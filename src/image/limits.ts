/**
 * Safety limits for reading untrusted images: tar bombs, decompression bombs,
 * absurd paths. Every limit is configurable; the defaults fit real images.
 */
export interface WalkLimits {
  /** Entries per layer. */
  maxEntries: number;
  /** Bytes of one path. */
  maxPathLength: number;
  /** Components of one path. */
  maxPathDepth: number;
  /** Bytes of one file held in memory for an analyzer. */
  maxFileBytes: number;
  /** Uncompressed bytes of one layer. */
  maxLayerBytes: number;
}

export const DEFAULT_LIMITS: WalkLimits = {
  maxEntries: 2_000_000,
  maxPathLength: 4096,
  maxPathDepth: 256,
  maxFileBytes: 128 * 1024 * 1024,
  maxLayerBytes: 64 * 1024 * 1024 * 1024,
};

export function withDefaults(limits?: Partial<WalkLimits>): WalkLimits {
  return { ...DEFAULT_LIMITS, ...limits };
}
