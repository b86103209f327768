/**
 * The relay kinds a report code names, each as one number (4 bits in the code). The numbers are
 * part of the code's format: never reuse or renumber one, only add.
 */
export const reportedKinds = ["mtproto", "socks5", "http", "https", "shadowsocks", "vless"] as const;
export type ReportedKind = (typeof reportedKinds)[number];

export const kindNumber = (kind: ReportedKind): number => reportedKinds.indexOf(kind) + 1;
export const kindOfNumber = (n: number): ReportedKind | undefined => reportedKinds[n - 1];
