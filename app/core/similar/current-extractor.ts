// The extractor a scan runs. Vectors made by another name or version are recomputed by the next scan.
import { signalDescriptor } from './descriptor-extractor.ts';
import type { EmbeddingExtractor } from './extractor.ts';

export const embeddingExtractor: EmbeddingExtractor = signalDescriptor;
