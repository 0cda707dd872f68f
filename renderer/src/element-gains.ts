// Each <audio> element's gain, through Web Audio (element → GainNode → speakers): an element's own volume
// stops at 1, and ReplayGain may raise a track. The AudioContext is made when playback first starts (a
// browser lets one sound only once the user acted) and resumed on every start. An element from another
// origin (the desktop shell's media) is heard only if it was fetched with CORS (crossOrigin, and the
// backend's Access-Control-Allow-Origin): else Web Audio plays it as silence.

/** How long a change of gain takes to settle, in seconds (a step would click). */
const GLIDE_S = 0.01;

export class ElementGains {
  #context: AudioContext | null = null;
  readonly #nodes = new Map<HTMLMediaElement, GainNode>();
  /** Each element's gain, also those set before it is routed. */
  readonly #gains = new Map<HTMLMediaElement, number>();

  /** Routes `elements` through their gains (each once; an element cannot be routed twice) and lets the
   *  context sound. */
  start(elements: readonly HTMLMediaElement[]): void {
    this.#context ??= new AudioContext();
    const context = this.#context;
    for (const element of elements) {
      if (this.#nodes.has(element)) continue;
      const node = new GainNode(context, { gain: this.#gains.get(element) ?? 1 });
      context.createMediaElementSource(element).connect(node).connect(context.destination);
      this.#nodes.set(element, node);
    }
    if (context.state === 'suspended') void context.resume();
  }

  set(element: HTMLMediaElement, gain: number): void {
    if (this.#gains.get(element) === gain) return;
    this.#gains.set(element, gain);
    const node = this.#nodes.get(element);
    if (node) node.gain.setTargetAtTime(gain, node.context.currentTime, GLIDE_S);
  }
}
