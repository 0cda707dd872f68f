// Ctrl-C as a cancel for a command's long wait (web requests): the first aborts `stop`, and the work ends
// as soon as it notices (within a request's turn); a second quits at once. Only while that work runs: a
// prompt before or after keeps Ctrl-C's ordinary meaning.
export async function withCtrlC<T>(stop: AbortController, work: () => Promise<T>): Promise<T> {
  const onSigint = () => {
    if (stop.signal.aborted) process.exit(130);
    stop.abort();
  };
  process.on('SIGINT', onSigint);
  try {
    return await work();
  } finally {
    process.off('SIGINT', onSigint);
  }
}
