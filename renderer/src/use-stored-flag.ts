// A yes/no setting remembered in localStorage across reloads (one key per setting).
import { useCallback, useState } from 'react';

export function useStoredFlag(key: string, initial: boolean): [boolean, (on: boolean) => void] {
  const [flag, setFlag] = useState(() => {
    const stored = localStorage.getItem(key);
    return stored === null ? initial : stored === 'true';
  });
  const set = useCallback(
    (on: boolean) => {
      setFlag(on);
      localStorage.setItem(key, String(on));
    },
    [key],
  );
  return [flag, set];
}
