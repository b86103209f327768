import { describe, expect, it } from "vitest";
import type { FleetNode } from "../../src/fleet-input/types";
import { sip002Link } from "../../src/links/shadowsocks";
import { emptyBatches } from "../../src/share/publish/empty-batches";

const base = { source: "a.json", provider: "digitalocean", region: "fra1" };
const mtprotoOnly = (address: string): FleetNode => ({
  ...base,
  name: `n-${address}`,
  address,
  relays: [{ kind: "mtproto", transport: "encrypted", telegram: `tg://proxy?server=${address}&port=443&secret=ee00`, telegramWeb: `https://t.me/proxy?server=${address}&port=443&secret=ee00` }],
});
const withShadowsocks = (address: string): FleetNode => ({
  ...mtprotoOnly(address),
  relays: [{ kind: "shadowsocks", transport: "encrypted", accessKey: sip002Link({ server: address, port: 8388, method: "chacha20-ietf-poly1305", password: "pw", name: "x" }) }],
});

describe("batches a subscription would leave empty", () => {
  it("are those whose every node lacks a vless or Shadowsocks link, numbered from 1", () => {
    expect(emptyBatches([[withShadowsocks("198.51.100.1"), mtprotoOnly("198.51.100.2")], [mtprotoOnly("198.51.100.3"), mtprotoOnly("198.51.100.4")], [withShadowsocks("198.51.100.5")]])).toEqual([2]);
    expect(emptyBatches([[withShadowsocks("198.51.100.1")]])).toEqual([]);
    expect(emptyBatches([[]])).toEqual([1]);
  });
});
