// A notice for a user who is not looking at the app: the operating system's notification (the desktop
// shell's; in a browser, only if the user allowed the site to notify).
import { desktop } from './backend.ts';

/** A scan or identification that took this long is announced when it ends (the user has moved on). */
export const LONG_RUN_SECONDS = 20;

export function notifyAway(title: string, body: string): void {
  if (!document.hidden && document.hasFocus()) return;
  if (desktop) {
    desktop.notify(title, body).catch(() => {}); // a shell without notifications: the in-app notice stays
  } else if (typeof Notification !== 'undefined' && Notification.permission === 'granted') {
    new Notification(title, { body });
  }
}
