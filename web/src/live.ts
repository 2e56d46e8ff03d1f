import { useEffect, useRef } from 'preact/hooks';

export interface LiveEvent {
  type: 'findings' | 'devices' | 'connectivity' | 'rogues';
  /** On `rogues`: the ids the unknown devices claimed (the stream's `claimedDeviceIds`). */
  deviceIds: string[];
  truncated: boolean;
}

/**
 * Calls `onEvent` for each server-sent event of the given types. The browser's EventSource
 * reconnects by itself; the session cookie authenticates it.
 */
export function useLiveEvents(types: LiveEvent['type'][], onEvent: (e: LiveEvent) => void): void {
  const handler = useRef(onEvent);
  handler.current = onEvent;
  const key = types.join(',');
  useEffect(() => {
    const source = new EventSource('/api/v1/events/stream');
    const listener = (m: MessageEvent<string>) => {
      const data = JSON.parse(m.data) as LiveEvent & { claimedDeviceIds?: string[] };
      handler.current({ ...data, deviceIds: data.deviceIds ?? data.claimedDeviceIds ?? [] });
    };
    for (const t of key.split(',')) source.addEventListener(t, listener as EventListener);
    return () => source.close();
  }, [key]);
}
