// Counters and the search-duration histogram behind /_metrics, rendered in Prometheus' text format.

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
  render(
    gauges: ReadonlyMap<string, Gauges>,
    totals: { checkpoints: number; memoryMerges: number; fileMerges: number },
  ): string {
    const lines: string[] = [];
    const label = (name: string) => `{index="${name.replace(/["\\\n]/g, '_')}"}`;
    const counter = (name: string, help: string, values: [string, number][]) => {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} counter`);
      for (const [labels, v] of values) lines.push(`${name}${labels} ${v}`);
    };
    const per = [...this.#perIndex.entries()];
    counter(
      'fpindex_searches_total',
      'Searches',
      per.map(([n, m]) => [label(n), m.searches]),
    );
    counter(
      'fpindex_search_hits_total',
      'Searches with at least one result',
      per.map(([n, m]) => [label(n), m.hits]),
    );
    counter(
      'fpindex_search_misses_total',
      'Searches without results',
      per.map(([n, m]) => [label(n), m.misses]),
    );
    counter(
      'fpindex_updates_total',
      'Committed transactions',
      per.map(([n, m]) => [label(n), m.updates]),
    );
    counter('fpindex_checkpoints_total', 'Memory segments written to file segments', [
      ['', totals.checkpoints],
    ]);
    counter('fpindex_memory_merges_total', 'Memory segment merges', [['', totals.memoryMerges]]);
    counter('fpindex_file_merges_total', 'File segment merges', [['', totals.fileMerges]]);
    lines.push(
      '# HELP fpindex_search_duration_seconds Search latency',
      '# TYPE fpindex_search_duration_seconds histogram',
    );
    for (const [n, m] of per) {
      const name = n.replace(/["\\\n]/g, '_');
      for (let i = 0; i < BUCKETS.length; i++)
        lines.push(
          `fpindex_search_duration_seconds_bucket{index="${name}",le="${BUCKETS[i]}"} ${m.buckets[i]}`,
        );
      lines.push(`fpindex_search_duration_seconds_bucket{index="${name}",le="+Inf"} ${m.searches}`);
      lines.push(`fpindex_search_duration_seconds_sum{index="${name}"} ${m.durationSum}`);
      lines.push(`fpindex_search_duration_seconds_count{index="${name}"} ${m.searches}`);
    }
    lines.push('# HELP fpindex_docs Live documents', '# TYPE fpindex_docs gauge');
    for (const [n, g] of gauges) lines.push(`fpindex_docs${label(n)} ${g.docs}`);
    lines.push('# HELP fpindex_version Last committed version', '# TYPE fpindex_version gauge');
    for (const [n, g] of gauges) lines.push(`fpindex_version${label(n)} ${g.version}`);
    return `${lines.join('\n')}\n`;
  }
}
