/**
 * What a stranger's probe gets back: connects, sends the given bytes (hex), and prints one JSON
 * line with every byte received until the server closes or the time runs out. Run inside the
 * client namespace: `ip netns exec <ns> node tsx/cli tcp-probe.ts <host> <port> <hex> [ms]`.
 */
import { connect } from "node:net";

const [host, port, hex, ms = "3000"] = process.argv.slice(2) as [string, string, string, string?];
const received: Buffer[] = [];
const socket = connect(Number(port), host, () => socket.write(Buffer.from(hex, "hex")));
const finish = (outcome: string) => {
  process.stdout.write(`${JSON.stringify({ outcome, received: Buffer.concat(received).toString("hex") })}\n`);
  socket.destroy();
  process.exit(0);
};
socket.on("data", (b: Buffer) => received.push(b));
socket.on("end", () => finish("closed"));
socket.on("error", (e) => finish(`error: ${e.message}`));
setTimeout(() => finish("timeout"), Number(ms));
