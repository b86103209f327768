import { connect, type Socket } from "node:net";

export interface PortFlood {
  /** Connections the target accepted (a connect that completed), over the whole flood. */
  established(): number;
  /** How long each accepted connection lived before the target closed it, in ms. */
  lifetimes(): number[];
  stop(): void;
}

/**
 * A stranger holding idle connections to a port on loopback: `perAddress` from each source
 * address, none sending a byte, each reopened as soon as it is closed or refused (a port that
 * is not listening yet is tried again every 20 ms), until stopped.
 */
export function floodPort(port: number, sources: readonly string[], perAddress: number): PortFlood {
  let stopped = false;
  let established = 0;
  const lifetimes: number[] = [];
  const open = new Set<Socket>();
  const hold = (source: string) => {
    if (stopped) return;
    const socket = connect({ port, host: "127.0.0.1", localAddress: source });
    let connectedAt = 0;
    open.add(socket);
    socket.on("connect", () => {
      established += 1;
      connectedAt = Date.now();
    });
    socket.on("data", () => undefined);
    socket.on("error", () => undefined);
    socket.on("close", () => {
      open.delete(socket);
      if (connectedAt && !stopped) lifetimes.push(Date.now() - connectedAt);
      setTimeout(() => hold(source), connectedAt ? 0 : 20);
    });
  };
  for (const source of sources) for (let i = 0; i < perAddress; i++) hold(source);
  return {
    established: () => established,
    lifetimes: () => [...lifetimes],
    stop() {
      stopped = true;
      for (const socket of open) socket.destroy();
    },
  };
}

/** `count` loopback source addresses other than 127.0.0.1: 127.0.1.1, 127.0.1.2, … */
export function loopbackSources(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `127.0.${1 + Math.floor(i / 250)}.${1 + (i % 250)}`);
}
