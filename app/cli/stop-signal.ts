// How a serving command (serve, subsonic, index serve, watch) is told to stop: the first SIGINT or SIGTERM.
// Listened for before the command says it is ready: whoever reads that line may signal it at once, and
// a signal with no listener yet ends the process by its default action, skipping the clean stop.

/** Resolves at the first SIGINT or SIGTERM, which it then stops listening for. */
export function stopSignal(): Promise<void> {
  return new Promise((done) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      done();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
