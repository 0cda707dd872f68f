// `node --import` this before a program whose entry imports a bundled package (kit/package-bundles.ts):
// the mount daemon's, whose imports are all loaded before its first line runs.
import { preferBundles } from './package-bundles.ts';

preferBundles();
