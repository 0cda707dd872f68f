// The RPC client's connection state, followed as it changes (the footer and the Tracks view say when it is lost).
import { useEffect, useState } from 'react';
import type { ConnectionState, RpcClient } from './rpc-client.ts';

export function useConnection(client: RpcClient): ConnectionState {
  const [connection, setConnection] = useState<ConnectionState>(client.state);
  useEffect(() => {
    const off = client.onState(setConnection);
    setConnection(client.state); // it may have changed before this subscription
    return off;
  }, [client]);
  return connection;
}
