// Counters and the search-duration histogram behind /_metrics, rendered in Prometheus' text format.
import type { IndexCounters } from './fingerprint-index.ts';

const BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

interface PerIndex {
  searches: number;
  hits: number;
  misses: number;
  updates: number;
  buckets: number[];
  durationSum: number;
}

export interface Gauges {
  readonly docs: number;
  readonly version: number;
}

export class Metrics {
  readonly #perIndex = new Map<string, PerIndex>();

  #of(index: string): PerIndex {
    let m = this.#perIndex.get(index);
    if (!m) {
      m = { searches: 0, hits: 0, misses: 0, updates: 0, buckets: BUCKETS.map(() => 0), durationSum: 0 };
      this.#perIndex.set(index, m);
    }
    return m;
  }

  search(index: string, seconds: number, found: boolean): void {
    const m = this.#of(index);
    m.searches++;
    if (found) m.hits++;
    else m.misses++;
    m.durationSum += seconds;
    for (let i = 0; i < BUCKETS.length; i++) if (seconds <= BUCKETS[i]!) m.buckets[i]!++;
  }

  update(index: string, transactions: number): void {
    this.#of(index).updates += transactions;
  }

  forget(index: string): void {
    this.#perIndex.delete(index);
  }

  /** `totals` sums the engine-wide counters kept by the indexes themselves. */
  render(gauges: ReadonlyMap<string, Gauges>, totals: IndexCounters): string {
    const lines: string[] = [];
    const series = (
      name: string,
      type: string,
      help: string,
      values: Iterable<[labels: string, value: number]>,
    ) => {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
      for (const [labels, v] of values) lines.push(`${name}${labels} ${v}`);
    };
    const per = [...this.#perIndex].map(([n, m]) => [indexLabel(n), m] as const);
    for (const [name, help, key] of PER_INDEX_COUNTERS)
      series(
        name,
        'counter',
        help,
        per.map(([l, m]) => [`{${l}}`, m[key]]),
      );
    for (const [name, help, key] of ENGINE_COUNTERS) series(name, 'counter', help, [['', totals[key]]]);
    series(
      'fpindex_search_duration_seconds',
      'histogram',
      'Search latency',
      per.flatMap(([l, m]) => [
        ...BUCKETS.map((b, i): [string, number] => [`_bucket{${l},le="${b}"}`, m.buckets[i]!]),
        [`_bucket{${l},le="+Inf"}`, m.searches],
        [`_sum{${l}}`, m.durationSum],
        [`_count{${l}}`, m.searches],
      ]),
    );
    const g = [...gauges].map(([n, v]) => [`{${indexLabel(n)}}`, v] as const);
    series(
      'fpindex_docs',
      'gauge',
      'Live documents',
      g.map(([l, v]) => [l, v.docs]),
    );
    series(
      'fpindex_version',
      'gauge',
      'Last committed version',
      g.map(([l, v]) => [l, v.version]),
    );
    return `${lines.join('\n')}\n`;
  }
}

function indexLabel(name: string): string {
  return `index="${name.replace(/["\\\n]/g, '_')}"`;
}

const PER_INDEX_COUNTERS: [string, string, 'searches' | 'hits' | 'misses' | 'updates'][] = [
  ['fpindex_searches_total', 'Searches', 'searches'],
  ['fpindex_search_hits_total', 'Searches with at least one result', 'hits'],
  ['fpindex_search_misses_total', 'Searches without results', 'misses'],
  ['fpindex_updates_total', 'Committed transactions', 'updates'],
];

const ENGINE_COUNTERS: [string, string, keyof IndexCounters][] = [
  ['fpindex_checkpoints_total', 'Memory segments written to file segments', 'checkpoints'],
  ['fpindex_memory_merges_total', 'Memory segment merges', 'memoryMerges'],
  ['fpindex_file_merges_total', 'File segment merges', 'fileMerges'],
  [
    'fpindex_posting_blocks_read_total',
    'Posting blocks of file segments read by searches',
    'postingBlocksRead',
  ],
];
