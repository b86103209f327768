/** Builds `a=1&b=2` with every value percent-encoded, in the order given. */
export function encodeQuery(params: ReadonlyArray<readonly [string, string | number]>): string {
  return params.map(([key, value]) => `${key}=${encodeURIComponent(String(value))}`).join("&");
}
