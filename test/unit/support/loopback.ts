import { connect, type AddressInfo, type Server } from "node:net";

/** Starts `server` on a loopback port the kernel picks; resolves to that port. */
export const listening = (server: Pick<Server, "listen" | "address">) =>
  new Promise<number>((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port)));

/** Waits until something accepts on 127.0.0.1:`port` (a peer process starting up); `why` explains a failure. */
export async function untilListening(port: number, why: () => string = () => ""): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const up = await new Promise<boolean>((resolve) => {
      const c = connect(port, "127.0.0.1", () => (c.destroy(), resolve(true)));
      c.on("error", () => resolve(false));
    });
    if (up) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nothing listens on 127.0.0.1:${port} ${why()}`.trim());
}
