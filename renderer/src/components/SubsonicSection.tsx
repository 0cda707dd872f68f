// The Mount view's Subsonic server: the library on phones and other Subsonic players (`sleeve subsonic`
// inside the backend), started on this machine only unless the user picks every network — the page says
// what that opens, and who can log in (users are made with the CLI, which reads the password from stdin).
// Clients that browse by folder see the folders of the path template above, as a mount would.
import { type FormEvent, useState } from 'react';
import { useSubsonic } from '../use-subsonic.ts';

const LOOPBACK = '127.0.0.1';
const EVERY_NETWORK = '0.0.0.0';
/** Subsonic's own port. */
const DEFAULT_PORT = '4040';

/** `template`: the Mount view's path template, or undefined while it is not valid. */
export function SubsonicSection({ template }: { template: string | undefined }) {
  const { status, busy, start, stop } = useSubsonic();
  // Kept here, not in the form: a server stopped shows the place it ran at again.
  const [listen, setListen] = useState(LOOPBACK);
  const [port, setPort] = useState(DEFAULT_PORT);
  const running = status?.running;
  const open = (running ? running.listen : listen) !== LOOPBACK;

  return (
    <div className="subsonic">
      <h3>Subsonic server</h3>
      <p className="dim">
        Phones and other Subsonic players (Symfonium, DSub, Tempo, Feishin) see the library as the mount shows
        it: your edits, one copy per recording, its ReplayGain; browsing by folder, the path template's
        folders.
      </p>
      {status && status.users.length === 0 && (
        <p className="problem">
          Nobody can log in yet: make a user with <code>sleeve subsonic user NAME</code> (the password from
          standard input) or an API key with <code>sleeve subsonic key NAME</code>.
        </p>
      )}
      {status && status.users.length > 0 && <p className="dim">Users: {status.users.join(', ')}.</p>}
      {status?.elsewhere && (
        <p className="subsonic-running" role="status">
          Running from the command line (<code>sleeve subsonic</code>, process {status.elsewhere.pid}) at{' '}
          <code>{status.elsewhere.url}</code>: stop it there (Ctrl-C).
        </p>
      )}
      {running ? (
        <div className="subsonic-running">
          {/* Clients ask for the server's address and add /rest/ themselves. */}
          Running: clients connect to <code>{running.url.replace(/rest\/$/, '')}</code>{' '}
          <button type="button" disabled={busy} onClick={() => void stop()}>
            Stop
          </button>
        </div>
      ) : (
        <StartForm
          listen={listen}
          onListen={setListen}
          port={port}
          onPort={setPort}
          ready={!busy && status !== null}
          elsewherePort={status?.elsewhere?.port}
          template={template}
          onStart={(portNumber) => void start(listen, portNumber, template)}
        />
      )}
      {open && (
        <p className="problem" role="note">
          Every device that can reach this machine may try to log in (plain HTTP: use it at home or through a
          VPN). After 10 failed logins in a minute an address is refused for that minute.
        </p>
      )}
    </div>
  );
}

/** Where to listen (this machine, or every network) and on which port; Start waits for a valid port and
 *  path template. */
function StartForm(props: {
  readonly listen: string;
  onListen(listen: string): void;
  readonly port: string;
  onPort(port: string): void;
  readonly ready: boolean;
  /** The port of a server started from the command line, when one runs. */
  readonly elsewherePort: number | undefined;
  readonly template: string | undefined;
  onStart(portNumber: number): void;
}) {
  const { listen, onListen, port, onPort, ready, elsewherePort, template, onStart } = props;
  const portValid = /^\d{1,5}$/.test(port) && Number(port) <= 65535;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onStart(Number(port));
  };
  return (
    <form className="player-form" aria-label="Start the Subsonic server" onSubmit={submit}>
      <select aria-label="Listen on" value={listen} onChange={(e) => onListen(e.target.value)}>
        <option value={LOOPBACK}>This machine only</option>
        <option value={EVERY_NETWORK}>Every network this machine is on</option>
      </select>
      <input
        aria-label="Port"
        inputMode="numeric"
        value={port}
        onChange={(e) => onPort(e.target.value.trim())}
      />
      <button
        type="submit"
        className="primary"
        disabled={!ready || !portValid || template === undefined}
        title={
          template === undefined
            ? 'Fix the path template first: folders are browsed as it arranges them'
            : elsewherePort === Number(port)
              ? `Port ${port} is the command line's server's: choose another`
              : undefined
        }
      >
        Start
      </button>
    </form>
  );
}
